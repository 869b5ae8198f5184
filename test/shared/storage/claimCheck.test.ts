import assert from "node:assert/strict";
import { test } from "node:test";
import fc from "fast-check";
import { ClaimCheckFormatError, decodeClaimCheck, encodeClaimCheck, type ClaimCheck } from "../../../shared/storage/claimCheck";

const claim: ClaimCheck = {
  v: 1,
  docType: "usage",
  docVersion: 1,
  docId: "2c2df836-bbad-431e-99a2-e8638e3ec808",
  blobName: "usage/v1/2c2df836-bbad-431e-99a2-e8638e3ec808.json",
  sha256: "ab".repeat(32),
};

test("a claim check survives the queue's base64 and the host's JSON decoding", () => {
  const text = Buffer.from(encodeClaimCheck(claim), "base64").toString("utf8");
  assert.deepEqual(decodeClaimCheck(JSON.parse(text)), claim);
  assert.deepEqual(decodeClaimCheck(text), claim);
});

test("malformed messages are refused with a readable reason", () => {
  const cases: [unknown, RegExp][] = [
    ["not json", /not JSON/],
    [[1, 2], /not a JSON object/],
    [{ ...claim, v: 2 }, /version/],
    [{ ...claim, docId: 5 }, /docId/],
    [{ ...claim, blobName: undefined }, /blobName/],
  ];
  for (const [message, reason] of cases) {
    assert.throws(() => decodeClaimCheck(message), (e: unknown) => e instanceof ClaimCheckFormatError && reason.test(e.message));
  }
});

test("the wire format stays as claim checks already on the queue carry it", () => {
  const json = `{"v":1,"docType":"usage","docVersion":1,"docId":"${claim.docId}","blobName":"${claim.blobName}","sha256":"${claim.sha256}"}`;
  assert.equal(encodeClaimCheck(claim), Buffer.from(json, "utf8").toString("base64"));
});

test("whatever arrives on the queue decodes or is a ClaimCheckFormatError, never a crash", () => {
  const claimLike = fc.record({ v: fc.constantFrom(1, 2), docType: fc.jsonValue(), docVersion: fc.jsonValue(), docId: fc.jsonValue(), blobName: fc.jsonValue(), sha256: fc.jsonValue() }, { requiredKeys: [] });
  fc.assert(
    fc.property(fc.oneof(fc.jsonValue(), fc.string(), claimLike), (message) => {
      try {
        decodeClaimCheck(message);
      } catch (error) {
        assert.ok(error instanceof ClaimCheckFormatError, String(error));
      }
    }),
  );
});
