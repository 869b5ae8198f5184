import assert from "node:assert/strict";
import { randomUUID } from "node:crypto";
import { after, before, describe, test } from "node:test";
import { once } from "node:events";
import { createGzip, gzipSync } from "node:zlib";
import { storageNames } from "../../shared/config";
import { dumpStorage, listBlobNames, peekQueue } from "../support/storageScan";
import { INGEST_KEY, QUERY_KEY, post, startTestRuntime, submitPath, type TestRuntime } from "../support/testRuntime";
import { freshDocument } from "../support/freshDocument";
import { loadUsageFixtures, pathDocIdOf } from "../support/usageFixtures";
import { makeUsageDocument } from "../../devkit/usageDocuments";

function submit(t: TestRuntime, doc: Record<string, unknown>, headers: Record<string, string> = {}) {
  return post(t.url, submitPath(String(doc["docId"])), JSON.stringify(doc), headers);
}

describe("POST /api/v1/submit against Azurite", () => {
  let t: TestRuntime;
  before(async () => {
    // Aggregation is not under test here; keep the claim checks on the queue to inspect them.
    t = await startTestRuntime({ RATE_LIMIT_PER_HOUR: "1000" }, { runQueueTriggers: false });
  });
  after(async () => t.close());

  test("a new valid document is stored, queued and answered 202", async () => {
    const doc = freshDocument();
    const response = await submit(t, doc);
    assert.equal(response.status, 202);
    assert.equal(response.json["status"], "accepted");
    assert.equal(response.json["docId"], doc["docId"]);
    assert.ok(!Number.isNaN(Date.parse(String(response.json["receivedAt"]))));
    assert.ok((await listBlobNames(t.azurite.connectionString, storageNames.rawContainer)).includes(`usage/${String(doc["docId"])}.json`));
    const messages = await peekQueue(t.azurite.connectionString, storageNames.ingestQueue);
    assert.ok(messages.some((m) => (m as { docId: string }).docId === doc["docId"]));
  });

  test("the same document again is a 200 duplicate, whatever its key order, spacing or encoding, and is queued again", async () => {
    const doc = freshDocument();
    assert.equal((await submit(t, doc)).status, 202);
    const reordered = Object.fromEntries(Object.entries(doc).reverse());
    const again = await post(t.url, submitPath(String(doc["docId"])), JSON.stringify(reordered, null, 2));
    assert.equal(again.status, 200);
    assert.deepEqual(again.json, { docId: doc["docId"], status: "duplicate" });
    const gzipped = await post(t.url, submitPath(String(doc["docId"])), gzipSync(JSON.stringify(doc)), { "content-encoding": "gzip" });
    assert.equal(gzipped.status, 200);
    const messages = await peekQueue(t.azurite.connectionString, storageNames.ingestQueue);
    assert.equal(messages.filter((m) => (m as { docId: string }).docId === doc["docId"]).length, 3);
  });

  test("a different document under a used docId is a 409, whatever differs", async () => {
    const doc = freshDocument();
    assert.equal((await submit(t, doc)).status, 202);
    const laterDate = { ...doc, collectedAt: "2026-10-01T03:00:00.000Z" };
    const conflict = await submit(t, laterDate);
    assert.equal(conflict.status, 409);
    assert.equal(conflict.headers.get("content-type"), "application/problem+json");
    assert.equal(conflict.json["docId"], doc["docId"]);
    assert.equal(conflict.json["status"], 409);
  });

  test("a docId is one document across versions: the same docId under /usage/1 and /usage/2 is a 409, in either order, and claims one blob", async () => {
    for (const [firstVersion, secondVersion] of [["1", "2"], ["2", "1"]] as const) {
      const v1 = freshDocument();
      const docId = String(v1["docId"]);
      const twins = { "1": v1, "2": { ...v1, schemaVersion: 2 } };
      const first = await post(t.url, submitPath(docId, "usage", firstVersion), JSON.stringify(twins[firstVersion]));
      assert.equal(first.status, 202, `v${firstVersion} first`);
      const second = await post(t.url, submitPath(docId, "usage", secondVersion), JSON.stringify(twins[secondVersion]));
      assert.equal(second.status, 409, `v${secondVersion} after v${firstVersion}: ${JSON.stringify(second.json)}`);
      assert.equal(second.json["docId"], docId);
      // The first document is still the docId's one blob, and the version it was sent as is still answered a duplicate.
      assert.equal((await post(t.url, submitPath(docId, "usage", firstVersion), JSON.stringify(twins[firstVersion]))).status, 200);
      const raw = await listBlobNames(t.azurite.connectionString, storageNames.rawContainer);
      assert.deepEqual(raw.filter((name) => name.includes(docId)), [`usage/${docId}.json`]);
    }
  });

  test("a docId claims one blob whatever its letter case", async () => {
    const upper = freshDocument();
    upper["docId"] = String(upper["docId"]).toUpperCase();
    assert.equal((await submit(t, upper)).status, 202);
    const names = await listBlobNames(t.azurite.connectionString, storageNames.rawContainer);
    assert.ok(names.includes(`usage/${String(upper["docId"]).toLowerCase()}.json`));
    const lower = { ...upper, docId: String(upper["docId"]).toLowerCase() };
    assert.equal((await submit(t, lower)).status, 409);
  });

  test("twenty concurrent submissions of one docId give exactly one 202 and nineteen duplicates", async () => {
    const doc = freshDocument();
    const responses = await Promise.all(Array.from({ length: 20 }, () => submit(t, doc)));
    const statuses = responses.map((r) => r.status).sort();
    assert.equal(statuses.filter((s) => s === 202).length, 1);
    assert.equal(statuses.filter((s) => s === 200).length, 19);
  });

  test("twenty concurrent different documents under one docId give one 202 and nineteen 409s", async () => {
    const docId = randomUUID();
    const docs = Array.from({ length: 20 }, (_, i) => freshDocument({ docId, collection: { runtimeSeconds: i, errors: 0 } }));
    const responses = await Promise.all(docs.map((doc) => submit(t, doc)));
    const statuses = responses.map((r) => r.status);
    assert.equal(statuses.filter((s) => s === 202).length, 1);
    assert.equal(statuses.filter((s) => s === 409).length, 19);
  });

  test("an invalid document is a 400 with JSON Pointer errors and is kept among rejected documents", async () => {
    const doc = freshDocument();
    const clients = doc["clients"] as Record<string, unknown>;
    const broken = { ...doc, clients: { ...clients, total: Number(clients["total"]) + 1 } };
    const response = await submit(t, broken);
    assert.equal(response.status, 400);
    const errors = response.json["errors"] as { path: string; message: string }[];
    assert.ok(errors.some((e) => e.path.startsWith("/clients")), JSON.stringify(errors));
    const rejected = await listBlobNames(t.azurite.connectionString, storageNames.rejectedContainer);
    assert.ok(rejected.includes(`usage/v1/${String(doc["docId"])}.json`));
    // Tagged with its hierarchy, so that a deletion request finds it.
    const found: string[] = [];
    const container = t.runtime.services.clients.blobService.getContainerClient(storageNames.rejectedContainer);
    for await (const blob of container.findBlobsByTags(`hierarchyId = '${String(doc["hierarchyId"])}'`)) found.push(blob.name);
    assert.deepEqual(found, [`usage/v1/${String(doc["docId"])}.json`]);
    assert.ok(!(await listBlobNames(t.azurite.connectionString, storageNames.rawContainer)).includes(`usage/${String(doc["docId"])}.json`));
  });

  test("a consent violation is a 400 and leaves no trace in storage or logs", async () => {
    // A runtime of its own, so that its storage starts empty and every blob, message and
    // entity in it afterwards can be listed: there must be none at all.
    const own = await startTestRuntime({}, { runQueueTriggers: false });
    try {
      const marker = "Consent Trap OS 7f3a";
      const doc = freshDocument({ level: "basic", features: { cmPivot: { enabled: true, uses: 424242 } } });
      const clients = doc["clients"] as { total: number; byOs: Record<string, number> };
      const entries = Object.entries(clients.byOs);
      // Rename the first OS to the marker, keeping its count so the totals still agree.
      doc["clients"] = { ...clients, byOs: Object.fromEntries([[marker, entries[0]![1]], ...entries.slice(1)]) };
      const response = await submit(own, doc);
      assert.equal(response.status, 400);
      assert.match(String(response.json["type"]), /consent/);
      const batch = await post(own.url, "/api/v1/batch", JSON.stringify({ docType: "usage", docVersion: 1, docId: doc["docId"], document: doc }), {
        "content-type": "application/x-ndjson",
      });
      assert.equal((batch.json["results"] as { status: string }[])[0]?.status, "invalid");
      assert.deepEqual(await dumpStorage(own.azurite.connectionString), []);
      const logs = own.logs.join("\n");
      assert.ok(logs.includes('"outcome":"consent"'), "the outcome was not logged");
      for (const needle of [String(doc["hierarchyId"]), marker, "424242", "cmPivot"]) assert.ok(!logs.includes(needle), `logs hold ${needle}`);
    } finally {
      await own.close();
    }
  });

  for (const [name, body, expectedPath] of [
    ["malformed JSON", '{"schemaVersion": 1,', ""],
    ["a JSON array", "[]", ""],
    ["1e400 as a count", null, "/clients/total"],
    ["an unsafe integer", null, "/clients/total"],
  ] as const) {
    test(`${name} is a 400 with a path`, async () => {
      const doc = freshDocument();
      let text: string = body ?? "";
      if (name === "1e400 as a count") text = JSON.stringify(doc).replace(/"total":\d+/, '"total":1e400');
      if (name === "an unsafe integer") text = JSON.stringify(doc).replace(/"total":\d+/, `"total":${2 ** 53}`);
      const response = await post(t.url, submitPath(String(doc["docId"])), text);
      assert.equal(response.status, 400);
      const errors = response.json["errors"] as { path: string }[];
      assert.ok(errors.some((e) => e.path === expectedPath), JSON.stringify(errors));
    });
  }

  test("invalid UTF-8 is a 400", async () => {
    const doc = freshDocument();
    const bytes = Buffer.from(JSON.stringify(doc).replace("Windows", "Windows\u0001"));
    bytes[bytes.indexOf(0x01)] = 0xc3; // a lead byte with no continuation
    const response = await post(t.url, submitPath(String(doc["docId"])), bytes);
    assert.equal(response.status, 400);
    assert.match(JSON.stringify(response.json["errors"]), /UTF-8/);
  });

  test("100,000 levels of nesting are a 400, not a crash", async () => {
    const docId = randomUUID();
    const deep = `${"[".repeat(100_000)}${"]".repeat(100_000)}`;
    const response = await post(t.url, submitPath(docId), `{"schemaVersion":1,"docId":"${docId}","x":${deep}}`);
    assert.equal(response.status, 400);
  });

  test("__proto__, constructor and hasOwnProperty are ordinary OS names", async () => {
    const doc = freshDocument();
    const clients = doc["clients"] as { total: number; byOs: Record<string, number> };
    const total = clients.total;
    const third = Math.floor(total / 3);
    const text = JSON.stringify({ ...doc, clients: { ...clients, byOs: {} } }).replace(
      '"byOs":{}',
      `"byOs":{"__proto__":${third},"constructor":${third},"hasOwnProperty":${total - 2 * third}}`,
    );
    const response = await post(t.url, submitPath(String(doc["docId"])), text);
    assert.equal(response.status, 202, JSON.stringify(response.json));
    const stored = (await dumpStorage(t.azurite.connectionString)).find((line) => line.includes(`raw/usage/${String(doc["docId"])}`));
    assert.ok(stored?.includes('"__proto__":'));
  });

  test("unknown docType or docVersion is a 404 problem", async () => {
    const doc = freshDocument();
    for (const [type, version] of [["inventory", "1"], ["usage", "3"], ["usage", "02"], ["usage", "01"]] as const) {
      const response = await post(t.url, submitPath(String(doc["docId"]), type, version), JSON.stringify(doc));
      assert.equal(response.status, 404, `${type}/${version}`);
      assert.equal(response.headers.get("content-type"), "application/problem+json");
    }
  });

  test("version 2: every v2 pass fixture is a 202 under /usage/2 and stored by its docId, each fail fixture a 400 at its paths; a v2 document under /usage/1 is a 400", async () => {
    const fixtures = loadUsageFixtures(2);
    for (const fixture of fixtures.pass) {
      const docId = pathDocIdOf(fixture.document);
      const response = await post(t.url, submitPath(docId, "usage", "2"), fixture.text);
      assert.equal(response.status, 202, `${fixture.name}: ${JSON.stringify(response.json)}`);
      assert.ok((await listBlobNames(t.azurite.connectionString, storageNames.rawContainer)).includes(`usage/${docId}.json`), fixture.name);
    }
    for (const fixture of fixtures.fail) {
      const response = await post(t.url, submitPath(pathDocIdOf(fixture.document, fixture.expectation), "usage", "2"), fixture.text);
      assert.equal(response.status, 400, fixture.name);
      assert.deepEqual((response.json["errors"] as { path: string }[]).map((e) => e.path), fixture.expectation.paths, fixture.name);
      if (fixture.expectation.kind === "consent") assert.match(String(response.json["type"]), /consent/, fixture.name);
    }
    const v2 = { ...freshDocument(), schemaVersion: 2 };
    const underV1 = await submit(t, v2);
    assert.equal(underV1.status, 400);
    assert.deepEqual((underV1.json["errors"] as { path: string }[]).map((e) => e.path), ["/schemaVersion"]);
  });

  test("version 2: a consent violation (osd at basic) is a 400 by submit and batch alike, and leaves no trace in storage", async () => {
    const own = await startTestRuntime({}, { runQueueTriggers: false });
    try {
      const doc: Record<string, unknown> = { ...makeUsageDocument({ level: "basic" }), docId: randomUUID(), schemaVersion: 2, osd: { taskSequences: 4, stepsByType: { ApplyOperatingSystem: 4 } } };
      const response = await post(own.url, submitPath(String(doc["docId"]), "usage", "2"), JSON.stringify(doc));
      assert.equal(response.status, 400);
      assert.match(String(response.json["type"]), /consent/);
      assert.deepEqual((response.json["errors"] as { path: string }[]).map((e) => e.path), ["/osd"]);
      const batch = await post(own.url, "/api/v1/batch", JSON.stringify({ docType: "usage", docVersion: 2, docId: doc["docId"], document: doc }), {
        "content-type": "application/x-ndjson",
      });
      assert.equal((batch.json["results"] as { status: string }[])[0]?.status, "invalid");
      assert.deepEqual(await dumpStorage(own.azurite.connectionString), []);
      // The same parts in a valid v2 document at enhanced: a batch line of version 2 is accepted.
      const enhanced = { ...doc, docId: randomUUID(), level: "enhanced" };
      const accepted = await post(own.url, "/api/v1/batch", JSON.stringify({ docType: "usage", docVersion: 2, docId: enhanced["docId"], document: enhanced }), {
        "content-type": "application/x-ndjson",
      });
      assert.equal((accepted.json["results"] as { status: string }[])[0]?.status, "accepted");
    } finally {
      await own.close();
    }
  });

  test("a docId that is not a UUID is a 400", async () => {
    const response = await post(t.url, submitPath("not-a-uuid"), JSON.stringify(freshDocument()));
    assert.equal(response.status, 400);
  });

  test("other content types, charsets and encodings are 415s", async () => {
    const doc = freshDocument();
    const body = JSON.stringify(doc);
    const refused: Record<string, string>[] = [
      { "content-type": "text/plain" },
      { "content-type": "application/json; charset=iso-8859-1" },
      { "content-type": "application/json", "content-encoding": "br" },
    ];
    for (const headers of refused) {
      const response = await post(t.url, submitPath(String(doc["docId"])), body, headers);
      assert.equal(response.status, 415, JSON.stringify(headers));
    }
    const ok = await post(t.url, submitPath(String(doc["docId"])), body, { "content-type": "application/json; charset=UTF-8" });
    assert.equal(ok.status, 202);
  });

  test("over 2 MiB on the wire or 8 MiB decompressed is a 413 naming the limit", async () => {
    const docId = randomUUID();
    const wire = await post(t.url, submitPath(docId), Buffer.alloc(3 * 1024 * 1024, 0x20));
    assert.equal(wire.status, 413);
    assert.match(String(wire.json["detail"]), /2 MiB/);
    const inflated = await post(t.url, submitPath(docId), gzipSync(Buffer.alloc(9 * 1024 * 1024, 0x20)), { "content-encoding": "gzip" });
    assert.equal(inflated.status, 413);
    assert.match(String(inflated.json["detail"]), /8 MiB/);
  });

  test("a 200 MB gzip bomb is stopped at the limit with bounded memory", async () => {
    // Built from one reused 1 MiB buffer, so that no 200 MB buffer exists to be collected
    // mid-request and hide what the request itself allocated.
    const gzip = createGzip({ level: 9 });
    const parts: Buffer[] = [];
    gzip.on("data", (chunk: Buffer) => parts.push(chunk));
    const ended = once(gzip, "end");
    const spaces = Buffer.alloc(1024 * 1024, 0x20);
    for (let i = 0; i < 200; i++) if (!gzip.write(spaces)) await once(gzip, "drain");
    gzip.end();
    await ended;
    const bomb = Buffer.concat(parts);
    assert.ok(bomb.length < 1024 * 1024, `bomb is ${bomb.length} bytes on the wire`);
    const before = process.memoryUsage().rss;
    const response = await post(t.url, submitPath(randomUUID()), bomb, { "content-encoding": "gzip" });
    const grown = process.memoryUsage().rss - before;
    assert.equal(response.status, 413);
    // Inflating it whole would take 200 MB; the limit is 8 MiB plus buffers.
    assert.ok(grown < 64 * 1024 * 1024, `rss grew by ${grown} bytes`);
  });

  test("keys: none, a wrong one, or the query key is a 401; ?code= works", async () => {
    const doc = freshDocument();
    const body = JSON.stringify(doc);
    for (const key of [undefined, "wrong", QUERY_KEY]) {
      const response = await fetch(`${t.url}${submitPath(String(doc["docId"]))}`, {
        method: "POST",
        headers: { "content-type": "application/json", ...(key === undefined ? {} : { "x-functions-key": key }) },
        body,
      });
      assert.equal(response.status, 401, String(key));
    }
    const viaCode = await fetch(`${t.url}${submitPath(String(doc["docId"]))}?code=${INGEST_KEY}`, {
      method: "POST",
      headers: { "content-type": "application/json" },
      body,
    });
    assert.equal(viaCode.status, 202);
  });

  test("every submission records exactly one outcome", async () => {
    const counts = () => t.runtime.services.telemetry.outcomeCounts();
    const before = counts();
    const doc = freshDocument();
    await submit(t, doc);
    await submit(t, doc);
    await submit(t, { ...doc, collectedAt: "2026-10-02T00:00:00.000Z" });
    await post(t.url, submitPath(randomUUID()), "{");
    await post(t.url, submitPath(randomUUID()), "{}", { "content-type": "text/plain" });
    const after = counts();
    const delta = Object.fromEntries(Object.entries(after).map(([k, v]) => [k, v - before[k as keyof typeof before]]));
    assert.deepEqual(delta, { accepted: 1, duplicate: 1, conflict: 1, invalid: 1, consent: 0, too_large: 0, unsupported: 1, rate_limited: 0, timed_out: 0, unavailable: 0 });
    assert.ok(t.logs.some((line) => line.includes('"event":"submission"') && line.includes('"outcome":"conflict"')));
  });

  test("a garbled Host header does not trouble routing", async () => {
    const { request } = await import("node:http");
    const status = await new Promise<number>((resolve, reject) => {
      const url = new URL(`${t.url}/api/health`);
      request({ host: url.hostname, port: url.port, path: "/api/health", headers: { host: "a b" } }, (res) => {
        res.resume();
        resolve(res.statusCode ?? 0);
      })
        .on("error", reject)
        .end();
    });
    assert.equal(status, 200);
  });

  test("GET /api/health answers 200 without a key", async () => {
    const response = await fetch(`${t.url}/api/health`);
    assert.equal(response.status, 200);
    assert.deepEqual(await response.json(), { status: "ok" });
  });
});

