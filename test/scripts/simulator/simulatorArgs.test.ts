import assert from "node:assert/strict";
import { test } from "node:test";
import { lastCompleteWeek, parseSimulatorArgs, UsageError } from "../../../scripts/simulator/simulatorArgs";

const now = new Date("2026-11-25T12:00:00Z"); // a Wednesday of 2026-W48

test("weeks end with the last complete week unless --to names one", () => {
  assert.equal(lastCompleteWeek(now), "2026-W47");
  assert.deepEqual(parseSimulatorArgs(["--hierarchies", "3", "--weeks", "3"], {}, now).weeks, ["2026-W45", "2026-W46", "2026-W47"]);
  assert.deepEqual(parseSimulatorArgs(["--hierarchies", "3", "--weeks", "2", "--to", "2026-W01"], {}, now).weeks, ["2025-W52", "2026-W01"]);
});

test("keys and URL: options first, then the simulator's variables, then the service's, then the dev defaults", () => {
  const base = ["--hierarchies", "1", "--weeks", "1"];
  const dev = parseSimulatorArgs(base, {}, now);
  assert.deepEqual([dev.url, dev.ingestKey, dev.queryKey], ["http://localhost:7071", "dev-ingest-key", "dev-query-key"]);
  const service = parseSimulatorArgs(base, { INGEST_KEY: "i", QUERY_KEY: "q" }, now);
  assert.deepEqual([service.ingestKey, service.queryKey], ["i", "q"]);
  const own = parseSimulatorArgs(base, { INGEST_KEY: "i", SIMULATOR_INGEST_KEY: "si", SIMULATOR_QUERY_KEY: "sq", SIMULATOR_URL: "http://h:1/" }, now);
  assert.deepEqual([own.url, own.ingestKey, own.queryKey], ["http://h:1", "si", "sq"]);
  const flags = parseSimulatorArgs([...base, "--key", "k", "--query-key", "qk", "--url", "http://x"], { SIMULATOR_INGEST_KEY: "si" }, now);
  assert.deepEqual([flags.url, flags.ingestKey, flags.queryKey], ["http://x", "k", "qk"]);
});

test("a missing or out-of-range option is a usage error, and a caller's defaults fill what is not given", () => {
  for (const args of [[], ["--hierarchies", "0", "--weeks", "1"], ["--hierarchies", "2", "--weeks", "1", "--offline-share", "1.5"], ["--hierarchies", "2", "--weeks", "1", "--to", "2026-W54"]]) {
    assert.throws(() => parseSimulatorArgs(args, {}, now), UsageError, args.join(" "));
  }
  const load = parseSimulatorArgs(["--hierarchies", "7"], {}, now, { hierarchies: "500", weeks: "20", verify: true });
  assert.equal(load.hierarchies, 7);
  assert.equal(load.weeks.length, 20);
  assert.equal(load.verify, true);
});
