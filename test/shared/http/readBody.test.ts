import assert from "node:assert/strict";
import { test } from "node:test";
import { randomBytes } from "node:crypto";
import { gzipSync } from "node:zlib";
import { PayloadTooLargeError, UnsupportedMediaTypeError, ValidationError } from "../../../shared/errors";
import { readBody } from "../../../shared/http/readBody";

async function* chunksOf(buffer: Buffer, size = 64 * 1024): AsyncIterable<Uint8Array> {
  for (let i = 0; i < buffer.length; i += size) yield buffer.subarray(i, i + size);
}

const limits = { maxWireBytes: 1000, maxDecodedBytes: 4000, contentLength: null };

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
  await assert.rejects(readBody(source, { maxWireBytes: 1024 * 1024, maxDecodedBytes: 1024 * 1024, contentEncoding: "gzip", contentLength: null }), PayloadTooLargeError);
  assert.ok(served < bomb.length, `read ${served} of ${bomb.length} bytes`);
});

test("broken gzip is a 400, unknown encodings a 415", async () => {
  await assert.rejects(readBody(chunksOf(Buffer.from("not gzip at all")), { ...limits, contentEncoding: "gzip" }), ValidationError);
  const truncated = gzipSync(Buffer.from("hello world")).subarray(0, 12);
  await assert.rejects(readBody(chunksOf(truncated), { ...limits, contentEncoding: "gzip" }), ValidationError);
  await assert.rejects(readBody(null, { ...limits, contentEncoding: "br" }), UnsupportedMediaTypeError);
});
