import assert from "node:assert/strict";
import { randomUUID } from "node:crypto";
import { after, before, describe, test } from "node:test";
import { InvocationContext } from "@azure/functions";
import fc from "fast-check";
import { publishWeeklyDimensions } from "../../functions/publishWeeklyDimensions";
import { dimensions } from "../../shared/aggregation/dimensions";
import { storageNames } from "../../shared/config";
import { isoWeekOf, type IsoWeek } from "../../shared/isoWeek";
import { publishedRowKey } from "../../shared/publishing/publishedRowKey";
import { toPublishedRows, type PublishedRow } from "../../shared/publishing/publishedRows";
import type { DimensionStats } from "../../shared/query/dimensionStats";
import type { UsageV1 } from "../../shared/validation/usageV1";
import { post, QUERY_KEY, startTestRuntime, submitPath, type TestRuntime } from "../support/testRuntime";
import { makeUsageDocument, withOsNames } from "../../devkit/usageDocuments";

const pause = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** Names that a key, a path, a filter or a fold could trip on; the NFC and NFD "é" are two names (contract section 3). */
const edgeNames = ["~published", "(fewer than 1)", "/", "#", "?", "\\", "tab\there", "e\u0301\u0302", "\u00e9", "e\u0301", "x".repeat(128), "\u{1F600}".repeat(128), "__proto__"];

/**
 * Any name the schema allows: 1..128 code points of well-formed Unicode without U+0000
 * (the contract refuses an unpaired surrogate and U+0000). Graphemes bring combining marks
 * and astral characters with them.
 */
const arbitraryName = fc
  .string({ unit: "grapheme", minLength: 1, maxLength: 40 })
  // Code points, as the schema's maxLength counts them.
  // eslint-disable-next-line @typescript-eslint/no-misused-spread
  .filter((name) => !name.includes("\u0000") && [...name].length <= 128);

const arbitraryNames = fc.uniqueArray(fc.oneof(arbitraryName, fc.constantFrom(...edgeNames)), { minLength: 1, maxLength: 6 });

const arbitraryFeatureNames = fc.uniqueArray(fc.oneof(fc.constantFrom("constructor", "toString", "valueOf"), fc.stringMatching(/^[a-z][A-Za-z0-9]{0,63}$/)), { minLength: 1, maxLength: 4 });

async function getJson(t: TestRuntime, path: string): Promise<Record<string, unknown>> {
  const response = await fetch(`${t.url}${path}`, { headers: { "x-functions-key": QUERY_KEY } });
  assert.equal(response.status, 200, path);
  return (await response.json()) as Record<string, unknown>;
}

const byKey = (rows: readonly PublishedRow[]) => new Map(rows.map((row) => [publishedRowKey(row), row]));
const sorted = (values: Iterable<string>) => [...values].sort();

/** A run's documents: each its own hierarchy, with OS, Office and feature names drawn for it. */
function documentsOf(week: number, drawn: { os: string[]; office: string[]; features: string[] }[]): UsageV1[] {
  const collectedAt = new Date(Date.UTC(2026, 0, 7 + 7 * week, 9)).toISOString();
  return drawn.map(({ os, office, features }) => {
    const document = withOsNames(makeUsageDocument({ docId: randomUUID(), collectedAt, level: "enhanced" }), os);
    document.clients.byOfficeVersion = Object.fromEntries(office.map((name, i) => [name, i]));
    document.features = Object.fromEntries(features.map((name, i) => [name, i % 2 === 0 ? { enabled: true, uses: i } : { enabled: false }]));
    return document;
  });
}

// Through the local runtime over Azurite: HTTP submit, the aggregation trigger, then the
// publish trigger called on the week (the queued request would wait its 60 s delay).
describe("any name the schema allows, through ingestion, aggregation and publishing", { timeout: 300_000 }, () => {
  let t: TestRuntime;
  before(async () => {
    t = await startTestRuntime();
  });
  after(async () => t.close());

  test("the routes and WeeklyDimensions agree value for value, and no message reaches a poison queue", async () => {
    let run = 0;
    const logged: string[] = [];
    const context = new InvocationContext({ invocationId: "t", functionName: "publishWeeklyDimensions", logHandler: (_level, ...args) => logged.push(args.map(String).join(" ")) });
    const deps = { reader: t.runtime.services.statsReader, table: t.runtime.services.weeklyDimensions, dataset: t.runtime.services.weeklyDataset, minHierarchies: 1 };
    const drawn = fc.record({ os: arbitraryNames, office: arbitraryNames, features: arbitraryFeatureNames });
    await fc.assert(
      fc.asyncProperty(fc.array(drawn, { minLength: 2, maxLength: 3 }), async (draws) => {
        // Every edge name in every run, beside what was drawn; each run (shrinks too) its own week.
        draws[0] = { os: [...new Set([...draws[0]!.os, ...edgeNames])], office: [...new Set([...draws[0]!.office, ...edgeNames])], features: draws[0]!.features };
        const documents = documentsOf(run++, draws);
        const week: IsoWeek = isoWeekOf(new Date(documents[0]!.collectedAt));
        for (const document of documents) {
          const answer = await post(t.url, submitPath(document.docId), JSON.stringify(document));
          assert.equal(answer.status, 202, JSON.stringify(answer.json));
        }
        while ((await getJson(t, `/api/v1/stats/versions?week=${week}`))["hierarchies"] !== documents.length) await pause(200);

        const osNames = new Set(documents.flatMap((d) => Object.keys(d.clients.byOs)));
        const officeNames = new Set(documents.flatMap((d) => Object.keys(d.clients.byOfficeVersion ?? {})));
        const featureNames = new Set(documents.flatMap((d) => Object.keys(d.features ?? {})));
        const os = (await getJson(t, `/api/v1/stats/os?week=${week}`))["os"] as { name: string }[];
        assert.deepEqual(sorted(os.map((o) => o.name)), sorted(osNames), "/stats/os names every OS name once");
        const features = (await getJson(t, `/api/v1/stats/features?week=${week}`))["features"] as { name: string }[];
        assert.deepEqual(sorted(features.map((f) => f.name)), sorted(featureNames), "/stats/features names every feature once");

        const expected = new Map<string, PublishedRow>();
        for (const dimension of dimensions) {
          const stats = (await getJson(t, `/api/v1/stats/dimensions/${dimension.name}?week=${week}`)) as unknown as DimensionStats;
          if (dimension.name === "os" || dimension.name === "officeVersion") {
            const values = stats.kind === "distribution" ? [] : stats.values.map((v) => v.value);
            assert.deepEqual(sorted(values), sorted(dimension.name === "os" ? osNames : officeNames), `${dimension.name}: every name is its own value`);
          }
          for (const [key, row] of byKey(toPublishedRows(stats))) expected.set(key, row);
        }

        await publishWeeklyDimensions({ v: 1, week }, context, deps);
        const published = await t.runtime.services.weeklyDimensions.readWeek(week);
        assert.deepEqual(byKey(published.rows), expected);
        assert.equal(published.summary?.hierarchies, documents.length);
      }),
      { numRuns: 3, endOnFailure: true },
    );
    for (const queue of [storageNames.poisonQueue, storageNames.publishPoisonQueue]) {
      const properties = await t.runtime.services.clients.queueService.getQueueClient(queue).getProperties();
      assert.equal(properties.approximateMessagesCount ?? 0, 0, `${queue} is empty`);
    }
    assert.ok(logged.length >= 3 && logged.every((line) => line.includes('"published"')), "every week published, no dimension refused");
  });
});
