import assert from "node:assert/strict";
import { execFile } from "node:child_process";
import { randomBytes, randomUUID } from "node:crypto";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { request } from "node:http";
import { connect } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after, before, describe, test } from "node:test";
import { gzipSync } from "node:zlib";
import { startAzurite, type EmbeddedAzurite } from "../../local/azurite";
import { INGEST_KEY, startRuntimeProcess, submitPath, type RuntimeProcess } from "../support/testRuntime";

/*
 * Contract section 2: a request over a size limit gets its 413, never a reset connection.
 * Each kind of request is sent 20 times by each client, because a reset is a race (the
 * response against the rest of the upload) that one try may well win. The runtime runs in
 * its own process, as `npm start` runs it: on this test's event loop, client and server
 * would take turns and the race would hardly ever be lost.
 */

const REPEATS = 20;
const MiB = 1024 * 1024;

type Kind = "content-length" | "chunked" | "gzip" | "expect-100-continue";
const kinds: readonly Kind[] = ["content-length", "chunked", "gzip", "expect-100-continue"];

interface Answer {
  status: number;
  body: string;
}

/** 3 MiB on the wire, over the 2 MiB limit; random bytes so that gzip cannot shrink them. */
const plain = Buffer.alloc(3 * MiB, 0x20);
const gzipped = gzipSync(randomBytes(3 * MiB), { level: 1 });

function bodyFor(kind: Kind): Buffer {
  return kind === "gzip" ? gzipped : plain;
}

function headersFor(kind: Kind): Record<string, string> {
  return {
    "content-type": "application/json",
    "x-functions-key": INGEST_KEY,
    ...(kind === "gzip" ? { "content-encoding": "gzip" } : {}),
  };
}

/** Sends with `fetch` (undici), as an SCP written in Node would. */
async function sendWithFetch(url: string, kind: Kind): Promise<Answer> {
  const body = bodyFor(kind);
  if (kind === "expect-100-continue") return sendExpectingContinue(url, body);
  const init: RequestInit & { duplex?: "half" } = { method: "POST", headers: headersFor(kind) };
  if (kind === "chunked") {
    // A stream body has no length, so fetch sends it chunked.
    init.body = new ReadableStream<Uint8Array>({
      start(controller) {
        for (let offset = 0; offset < body.length; offset += 64 * 1024) controller.enqueue(body.subarray(offset, offset + 64 * 1024));
        controller.close();
      },
    });
    init.duplex = "half";
  } else {
    init.body = body;
  }
  const response = await fetch(url, init);
  return { status: response.status, body: await response.text() };
}

/**
 * fetch refuses an `Expect` header ("expect header not supported"), so the expect case is
 * sent with node:http, which waits for `100 Continue` before sending the body.
 */
function sendExpectingContinue(url: string, body: Buffer): Promise<Answer> {
  return new Promise((resolve, reject) => {
    const req = request(url, {
      method: "POST",
      headers: { ...headersFor("expect-100-continue"), expect: "100-continue", "content-length": String(body.length) },
    });
    req.on("continue", () => req.end(body));
    req.on("response", (res) => {
      const chunks: Buffer[] = [];
      res.on("data", (chunk: Buffer) => chunks.push(chunk));
      res.on("end", () => resolve({ status: res.statusCode ?? 0, body: Buffer.concat(chunks).toString("utf8") }));
      res.on("error", reject);
    });
    req.on("error", reject);
    req.flushHeaders();
  });
}

