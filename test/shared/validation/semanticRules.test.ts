import { test } from "node:test";
import assert from "node:assert/strict";
import {
  checkClientShares,
  checkClientTotals,
  checkCollectedAt,
  checkPathAgreement,
  checkSemanticRules,
  checkSiteTopology,
  checkUniqueSiteHashes,
  checkWellFormedText,
  isWellFormedText,
  type SemanticRuleContext,
} from "../../../shared/validation/semanticRules";
import type { Site, UsageV1 } from "../../../shared/validation/usageV1";
import { makeUsageDocument, randomBase64Sha256, testNow } from "../../../devkit/usageDocuments";

function contextFor(document: UsageV1, now: Date = testNow): SemanticRuleContext {
  return { expected: { docId: document.docId, docVersion: 1 }, now };
}

function site(type: Site["type"], clientCount = 1): Site {
  return { siteHash: randomBase64Sha256(), type, build: "5.00.9132.1000", clientCount, utcOffsetMinutes: 0, roles: [] };
}

function paths(errors: readonly { path: string }[]): string[] {
  return errors.map((error) => error.path);
}

test("a typical document breaks no semantic rule", () => {
  const document = makeUsageDocument();
  assert.deepEqual(checkSemanticRules(document, contextFor(document)), []);
});

test("clients.total: each disagreeing sum is reported at its own path", () => {
  const document = makeUsageDocument();
  assert.deepEqual(checkClientTotals(document), []);

  const byOs = structuredClone(document);
  byOs.clients.byOs["Windows 11 24H2"] = (byOs.clients.byOs["Windows 11 24H2"] ?? 0) + 1;
  assert.deepEqual(paths(checkClientTotals(byOs)), ["/clients/byOs"]);

  const byBuild = structuredClone(document);
  byBuild.clients.byClientBuild = {};
  assert.deepEqual(paths(checkClientTotals(byBuild)), ["/clients/byClientBuild"]);

  const bySite = structuredClone(document);
  bySite.sites[0] = { ...site("cas"), clientCount: (bySite.sites[0]?.clientCount ?? 0) + 5 };
  assert.deepEqual(paths(checkClientTotals(bySite)), ["/sites"]);

  const total = structuredClone(document);
  total.clients.total += 1;
  assert.deepEqual(paths(checkClientTotals(total)), ["/clients/byOs", "/clients/byClientBuild", "/sites"]);
  assert.match(checkClientTotals(total)[0]?.message ?? "", /sum of clients\.byOs \(\d+\) must equal clients\.total \(\d+\)/);
});

test("clients.total: byOfficeVersion, entraJoined and coManaged are not part of the sum", () => {
  const document = makeUsageDocument();
  document.clients.byOfficeVersion = { "Office 2019": 1 };
  document.clients.entraJoined = 0;
  document.clients.coManaged = 1_000_000_000;
  assert.deepEqual(checkClientTotals(document), []);
});

test("clients.total: a zero total with empty maps is consistent", () => {
  const document = makeUsageDocument({ sites: [site("primary", 0)] });
  document.clients = { total: 0, byOs: {}, byClientBuild: {} };
  assert.deepEqual(checkClientTotals(document), []);
});

test("clients.total: sums at the maximum stay exact", () => {
  const names = Array.from({ length: 500 }, (_, index) => `os ${index}`);
  const document = makeUsageDocument({ sites: [site("primary", 1_000_000_000)] });
  document.clients = {
    total: 1_000_000_000,
    byOs: Object.fromEntries(names.map((name) => [name, 2_000_000])),
    byClientBuild: { "5.00.9132.1000": 1_000_000_000 },
  };
  assert.deepEqual(checkClientTotals(document), []);
  document.clients.byOs["os 0"] = 1_000_000_000;
  assert.match(checkClientTotals(document)[0]?.message ?? "", /\(1998000000\)/);
});

test("topology: at most one CAS, reported at each extra CAS", () => {
  const document = makeUsageDocument({ sites: [site("cas"), site("primary"), site("cas"), site("cas")] });
  assert.deepEqual(paths(checkSiteTopology(document)), ["/sites/2/type", "/sites/3/type"]);
});

test("topology: with a CAS, 1 to 25 primaries", () => {
  const withPrimaries = (count: number): UsageV1 =>
    makeUsageDocument({ sites: [site("cas"), ...Array.from({ length: count }, () => site("primary")), site("secondary")] });
  assert.deepEqual(paths(checkSiteTopology(withPrimaries(0))), ["/sites"]);
  assert.deepEqual(checkSiteTopology(withPrimaries(1)), []);
  assert.deepEqual(checkSiteTopology(withPrimaries(25)), []);
  assert.deepEqual(paths(checkSiteTopology(withPrimaries(26))), ["/sites"]);
});

