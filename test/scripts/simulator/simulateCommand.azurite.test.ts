import assert from "node:assert/strict";
import { after, before, describe, test } from "node:test";
import { confirmedDocuments } from "../../../scripts/simulator/runSimulation";
import { simulateCommand, type SimulateResult } from "../../../scripts/simulator/simulateCommand";
import { parseSimulatorArgs } from "../../../scripts/simulator/simulatorArgs";
import { verifyStats } from "../../../scripts/simulator/verifyStats";
import { INGEST_KEY, QUERY_KEY, startTestRuntime, type TestRuntime } from "../../support/testRuntime";

// The simulator end to end against the local runtime on Azurite, with aggregation running:
// what it verifies must hold, and a wrong expectation must be caught.
describe("npm run simulate --verify against the local runtime on Azurite", { timeout: 240_000 }, () => {
  let t: TestRuntime;
  let first: SimulateResult;
  const lines: string[] = [];
  const settings = () =>
    parseSimulatorArgs(
      ["--hierarchies", "10", "--weeks", "3", "--offline-share", "0.4", "--duplicate-share", "0.3", "--concurrency", "4", "--seed", "e2e", "--verify", "--wait-seconds", "90", "--no-progress"],
      { SIMULATOR_URL: t.url, SIMULATOR_INGEST_KEY: INGEST_KEY, SIMULATOR_QUERY_KEY: QUERY_KEY },
      new Date(),
    );

  before(async () => {
    // A default that folds: the verifier must ask for minHierarchies=1 itself to compare exactly.
    t = await startTestRuntime({ STATS_MIN_HIERARCHIES: "3" });
    first = await simulateCommand(settings(), (line) => lines.push(line));
  });
  after(async () => t.close());

  test("every document is accepted once, and every week's statistics are what the simulator computed", () => {
    const { figures, verification } = first;
    assert.ok(verification !== undefined);
    assert.deepEqual(verification.differences, [], lines.join("\n"));
    assert.equal(verification.lost, 0);
    assert.deepEqual(verification.doubleCounted, { hierarchies: 0, clients: 0 });
    assert.equal(first.exitCode, 0);
    assert.equal(figures.outcomes.accepted, figures.documents);
    assert.equal(figures.outcomes.duplicate, figures.sends - figures.documents);
    assert.ok(figures.sends > figures.documents, "some documents were sent twice");
    assert.ok(first.run.uploads.some((u) => u.kind === "batch") && first.run.uploads.some((u) => u.kind === "single"));
    assert.ok(verification.weeks === 3 && verification.checks > 1000, `${verification.checks} figures compared`);
    assert.ok(lines.some((line) => /latency submit .* p99 .*, max /.test(line)), "the summary names latency percentiles and the longest request");
  });

  test("the same seed again: everything answers duplicate, and nothing changes", async () => {
    const again = await simulateCommand(settings(), () => undefined);
    assert.equal(again.figures.outcomes.accepted, 0);
    assert.equal(again.figures.outcomes.duplicate, again.figures.sends);
    assert.deepEqual(again.verification?.differences, []);
  });

  test("a wrong expectation is caught: a document left out, a distribution value changed", async () => {
    const confirmed = confirmedDocuments(first.run);
    const options = { url: t.url, queryKey: QUERY_KEY, waitMs: 0 };
    // The week's only document of some hierarchy: leaving it out must show as a hierarchy the service counts beyond the expectation.
    const alone = confirmed.find((d) => confirmed.filter((o) => o.week === d.week && o.document.hierarchyId === d.document.hierarchyId).length === 1)!;
    const missing = await verifyStats(confirmed.filter((d) => d !== alone), options);
    assert.ok(missing.differences.some((d) => d.where === `${alone.week} versions.hierarchies`), JSON.stringify(missing.differences.slice(0, 5)));
    assert.ok(missing.doubleCounted.hierarchies >= 1);

    // Runtime tripled: beyond the contract's 1% for the percentile it lands on, and the exact sum.
    const changed = confirmed.map((d) => (d === alone ? { ...d, document: { ...d.document, collection: { ...d.document.collection, runtimeSeconds: d.document.collection.runtimeSeconds * 3 + 1 } } } : d));
    const wrong = await verifyStats(changed, options);
    assert.ok(wrong.differences.some((d) => d.where === `${alone.week} collectionRuntimeSeconds.sum`), JSON.stringify(wrong.differences.slice(0, 5)));
    assert.ok(wrong.differences.some((d) => d.where.startsWith(`${alone.week} collectionRuntimeSeconds.buckets`)));
  });
});
