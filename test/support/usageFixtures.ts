/**
 * The `usage` fixtures of one version, in test/fixtures/usage/v<N>: documents that must pass, documents
 * that must fail, and what each failing one must produce (expectations.json). The documents
 * are plain JSON files, so integration tests can POST them as they are.
 */
import { readFileSync, readdirSync } from "node:fs";
import { join } from "node:path";
import { findProjectRoot } from "../../scripts/generateTypes";

export interface FailExpectation {
  kind: "consent" | "invalid";
  /** Every error path, in order. */
  paths: string[];
  /** The docId to submit under, when it must differ from the document's own. */
  pathDocId?: string;
}

export interface UsageFixture {
  name: string;
  /** The file's exact text, for POSTing. */
  text: string;
  document: unknown;
}

/** Why a pass fixture no longer passes: the contract rule that narrowed it. */
export interface WithdrawnExpectation extends FailExpectation {
  reason: string;
}

export interface UsageFixtures {
  /** The clock to validate against: every pass fixture is valid at it and after it. */
  now: Date;
  pass: UsageFixture[];
  fail: (UsageFixture & { expectation: FailExpectation })[];
  /**
   * Files in pass/ that the contract itself has since narrowed (expectations.json's
   * `withdrawn`): kept byte for byte where they are, and now expected to fail as listed.
   */
  withdrawn: (UsageFixture & { expectation: WithdrawnExpectation })[];
}

/** The usage versions that have fixtures, one folder each (test/fixtures/usage/v<version>). */
export const fixtureVersions: readonly number[] = Object.freeze([1, 2]);

function fixtureFolderOf(version: number): string {
  return join(findProjectRoot(__dirname), "test", "fixtures", "usage", `v${version}`);
}

function readFolder(fixtureFolder: string, kind: "pass" | "fail"): UsageFixture[] {
  const folder = join(fixtureFolder, kind);
  return readdirSync(folder)
    .filter((name) => name.endsWith(".json"))
    .sort()
    .map((name) => {
      const text = readFileSync(join(folder, name), "utf8");
      return { name, text, document: JSON.parse(text) as unknown };
    });
}

/** Loads every fixture of a version (1 unless given); throws if a failing fixture has no expectation or vice versa. */
export function loadUsageFixtures(version = 1): UsageFixtures {
  const fixtureFolder = fixtureFolderOf(version);
  const expectations = JSON.parse(readFileSync(join(fixtureFolder, "expectations.json"), "utf8")) as {
    now: string;
    fail: Record<string, FailExpectation>;
    withdrawn?: Record<string, WithdrawnExpectation>;
  };
  const fail = readFolder(fixtureFolder, "fail").map((fixture) => {
    const expectation = Object.hasOwn(expectations.fail, fixture.name) ? expectations.fail[fixture.name] : undefined;
    if (expectation === undefined) throw new Error(`fail/${fixture.name} has no entry in expectations.json`);
    return { ...fixture, expectation };
  });
  const orphans = Object.keys(expectations.fail).filter((name) => !fail.some((fixture) => fixture.name === name));
  if (orphans.length > 0) throw new Error(`expectations.json names missing fixtures: ${orphans.join(", ")}`);
  const withdrawnExpectations = expectations.withdrawn ?? {};
  const pass: UsageFixture[] = [];
  const withdrawn: UsageFixtures["withdrawn"] = [];
  for (const fixture of readFolder(fixtureFolder, "pass")) {
    const expectation = Object.hasOwn(withdrawnExpectations, fixture.name) ? withdrawnExpectations[fixture.name] : undefined;
    if (expectation === undefined) pass.push(fixture);
    else withdrawn.push({ ...fixture, expectation });
  }
  const missing = Object.keys(withdrawnExpectations).filter((name) => !withdrawn.some((fixture) => fixture.name === name));
  if (missing.length > 0) throw new Error(`expectations.json withdraws missing pass fixtures: ${missing.join(", ")}`);
  return { now: new Date(expectations.now), pass, fail, withdrawn };
}

/** The docId a fixture is submitted under: its pathDocId, else its own docId, else a fixed UUID. */
export function pathDocIdOf(document: unknown, expectation?: FailExpectation): string {
  if (expectation?.pathDocId !== undefined) return expectation.pathDocId;
  if (typeof document === "object" && document !== null && Object.hasOwn(document, "docId")) {
    const docId = (document as { docId: unknown }).docId;
    if (typeof docId === "string") return docId;
  }
  return "00000000-0000-4000-8000-000000000000";
}