test("topology: without a CAS, exactly one primary", () => {
  assert.deepEqual(checkSiteTopology(makeUsageDocument({ sites: [site("primary")] })), []);
  assert.deepEqual(checkSiteTopology(makeUsageDocument({ sites: [site("secondary"), site("primary"), site("secondary")] })), []);
  assert.deepEqual(paths(checkSiteTopology(makeUsageDocument({ sites: [site("secondary")] }))), ["/sites"]);
  assert.deepEqual(paths(checkSiteTopology(makeUsageDocument({ sites: [site("primary"), site("primary")] }))), ["/sites"]);
});

test("siteHash: every repeat is reported at its own path, for small and large hierarchies", () => {
  for (const count of [3, 16, 17, 250]) {
    const sites = Array.from({ length: count }, () => site("secondary"));
    const first = sites[0];
    const middle = sites[1];
    if (first === undefined || middle === undefined) throw new Error("unreachable");
    const last = count - 1;
    sites[last] = { ...site("secondary"), siteHash: first.siteHash };
    sites[2] = { ...site("secondary"), siteHash: middle.siteHash };
    const errors = checkUniqueSiteHashes(makeUsageDocument({ sites }));
    assert.deepEqual(paths(errors), [...new Set(["/sites/2/siteHash", `/sites/${last}/siteHash`])], `${count} sites`);
    assert.equal(errors.at(-1)?.message, count === 3 ? "duplicate of /sites/1/siteHash" : "duplicate of /sites/0/siteHash");
  }
  const unique = makeUsageDocument({ sites: Array.from({ length: 250 }, () => site("secondary")) });
  assert.deepEqual(checkUniqueSiteHashes(unique), []);
});

test("path agreement: schemaVersion equals docVersion, docId equals the path's", () => {
  const document = makeUsageDocument();
  assert.deepEqual(checkPathAgreement(document, contextFor(document)), []);
  assert.deepEqual(paths(checkPathAgreement(document, { expected: { docId: document.docId, docVersion: 2 }, now: testNow })), ["/schemaVersion"]);
  assert.deepEqual(paths(checkPathAgreement(document, { expected: { docId: "4f1c2b3a-5d6e-4f70-8a9b-0c1d2e3f4a5b", docVersion: 1 }, now: testNow })), ["/docId"]);
  // Exact comparison: the path and the body must spell the idempotency key alike.
  assert.deepEqual(paths(checkPathAgreement(document, { expected: { docId: document.docId.toUpperCase(), docVersion: 1 }, now: testNow })), ["/docId"]);
});

test("collectedAt: from 2015-01-01T00:00:00Z on", () => {
  const at = (collectedAt: string): string[] => {
    const document = makeUsageDocument({ collectedAt });
    return paths(checkCollectedAt(document, contextFor(document)));
  };
  assert.deepEqual(at("2015-01-01T00:00:00Z"), []);
  assert.deepEqual(at("2015-01-01T00:00:00.000000000Z"), []);
  assert.deepEqual(at("2014-12-31T23:59:59.999Z"), ["/collectedAt"]);
  assert.deepEqual(at("2014-12-31T23:59:59.999999999Z"), ["/collectedAt"]);
  assert.deepEqual(at("0001-01-01T00:00:00Z"), ["/collectedAt"]);
});

test("collectedAt: at most one day ahead of now, to the nanosecond", () => {
  const now = new Date("2026-11-25T12:00:00.000Z");
  const at = (collectedAt: string): string[] => {
    const document = makeUsageDocument({ collectedAt });
    return paths(checkCollectedAt(document, contextFor(document, now)));
  };
  assert.deepEqual(at("2026-11-26T12:00:00Z"), []);
  assert.deepEqual(at("2026-11-26T12:00:00.000000000Z"), []);
  assert.deepEqual(at("2026-11-26T12:00:00.000000001Z"), ["/collectedAt"]);
  assert.deepEqual(at("2026-11-26T12:00:00.001Z"), ["/collectedAt"]);
  assert.deepEqual(at("2026-11-25T12:00:00Z"), []);
  assert.deepEqual(at("9999-12-31T23:59:59Z"), ["/collectedAt"]);
});

