/**
 * Syntax and convention checks on every .bicep file under infra/, with tree-sitter-bicep.
 * No Bicep compiler reaches the machines that run these tests; `az bicep build` and the
 * linter run in the infra workflow. These catch the mistakes that can be seen without one.
 */
import assert from "node:assert/strict";
import * as fs from "node:fs";
import * as path from "node:path";
import { describe, test } from "node:test";
import { findProjectRoot, findSyntaxProblems, listBicepFiles, parseBicep, readBicepInventory } from "./bicepInventory";

const root = findProjectRoot();
const bicepFiles = listBicepFiles(path.join(root, "infra"));
const relative = (file: string): string => path.relative(root, file);

describe("the parser", () => {
  test("accepts valid Bicep", () => {
    const tree = parseBicep("param name string\nresource s 'Microsoft.Storage/storageAccounts@2023-05-01' = {\n  name: name\n}\n");
    assert.deepEqual(findSyntaxProblems(tree), []);
  });

  test("reports a missing closing brace", () => {
    const problems = findSyntaxProblems(parseBicep("resource s 'Microsoft.Storage/storageAccounts@2023-05-01' = {\n  name: 'x'\n"));
    assert.notEqual(problems.length, 0);
  });

  test("reports text that is not Bicep", () => {
    const problems = findSyntaxProblems(parseBicep("param = 'no name'\nresource s = {}\n"));
    assert.ok(problems.some((problem) => problem.kind === "ERROR"), JSON.stringify(problems));
  });
});

describe("infra/*.bicep", () => {
  test("the main template and its modules are all found", () => {
    const names = bicepFiles.map(relative).map((file) => file.split(path.sep).join("/"));
    assert.ok(names.includes("infra/main.bicep"), names.join(", "));
    for (const module of ["identity", "monitoring", "storage", "roleAssignments", "functionApp"]) {
      assert.ok(names.includes(`infra/modules/${module}.bicep`), `infra/modules/${module}.bicep missing from ${names.join(", ")}`);
    }
  });

  for (const file of bicepFiles) {
    const source = fs.readFileSync(file, "utf8");

    test(`${relative(file)} parses without ERROR or MISSING nodes`, () => {
      assert.deepEqual(findSyntaxProblems(parseBicep(source)), []);
    });

    test(`${relative(file)} describes every parameter`, () => {
      const undescribed = readBicepInventory(source)
        .parameters.filter((parameter) => !parameter.hasDescription)
        .map((parameter) => `${parameter.name} (line ${parameter.line})`);
      assert.deepEqual(undescribed, []);
    });

    test(`${relative(file)} names role assignments guid(scope, principal, role)`, () => {
      for (const assignment of readBicepInventory(source).roleAssignments) {
        assert.equal(assignment.guidArguments?.length, 3, `${assignment.symbol} (line ${assignment.line})`);
      }
    });
  }

  test("main.bicep outputs are UPPER_SNAKE, as azd turns them into environment variables", () => {
    const outputs = readBicepInventory(fs.readFileSync(path.join(root, "infra", "main.bicep"), "utf8")).outputs;
    assert.ok(outputs.length > 0);
    assert.deepEqual(outputs.filter((name) => !/^[A-Z][A-Z0-9]*(_[A-Z0-9]+)*$/.test(name)), []);
  });
});

describe("the convention checks catch violations", () => {
  test("a parameter without @description", () => {
    const parameters = readBicepInventory("@description('ok')\nparam a string\n@minValue(1)\nparam b int\n").parameters;
    assert.deepEqual(
      parameters.map((parameter) => [parameter.name, parameter.hasDescription]),
      [
        ["a", true],
        ["b", false],
      ],
    );
  });

  test("a role assignment with a fixed name", () => {
    const [assignment] = readBicepInventory(
      "resource r 'Microsoft.Authorization/roleAssignments@2022-04-01' = {\n  name: 'fixed'\n}\n",
    ).roleAssignments;
    assert.equal(assignment?.guidArguments, undefined);
  });

  test("a role assignment named by guid() of two arguments", () => {
    const [assignment] = readBicepInventory(
      "resource r 'Microsoft.Authorization/roleAssignments@2022-04-01' = {\n  name: guid(principalId, roleId)\n}\n",
    ).roleAssignments;
    assert.deepEqual(assignment?.guidArguments, ["principalId", "roleId"]);
  });
});
