import { constants as zlibConstants, createGzip } from "node:zlib";

/**
 * The first `bytes` of a gzip stream of spaces, sync-flushed so that the receiver inflates
 * all of it, and never ended: what an upload that stalls after its head has sent.
 */
export async function gzipHead(bytes: number): Promise<Buffer> {
  const gzip = createGzip();
  const out: Buffer[] = [];
  gzip.on("data", (chunk: Buffer) => out.push(chunk));
  gzip.write(Buffer.alloc(bytes, 0x20));
  await new Promise<void>((resolve) => gzip.flush(zlibConstants.Z_SYNC_FLUSH, () => resolve()));
  gzip.destroy();
  return Buffer.concat(out);
}
