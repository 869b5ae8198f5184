import assert from "node:assert/strict";
import { test } from "node:test";
import { hashDotnetGuid, toDotnetGuidBytes } from "../../../scripts/simulator/dotnetGuid";

// Printed by .NET 10 itself: Guid.Parse(s).ToByteArray(), then Convert.ToBase64String(SHA256.HashData(bytes)).
// The first GUID is the example of the Guid.ToByteArray documentation.
const dotnetVectors = [
  { guid: "35918bc9-196d-40ea-9779-889d79b753f0", bytes: "C98B91356D19EA409779889D79B753F0", hash: "zeNl0uE7c2+JBzHLLCnkhFPyXhSkFv1RtfjdQBWNNSA=" },
  { guid: "00112233-4455-6677-8899-aabbccddeeff", bytes: "33221100554477668899AABBCCDDEEFF", hash: "7j+TrPRMOucNbwosBdtDxv52b15Le7VcspAWeieS3Ws=" },
];

test("a GUID's bytes are laid out as .NET Guid.ToByteArray() lays them out", () => {
  for (const v of dotnetVectors) assert.equal(toDotnetGuidBytes(v.guid).toString("hex").toUpperCase(), v.bytes, v.guid);
});

test("the hierarchy id is the Base64 SHA-256 that .NET computes over those bytes", () => {
  for (const v of dotnetVectors) {
    assert.equal(hashDotnetGuid(v.guid), v.hash, v.guid);
    assert.equal(hashDotnetGuid(v.guid.toUpperCase()), v.hash, "case does not matter, as in Guid.Parse");
  }
});

test("anything but a GUID's 36-character form is refused", () => {
  for (const text of ["", "35918bc9196d40ea9779889d79b753f0", "{35918bc9-196d-40ea-9779-889d79b753f0}", "35918bc9-196d-40ea-9779-889d79b753fg"]) {
    assert.throws(() => toDotnetGuidBytes(text), RangeError, text);
  }
});
