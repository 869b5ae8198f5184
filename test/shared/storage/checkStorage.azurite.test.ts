/**
 * checkStorage against Azurite, and through a TCP relay in front of it that can stop
 * forwarding: storage that answers, storage that cannot be reached, and storage (or a
 * network) that stalls. The relay changes nothing of what Azurite says; it only withholds it.
 */
import assert from "node:assert/strict";
import { createServer, connect, type AddressInfo, type Server, type Socket } from "node:net";
import { after, before, describe, test } from "node:test";
import { startAzurite, type EmbeddedAzurite } from "../../../local/azurite";
import { HealthProbe } from "../../../shared/healthProbe";
import { checkStorage } from "../../../shared/storage/checkStorage";
import { createStorageClients } from "../../../shared/storage/storageClients";
import { ensureStorage } from "../../../shared/storage/ensureStorage";

/** A relay to `target` that forwards both ways until `stall()`, then forwards nothing more from the client. */
interface Relay {
  port: number;
  stall(): void;
  close(): Promise<void>;
}

async function startRelay(target: number): Promise<Relay> {
  let stalled = false;
  const sockets = new Set<Socket>();
  const server: Server = createServer((client) => {
    const upstream = connect(target, "127.0.0.1");
    for (const socket of [client, upstream]) {
      sockets.add(socket);
      socket.on("error", () => socket.destroy());
      socket.on("close", () => sockets.delete(socket));
    }
    client.on("data", (chunk) => {
      if (!stalled) upstream.write(chunk);
    });
    upstream.on("data", (chunk) => client.write(chunk));
    client.on("close", () => upstream.destroy());
    upstream.on("close", () => client.destroy());
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  return {
    port: (server.address() as AddressInfo).port,
    stall: () => {
      stalled = true;
    },
    close: () =>
      new Promise<void>((resolve) => {
        for (const socket of sockets) socket.destroy();
        server.close(() => resolve());
      }),
  };
}

/** A port nothing listens on: bound, then released. */
async function closedPort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as AddressInfo;
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return port;
}

/** `connectionString` with its blob and queue endpoints moved to other ports. */
function withPorts(connectionString: string, blobPort: number, queuePort: number): string {
  return connectionString
    .replace(/(BlobEndpoint=http:\/\/127\.0\.0\.1:)\d+/, `$1${blobPort}`)
    .replace(/(QueueEndpoint=http:\/\/127\.0\.0\.1:)\d+/, `$1${queuePort}`);
}

function portOf(connectionString: string, service: "Blob" | "Queue"): number {
  const found = new RegExp(`${service}Endpoint=http://127\\.0\\.0\\.1:(\\d+)`).exec(connectionString);
  assert.ok(found !== null, `no ${service} endpoint in the connection string`);
  return Number(found[1]);
}

describe("checkStorage against Azurite", () => {
  let azurite: EmbeddedAzurite;
  before(async () => {
    azurite = await startAzurite();
    await ensureStorage(createStorageClients({ kind: "connectionString", connectionString: azurite.connectionString }));
  });
  after(async () => {
    await azurite.close();
  });

  /** Clients that reach Azurite through two relays, and the relays. */
  async function relayed(): Promise<{ clients: ReturnType<typeof createStorageClients>; relays: Relay[] }> {
    const blob = await startRelay(portOf(azurite.connectionString, "Blob"));
    const queue = await startRelay(portOf(azurite.connectionString, "Queue"));
    const connectionString = withPorts(azurite.connectionString, blob.port, queue.port);
    return { clients: createStorageClients({ kind: "connectionString", connectionString }), relays: [blob, queue] };
  }

  test("storage that answers is ok", async () => {
    const clients = createStorageClients({ kind: "connectionString", connectionString: azurite.connectionString });
    assert.equal(await checkStorage(clients), "ok");
  });

  test("storage that refuses connections has failed, before the timeout", async () => {
    const connectionString = withPorts(azurite.connectionString, await closedPort(), await closedPort());
    const clients = createStorageClients({ kind: "connectionString", connectionString });
    assert.equal(await checkStorage(clients, 10_000), "failed");
  });

  test("storage that stops answering has timed out", async () => {
    const { clients, relays } = await relayed();
    try {
      assert.equal(await checkStorage(clients, 1_000), "ok");
      for (const relay of relays) relay.stall();
      assert.equal(await checkStorage(clients, 300), "timedOut");
    } finally {
      for (const relay of relays) await relay.close();
    }
  });

  test("health stays ok through a probe that times out soon after a good answer", async () => {
    const { clients, relays } = await relayed();
    try {
      const health = new HealthProbe(() => checkStorage(clients, 300), { ttlMs: 0 });
      assert.equal(await health.check(), true);
      for (const relay of relays) relay.stall();
      assert.equal(await health.check(), true, "one slow probe right after storage answered is not an outage");
    } finally {
      for (const relay of relays) await relay.close();
    }
  });
});
