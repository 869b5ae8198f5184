/**
 * azure.yaml asks for an azd that packages this app correctly. Since azd 1.23.12 a JavaScript
 * function app with `remoteBuild: false` and no .funcignore keeps its node_modules in the
 * zip; an older azd drops them, and a .funcignore that excludes node_modules makes a current
 * azd refuse `remoteBuild: false` (azure-dev pull request 7223).
 */
import assert from "node:assert/strict";
import * as fs from "node:fs";
import * as path from "node:path";
import { test } from "node:test";
import { projectRoot } from "../../local/hostSettings";

const root = projectRoot();
const azureYaml = fs.readFileSync(path.join(root, "azure.yaml"), "utf8");

test("azure.yaml requires azd 1.23.12 or later and builds the package itself", () => {
  assert.match(azureYaml, /^requiredVersions:\n {2}azd: ">= 1\.23\.12"$/m);
  assert.match(azureYaml, /^ {4}remoteBuild: false$/m);
  assert.match(azureYaml, /^ {4}dist: \.deploy$/m);
});

test("no .funcignore beside azure.yaml that would drop node_modules", () => {
  const funcignore = path.join(root, ".funcignore");
  if (!fs.existsSync(funcignore)) return;
  assert.doesNotMatch(fs.readFileSync(funcignore, "utf8"), /^\/?node_modules\/?$/m);
});

test("docs/deploy.md asks for the same azd", () => {
  const docs = fs.readFileSync(path.join(root, "docs", "deploy.md"), "utf8");
  assert.match(docs, /azd 1\.23\.12 or later/);
  assert.doesNotMatch(docs, /1\.23\.5/);
});