describe("POST /api/v1/submit and the per-hierarchy rate limit", () => {
  let t: TestRuntime;
  before(async () => {
    t = await startTestRuntime({ RATE_LIMIT_PER_HOUR: "3" }, { runQueueTriggers: false });
  });
  after(async () => t.close());

  function junk(hierarchyId: string): Record<string, unknown> {
    const doc = freshDocument();
    const clients = doc["clients"] as Record<string, unknown>;
    return { ...doc, hierarchyId, clients: { ...clients, total: Number(clients["total"]) + 1 } };
  }

  test("invalid documents naming a victim's hierarchyId spend none of its budget; its valid documents over the limit get 429 with Retry-After", async () => {
    const victim = String(freshDocument()["hierarchyId"]);
    for (let i = 0; i < 10; i++) {
      const response = await submit(t, junk(victim));
      assert.equal(response.status, 400, `junk ${i + 1}`);
      assert.ok((response.json["errors"] as { path: string }[]).some((e) => e.path.startsWith("/clients")));
    }
    for (let i = 0; i < 3; i++) assert.equal((await submit(t, freshDocument({ hierarchyId: victim }))).status, 202, `valid ${i + 1}`);
    const limited = await submit(t, freshDocument({ hierarchyId: victim }));
    assert.equal(limited.status, 429);
    assert.match(String(limited.json["type"]), /rate-limited/);
    const retryAfter = Number(limited.headers.get("retry-after"));
    assert.ok(retryAfter > 0 && retryAfter <= 3600, `Retry-After ${retryAfter}`);
  });
});

describe("POST /api/v1/submit and the budget of invalid documents (RATE_LIMIT_INVALID_PER_HOUR)", () => {
  let t: TestRuntime;
  before(async () => {
    t = await startTestRuntime({ RATE_LIMIT_INVALID_PER_HOUR: "2" }, { runQueueTriggers: false });
  });
  after(async () => t.close());

  test("invalid documents past the setting are still answered 400 with their errors, but are no longer kept", async () => {
    const docIds: string[] = [];
    for (let i = 0; i < 4; i++) {
      const doc = freshDocument();
      const clients = doc["clients"] as Record<string, unknown>;
      docIds.push(String(doc["docId"]));
      const response = await submit(t, { ...doc, clients: { ...clients, total: Number(clients["total"]) + 1 } });
      assert.equal(response.status, 400, `invalid ${i + 1}`);
      assert.ok((response.json["errors"] as { path: string }[]).some((e) => e.path.startsWith("/clients")));
    }
    const kept = await listBlobNames(t.azurite.connectionString, storageNames.rejectedContainer);
    assert.deepEqual(docIds.map((docId) => kept.includes(`usage/v1/${docId}.json`)), [true, true, false, false]);
  });
});
