import { test } from "node:test";
import assert from "node:assert/strict";
import { documentTypes, findDocumentType } from "../../../shared/validation/documentTypes";
import { validateUsageV1 } from "../../../shared/validation/validateUsageV1";
import { makeUsageDocument, testNow } from "../../../devkit/usageDocuments";

test('"1" and 1 both find usage v1', () => {
  for (const version of ["1", 1]) {
    const found = findDocumentType("usage", version);
    assert.ok(found !== undefined);
    assert.equal(found.docType, "usage");
    assert.equal(found.docVersion, 1);
    const document = makeUsageDocument();
    assert.deepEqual(found.validate(document, { docId: document.docId, docVersion: 1 }, testNow), validateUsageV1(document, { docId: document.docId, docVersion: 1 }, testNow));
  }
});

test("anything but the canonical spelling finds nothing", () => {
  for (const version of ["01", "1.0", " 1", "1 ", "+1", "1e0", "0x1", "", "0", "-1", "3", "02", "١", 0, -1, 1.5, 3, Number.NaN, Number.POSITIVE_INFINITY]) {
    assert.equal(findDocumentType("usage", version), undefined, JSON.stringify(version));
  }
});

test("unknown document types find nothing, prototype names included", () => {
  for (const docType of ["Usage", "usage ", "", "__proto__", "constructor", "toString", "hasOwnProperty"]) {
    assert.equal(findDocumentType(docType, 1), undefined, docType);
  }
});

test("every registered type validates through the registry", () => {
  assert.ok(documentTypes.length >= 1);
  const document = makeUsageDocument();
  const found = findDocumentType("usage", "1");
  const result = found?.validate(document, { docId: document.docId, docVersion: 1 }, testNow);
  assert.equal(result?.ok, true);
});

test("each docType/docVersion pair is registered once", () => {
  const keys = documentTypes.map((type) => `${type.docType}/${type.docVersion}`);
  assert.equal(new Set(keys).size, keys.length);
});

test('"2" and 2 find usage v2, which judges by version 2\'s rules', () => {
  for (const version of ["2", 2]) {
    const found = findDocumentType("usage", version);
    assert.ok(found !== undefined);
    assert.equal(found.docVersion, 2);
    const document = { ...makeUsageDocument(), schemaVersion: 2 as const };
    assert.equal(found.validate(document, { docId: document.docId, docVersion: 2 }, testNow).ok, true);
    const basicWithOsd = { ...makeUsageDocument({ level: "basic" }), schemaVersion: 2, osd: { taskSequences: 1, stepsByType: {} } };
    const verdict = found.validate(basicWithOsd, { docId: basicWithOsd.docId, docVersion: 2 }, testNow);
    assert.equal(verdict.ok ? "valid" : verdict.kind, "consent");
  }
});
