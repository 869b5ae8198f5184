import assert from "node:assert/strict";
import { after, before, describe, test } from "node:test";
import { InvocationContext } from "@azure/functions";
import { QueueServiceClient } from "@azure/storage-queue";
import { queueHealth, queueHealthTrigger } from "../../../functions/queueHealth";
import { storageNames } from "../../../shared/config";
import type { IsoWeek } from "../../../shared/isoWeek";
import { measureQueueHealth, type QueueHealth } from "../../../shared/monitoring/measureQueueHealth";
import { Telemetry } from "../../../shared/telemetry/telemetry";
import { plantLock, removeLock } from "../../support/aggregationHarness";
import { startTestRuntime, type TestRuntime } from "../../support/testRuntime";
import { waitFor } from "../../support/waitFor";

describe("queue health against Azurite", () => {
  let t: TestRuntime;
  let queues: QueueServiceClient;
  before(async () => {
    t = await startTestRuntime({}, { runQueueTriggers: false });
    queues = QueueServiceClient.fromConnectionString(t.azurite.connectionString);
  });
  after(async () => t.close());

  test("empty queues and no lock: all zero", async () => {
    const health = await measureQueueHealth(t.runtime.services.queueGauges);
    assert.deepEqual(health, { ingestMessages: 0, ingestOldestAgeSeconds: 0, poisonMessages: 0, rebuildLocks: 0, oldestRebuildLockAgeSeconds: 0 });
  });

  test("a queued message of known age, a poison message and a lock of known age give their figures, and one log line says them", async () => {
    const ingest = queues.getQueueClient(storageNames.ingestQueue);
    const sent = await ingest.sendMessage(Buffer.from("{}").toString("base64"));
    await queues.getQueueClient(storageNames.poisonQueue).sendMessage(Buffer.from("{}").toString("base64"));
    const week = "2026-W10" as IsoWeek;
    const { weeklyStats } = t.runtime.services;
    await weeklyStats.markWeek(week);
    await weeklyStats.markWeek("2026-W11");
    const now = sent.insertedOn.getTime() + 1_000_000;
    await plantLock(weeklyStats, week, { holder: "reaggregate@test", since: new Date(now - 7_200_000).toISOString(), expiresAt: new Date(now + 600_000).toISOString() });
    try {
      const health = await measureQueueHealth(t.runtime.services.queueGauges, now);
      assert.deepEqual(health, { ingestMessages: 1, ingestOldestAgeSeconds: 1000, poisonMessages: 1, rebuildLocks: 1, oldestRebuildLockAgeSeconds: 7200 });
      const lines: string[] = [];
      new Telemetry(undefined).recordQueueHealth(health, (line) => lines.push(line));
      assert.deepEqual(lines.map((line) => JSON.parse(line) as unknown), [{ event: "queueHealth", ...health }]);
    } finally {
      await removeLock(weeklyStats, week);
      await ingest.clearMessages();
      await queues.getQueueClient(storageNames.poisonQueue).clearMessages();
    }
  });

  test("the timer flushes its metrics before the invocation ends: the instance may be frozen right after it", async () => {
    const steps: string[] = [];
    const telemetry = {
      recordQueueHealth: () => steps.push("record"),
      flush: async () => {
        await Promise.resolve();
        steps.push("flush");
      },
    };
    const context = new InvocationContext({ invocationId: "t", functionName: queueHealthTrigger.name, logHandler: () => undefined });
    await queueHealth({ isPastDue: false }, context, { gauges: t.runtime.services.queueGauges, telemetry });
    assert.deepEqual(steps, ["record", "flush"]);
  });
});

test("the local runtime runs the queueHealth timer on its schedule, with the queues as they are", async () => {
  const t = await startTestRuntime({}, { triggers: [{ ...queueHealthTrigger, schedule: "* * * * * *" }] });
  try {
    const queues = QueueServiceClient.fromConnectionString(t.azurite.connectionString);
    await queues.getQueueClient(storageNames.poisonQueue).sendMessage(Buffer.from("{}").toString("base64"));
    const line = await waitFor(
      () => t.logs.map((l) => /\{"event":"queueHealth".*\}/.exec(l)?.[0]).find((json) => json !== undefined && (JSON.parse(json) as QueueHealth).poisonMessages === 1),
      "a queueHealth line that counts the poison message",
    );
    assert.equal((JSON.parse(line) as QueueHealth).ingestMessages, 0);
  } finally {
    await t.close();
  }
});
