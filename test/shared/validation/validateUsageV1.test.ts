import { test } from "node:test";
import assert from "node:assert/strict";
import { validateUsageV1, type ValidationResult } from "../../../shared/validation/validateUsageV1";
import type { UsageV1 } from "../../../shared/validation/usageV1";
import { isErrorListNote, maxReportedErrors } from "../../../shared/validation/validationResult";
import { loadUsageFixtures, pathDocIdOf } from "../../support/usageFixtures";
import { makeLargestUsageDocument, makeUsageDocument, testNow } from "../../../devkit/usageDocuments";

const fixtures = loadUsageFixtures();

/** Validates a document the way the ingestion code does: JSON text in, parsed, checked. */
function validateText(text: string, docId = "4f1c2b3a-5d6e-4f70-8a9b-0c1d2e3f4a5b"): ValidationResult<UsageV1> {
  return validateUsageV1(JSON.parse(text), { docId, docVersion: 1 }, testNow);
}

function validate(document: unknown): ValidationResult<UsageV1> {
  return validateUsageV1(document, { docId: pathDocIdOf(document), docVersion: 1 }, testNow);
}

/** The paths of the errors, leaving out "only the first is reported"-style notes. */
function pathsOf(result: ValidationResult<UsageV1>): string[] {
  return result.ok ? [] : result.errors.filter((error) => !isErrorListNote(error)).map((error) => error.path);
}

test("the fixtures' clock is the tests' clock", () => {
  assert.equal(fixtures.now.toISOString(), testNow.toISOString());
});

for (const fixture of fixtures.pass) {
  test(`pass/${fixture.name} is valid`, () => {
    const result = validateUsageV1(fixture.document, { docId: pathDocIdOf(fixture.document), docVersion: 1 }, fixtures.now);
    assert.deepEqual(result.ok ? [] : result.errors, []);
    assert.equal(result.ok && result.document, fixture.document, "the document is returned as given, not copied");
  });

  test(`pass/${fixture.name} stays valid as time passes`, () => {
    const muchLater = new Date("2031-01-01T00:00:00.000Z");
    const result = validateUsageV1(fixture.document, { docId: pathDocIdOf(fixture.document), docVersion: 1 }, muchLater);
    assert.equal(result.ok, true);
  });
}

for (const fixture of fixtures.fail) {
  const { expectation } = fixture;
  // JSON.stringify: a path may hold a lone surrogate or U+0000, which a test title must not carry raw.
  test(`fail/${fixture.name} fails as ${expectation.kind} at ${JSON.stringify(expectation.paths)}`, () => {
    const result = validateUsageV1(fixture.document, { docId: pathDocIdOf(fixture.document, expectation), docVersion: 1 }, fixtures.now);
    assert.ok(!result.ok);
    assert.equal(result.kind, expectation.kind);
    assert.deepEqual(pathsOf(result), expectation.paths);
    for (const error of result.errors) assert.ok(error.message.length > 0);
  });
}

for (const fixture of fixtures.withdrawn) {
  const { expectation } = fixture;
  test(`pass/${fixture.name}, withdrawn by a later contract rule, fails as ${expectation.kind} at ${JSON.stringify(expectation.paths)}`, () => {
    assert.ok(expectation.reason.length > 0, "a withdrawal names the rule that made it");
    const result = validateUsageV1(fixture.document, { docId: pathDocIdOf(fixture.document, expectation), docVersion: 1 }, fixtures.now);
    assert.ok(!result.ok);
    assert.equal(result.kind, expectation.kind);
    assert.deepEqual(pathsOf(result), expectation.paths);
  });
}

test("only the pass fixtures the contract has since narrowed are withdrawn", () => {
  assert.deepEqual(
    fixtures.withdrawn.map((fixture) => fixture.name),
    ["unicodeNames.json"],
  );
});

test("every rule has a failing fixture of its own", () => {
  const kinds = new Set(fixtures.fail.map((fixture) => fixture.expectation.kind));
  assert.deepEqual([...kinds].sort(), ["consent", "invalid"]);
  assert.ok(fixtures.fail.length >= 60, `only ${fixtures.fail.length} failing fixtures`);
});

test("consent errors carry no document content", () => {
  const secret = "CONTOSO\\alice";
  const document = { ...makeUsageDocument({ level: "basic" }), features: { [secret]: { enabled: true } }, level: secret };
  const result = validate(document);
  assert.equal(!result.ok && result.kind, "consent");
  assert.ok(!JSON.stringify(result).includes("alice"));
});

