/**
 * Every versioned schema under `schemas/` (`<docType>.v<N>.schema.json`) and where its first
 * published form is kept (`schemas/published/`, same name). No list to maintain: a new
 * version is a new file, found by its name.
 */
import { readdirSync } from "node:fs";
import { join } from "node:path";

export interface SchemaVersion {
  docType: string;
  version: number;
  /** The schema as it is today, relative to the project root. */
  current: string;
  /** Its first published form, relative to the project root (it may not exist yet). */
  published: string;
}

export const schemaFolder = "schemas";
export const publishedFolder = join("schemas", "published");

const versionedName = /^([a-z][A-Za-z0-9]*)\.v([1-9][0-9]*)\.schema\.json$/;

/** The file name of one version, as both folders spell it. */
export function schemaFileName(docType: string, version: number): string {
  return `${docType}.v${version}.schema.json`;
}

/**
 * Lists the versioned schemas under `root`'s `schemas/`, by docType then version.
 *
 * @returns one entry per `schemas/<docType>.v<N>.schema.json`.
 */
export function listSchemaVersions(root: string): SchemaVersion[] {
  const found: SchemaVersion[] = [];
  for (const name of readdirSync(join(root, schemaFolder))) {
    const match = versionedName.exec(name);
    if (match === null) continue;
    const [, docType, version] = match as unknown as [string, string, string];
    found.push({ docType, version: Number(version), current: join(schemaFolder, name), published: join(publishedFolder, name) });
  }
  return found.sort((a, b) => a.docType.localeCompare(b.docType) || a.version - b.version);
}
