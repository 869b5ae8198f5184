import assert from "node:assert/strict";
import { test } from "node:test";
import { MAP_KEY_SEGMENT, toLoggedPath, UNDECLARED_SEGMENT } from "../../../shared/telemetry/loggedPath";
import { toJsonPointer } from "../../../shared/validation/jsonPointer";
import { makeLargestUsageDocument, prototypeKeys } from "../../../devkit/usageDocuments";

/** The maps of a usage document, named here independently of the schema the code reads. */
const maps = new Set(["/clients/byClientBuild", "/clients/byOs", "/clients/byOfficeVersion", "/features"]);

/** Every node of a JSON value, as the segments that lead to it. */
function* nodesOf(value: unknown, at: (string | number)[] = []): Generator<(string | number)[]> {
  yield at;
  if (Array.isArray(value)) for (const [index, item] of value.entries()) yield* nodesOf(item, [...at, index]);
  else if (typeof value === "object" && value !== null) for (const [key, item] of Object.entries(value)) yield* nodesOf(item, [...at, key]);
}

test("every place in the largest valid document is logged as it is, map keys as placeholders", () => {
  let checked = 0;
  for (const segments of nodesOf(makeLargestUsageDocument())) {
    const expected = segments.map((segment, i) => (maps.has(toJsonPointer(segments.slice(0, i))) ? MAP_KEY_SEGMENT : segment));
    const pointer = toJsonPointer(segments);
    assert.equal(toLoggedPath(pointer), pointer === "" ? "" : `/${expected.map(String).join("/")}`, pointer);
    checked++;
  }
  assert.ok(checked > 5_000, `only ${checked} places`);
});

test("a name the schema does not declare is a placeholder, and nothing below it is logged", () => {
  assert.equal(toLoggedPath("/clients/jane.doe@contoso.com"), `/clients/${UNDECLARED_SEGMENT}`);
  assert.equal(toLoggedPath("/jane.doe@contoso.com/total/0"), `/${UNDECLARED_SEGMENT}`);
  assert.equal(toLoggedPath("/sites/3/jane~1doe/x"), `/sites/3/${UNDECLARED_SEGMENT}`);
  assert.equal(toLoggedPath("/features/cmPivot/jane"), `/features/${MAP_KEY_SEGMENT}/${UNDECLARED_SEGMENT}`);
  assert.equal(toLoggedPath("/product/version/extra"), `/product/version/${UNDECLARED_SEGMENT}`);
  for (const key of prototypeKeys) assert.equal(toLoggedPath(`/${key}`), `/${UNDECLARED_SEGMENT}`, key);
});

test("array indices are kept only in canonical form, and only under arrays", () => {
  assert.equal(toLoggedPath("/sites/249/roles/8"), "/sites/249/roles/8");
  assert.equal(toLoggedPath("/sites/01"), `/sites/${UNDECLARED_SEGMENT}`);
  assert.equal(toLoggedPath("/sites/-1"), `/sites/${UNDECLARED_SEGMENT}`);
  assert.equal(toLoggedPath("/clients/0"), `/clients/${UNDECLARED_SEGMENT}`);
});

test("map keys never show, whatever they hold", () => {
  for (const key of ["Windows 11", "a/b~c", "jane.doe@contoso.com", "", "0", "__proto__"]) {
    assert.equal(toLoggedPath(toJsonPointer(["clients", "byOs", key])), `/clients/byOs/${MAP_KEY_SEGMENT}`, key);
  }
});

test("the root is the root, and what is not a pointer is undeclared", () => {
  assert.equal(toLoggedPath(""), "");
  assert.equal(toLoggedPath("clients"), `/${UNDECLARED_SEGMENT}`);
});