test("the typical and the largest generated documents are valid", () => {
  for (const document of [makeUsageDocument(), makeUsageDocument({ level: "basic" }), makeUsageDocument({ level: "full" }), makeLargestUsageDocument()]) {
    const result = validate(JSON.parse(JSON.stringify(document)));
    assert.deepEqual(result.ok ? [] : result.errors, []);
  }
});

test("the largest document is a few hundred KB", () => {
  const bytes = Buffer.byteLength(JSON.stringify(makeLargestUsageDocument()));
  assert.ok(bytes > 200_000 && bytes < 1_000_000, `${bytes} bytes`);
});

test("1e400 (Infinity after JSON.parse) is rejected wherever a number goes", () => {
  const text = JSON.stringify(makeUsageDocument({ docId: "4f1c2b3a-5d6e-4f70-8a9b-0c1d2e3f4a5b" }));
  for (const [field, path] of [
    ['"sizeMb":51858', "/database/sizeMb"],
    ['"runtimeSeconds":264.5', "/collection/runtimeSeconds"],
    ['"total":', "/clients/total"],
  ] as const) {
    const mutated = field.endsWith(":") ? text.replace(/"total":\d+/, '"total":1e400') : text.replace(field, field.replace(/:.*/, ":1e400"));
    assert.notEqual(mutated, text);
    const result = validateText(mutated);
    assert.equal(!result.ok && result.kind, "invalid");
    assert.deepEqual(pathsOf(result), [path]);
  }
  const negative = validateText(text.replace('"sizeMb":51858', '"sizeMb":-1e400'));
  assert.deepEqual(pathsOf(negative), ["/database/sizeMb"]);
});

test("2**53 and other unsafe integers are rejected; 1e9 is the largest count", () => {
  for (const value of [2 ** 53, 2 ** 53 + 2, 1e15, 1_000_000_001]) {
    assert.deepEqual(pathsOf(validate(makeUsageDocument({ docId: "4f1c2b3a-5d6e-4f70-8a9b-0c1d2e3f4a5b", collection: { runtimeSeconds: 1, errors: value } }))), [
      "/collection/errors",
    ]);
  }
  const atMaximum = validate(makeUsageDocument({ collection: { runtimeSeconds: 1, errors: 1_000_000_000 } }));
  assert.equal(atMaximum.ok, true);
});

test("a value of the wrong type is reported at its own path, at every depth", () => {
  const wrongValues: readonly unknown[] = [null, true, "1", 1, [], {}];
  const document = makeUsageDocument({ level: "full" });
  const paths: readonly (readonly (string | number)[])[] = [
    ["schemaVersion"],
    ["product"],
    ["product", "build"],
    ["sites"],
    ["sites", 0],
    ["sites", 0, "roles"],
    ["sites", 0, "roles", 0],
    ["sites", 1, "utcOffsetMinutes"],
    ["database", "alwaysOn"],
    ["clients", "byOs"],
    ["clients", "byOs", "Windows 11 24H2"],
    ["features", "cmPivot"],
    ["features", "cmPivot", "enabled"],
    ["compliance", "endpointProtection"],
    ["compliance", "endpointProtection", "atRisk"],
    ["collection", "runtimeSeconds"],
  ];
  for (const path of paths) {
    for (const wrong of wrongValues) {
      const mutated = structuredClone(document) as unknown as Record<string, unknown>;
      let parent: unknown = mutated;
      for (const segment of path.slice(0, -1)) parent = (parent as Record<string | number, unknown>)[segment];
      const original = (parent as Record<string | number, unknown>)[path[path.length - 1] ?? ""];
      // Only values of another JSON type are wrong; `1` for a count is right.
      if (typeof original === typeof wrong && Array.isArray(original) === Array.isArray(wrong) && (original === null) === (wrong === null)) continue;
      if (typeof original === "number" && typeof wrong === "number") continue;
      (parent as Record<string | number, unknown>)[path[path.length - 1] ?? ""] = wrong;
      const result = validate(mutated);
      const pointer = "/" + path.join("/");
      assert.equal(!result.ok && result.kind, "invalid", `${pointer} = ${JSON.stringify(wrong)}`);
      assert.ok(pathsOf(result).includes(pointer), `${pointer} = ${JSON.stringify(wrong)}: ${JSON.stringify(pathsOf(result))}`);
    }
  }
});