/** Sends with curl, a child process, as an operator or a script would. */
function sendWithCurl(url: string, kind: Kind, files: Record<"plain" | "gzip", string>): Promise<Answer> {
  const args = ["--silent", "--show-error", "--http1.1", "--max-time", "60", "-X", "POST", "--data-binary", `@${kind === "gzip" ? files.gzip : files.plain}`];
  for (const [name, value] of Object.entries(headersFor(kind))) args.push("-H", `${name}: ${value}`);
  // curl adds `Expect: 100-continue` to large bodies by itself; only the expect case keeps it.
  args.push("-H", kind === "expect-100-continue" ? "Expect: 100-continue" : "Expect:");
  if (kind === "chunked") args.push("-H", "Transfer-Encoding: chunked");
  args.push("--write-out", "\n%{http_code}", url);
  return new Promise((resolve, reject) => {
    execFile("curl", args, { maxBuffer: 4 * MiB }, (error, stdout, stderr) => {
      if (error !== null) {
        reject(new Error(`curl failed (exit ${String(error.code)}): ${stderr.trim()}`));
        return;
      }
      const split = stdout.lastIndexOf("\n");
      resolve({ status: Number(stdout.slice(split + 1)), body: stdout.slice(0, split) });
    });
  });
}

function assertTooLarge(answer: Answer, label: string): void {
  assert.equal(answer.status, 413, label);
  assert.equal((JSON.parse(answer.body) as { type?: string }).type, "/problems/payload-too-large", label);
}

describe("a body over the wire limit is answered 413, never reset", () => {
  let azurite: EmbeddedAzurite;
  let runtime: RuntimeProcess;
  let dir: string;
  let files: Record<"plain" | "gzip", string>;
  before(async () => {
    azurite = await startAzurite();
    runtime = await startRuntimeProcess(azurite.connectionString);
    dir = mkdtempSync(join(tmpdir(), "oversized-"));
    files = { plain: join(dir, "plain.json"), gzip: join(dir, "body.json.gz") };
    writeFileSync(files.plain, plain);
    writeFileSync(files.gzip, gzipped);
  });
  after(async () => {
    await runtime.stop();
    await azurite.close();
    rmSync(dir, { recursive: true, force: true });
  });

  for (const kind of kinds) {
    test(`fetch, ${kind}, ${REPEATS} times`, async () => {
      for (let i = 0; i < REPEATS; i++) {
        const answer = await sendWithFetch(`${runtime.url}${submitPath(randomUUID())}`, kind).catch((error: unknown) => {
          throw new Error(`try ${i + 1}: ${String(error)} (${String((error as { cause?: unknown }).cause)})`);
        });
        assertTooLarge(answer, `fetch ${kind}, try ${i + 1}`);
      }
    });

    test(`curl, ${kind}, ${REPEATS} times`, async () => {
      for (let i = 0; i < REPEATS; i++) {
        const answer = await sendWithCurl(`${runtime.url}${submitPath(randomUUID())}`, kind, files).catch((error: unknown) => {
          throw new Error(`try ${i + 1}: ${String(error)}`);
        });
        assertTooLarge(answer, `curl ${kind}, try ${i + 1}`);
      }
    });
  }

  test("a body that never ends is discarded only up to a bound, then the connection is cut", async () => {
    // A raw socket: node:http and fetch stop uploading once the response is in, and this
    // client must not, or the test would measure the client's patience instead of ours.
    const endless = 1024 * MiB;
    const target = new URL(`${runtime.url}${submitPath(randomUUID())}`);
    const sent = await new Promise<number>((resolve) => {
      const socket = connect(Number(target.port), "127.0.0.1");
      const chunk = Buffer.concat([Buffer.from(`${(MiB).toString(16)}\r\n`), Buffer.alloc(MiB, 0x20), Buffer.from("\r\n")]);
      let written = 0;
      const pump = (): void => {
        while (written < endless) {
          written += MiB;
          if (!socket.write(chunk)) {
            socket.once("drain", pump);
            return;
          }
        }
      };
      socket.on("data", () => undefined);
      socket.on("error", () => resolve(written));
      socket.on("close", () => resolve(written));
      const headers = Object.entries(headersFor("chunked")).map(([name, value]) => `${name}: ${value}\r\n`).join("");
      socket.write(`POST ${target.pathname} HTTP/1.1\r\nhost: ${target.host}\r\n${headers}transfer-encoding: chunked\r\n\r\n`);
      pump();
    });
    // The runtime discards at most 64 MiB after the 2 MiB it read; socket buffers hold a few more.
    assert.ok(sent < 128 * MiB, `the runtime read ${sent / MiB} MiB of a refused body`);
  });
});
