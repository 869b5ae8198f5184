/**
 * One Node heap limit everywhere this code runs as the service: the app setting infra/ gives
 * the Functions host and the flag `npm start` gives node are both shared/heapLimit.ts's, and
 * every instance size infra/ allows can hold it beside the memory budget. Read from the ARM
 * JSON the real compiler makes of main.bicep (modules included); the Bicep checks are skipped,
 * saying what is missing, where there is no compiler (test/infra/bicepCli.ts).
 */
import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import * as path from "node:path";
import { describe, test } from "node:test";
import { limits } from "../../shared/config";
import { heapLimitFlag, heapLimitMib } from "../../shared/heapLimit";
import { projectRoot } from "../../local/hostSettings";
import { compileBicepFolder, findBicep } from "./bicepCli";

const MiB = 1024 * 1024;
/** The setting through which the Functions host passes arguments to the node worker it starts. */
const NODE_ARGUMENTS_SETTING = "languageWorkers__node__arguments";
/**
 * What an instance needs beside the heap and the budget's bytes outside it: node and V8
 * themselves, code, new space (the runtime's idle RSS is about 80 MiB; docs/performance.md).
 */
const IDLE_MIB = 256;

const root = projectRoot();
const cli = findBicep();
const skip = cli.found ? false : cli.reason;
const compiled = cli.found ? compileBicepFolder(cli.executable, path.join(root, "infra")).templates : new Map<string, unknown>();

/** Every `{ name, value }` app setting named `name` anywhere in a template (nested deployments included). */
function settingValues(template: unknown, name: string): unknown[] {
  const found: unknown[] = [];
  const walk = (node: unknown): void => {
    if (Array.isArray(node)) {
      for (const item of node) walk(item);
    } else if (typeof node === "object" && node !== null) {
      const record = node as Record<string, unknown>;
      if (record["name"] === name && "value" in record) found.push(record["value"]);
      for (const value of Object.values(record)) walk(value);
    }
  };
  walk(template);
  return found;
}

/** The allowed values of every parameter named `name` anywhere in a template (nested deployments included). */
function allowedValues(template: unknown, name: string): unknown[][] {
  const found: unknown[][] = [];
  const walk = (node: unknown): void => {
    if (Array.isArray(node)) {
      for (const item of node) walk(item);
    } else if (typeof node === "object" && node !== null) {
      const record = node as Record<string, unknown>;
      const parameters = record["parameters"];
      const declared = typeof parameters === "object" && parameters !== null ? (parameters as Record<string, { allowedValues?: unknown[] } | undefined>)[name] : undefined;
      if (declared?.allowedValues !== undefined) found.push(declared.allowedValues);
      for (const value of Object.values(record)) walk(value);
    }
  };
  walk(template);
  return found;
}

test("the heap limit is above the memory budget, so that a full budget is 503s and not a crash", () => {
  assert.ok(heapLimitMib * MiB > limits.maxInFlightBytes, `${heapLimitMib} MiB`);
  assert.equal(heapLimitFlag, `--max-old-space-size=${heapLimitMib}`);
});

test("npm start gives node the heap limit when it starts", () => {
  const scripts = (JSON.parse(readFileSync(path.join(root, "package.json"), "utf8")) as { scripts: Record<string, string> }).scripts;
  const runs = (scripts["start"] ?? "").split("&&").map((part) => part.trim());
  assert.ok(runs.includes(`node ${heapLimitFlag} dist/local/start.js`), `npm start runs: ${runs.join(" && ")}`);
});

describe("the heap limit in infra/", { skip }, () => {
  const main = compiled.get("main.bicep");

  test(`${NODE_ARGUMENTS_SETTING} is the code's flag, set once`, () => {
    assert.deepEqual(settingValues(main, NODE_ARGUMENTS_SETTING), [heapLimitFlag]);
  });

  test("every instance size allowed holds the heap limit, the budget's bytes outside the heap and node itself", () => {
    const allowed = allowedValues(main, "instanceMemoryMB");
    assert.ok(allowed.length >= 2, "main.bicep and modules/functionApp.bicep both declare instanceMemoryMB with allowed values");
    const needed = heapLimitMib + limits.maxInFlightBytes / MiB + IDLE_MIB;
    for (const sizes of allowed) {
      for (const size of sizes) assert.ok(typeof size === "number" && size >= needed, `instanceMemoryMB ${String(size)} < ${needed}`);
    }
  });
});
