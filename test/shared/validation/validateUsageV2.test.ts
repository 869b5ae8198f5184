import { test } from "node:test";
import assert from "node:assert/strict";
import { findDocumentType } from "../../../shared/validation/documentTypes";
import { validateUsageV1 } from "../../../shared/validation/validateUsageV1";
import { validateUsageV2 } from "../../../shared/validation/validateUsageV2";
import { isErrorListNote, type ValidationResult } from "../../../shared/validation/validationResult";
import { loadUsageFixtures, pathDocIdOf } from "../../support/usageFixtures";
import fc from "fast-check";
import { arbitraryUsageV2Document, makeLargestUsageV2Document, makeUsageDocument, makeUsageV2Document, testNow } from "../../../devkit/usageDocuments";

const fixtures = loadUsageFixtures(2);

function pathsOf(result: ValidationResult<unknown>): string[] {
  return result.ok ? [] : result.errors.filter((error) => !isErrorListNote(error)).map((error) => error.path);
}

test("the v2 fixtures' clock is the tests' clock", () => {
  assert.equal(fixtures.now.toISOString(), testNow.toISOString());
});

for (const fixture of fixtures.pass) {
  test(`v2 pass/${fixture.name} is valid, and as valid through the registry`, () => {
    const expected = { docId: pathDocIdOf(fixture.document), docVersion: 2 };
    const result = validateUsageV2(fixture.document, expected, fixtures.now);
    assert.deepEqual(result.ok ? [] : result.errors, []);
    assert.equal(result.ok && result.document, fixture.document, "the document is returned as given, not copied");
    assert.equal(findDocumentType("usage", "2")?.validate(fixture.document, expected, new Date("2031-01-01T00:00:00.000Z")).ok, true);
  });
}

for (const fixture of fixtures.fail) {
  const { expectation } = fixture;
  test(`v2 fail/${fixture.name} fails as ${expectation.kind} at ${JSON.stringify(expectation.paths)}`, () => {
    const result = validateUsageV2(fixture.document, { docId: pathDocIdOf(fixture.document, expectation), docVersion: 2 }, fixtures.now);
    assert.ok(!result.ok);
    assert.equal(result.kind, expectation.kind);
    assert.deepEqual(pathsOf(result), expectation.paths);
    for (const error of result.errors) assert.ok(error.message.length > 0);
  });
}

test("every v2 rule kind has failing fixtures, each new consent part among them", () => {
  const consentPaths = new Set(fixtures.fail.filter((fixture) => fixture.expectation.kind === "consent").flatMap((fixture) => fixture.expectation.paths));
  for (const path of ["/coManagement", "/updates", "/osd", "/features", "/compliance"]) assert.ok(consentPaths.has(path), path);
  assert.ok(fixtures.fail.some((fixture) => fixture.expectation.kind === "invalid"));
});

test("every v1 pass fixture, relabelled as version 2, is a valid v2 document", () => {
  for (const fixture of loadUsageFixtures(1).pass) {
    const document = { ...(fixture.document as Record<string, unknown>), schemaVersion: 2 };
    const result = validateUsageV2(document, { docId: pathDocIdOf(document), docVersion: 2 }, testNow);
    assert.deepEqual(result.ok ? [] : result.errors, [], fixture.name);
  }
});

test("a v1 document carrying v2 parts is judged as v1 always was: invalid (kept), never a consent violation", () => {
  const document = { ...makeUsageDocument({ level: "basic" }), coManagement: { workloads: {} } };
  const result = validateUsageV1(document, { docId: document.docId, docVersion: 1 }, testNow);
  assert.equal(!result.ok && result.kind, "invalid");
  assert.deepEqual(pathsOf(result), ["/coManagement"]);
});

test("a v1-shaped v2 document under the v1 path fails at /schemaVersion, and a v1 document under the v2 path too", () => {
  const v2 = fixtures.pass.find((fixture) => fixture.name === "v1Shaped.json")?.document as { docId: string };
  assert.deepEqual(pathsOf(validateUsageV1(v2, { docId: v2.docId, docVersion: 1 }, testNow)), ["/schemaVersion"]);
  const v1 = makeUsageDocument();
  assert.deepEqual(pathsOf(validateUsageV2(v1, { docId: v1.docId, docVersion: 2 }, testNow)), ["/schemaVersion"]);
});

test("property: every document arbitraryUsageV2Document makes is valid v2", () => {
  fc.assert(
    fc.property(arbitraryUsageV2Document, (document) => {
      const result = validateUsageV2(JSON.parse(JSON.stringify(document)), { docId: document.docId, docVersion: 2 }, testNow);
      assert.deepEqual(result.ok ? [] : result.errors, []);
    }),
    { numRuns: 200 },
  );
});

test("the typical and the largest v2 documents (the benchmark's) are valid", () => {
  for (const document of [makeUsageV2Document(), makeLargestUsageV2Document()]) {
    const result = validateUsageV2(JSON.parse(JSON.stringify(document)), { docId: document.docId, docVersion: 2 }, testNow);
    assert.deepEqual(result.ok ? [] : result.errors, []);
  }
});
