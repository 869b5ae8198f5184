import assert from "node:assert/strict";
import { test } from "node:test";
import { randomBytes } from "node:crypto";
import { gzipSync } from "node:zlib";
import { MemoryBudgetExceededError, PayloadTooLargeError, RequestTimeoutError, UnsupportedMediaTypeError, ValidationError } from "../../../shared/errors";
import { MemoryBudget } from "../../../shared/http/memoryBudget";
import { readBody } from "../../../shared/http/readBody";
import { gzipHead } from "../../../devkit/gzipHead";

async function* chunksOf(buffer: Buffer, size = 64 * 1024): AsyncIterable<Uint8Array> {
  for (let i = 0; i < buffer.length; i += size) yield buffer.subarray(i, i + size);
}

// A budget far larger than any body here: these tests are about the size limits.
const memory = new MemoryBudget(2 ** 30).lease();
const limits = { maxWireBytes: 1000, maxDecodedBytes: 4000, contentLength: null, memory };

test("reads a plain body within the limits", async () => {
  const body = Buffer.from("x".repeat(1000));
  assert.deepEqual(await readBody(chunksOf(body, 7), { ...limits, contentEncoding: null }), body);
  assert.deepEqual(await readBody(null, { ...limits, contentEncoding: "identity" }), Buffer.alloc(0));
});

test("a plain body one byte over the wire limit is refused", async () => {
  await assert.rejects(readBody(chunksOf(Buffer.alloc(1001)), { ...limits, contentEncoding: null }), (e: unknown) => e instanceof PayloadTooLargeError && e.limit === "wire:1000");
});

test("a Content-Length over the limit is refused before reading", async () => {
  let pulled = false;
  const body = (async function* () {
    pulled = true;
    yield Buffer.alloc(1);
  })();
  await assert.rejects(readBody(body, { ...limits, contentEncoding: null, contentLength: "5000" }), PayloadTooLargeError);
  assert.equal(pulled, false);
});

test("gzip is inflated within the decompressed limit, and refused one byte past it", async () => {
  const exact = Buffer.alloc(4000, 0x61);
  assert.deepEqual(await readBody(chunksOf(gzipSync(exact), 10), { ...limits, contentEncoding: "gzip" }), exact);
  await assert.rejects(
    readBody(chunksOf(gzipSync(Buffer.alloc(4001, 0x61))), { ...limits, contentEncoding: "GZIP" }),
    (e: unknown) => e instanceof PayloadTooLargeError && e.limit === "decompressed:4000",
  );
});

test("a compressed body over the wire limit is refused even if it would inflate small", async () => {
  const random = randomBytes(3000); // incompressible
  await assert.rejects(readBody(chunksOf(gzipSync(random), 100), { ...limits, maxDecodedBytes: 100_000, contentEncoding: "gzip" }), (e: unknown) => e instanceof PayloadTooLargeError && e.limit === "wire:1000");
});

test("a bomb stops early: the source is not read to its end", async () => {
  const bomb = gzipSync(Buffer.alloc(50 * 1024 * 1024), { level: 9 });
  let served = 0;
  const source = (async function* () {
    for await (const chunk of chunksOf(bomb, 1024)) {
      served += chunk.byteLength;
      yield chunk;
    }
  })();
  await assert.rejects(readBody(source, { maxWireBytes: 1024 * 1024, maxDecodedBytes: 1024 * 1024, contentEncoding: "gzip", contentLength: null, memory }), PayloadTooLargeError);
  assert.ok(served < bomb.length, `read ${served} of ${bomb.length} bytes`);
});

test("broken gzip is a 400, unknown encodings a 415", async () => {
  await assert.rejects(readBody(chunksOf(Buffer.from("not gzip at all")), { ...limits, contentEncoding: "gzip" }), ValidationError);
  const truncated = gzipSync(Buffer.from("hello world")).subarray(0, 12);
  await assert.rejects(readBody(chunksOf(truncated), { ...limits, contentEncoding: "gzip" }), ValidationError);
  await assert.rejects(readBody(null, { ...limits, contentEncoding: "br" }), UnsupportedMediaTypeError);
});

