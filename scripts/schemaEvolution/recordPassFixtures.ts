/**
 * Every fixture ever accepted under a version stays in test/fixtures and must stay accepted
 * (contract section 3.2). Git history is not there on a shallow clone, so each version's
 * folder commits a manifest of its pass/ files with their SHA-256: a pass fixture deleted or
 * edited no longer matches it, and the test (test/schemas/passFixturesStay.test.ts) fails.
 *
 * `npm run fixtures:manifest -- <docType> <version>` records new pass fixtures; it never
 * changes or drops an entry.
 */
import { existsSync, readFileSync, readdirSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { sha256Hex } from "../../shared/sha256Hex";
import { findProjectRoot } from "../generateTypes";

export const fixturesFolder = join("test", "fixtures");
export const manifestName = "pass-manifest.json";

export interface FixtureVersion {
  docType: string;
  version: number;
  /** test/fixtures/<docType>/v<N>, relative to the project root. */
  folder: string;
}

export interface PassManifest {
  $comment: string;
  /** pass/ file name to the SHA-256 (hex) of its bytes. */
  files: Record<string, string>;
}

export interface PassFixtureDrift {
  /** In the manifest, gone from pass/. */
  missing: string[];
  /** In the manifest, with other bytes now. */
  changed: string[];
  /** In pass/, not yet in the manifest. */
  unrecorded: string[];
}

const manifestComment =
  "Every file ever in pass/, with the SHA-256 of its bytes. A fixture accepted under this version stays, byte for byte, and stays accepted (contract section 3.2); one the contract has since refused by a semantic rule is listed as withdrawn in expectations.json, never removed. Add new pass fixtures with npm run fixtures:manifest -- <docType> <version>.";

/** The folders test/fixtures/<docType>/v<N> that hold a pass/ folder. */
export function listFixtureVersions(root: string): FixtureVersion[] {
  const found: FixtureVersion[] = [];
  const base = join(root, fixturesFolder);
  for (const docType of readdirSync(base, { withFileTypes: true })) {
    if (!docType.isDirectory()) continue;
    for (const entry of readdirSync(join(base, docType.name), { withFileTypes: true })) {
      const match = /^v([1-9][0-9]*)$/.exec(entry.name);
      if (match === null || !entry.isDirectory() || !existsSync(join(base, docType.name, entry.name, "pass"))) continue;
      found.push({ docType: docType.name, version: Number(match[1]), folder: join(fixturesFolder, docType.name, entry.name) });
    }
  }
  return found.sort((a, b) => a.docType.localeCompare(b.docType) || a.version - b.version);
}

/** The command that records a version's new pass fixtures. */
export function recordCommand(fixtures: Pick<FixtureVersion, "docType" | "version">): string {
  return `npm run fixtures:manifest -- ${fixtures.docType} ${fixtures.version}`;
}

/** The SHA-256 of every .json file in a version's pass/ folder, by name. */
export function hashPassFixtures(root: string, fixtures: FixtureVersion): Record<string, string> {
  const folder = join(root, fixtures.folder, "pass");
  const hashes: Record<string, string> = {};
  for (const name of readdirSync(folder).filter((file) => file.endsWith(".json")).sort()) hashes[name] = sha256Hex(readFileSync(join(folder, name)));
  return hashes;
}

/** The committed manifest of a version, or undefined when it has none yet. */
export function readPassManifest(root: string, fixtures: FixtureVersion): PassManifest | undefined {
  const path = join(root, fixtures.folder, manifestName);
  return existsSync(path) ? (JSON.parse(readFileSync(path, "utf8")) as PassManifest) : undefined;
}

/**
 * What differs between a manifest and the pass/ files as they are.
 *
 * @returns missing and changed files (each a failure), and files not yet recorded.
 */
export function comparePassFixtures(manifest: Record<string, string>, actual: Record<string, string>): PassFixtureDrift {
  const recorded = Object.keys(manifest).sort();
  return {
    missing: recorded.filter((name) => !Object.hasOwn(actual, name)),
    changed: recorded.filter((name) => Object.hasOwn(actual, name) && actual[name] !== manifest[name]),
    unrecorded: Object.keys(actual).filter((name) => !Object.hasOwn(manifest, name)).sort(),
  };
}

/**
 * Adds a version's unrecorded pass fixtures to its manifest (creating it if need be).
 *
 * @returns the names added.
 * @throws when a recorded fixture is missing or changed: that is the failure the manifest
 * exists to catch, so it is not papered over here.
 */
export function recordPassFixtures(root: string, fixtures: FixtureVersion): string[] {
  const manifest = readPassManifest(root, fixtures) ?? { $comment: manifestComment, files: {} };
  const actual = hashPassFixtures(root, fixtures);
  const drift = comparePassFixtures(manifest.files, actual);
  if (drift.missing.length > 0 || drift.changed.length > 0) {
    throw new Error(`${fixtures.folder}/pass: accepted fixtures must stay as they were; restore ${[...drift.missing, ...drift.changed].join(", ")}`);
  }
  const files = { ...manifest.files };
  for (const name of drift.unrecorded) files[name] = actual[name]!;
  const sorted = Object.fromEntries(Object.entries(files).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)));
  writeFileSync(join(root, fixtures.folder, manifestName), JSON.stringify({ $comment: manifest.$comment, files: sorted }, null, 2) + "\n");
  return drift.unrecorded;
}

if (require.main === module) {
  const root = findProjectRoot(__dirname);
  const [docType, version] = process.argv.slice(2);
  const fixtures = listFixtureVersions(root).find((known) => known.docType === docType && String(known.version) === version);
  if (fixtures === undefined) {
    console.error(`usage: npm run fixtures:manifest -- <docType> <version>, for a folder test/fixtures/<docType>/v<version>/pass`);
    process.exitCode = 2;
  } else {
    try {
      const added = recordPassFixtures(root, fixtures);
      console.log(added.length === 0 ? "nothing new to record" : `recorded ${added.join(", ")}`);
    } catch (error) {
      console.error(error instanceof Error ? error.message : error);
      process.exitCode = 1;
    }
  }
}
