import assert from "node:assert/strict";
import { randomUUID } from "node:crypto";
import { request, type IncomingMessage } from "node:http";
import { after, before, describe, test } from "node:test";
import { triggers } from "../../functions/triggers";
import { bindTrigger, type HttpTrigger } from "../../functions/triggerTypes";
import { startAzurite, type EmbeddedAzurite } from "../../local/azurite";
import { HttpHost } from "../../local/httpHost";
import { readConfig } from "../../shared/config";
import { createServices, type Services } from "../../shared/services";
import { ensureStorage } from "../../shared/storage/ensureStorage";
import { INGEST_KEY, post, submitPath } from "../support/testRuntime";
import { makeUsageDocument } from "../../devkit/usageDocuments";
import { gzipHead } from "../../devkit/gzipHead";

/*
 * Contract section 2: a body not received in full within 60 s of the request's start gets
 * 408 and gives its memory back. The local runtime's HTTP host is built here with a
 * shortened deadline (the runtime itself always uses limits.bodyDeadlineMs).
 */

const DEADLINE_MS = 1_000;
const MiB = 1024 * 1024;

interface Stalled {
  /** The answer, once one comes. */
  answer: Promise<{ status: number; contentType: string | undefined; body: string }>;
  abort(): void;
}

/** POSTs `head` as the start of a chunked gzip batch and then sends nothing more, keeping the connection open. */
function stalledBatch(base: string, head: Buffer): Stalled {
  const req = request(`${base}/api/v1/batch`, {
    method: "POST",
    headers: { "content-type": "application/x-ndjson", "content-encoding": "gzip", "x-functions-key": INGEST_KEY },
  });
  const answer = new Promise<{ status: number; contentType: string | undefined; body: string }>((resolve, reject) => {
    req.on("response", (res: IncomingMessage) => {
      const chunks: Buffer[] = [];
      res.on("data", (chunk: Buffer) => chunks.push(chunk));
      res.on("end", () => resolve({ status: res.statusCode ?? 0, contentType: res.headers["content-type"], body: Buffer.concat(chunks).toString() }));
      res.on("error", reject);
    });
    req.on("error", reject);
  });
  req.flushHeaders();
  req.write(head);
  return { answer, abort: () => req.destroy() };
}

/** Resolves once `condition` holds, polling; rejects after `withinMs` so that a broken runtime fails instead of hanging. */
async function until(condition: () => boolean, withinMs: number, what: string): Promise<void> {
  const giveUp = Date.now() + withinMs;
  while (!condition()) {
    if (Date.now() > giveUp) throw new Error(`${what} did not happen within ${withinMs} ms`);
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
}

describe("a body that stalls, on the local runtime against Azurite", () => {
  let azurite: EmbeddedAzurite;
  let services: Services;
  let host: HttpHost;
  let base: string;
  before(async () => {
    azurite = await startAzurite();
    services = createServices(readConfig({ AzureWebJobsStorage: azurite.connectionString, INGEST_KEY, RATE_LIMIT_PER_HOUR: "1000" }));
    await ensureStorage(services.clients);
    host = new HttpHost({
      triggers: triggers.filter((t): t is HttpTrigger => t.kind === "http").map((t) => bindTrigger(t, services)),
      routePrefix: "api",
      keys: { ingest: INGEST_KEY, query: "unused-query-key" },
      port: 0,
      log: () => {},
      bodyDeadlineMs: DEADLINE_MS,
    });
    base = await host.listen();
  });
  after(async () => {
    await host.close();
    await services.telemetry.shutdown();
    await azurite.close();
  });

  test("gets 408 at the deadline and gives its memory back at once, while a normal upload goes through", { timeout: 30_000 }, async () => {
    const stalled = stalledBatch(base, await gzipHead(16 * MiB));
    try {
      // The stalled upload holds what it inflated until something ends it.
      await until(() => services.memoryBudget.bytesInUse >= 16 * MiB, 10_000, "inflating the stalled upload's head");
      const document = makeUsageDocument();
      const accepted = await post(base, submitPath(document.docId), JSON.stringify(document));
      assert.equal(accepted.status, 202, JSON.stringify(accepted.json));

      // A bound for a runtime that never answers, not a measure of how fast it answers.
      const answer = await Promise.race([
        stalled.answer,
        new Promise<never>((_, reject) => setTimeout(() => reject(new Error("the stalled upload got no answer within 10 deadlines")), 10 * DEADLINE_MS)),
      ]);
      assert.equal(answer.status, 408, answer.body);
      assert.equal(answer.contentType, "application/problem+json");
      assert.equal((JSON.parse(answer.body) as { status: number }).status, 408);
      assert.equal(services.memoryBudget.bytesInUse, 0, "the stalled upload still holds memory after its 408");
    } finally {
      stalled.abort();
    }
  });

  test("a submission that stalls before its first body byte is a 408 too", { timeout: 30_000 }, async () => {
    const req = request(`${base}${submitPath(randomUUID())}`, {
      method: "POST",
      headers: { "content-type": "application/json", "x-functions-key": INGEST_KEY, "content-length": "1000" },
    });
    const status = new Promise<number>((resolve, reject) => {
      req.on("response", (res) => {
        res.resume();
        resolve(res.statusCode ?? 0);
      });
      req.on("error", reject);
    });
    req.flushHeaders();
    try {
      const answered = await Promise.race([
        status,
        new Promise<never>((_, reject) => setTimeout(() => reject(new Error("no answer within 10 deadlines")), 10 * DEADLINE_MS)),
      ]);
      assert.equal(answered, 408);
      assert.equal(services.memoryBudget.bytesInUse, 0);
    } finally {
      req.destroy();
    }
  });
});
