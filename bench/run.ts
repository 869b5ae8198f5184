/**
 * `npm run bench`: every benchmark, one after the other in one run, each comparing the
 * service against its floor side by side, printed as plain text. Figures, never verdicts:
 * nothing here fails on a slow number; the run exits non-zero only if a stage throws.
 *
 *   npm run bench [-- [--only d,f] [--seed-10k] [--races]]
 *
 * `--only` runs the named stages alone (letters as in the report).
 * `--seed-10k` fills the query benchmark's week with the storage classes instead of through
 * aggregateDocument (the real path, which takes a minute or more on Azurite).
 * `--races` makes (f) measure the ETag race shares alone (`--only f --races`).
 */
import { execFileSync } from "node:child_process";
import { cpus, totalmem } from "node:os";
import { parseArgs } from "node:util";
import { projectRoot } from "../local/hostSettings";
import { benchAggregationRoundTrips, benchAggregationThroughput } from "./aggregationBench";
import { benchIngestionThroughput, benchStorageRequests } from "./ingestionBench";
import { fmt, secondsSince } from "./measure";
import { benchMemory } from "./memoryBench";
import { benchStagedPackage } from "./packageBench";
import { benchQueryLatency, benchRaceShares } from "./queryBench";
import { benchValidation } from "./validationBench";

interface Stage {
  name: string;
  run: () => Promise<string[]>;
}

function describeCheckout(): string {
  try {
    const git = (...args: string[]) => execFileSync("git", args, { cwd: projectRoot(), encoding: "utf8", stdio: ["ignore", "pipe", "ignore"] }).trim();
    const dirty = git("status", "--porcelain").length > 0 ? " with uncommitted changes" : "";
    return `${git("rev-parse", "--short", "HEAD")}${dirty}`;
  } catch {
    return "unknown (not a git checkout)";
  }
}

async function main(): Promise<number> {
  const { values } = parseArgs({ options: { "seed-10k": { type: "boolean", default: false }, races: { type: "boolean", default: false }, only: { type: "string" } } });
  const all: Stage[] = [
    {
      name: "(a) validation",
      run: async () => {
        const result = await benchValidation();
        return [`(a) ${result.name} (target <= 1.5x):`, ...result.lines.map((line) => `    ${line}`)];
      },
    },
    { name: "(b) ingestion throughput", run: benchIngestionThroughput },
    { name: "(c) storage requests per submission", run: benchStorageRequests },
    { name: "(d) aggregation throughput", run: benchAggregationThroughput },
    { name: "(e) storage requests per aggregated document", run: benchAggregationRoundTrips },
    { name: "(f) query latency", run: () => (values.races ? benchRaceShares() : benchQueryLatency({ populate: values["seed-10k"] ? "seed" : "aggregate" })) },
    { name: "(g) staged deployment package", run: benchStagedPackage },
    { name: "(h) memory", run: benchMemory },
  ];
  const only = values.only?.split(",").map((letter) => `(${letter.trim()})`);
  const stages = only === undefined ? all : all.filter((stage) => only.some((prefix) => stage.name.startsWith(prefix)));
  if (stages.length === 0) throw new Error(`--only ${values.only ?? ""} names no stage; the stages are ${all.map((s) => s.name).join(", ")}`);

  const cpu = cpus();
  console.log(
    `bench ${new Date().toISOString()}  node ${process.version}  ${cpu.length} x ${cpu[0]?.model ?? "unknown CPU"}  ` +
      `${fmt(totalmem() / 2 ** 30, 1)} GiB  commit ${describeCheckout()}`,
  );
  console.log("Figures from one run on this machine; ratios compare paths measured side by side in it. Not tests: nothing fails on a number.\n");

  const started = performance.now();
  const durations: string[] = [];
  const failed: string[] = [];
  for (const stage of stages) {
    const stageStarted = performance.now();
    try {
      for (const line of await stage.run()) console.log(line);
    } catch (error) {
      failed.push(stage.name);
      console.log(`${stage.name}: FAILED\n    ${error instanceof Error ? (error.stack ?? error.message).replace(/\n/g, "\n    ") : String(error)}`);
    }
    const seconds = secondsSince(stageStarted);
    durations.push(`${stage.name} ${fmt(seconds)} s`);
    console.log(`    [${fmt(seconds)} s]\n`);
  }
  console.log(`durations: ${durations.join(", ")}; total ${fmt(secondsSince(started))} s`);
  if (failed.length > 0) console.log(`FAILED stages: ${failed.join(", ")}`);
  return failed.length > 0 ? 1 : 0;
}

// Interrupted: exit through process.exit, whose "exit" handler (devkit/children.ts) kills the children.
for (const signal of ["SIGINT", "SIGTERM"] as const) process.once(signal, () => process.exit(130));

main().then(
  (code) => {
    process.exitCode = code;
  },
  (error: unknown) => {
    console.error(error);
    process.exitCode = 1;
  },
);
