/**
 * `npm run schema:publish -- <docType> <version>`: keeps a version's first published form in
 * schemas/published/, byte for byte. It never overwrites one: the first form is what every
 * later change of that version is held to.
 */
import { copyFileSync, existsSync } from "node:fs";
import { join } from "node:path";
import { findProjectRoot } from "../generateTypes";
import { listSchemaVersions, schemaFileName } from "./listSchemaVersions";

/**
 * Copies `schemas/<docType>.v<version>.schema.json` to `schemas/published/`.
 *
 * @returns the path written, relative to `root`.
 * @throws when there is no such schema or it was published already.
 */
export function publishSchema(docType: string, version: number, root: string = findProjectRoot(__dirname)): string {
  const schema = listSchemaVersions(root).find((known) => known.docType === docType && known.version === version);
  if (schema === undefined) throw new Error(`there is no schemas/${schemaFileName(docType, version)}`);
  if (existsSync(join(root, schema.published))) {
    throw new Error(`${schema.published} exists: a version's first published form is kept as it is. A change that narrows belongs in a new version.`);
  }
  copyFileSync(join(root, schema.current), join(root, schema.published));
  return schema.published;
}

if (require.main === module) {
  const [docType, version] = process.argv.slice(2);
  if (docType === undefined || version === undefined || !/^[1-9][0-9]*$/.test(version)) {
    console.error("usage: npm run schema:publish -- <docType> <version>   (e.g. usage 2)");
    process.exitCode = 2;
  } else {
    try {
      console.log(`wrote ${publishSchema(docType, Number(version))}`);
    } catch (error) {
      console.error(error instanceof Error ? error.message : error);
      process.exitCode = 1;
    }
  }
}
