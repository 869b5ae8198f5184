import assert from "node:assert/strict";
import { describe, test } from "node:test";
import { ConfigError, readDisabledFunctions } from "../../shared/config";

describe("readDisabledFunctions: the host's AzureWebJobs.<name>.Disabled settings", () => {
  const names = ["aggregateUsage", "submitUsage"];

  test("the documented spelling and the Linux one; true or 1 in any case disables", () => {
    assert.deepEqual([...readDisabledFunctions(names, { "AzureWebJobs.aggregateUsage.Disabled": "True" })], ["aggregateUsage"]);
    assert.deepEqual([...readDisabledFunctions(names, { AzureWebJobs_submitUsage_Disabled: "1" })], ["submitUsage"]);
  });

  test("false, 0, empty or absent leaves a function enabled; a name the host does not read disables nothing", () => {
    const env = { "AzureWebJobs.aggregateUsage.Disabled": "false", AzureWebJobs_submitUsage_Disabled: "0", AzureWebJobs__aggregateUsage__Disabled: "true" };
    assert.equal(readDisabledFunctions(names, env).size, 0);
    assert.equal(readDisabledFunctions(names, { "AzureWebJobs.aggregateUsage.Disabled": " " }).size, 0);
  });

  test("only the named functions are read", () => {
    assert.equal(readDisabledFunctions(["submitUsage"], { "AzureWebJobs.aggregateUsage.Disabled": "true" }).size, 0);
  });

  test("any other value is a ConfigError naming the setting", () => {
    assert.throws(() => readDisabledFunctions(names, { "AzureWebJobs.aggregateUsage.Disabled": "yes" }), (error: unknown) => error instanceof ConfigError && error.message.includes("AzureWebJobs.aggregateUsage.Disabled"));
  });
});
