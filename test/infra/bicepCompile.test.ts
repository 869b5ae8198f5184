/**
 * Every .bicep file under infra/ compiles with the real Bicep compiler and passes its
 * linter (infra/bicepconfig.json) without a single error or warning, and follows the
 * conventions the compiled templates show. Skipped, saying what is missing, where neither
 * `bicep` nor `dotnet` is available (test/infra/bicepCli.ts).
 */
import assert from "node:assert/strict";
import * as fs from "node:fs";
import * as path from "node:path";
import { describe, test } from "node:test";
import { projectRoot } from "../../local/hostSettings";
import { readArmInventory } from "./armInventory";
import { compileBicepFolder, compileBicepSources, findBicep, type BicepDiagnostic } from "./bicepCli";

const cli = findBicep();
const skip = cli.found ? false : cli.reason;
const infraDir = path.join(projectRoot(), "infra");

interface CompiledTemplate {
  parameters?: Record<string, { metadata?: { description?: string } }>;
  outputs?: Record<string, unknown>;
}

/** Every .bicep file under `dir`, relative to it, with forward slashes. */
function listBicepFiles(dir: string): string[] {
  return fs
    .readdirSync(dir, { recursive: true, encoding: "utf8" })
    .filter((file) => file.endsWith(".bicep"))
    .map((file) => file.split(path.sep).join("/"))
    .sort();
}

function undescribedParameters(template: unknown): string[] {
  return Object.entries((template as CompiledTemplate).parameters ?? {}).flatMap(([name, parameter]) =>
    parameter.metadata?.description === undefined ? [name] : [],
  );
}

const describeLevels = (diagnostics: BicepDiagnostic[]) => diagnostics.map((d) => `${d.file}:${d.line} ${d.level} ${d.code}: ${d.message}`);

describe("infra/*.bicep, compiled and linted", { skip }, () => {
  const files = listBicepFiles(infraDir);
  const compiled = cli.found ? compileBicepFolder(cli.executable, infraDir) : { templates: new Map<string, unknown>(), diagnostics: [] };

  test("the main template and its modules are all found", () => {
    assert.ok(files.includes("main.bicep"), files.join(", "));
    for (const module of ["identity", "monitoring", "storage", "roleAssignments", "functionApp"]) {
      assert.ok(files.includes(`modules/${module}.bicep`), `infra/modules/${module}.bicep missing from ${files.join(", ")}`);
    }
  });

  test("every file compiles, and neither the compiler nor the linter says anything", () => {
    assert.deepEqual(describeLevels(compiled.diagnostics), []);
    assert.deepEqual([...compiled.templates.keys()].sort(), files);
  });

  for (const file of files) {
    test(`${file} describes every parameter`, () => {
      assert.deepEqual(undescribedParameters(compiled.templates.get(file)), []);
    });

    test(`${file} names role assignments guid(scope, principal, role)`, () => {
      for (const assignment of readArmInventory(compiled.templates.get(file)).roleAssignments) {
        assert.equal(assignment.guidArguments?.length, 3, assignment.name);
      }
    });
  }

  test("main.bicep outputs are UPPER_SNAKE, as azd turns them into environment variables", () => {
    const outputs = Object.keys((compiled.templates.get("main.bicep") as CompiledTemplate).outputs ?? {});
    assert.ok(outputs.length > 0);
    assert.deepEqual(outputs.filter((name) => !/^[A-Z][A-Z0-9]*(_[A-Z0-9]+)*$/.test(name)), []);
  });
});

describe("the compile check catches what it must", { skip }, () => {
  const executable = cli.found ? cli.executable : "";

  test("a syntax error fails it, and the file yields no template", () => {
    const { diagnostics, templates } = compileBicepSources(executable, {
      "broken.bicep": "@description('Name.')\nparam name string\nresource s 'Microsoft.Storage/storageAccounts@2025-06-01' = {\n  name: name\n",
    });
    assert.ok(diagnostics.some((d) => d.level === "Error" && d.file === "broken.bicep"), JSON.stringify(diagnostics));
    assert.equal(templates.size, 0);
  });

  test("a type error fails it", () => {
    const { diagnostics } = compileBicepSources(executable, {
      "typed.bicep": "@description('Instances.')\nparam count int = 'many'\noutput COUNT int = count\n",
    });
    assert.ok(diagnostics.some((d) => d.level === "Error" && d.code.startsWith("BCP")), JSON.stringify(diagnostics));
  });

  test("a linter finding fails it (an unused parameter, an error in infra/bicepconfig.json)", () => {
    const { diagnostics } = compileBicepSources(executable, { "unused.bicep": "@description('Never used.')\nparam unused string\n" });
    assert.deepEqual(
      diagnostics.map((d) => d.code),
      ["no-unused-params"],
    );
  });

  test("a warning fails it too", () => {
    // BCP333: the compiler sees that a two-letter name is below storage's minimum of three.
    const { diagnostics } = compileBicepSources(executable, {
      "warned.bicep":
        "resource s 'Microsoft.Storage/storageAccounts@2025-06-01' existing = {\n  name: 'st'\n}\noutput ID string = s.id\n",
    });
    assert.ok(diagnostics.some((d) => d.level === "Warning"), JSON.stringify(diagnostics));
  });

  test("the convention checks see a parameter without @description and a role assignment not named guid(scope, principal, role)", () => {
    const { diagnostics, templates } = compileBicepSources(executable, {
      "conventions.bicep": [
        "@description('Described.')",
        "param principalId string",
        "param roleId string",
        "resource fixed 'Microsoft.Authorization/roleAssignments@2022-04-01' = {",
        "  name: guid(principalId, roleId)",
        "  properties: {",
        "    principalId: principalId",
        "    roleDefinitionId: subscriptionResourceId('Microsoft.Authorization/roleDefinitions', roleId)",
        "  }",
        "}",
        "",
      ].join("\n"),
    });
    assert.deepEqual(describeLevels(diagnostics), []);
    const template = templates.get("conventions.bicep");
    assert.deepEqual(undescribedParameters(template), ["roleId"]);
    assert.deepEqual(
      readArmInventory(template).roleAssignments.map((assignment) => assignment.guidArguments),
      [["parameters('principalId')", "parameters('roleId')"]],
    );
  });
});
