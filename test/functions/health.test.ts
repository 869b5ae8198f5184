import assert from "node:assert/strict";
import test from "node:test";
import { health } from "../../functions/health";

test("the handler answers from the probe it is given: 200 when storage answers, 503 with Retry-After when not", async () => {
  const up = await health({ check: () => Promise.resolve(true) });
  assert.equal(up.status, 200);
  assert.deepEqual(JSON.parse(up.body as string), { status: "ok" });
  const down = await health({ check: () => Promise.resolve(false) });
  assert.equal(down.status, 503);
  assert.equal(new Headers(down.headers as Record<string, string>).get("retry-after"), "10");
});
