/**
 * `npm run schema:check`: each versioned schema against its first published form. npm test
 * runs the same check (test/schemas/publishedSchemasOnlyWiden.test.ts).
 */
import { existsSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { findProjectRoot } from "../generateTypes";
import { findNarrowings, type Narrowing } from "./findNarrowings";
import { listSchemaVersions, type SchemaVersion } from "./listSchemaVersions";

export interface SchemaEvolutionVerdict {
  schema: SchemaVersion;
  /** unpublished: no first form kept yet, so nothing holds this version to anything. */
  status: "widens" | "narrows" | "unpublished";
  narrowings: Narrowing[];
}

/** The command that keeps a version's first published form. */
export function publishCommand(schema: Pick<SchemaVersion, "docType" | "version">): string {
  return `npm run schema:publish -- ${schema.docType} ${schema.version}`;
}

/** Compares every versioned schema under `root` with its first published form. */
export function checkSchemaEvolution(root: string = findProjectRoot(__dirname)): SchemaEvolutionVerdict[] {
  return listSchemaVersions(root).map((schema) => {
    const publishedPath = join(root, schema.published);
    if (!existsSync(publishedPath)) return { schema, status: "unpublished", narrowings: [] };
    const read = (path: string): unknown => JSON.parse(readFileSync(join(root, path), "utf8"));
    const narrowings = findNarrowings(read(schema.published), read(schema.current));
    return { schema, status: narrowings.length === 0 ? "widens" : "narrows", narrowings };
  });
}

/** What a verdict means, in lines a person can act on. */
export function describeVerdict(verdict: SchemaEvolutionVerdict): string[] {
  const { schema } = verdict;
  if (verdict.status === "unpublished") {
    return [`${schema.current} has no first published form in ${schema.published}: once this version is final, keep it with \`${publishCommand(schema)}\` and commit the copy.`];
  }
  if (verdict.status === "widens") return [`${schema.current}: accepts everything ${schema.published} accepts`];
  return [
    `${schema.current} refuses documents its first published form (${schema.published}) accepts; a published version only widens (contract section 3.2), so put the change in a new version:`,
    ...verdict.narrowings.map((narrowing) => `  ${narrowing.pointer || "(root)"}: ${narrowing.kind}: ${narrowing.message}`),
  ];
}

if (require.main === module) {
  const verdicts = checkSchemaEvolution();
  for (const verdict of verdicts) for (const line of describeVerdict(verdict)) console.log(line);
  if (verdicts.some((verdict) => verdict.status !== "widens")) process.exitCode = 1;
}
