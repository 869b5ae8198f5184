import assert from "node:assert/strict";
import { randomUUID } from "node:crypto";
import { describe, test } from "node:test";
import fc from "fast-check";
import { encodeClaimCheck, type ClaimCheck } from "../../../shared/storage/claimCheck";
import { encodePoisonedMessage, readPoisonMessage } from "../../../shared/storage/poisonedMessage";
import { rawBlobName } from "../../../shared/storage/rawArchive";

const base64 = (text: string): string => Buffer.from(text, "utf8").toString("base64");

function claim(): ClaimCheck {
  const docId = randomUUID();
  return { v: 1, docType: "usage", docVersion: 1, docId, blobName: rawBlobName("usage", docId), sha256: "ab".repeat(32) };
}

describe("encodePoisonedMessage", () => {
  test("what the trigger writes, requeue-poison reads back: the claim check, the reason, the attempts, the time", () => {
    const c = claim();
    const at = new Date("2026-11-25T00:00:00.000Z");
    const text = encodePoisonedMessage({ reason: "PermanentAggregationError: raw document is missing", attempts: 3, message: c }, at);
    assert.deepEqual(readPoisonMessage(text), {
      format: "poisoned",
      reason: "PermanentAggregationError: raw document is missing",
      attempts: 3,
      poisonedAt: at.toISOString(),
      claim: c,
    });
  });

  test("the wire format stays as messages already on the poison queue carry it", () => {
    const c = claim();
    const text = encodePoisonedMessage({ reason: "r", attempts: 1, message: c }, new Date("2026-11-25T00:00:00.000Z"));
    assert.equal(text, base64(`{"poisoned":1,"poisonedAt":"2026-11-25T00:00:00.000Z","reason":"r","attempts":1,"message":${JSON.stringify(c)}}`));
  });

  test("an oversized message is kept in part, its reason whole, and reads as no claim check", () => {
    const huge = { ...claim(), padding: "x".repeat(40_000) };
    const text = encodePoisonedMessage({ reason: "r".repeat(500), attempts: 1, message: huge }, new Date());
    assert.ok(text.length < 64 * 1024, `${text.length} characters`);
    const read = readPoisonMessage(text);
    assert.equal(read.reason, "r".repeat(500));
    assert.ok("problem" in read && /not JSON/.test(read.problem), JSON.stringify(read).slice(0, 200));
  });
});

describe("readPoisonMessage", () => {
  test("reads our format and the bare one, base64 or plain, and names what is wrong otherwise", () => {
    const docId = randomUUID();
    const c: ClaimCheck = { v: 1, docType: "usage", docVersion: 1, docId, blobName: rawBlobName("usage", docId), sha256: "ab".repeat(32) };
    const wrapped = JSON.stringify({ poisoned: 1, reason: "r", attempts: 2, poisonedAt: "2026-11-25T00:00:00.000Z", message: c });
    assert.deepEqual(readPoisonMessage(base64(wrapped)), { format: "poisoned", reason: "r", attempts: 2, poisonedAt: "2026-11-25T00:00:00.000Z", claim: c });
    assert.deepEqual(readPoisonMessage(encodeClaimCheck(c)), { format: "bare", claim: c });
    assert.deepEqual(readPoisonMessage(JSON.stringify(c)), { format: "bare", claim: c }, "a claim check put on the queue without base64");
    const cases: [string, RegExp][] = [
      [base64(JSON.stringify({ ...c, v: 2 })), /unknown claim-check version/],
      [base64(JSON.stringify({ poisoned: 1, reason: "r", attempts: 1, message: `${JSON.stringify(c).slice(0, 20)}… (truncated)` })), /not JSON/],
      [Buffer.from([0xff, 0xfe, 0x7b]).toString("base64"), /not JSON/],
      ["", /not JSON/],
      [base64("[1,2]"), /not a JSON object/],
    ];
    for (const [text, problem] of cases) {
      const read = readPoisonMessage(text);
      assert.ok("problem" in read && problem.test(read.problem), `${text}: ${JSON.stringify(read)}`);
    }
    const read = readPoisonMessage(base64(JSON.stringify({ ...c, sha256: 5 })));
    assert.ok("problem" in read && read.docId === c.docId, "a broken claim check still names its docId");
  });
});

test("readPoisonMessage reports whatever the poison queue holds, never throws on it", () => {
  const text = fc.oneof(
    fc.string(),
    fc.jsonValue().map((v) => base64(JSON.stringify(v))),
    fc.record({ poisoned: fc.constant(1), reason: fc.jsonValue(), attempts: fc.jsonValue(), message: fc.jsonValue() }).map((v) => base64(JSON.stringify(v))),
    fc.uint8Array().map((bytes) => Buffer.from(bytes).toString("base64")),
  );
  fc.assert(
    fc.property(text, (messageText) => {
      const read = readPoisonMessage(messageText);
      assert.ok("claim" in read || typeof read.problem === "string");
    }),
  );
});
