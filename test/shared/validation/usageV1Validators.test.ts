import { test } from "node:test";
import assert from "node:assert/strict";
import { execFileSync } from "node:child_process";
import { readFileSync } from "node:fs";
import * as path from "node:path";
import { projectRoot } from "../../../local/hostSettings";
import { validatorTargets } from "../../../scripts/buildValidators";
import { generateValidatorModule } from "../../../shared/validation/generateValidatorModule";

/** The compiled output's root: dist/, three folders above this test's own. */
const outDir = path.join(__dirname, "..", "..", "..");

const validateUsageV1Module = path.join(outDir, "shared", "validation", "validateUsageV1.js");

for (const target of validatorTargets) {
  test(`the built ${target.output} is what ${target.schemaFile} generates (npm run build writes it)`, () => {
    const schema = JSON.parse(readFileSync(path.join(projectRoot(), target.schemaFile), "utf8")) as Record<string, unknown>;
    assert.equal(readFileSync(path.join(outDir, target.output), "utf8"), generateValidatorModule(schema));
  });
}

test("loading validateUsageV1 compiles no schema: its validators were generated at build time", () => {
  // A fresh process, since this one has long loaded Ajv. Ajv's compiler lives in its core
  // (ajv/dist/core.js, the class every Ajv variant extends); precompiled validators need
  // only the small runtime helpers under ajv/dist/runtime/.
  const loaded = JSON.parse(
    execFileSync(process.execPath, ["-e", `require(${JSON.stringify(validateUsageV1Module)}); console.log(JSON.stringify(Object.keys(require.cache)))`], {
      encoding: "utf8",
    }),
  ) as string[];
  const ajvModules = loaded.filter((file) => file.includes(`${path.sep}node_modules${path.sep}ajv${path.sep}`)).map((file) => file.slice(file.lastIndexOf(`${path.sep}ajv${path.sep}`) + 1));
  assert.deepEqual(
    ajvModules.filter((file) => !file.startsWith(["ajv", "dist", "runtime", ""].join(path.sep))),
    [],
  );
});
