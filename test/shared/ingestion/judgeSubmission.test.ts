import assert from "node:assert/strict";
import { randomUUID } from "node:crypto";
import { test } from "node:test";
import { ConsentError, NotFoundError, ValidationError } from "../../../shared/errors";
import { canonicalJson } from "../../../shared/ingestion/canonicalJson";
import { sha256Hex } from "../../../shared/sha256Hex";
import { claimOutcome, judgeSubmission, refusalOf, type Submission } from "../../../shared/ingestion/judgeSubmission";
import { makeUsageDocument, testNow } from "../../../devkit/usageDocuments";

function submissionOf(document: Record<string, unknown>, overrides: Partial<Submission> = {}): Submission {
  return { docType: "usage", docVersion: 1, docId: String(document["docId"]), document, ...overrides };
}

const typical = makeUsageDocument({ collectedAt: "2026-11-18T03:00:37.000Z" }) as unknown as Record<string, unknown>;
const clients = typical["clients"] as { total: number };

const table: { name: string; submission: Submission; kind: string; errorAt?: string; error: new (...args: never[]) => Error }[] = [
  { name: "an unknown docType", submission: submissionOf(typical, { docType: "inventory" }), kind: "unknown_type", error: NotFoundError },
  { name: "a docVersion spelled 01", submission: submissionOf(typical, { docVersion: "01" }), kind: "unknown_type", error: NotFoundError },
  { name: "a docId that is not a UUID", submission: submissionOf(typical, { docId: "../x" }), kind: "invalid_doc_id", errorAt: "/docId", error: ValidationError },
  {
    name: "features at basic level",
    submission: submissionOf({ ...typical, level: "basic" }),
    kind: "consent",
    errorAt: "/features",
    error: ConsentError,
  },
  { name: "totals that do not add up", submission: submissionOf({ ...typical, clients: { ...clients, total: clients.total + 1 } }), kind: "invalid", errorAt: "/clients/byOs", error: ValidationError },
  { name: "a docId other than the path's", submission: submissionOf(typical, { docId: randomUUID() }), kind: "invalid", errorAt: "/docId", error: ValidationError },
  { name: "a JSON array", submission: submissionOf(typical, { document: [] }), kind: "invalid", errorAt: "", error: ValidationError },
];

for (const row of table) {
  test(`judges ${row.name}: ${row.kind}, refused as a ${row.error.name}`, () => {
    const verdict = judgeSubmission(row.submission, { now: testNow });
    assert.equal(verdict.kind, row.kind);
    assert.ok(verdict.kind !== "valid");
    const error = refusalOf(verdict);
    assert.ok(error instanceof row.error, `${error.name}: ${error.message}`);
    if (row.errorAt !== undefined) {
      assert.ok(error instanceof ValidationError && error.errors.some((e) => e.path === row.errorAt), JSON.stringify(error));
    }
  });
}

test("a valid document's verdict carries what storing needs: the canonical body, its hash, the hierarchy and the week", () => {
  const reordered = Object.fromEntries(Object.entries(typical).reverse());
  const verdict = judgeSubmission(submissionOf(reordered, { docVersion: "1" }), { now: testNow });
  assert.ok(verdict.kind === "valid", verdict.kind);
  assert.equal(verdict.body, canonicalJson(typical));
  assert.equal(verdict.sha256, sha256Hex(canonicalJson(typical)));
  assert.equal(verdict.hierarchyId, typical["hierarchyId"]);
  assert.equal(verdict.collectedAt, "2026-11-18T03:00:37.000Z");
  assert.equal(verdict.week, "2026-W47");
  assert.equal(verdict.type.docVersion, 1);
});

test("the judgement depends on the clock it is given, and on nothing else", () => {
  const soon = submissionOf({ ...typical, collectedAt: "2026-11-26T12:00:00.000Z" });
  assert.equal(judgeSubmission(soon, { now: testNow }).kind, "valid");
  assert.equal(judgeSubmission(soon, { now: new Date("2026-11-24T12:00:00.000Z") }).kind, "invalid");
  assert.deepEqual(judgeSubmission(soon, { now: testNow }), judgeSubmission(soon, { now: testNow }));
});

test("a docId claim is accepted when raw holds nothing, a duplicate when it holds the same hash, else a conflict", () => {
  assert.equal(claimOutcome("abc", undefined), "accepted");
  assert.equal(claimOutcome("abc", "abc"), "duplicate");
  assert.equal(claimOutcome("abc", "abd"), "conflict");
});