test("what is read, inflated and joined is reserved from the request's lease", async () => {
  const body = Buffer.from("y".repeat(1000));
  const plain = new MemoryBudget(2 ** 20).lease();
  await readBody(chunksOf(body, 100), { ...limits, contentEncoding: null, memory: plain });
  assert.equal(plain.heldBytes, 2 * 1000, "the chunks and the copy that joins them");
  const gzip = new MemoryBudget(2 ** 20).lease();
  const compressed = gzipSync(Buffer.alloc(4000, 0x61));
  await readBody(chunksOf(compressed, 10), { ...limits, contentEncoding: "gzip", memory: gzip });
  assert.equal(gzip.heldBytes, compressed.length + 2 * 4000, "the wire, the inflated chunks and their copy");
});

test("a body the budget cannot take stops being read: 503, and the source is not read to its end", async () => {
  const cases = [
    { what: "plain", encoding: null, wire: Buffer.alloc(2 * 1024 * 1024, 0x62) },
    { what: "gzip, refused on the wire", encoding: "gzip", wire: gzipSync(randomBytes(2 * 1024 * 1024)) },
    { what: "gzip, refused as it inflates", encoding: "gzip", wire: gzipSync(Buffer.alloc(50 * 1024 * 1024), { level: 9 }) },
  ];
  for (const { what, encoding, wire } of cases) {
    let served = 0;
    const source = (async function* () {
      for await (const chunk of chunksOf(wire, 1024)) {
        served += chunk.byteLength;
        yield chunk;
      }
    })();
    const budget = new MemoryBudget(64 * 1024);
    const lease = budget.lease();
    await assert.rejects(
      readBody(source, { maxWireBytes: 4 * 1024 * 1024, maxDecodedBytes: 64 * 1024 * 1024, contentEncoding: encoding, contentLength: null, memory: lease }),
      MemoryBudgetExceededError,
    );
    assert.ok(served < wire.length, `${what}: read ${served} of ${wire.length} bytes`);
    assert.ok(budget.bytesInUse <= 64 * 1024);
    lease.release();
    assert.equal(budget.bytesInUse, 0);
  }
});

test("inflating a large body under back-pressure leaves no listeners behind", async () => {
  const warnings: Error[] = [];
  const onWarning = (warning: Error): void => {
    warnings.push(warning);
  };
  process.on("warning", onWarning);
  try {
    // Dozens of compressed chunks as large as the inflater's buffer: a wait for "drain" after
    // every one.
    const text = Buffer.from(randomBytes(512 * 1024).toString("hex"));
    const decoded = await readBody(chunksOf(gzipSync(text), 16 * 1024), {
      maxWireBytes: 1024 * 1024, maxDecodedBytes: 8 * 1024 * 1024, contentEncoding: "gzip", contentLength: null, memory,
    });
    assert.deepEqual(decoded, text);
    await new Promise((resolve) => setImmediate(resolve)); // warnings are emitted on the next tick
  } finally {
    process.off("warning", onWarning);
  }
  assert.deepEqual(warnings.map((w) => w.name), []);
});

/** A web stream (what the Functions host hands a handler) that sends `head` and then nothing, never ending. */
function stalledAfter(head: Buffer): ReadableStream<Uint8Array> {
  return new ReadableStream<Uint8Array>({
    start(controller) {
      controller.enqueue(head);
    },
  });
}

test("a body that stalls is a 408 at its deadline, plain or gzip, and what it reserved can be given back", { timeout: 20_000 }, async () => {
  const budget = new MemoryBudget(2 ** 30);
  for (const [contentEncoding, head] of [
    [null, Buffer.alloc(500, 0x20)],
    ["gzip", await gzipHead(3000)],
  ] as const) {
    const lease = budget.lease();
    await assert.rejects(
      readBody(stalledAfter(head), { ...limits, memory: lease, contentEncoding, bodyDeadlineMs: 200 }),
      (e: unknown) => e instanceof RequestTimeoutError,
    );
    // It had reserved what it read (and inflated) before it stalled: that is what a slow sender held.
    assert.ok(lease.heldBytes >= head.length, `held ${lease.heldBytes}`);
    lease.release();
    assert.equal(budget.bytesInUse, 0);
  }
});

test("a body that arrives in time is read whole whatever its deadline", async () => {
  const body = Buffer.from("y".repeat(900));
  assert.deepEqual(await readBody(chunksOf(body, 100), { ...limits, contentEncoding: null, bodyDeadlineMs: 60_000 }), body);
});
