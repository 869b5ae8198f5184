import { test } from "node:test";
import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { findProjectRoot, generateTypeSource, typeTargets } from "../../scripts/generateTypes";

const root = findProjectRoot(__dirname);

for (const target of typeTargets) {
  test(`${target.output} is what ${target.schema} generates (run npm run gen:types if not)`, async () => {
    const committed = readFileSync(join(root, target.output), "utf8");
    const generated = await generateTypeSource(target, root);
    assert.equal(committed, generated);
  });

  test(`${target.output} says it is generated`, () => {
    const committed = readFileSync(join(root, target.output), "utf8");
    assert.match(committed.split("\n").slice(0, 4).join("\n"), /GENERATED from .* DO NOT EDIT/);
    assert.match(committed, new RegExp(`export interface ${target.rootName} \\{`));
  });
}
