import assert from "node:assert/strict";
import { closeSync, mkdtempSync, openSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { test } from "node:test";
import { setImmediate as nextTurn } from "node:timers/promises";
import { bufferedLines } from "../../local/bufferedLog";

test("the lines of one turn are written together at its end, in order; a burst past 64 KiB is written at once", async () => {
  const dir = mkdtempSync(join(tmpdir(), "buffered-log-"));
  const file = join(dir, "out.txt");
  const fd = openSync(file, "w");
  try {
    const line = bufferedLines(fd);
    line("one");
    line("two");
    assert.equal(readFileSync(file, "utf8"), "", "nothing is written during the turn");
    await nextTurn();
    assert.equal(readFileSync(file, "utf8"), "one\ntwo\n");
    const long = "x".repeat(40 * 1024);
    line(long);
    line(long);
    assert.equal(readFileSync(file, "utf8"), `one\ntwo\n${long}\n${long}\n`, "past the limit the held lines are written without waiting");
  } finally {
    closeSync(fd);
    rmSync(dir, { recursive: true, force: true });
  }
});
