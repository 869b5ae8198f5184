import { test } from "node:test";
import assert from "node:assert/strict";
import { checkConsent } from "../../../shared/validation/checkConsent";

const features = { cmPivot: { enabled: true } };
const compliance = { softwareUpdateCompliancePercent: 90, scanSuccessPercent: 99 };

function paths(value: unknown): string[] {
  return checkConsent(value).map((error) => error.path);
}

test("each level admits what it consented to", () => {
  assert.deepEqual(paths({ level: "basic" }), []);
  assert.deepEqual(paths({ level: "enhanced", features }), []);
  assert.deepEqual(paths({ level: "full", features, compliance }), []);
});

test("features need enhanced; compliance needs full", () => {
  assert.deepEqual(paths({ level: "basic", features }), ["/features"]);
  assert.deepEqual(paths({ level: "basic", compliance }), ["/compliance"]);
  assert.deepEqual(paths({ level: "enhanced", compliance }), ["/compliance"]);
  assert.deepEqual(paths({ level: "basic", features, compliance }), ["/features", "/compliance"]);
});

test("a level that cannot be read counts as basic", () => {
  for (const level of [undefined, null, 2, "Enhanced", "FULL", " full", ["full"], { full: true }]) {
    const document = level === undefined ? { features, compliance } : { level, features, compliance };
    assert.deepEqual(paths(document), ["/features", "/compliance"], JSON.stringify(level));
  }
});

test("presence is what counts, whatever the value", () => {
  for (const value of [{}, null, [], 0, "", false]) {
    assert.deepEqual(paths({ level: "basic", features: value }), ["/features"]);
    assert.deepEqual(paths({ level: "enhanced", compliance: value }), ["/compliance"]);
  }
});

test("only own properties count; a prototype's level grants nothing", () => {
  const inherited = Object.create({ level: "full" }) as Record<string, unknown>;
  inherited.features = features;
  assert.deepEqual(paths(inherited), ["/features"]);
  const parsed = JSON.parse('{"__proto__": {"level": "full"}, "features": {}}') as unknown;
  assert.deepEqual(paths(parsed), ["/features"]);
});

test("values that are not objects carry nothing to check", () => {
  for (const value of [null, undefined, 1, "features", true, [], [{ level: "basic", features }]]) {
    assert.deepEqual(paths(value), []);
  }
});

test("messages are fixed: they never echo the document", () => {
  const secret = "CONTOSO\\alice";
  const errors = checkConsent({ level: secret, features: { [secret]: secret }, compliance: secret, [secret]: secret });
  assert.equal(errors.length, 2);
  assert.ok(!JSON.stringify(errors).includes("alice"));
  assert.deepEqual(checkConsent({ level: "basic", features: 1 }), checkConsent({ features: { other: 2 } }));
});

test("errors are fresh objects, so callers may change them", () => {
  const first = checkConsent({ features });
  (first[0] as { message: string }).message = "changed";
  assert.notEqual(checkConsent({ features })[0]?.message, "changed");
});