test("collectedAt: a date-time JavaScript cannot place is an error, not an exception", () => {
  const document = makeUsageDocument({ collectedAt: "2016-12-31T23:59:60Z" });
  assert.deepEqual(paths(checkCollectedAt(document, contextFor(document))), ["/collectedAt"]);
});

test("checkSemanticRules reports every rule's errors", () => {
  const document = makeUsageDocument({ collectedAt: "2014-01-01T00:00:00Z", sites: [site("secondary")] });
  document.clients.total += 1;
  const errors = checkSemanticRules(document, { expected: { docId: "4f1c2b3a-5d6e-4f70-8a9b-0c1d2e3f4a5b", docVersion: 1 }, now: testNow });
  assert.deepEqual(paths(errors), ["/docId", "/collectedAt", "/clients/byOs", "/clients/byClientBuild", "/sites", "/sites"]);

  const more = makeUsageDocument();
  more.clients.coManaged = more.clients.total + 1;
  more.clients.byOfficeVersion = { "\ud800": 1 };
  assert.deepEqual(paths(checkSemanticRules(more, contextFor(more))), ["/clients/coManaged", "/clients/byOfficeVersion/\ud800"]);
});

test("entraJoined and coManaged: at most clients.total, each reported at its own path", () => {
  const cases: [string, { total: number; entraJoined?: number; coManaged?: number }, string[]][] = [
    ["both absent", { total: 10 }, []],
    ["both equal to the total", { total: 10, entraJoined: 10, coManaged: 10 }, []],
    ["both zero of no clients", { total: 0, entraJoined: 0, coManaged: 0 }, []],
    ["entraJoined one above", { total: 10, entraJoined: 11, coManaged: 10 }, ["/clients/entraJoined"]],
    ["coManaged one above", { total: 10, entraJoined: 0, coManaged: 11 }, ["/clients/coManaged"]],
    ["coManaged alone, of no clients", { total: 0, coManaged: 1 }, ["/clients/coManaged"]],
    ["both at the maximum count over a small total", { total: 1, entraJoined: 1_000_000_000, coManaged: 1_000_000_000 }, ["/clients/entraJoined", "/clients/coManaged"]],
  ];
  for (const [name, clients, expected] of cases) {
    const document = makeUsageDocument();
    delete document.clients.entraJoined;
    delete document.clients.coManaged;
    Object.assign(document.clients, clients);
    assert.deepEqual(paths(checkClientShares(document)), expected, name);
  }
  const over = makeUsageDocument();
  over.clients.entraJoined = over.clients.total + 1;
  assert.match(checkClientShares(over)[0]?.message ?? "", /at most clients\.total \(\d+\)/);
});

test("isWellFormedText: lone surrogates of either half and U+0000 anywhere are refused; pairs and other controls are text", () => {
  const cases: [string, boolean][] = [
    ["", true],
    ["Windows 11 24H2", true],
    ["\u{1F600}", true],
    ["\ud83d\ude00", true],
    ["\udbff\udfff", true],
    ["\u0001\u001f\u007f\ufffd\ufeff\uffff", true],
    ["\ud800", false],
    ["\udc00", false],
    ["a\ud83d", false],
    ["\ude00\ud83d", false],
    ["\ud83d\ud83d\ude00", false],
    ["\u0000", false],
    ["Windows\u0000", false],
    ["\u{1F600}\u0000\u{1F600}", false],
  ];
  for (const [text, expected] of cases) assert.equal(isWellFormedText(text), expected, JSON.stringify(text));
});

test("well-formed text: every offending name is reported at its own RFC 6901 path, and the message holds none of it", () => {
  const document = makeUsageDocument();
  const total = document.clients.total;
  document.clients.byOs = { "Windows 11 24H2": total - 3, "\ud800": 1, "a/b~\ud801": 1, "\u0000": 1 };
  document.clients.byOfficeVersion = { "Office\u0000 2019": 4, "\u{1F600}": 5 };
  const errors = checkWellFormedText(document);
  assert.deepEqual(paths(errors), [
    "/clients/byOs/\ud800",
    "/clients/byOs/a~1b~0\ud801",
    "/clients/byOs/\u0000",
    "/clients/byOfficeVersion/Office\u0000 2019",
  ]);
  const names = [...Object.keys(document.clients.byOs), ...Object.keys(document.clients.byOfficeVersion)];
  for (const error of errors) {
    assert.ok(isWellFormedText(error.message), error.message);
    for (const name of names) assert.ok(!error.message.includes(name.trim() || "-"), `${error.message} holds a name`);
  }
  assert.deepEqual(checkWellFormedText(makeUsageDocument()), []);
});
