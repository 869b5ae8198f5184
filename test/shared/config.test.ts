import assert from "node:assert/strict";
import { test } from "node:test";
import { ConfigError, readConfig } from "../../shared/config";

test("defaults: no storage, 120 an hour, port 7071, documented dev keys", () => {
  const config = readConfig({});
  assert.equal(config.storage, undefined);
  assert.equal(config.rateLimitPerHour, 120);
  assert.equal(config.rateLimitInvalidPerHour, 1000);
  assert.deepEqual(config.local, { port: 7071, dataDir: ".data", ingestKey: "dev-ingest-key", queryKey: "dev-query-key", instances: 8 });
  assert.ok(Object.isFrozen(config));
});

test("a connection string wins over the identity form; the identity form carries its client id", () => {
  assert.deepEqual(readConfig({ AzureWebJobsStorage: "UseDevelopmentStorage=true", AzureWebJobsStorage__accountName: "acct1" }).storage, {
    kind: "connectionString",
    connectionString: "UseDevelopmentStorage=true",
  });
  assert.deepEqual(readConfig({ AzureWebJobsStorage__accountName: "acct1", AzureWebJobsStorage__clientId: "abc" }).storage, {
    kind: "managedIdentity",
    accountName: "acct1",
    clientId: "abc",
  });
});

test("bad settings are refused by name", () => {
  for (const env of [
    { RATE_LIMIT_PER_HOUR: "ten" },
    { RATE_LIMIT_PER_HOUR: "0" },
    { RATE_LIMIT_INVALID_PER_HOUR: "ten" },
    { RATE_LIMIT_INVALID_PER_HOUR: "0" },
    { PORT: "70000" }, { AzureWebJobsStorage__accountName: "Not_An_Account" },
  ]) {
    assert.throws(() => readConfig(env), (e: unknown) => e instanceof ConfigError && e.message.includes(Object.keys(env)[0]!), JSON.stringify(env));
  }
});
