import assert from "node:assert/strict";
import { test } from "node:test";
import { toHierarchyKey } from "../../../shared/aggregation/hierarchyKey";
import { InvalidParameterError } from "../../../shared/errors";
import { readHierarchyParameter } from "../../../shared/query/hierarchyParameter";

test("the URL form gives back the table key and the id as SCPs send it", () => {
  const hierarchyId = "KNvX+/9v0aBcD1eFgH2iJk3LmN4oPq5RsT6uVw7XyZ8=";
  const key = toHierarchyKey(hierarchyId);
  assert.equal(key, "KNvX-_9v0aBcD1eFgH2iJk3LmN4oPq5RsT6uVw7XyZ8");
  assert.deepEqual(readHierarchyParameter(key), { hierarchyKey: key, hierarchyId });
});

test("anything but 43 Base64url characters is an invalid `id`", () => {
  const valid = "KNvX-_9v0aBcD1eFgH2iJk3LmN4oPq5RsT6uVw7XyZ8";
  for (const bad of [undefined, "", "abc", `${valid}=`, `${valid}A`, valid.slice(1), valid.replace("-", "+"), valid.replace("_", "/"), valid.replace("K", " ")]) {
    assert.throws(() => readHierarchyParameter(bad), (e: unknown) => e instanceof InvalidParameterError && e.parameter === "id", String(bad));
  }
});
