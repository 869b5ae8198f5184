import assert from "node:assert/strict";
import { test } from "node:test";
import { heapLimitFlag } from "../../shared/heapLimit";
import { describeHeapLimit } from "../../local/startHeapLimit";

const MiB = 1024 * 1024;

test("a limit given on the command line is named, with the limit V8 reports", () => {
  assert.equal(describeHeapLimit([heapLimitFlag], undefined, 688 * MiB), `V8 heap limit 688 MiB (${heapLimitFlag})`);
});

test("a limit given in NODE_OPTIONS, in either spelling, counts as given", () => {
  assert.equal(describeHeapLimit([], "--enable-source-maps --max_old_space_size=900", 948 * MiB), "V8 heap limit 948 MiB (NODE_OPTIONS)");
});

test("without one, the line says that V8's default applies and what npm start gives", () => {
  const line = describeHeapLimit(["--enable-source-maps"], "--max-semi-space-size=16", 4144 * MiB);
  assert.match(line, /^V8 heap limit 4144 MiB, V8's default: /);
  assert.ok(line.includes(heapLimitFlag), line);
});
