import assert from "node:assert/strict";
import { test } from "node:test";
import fc from "fast-check";
import { fromHierarchyKey, ROLLUP_SHARDS, shardOf, toHierarchyKey } from "../../../shared/aggregation/hierarchyKey";
import { arbitraryBase64Sha256 } from "../../../devkit/usageDocuments";

test("Base64 ids and their Base64url keys convert both ways; keys hold no character tables or URLs refuse", () => {
  assert.equal(toHierarchyKey("ZHaK//CyE84i278qe4puf7AxsHJifTTnnaqeLMlO9lE="), "ZHaK__CyE84i278qe4puf7AxsHJifTTnnaqeLMlO9lE");
  fc.assert(
    fc.property(arbitraryBase64Sha256, (id) => {
      const key = toHierarchyKey(id);
      assert.match(key, /^[A-Za-z0-9_-]{43}$/);
      assert.equal(fromHierarchyKey(key), id);
      const shard = shardOf(key);
      assert.ok(Number.isInteger(shard) && shard >= 0 && shard < ROLLUP_SHARDS);
    }),
  );
});

test("anything else is not a hierarchy key", () => {
  for (const bad of ["", "short", "ZHaK//CyE84i278qe4puf7AxsHJifTTnnaqeLMlO9lE", "ZHaK__CyE84i278qe4puf7AxsHJifTTnnaqeLMlO9lE=", `${"A".repeat(42)}!`]) {
    assert.equal(fromHierarchyKey(bad), undefined, bad);
  }
  assert.throws(() => toHierarchyKey("not base64"), RangeError);
});