test("deeply nested values are rejected without overflowing the stack", () => {
  const depth = 100_000;
  const deepArray = "[".repeat(depth) + "]".repeat(depth);
  const deepObject = '{"a":'.repeat(depth) + "1" + "}".repeat(depth);
  const text = JSON.stringify(makeUsageDocument({ docId: "4f1c2b3a-5d6e-4f70-8a9b-0c1d2e3f4a5b" }));
  for (const [deep, within] of [
    [deepArray, ""],
    [deepObject, "/a"],
  ] as const) {
    // An array where an object belongs is wrong at that path; an object is missing its required properties.
    assert.deepEqual(pathsOf(validateText(text.replace('"connectionMode":"online"', `"connectionMode":${deep}`))), ["/connectionMode"]);
    assert.deepEqual(pathsOf(validateText(text.replace(/"product":\{[^}]*\}/, `"product":${deep}`))), [within === "" ? "/product" : "/product/version"]);
    assert.deepEqual(pathsOf(validateText(text.replace(/"cmPivot":\{[^}]*\}/, `"cmPivot":${deep}`))), [within === "" ? "/features/cmPivot" : "/features/cmPivot/enabled"]);
    assert.deepEqual(pathsOf(validateText(text.replace('"connectionMode":"online"', `"connectionMode":"online","extra":${deep}`))), ["/extra"]);
  }
});

// A catastrophic (backtracking) pattern would take hours here: the timeout ends such a run
// instead of hanging CI. It is a guard, not a measurement (that is the bench's job).
test("huge strings are rejected, and a huge key is not echoed back", { timeout: 60_000 }, () => {
  const huge = "9".repeat(4 * 1024 * 1024);
  assert.deepEqual(pathsOf(validate(makeUsageDocument({ docId: "4f1c2b3a-5d6e-4f70-8a9b-0c1d2e3f4a5b", hierarchyId: huge }))), ["/hierarchyId"]);
  assert.deepEqual(
    pathsOf(validate(makeUsageDocument({ docId: "4f1c2b3a-5d6e-4f70-8a9b-0c1d2e3f4a5b", database: { sqlVersion: `${huge}.1.1.1`, sqlEdition: "express", sizeMb: 1, alwaysOn: false } }))),
    ["/database/sqlVersion"],
  );

  const document = makeUsageDocument({ docId: "4f1c2b3a-5d6e-4f70-8a9b-0c1d2e3f4a5b" });
  const hugeKey = "K".repeat(1024 * 1024);
  const withHugeOsName = structuredClone(document);
  withHugeOsName.clients.byOs = { ...withHugeOsName.clients.byOs, [hugeKey]: 0 };
  const withHugeUnknown = { ...structuredClone(document), [hugeKey]: 1 };
  for (const [mutated, path] of [
    [withHugeOsName, "/clients/byOs"],
    [withHugeUnknown, ""],
  ] as const) {
    const result = validate(mutated);
    assert.deepEqual(pathsOf(result), [path]);
    assert.ok(JSON.stringify(result.ok ? {} : result.errors).length < 1000);
  }
});

test("names of astral characters are measured in code points, as JSON Schema says", () => {
  const document = makeUsageDocument();
  const total = document.clients.total;
  const emoji128 = "\u{1F600}".repeat(128);
  // 129 characters in 256 code units: short enough to be echoed in the path.
  const emoji129 = "\u{1F600}".repeat(127) + "ab";
  const valid = structuredClone(document);
  valid.clients.byOs = { [emoji128]: total };
  assert.equal(validate(valid).ok, true, "128 emoji are 128 characters (256 UTF-16 code units)");
  const invalid = structuredClone(document);
  invalid.clients.byOs = { [emoji129]: total };
  assert.deepEqual(pathsOf(validate(invalid)), [`/clients/byOs/${emoji129}`]);
});

test("__proto__, constructor and hasOwnProperty are ordinary keys, from JSON text as from objects", () => {
  const document = makeUsageDocument({ docId: "4f1c2b3a-5d6e-4f70-8a9b-0c1d2e3f4a5b" });
  const total = document.clients.total;
  const text = JSON.stringify(document).replace(/"byOs":\{[^}]*\}/, `"byOs":{"__proto__":${total - 2},"constructor":1,"hasOwnProperty":1}`);
  const parsed = JSON.parse(text) as UsageV1;
  assert.deepEqual(Object.keys(parsed.clients.byOs), ["__proto__", "constructor", "hasOwnProperty"]);
  assert.equal(validateText(text).ok, true);

  const tooMany = text.replace(`"__proto__":${total - 2}`, `"__proto__":${total}`);
  assert.deepEqual(pathsOf(validateText(tooMany)), ["/clients/byOs"], "a __proto__ count is summed like any other");

  const atRoot = text.replace('"connectionMode":"online"', '"connectionMode":"online","__proto__":{"level":"full"}');
  assert.deepEqual(pathsOf(validateText(atRoot)), ["/__proto__"], "a __proto__ property is an unknown property, not a prototype");
});

test("errors are capped, with a note saying so", () => {
  const document = makeUsageDocument() as unknown as Record<string, unknown>;
  for (let index = 0; index < 200; index += 1) document[`unknown${index}`] = index;
  const result = validate(document);
  assert.equal(!result.ok && result.kind, "invalid");
  const errors = result.ok ? [] : result.errors;
  assert.equal(errors.length, maxReportedErrors + 1);
  assert.equal(errors[maxReportedErrors]?.path, "");
});

test("a huge invalid document gets its first error without building millions", () => {
  const text = JSON.stringify(makeUsageDocument({ docId: "4f1c2b3a-5d6e-4f70-8a9b-0c1d2e3f4a5b" }));
  const manySites = "[" + Array.from({ length: 400_000 }, () => "{}").join(",") + "]";
  const parsed = JSON.parse(text.replace(/"sites":\[.*?\]\}\]/, `"sites":${manySites}`)) as Record<string, unknown>;
  // Counted, not timed: sizing the document up reads each site once, but checking each of
  // them against the schema (every error listed) would read them many times over.
  let siteReads = 0;
  parsed["sites"] = new Proxy(parsed["sites"] as unknown[], {
    get(target, key, receiver) {
      if (typeof key === "string" && /^\d+$/.test(key)) siteReads += 1;
      return Reflect.get(target, key, receiver) as unknown;
    },
  });
  const result = validate(parsed);
  assert.equal(!result.ok && result.kind, "invalid");
  assert.deepEqual(pathsOf(result), ["/sites"]);
  assert.ok(result.ok ? false : result.errors.some(isErrorListNote));
  assert.ok(siteReads <= 2 * 400_000, `${siteReads} reads of sites`);
});

test("never throws, whatever JSON.parse produced", () => {
  for (const value of [null, 0, -0, "", "usage", true, [], [{}], {}, { level: "full" }, { level: null, features: 1 }, { sites: [null] }, JSON.parse("[[[[[]]]]]")]) {
    const result = validate(value);
    assert.equal(result.ok, false);
  }
});

test("docId and schemaVersion must agree with the path", () => {
  const document = makeUsageDocument();
  assert.deepEqual(pathsOf(validateUsageV1(document, { docId: document.docId.toUpperCase(), docVersion: 1 }, testNow)), ["/docId"]);
  assert.deepEqual(pathsOf(validateUsageV1(document, { docId: document.docId, docVersion: 2 }, testNow)), ["/schemaVersion"]);
});

test("now defaults to the real clock", () => {
  const document = makeUsageDocument({ collectedAt: new Date(Date.now() + 23 * 3_600_000).toISOString() });
  assert.equal(validateUsageV1(document, { docId: document.docId, docVersion: 1 }).ok, true);
  const tooLate = makeUsageDocument({ collectedAt: new Date(Date.now() + 25 * 3_600_000).toISOString() });
  assert.deepEqual(pathsOf(validateUsageV1(tooLate, { docId: tooLate.docId, docVersion: 1 })), ["/collectedAt"]);
});

test("a hash has one spelling: non-zero padding bits in the last Base64 character are refused", () => {
  const doc = makeUsageDocument();
  const canonical = doc.hierarchyId; // from a real SHA-256, so canonical
  const sibling = `${canonical.slice(0, 42)}${String.fromCharCode(canonical.charCodeAt(42) + 1)}=`; // same 32 bytes, other spelling
  assert.equal(Buffer.from(sibling, "base64").equals(Buffer.from(canonical, "base64")), true);
  const result = validateUsageV1({ ...doc, hierarchyId: sibling }, { docId: doc.docId, docVersion: 1 }, testNow);
  assert.ok(!result.ok);
  assert.ok(result.errors.some((e) => e.path === "/hierarchyId"), JSON.stringify(result));
});
