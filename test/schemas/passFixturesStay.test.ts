import { test } from "node:test";
import assert from "node:assert/strict";
import { cpSync, mkdtempSync, rmSync, unlinkSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { findProjectRoot } from "../../scripts/generateTypes";
import {
  comparePassFixtures,
  hashPassFixtures,
  listFixtureVersions,
  readPassManifest,
  recordCommand,
  recordPassFixtures,
  type FixtureVersion,
} from "../../scripts/schemaEvolution/recordPassFixtures";
import { findDocumentType } from "../../shared/validation/documentTypes";
import { loadUsageFixtures, pathDocIdOf } from "../support/usageFixtures";

const root = findProjectRoot(__dirname);
const versions = listFixtureVersions(root);

test("the fixture folders are found per version, usage v1 among them", () => {
  assert.ok(versions.some((fixtures) => fixtures.docType === "usage" && fixtures.version === 1), JSON.stringify(versions));
});

for (const fixtures of versions) {
  const where = `${fixtures.folder}/pass`;

  test(`${where}: every fixture ever accepted is still there, byte for byte`, () => {
    const manifest = readPassManifest(root, fixtures);
    assert.ok(manifest !== undefined, `${fixtures.folder} has no pass-manifest.json: record its pass fixtures with \`${recordCommand(fixtures)}\``);
    const drift = comparePassFixtures(manifest.files, hashPassFixtures(root, fixtures));
    assert.deepEqual(drift.missing, [], `deleted from ${where}: accepted fixtures stay; restore them (one a later rule refuses is listed as withdrawn in expectations.json)`);
    assert.deepEqual(drift.changed, [], `edited in ${where}: accepted fixtures stay byte for byte; restore them and add the new form as a new file`);
    assert.deepEqual(drift.unrecorded, [], `new in ${where}: record them with \`${recordCommand(fixtures)}\``);
  });

  if (fixtures.docType !== "usage") continue;
  const documentType = findDocumentType(fixtures.docType, fixtures.version);
  const loaded = loadUsageFixtures(fixtures.version);

  test(`${where}: the receiver knows ${fixtures.docType} v${fixtures.version}`, () => {
    assert.ok(documentType !== undefined, `${fixtures.folder} exists, but findDocumentType("${fixtures.docType}", ${fixtures.version}) knows no such version`);
  });

  for (const fixture of loaded.pass) {
    test(`${where}/${fixture.name} is accepted by the receiver's ${fixtures.docType} v${fixtures.version}`, () => {
      for (const now of [loaded.now, new Date("2031-01-01T00:00:00.000Z")]) {
        const result = documentType!.validate(fixture.document, { docId: pathDocIdOf(fixture.document), docVersion: fixtures.version }, now);
        assert.deepEqual(result.ok ? [] : result.errors, [], `at ${now.toISOString()}`);
      }
    });
  }

  for (const fixture of loaded.withdrawn) {
    test(`${where}/${fixture.name} is withdrawn only by a named contract rule, and stays in the manifest`, () => {
      assert.ok(fixture.expectation.reason.length > 0);
      assert.ok(Object.hasOwn(readPassManifest(root, fixtures)?.files ?? {}, fixture.name));
      const result = documentType!.validate(fixture.document, { docId: pathDocIdOf(fixture.document, fixture.expectation), docVersion: fixtures.version }, loaded.now);
      assert.equal(result.ok, false);
    });
  }
}

/** A copy of the real v1 pass fixtures and manifest, to delete and edit freely. */
function scratchCopy(t: { after(fn: () => void): void }): { folder: string; fixtures: FixtureVersion } {
  const folder = mkdtempSync(join(tmpdir(), "pass-fixtures-"));
  t.after(() => rmSync(folder, { recursive: true, force: true }));
  const fixtures: FixtureVersion = { docType: "usage", version: 1, folder: join("test", "fixtures", "usage", "v1") };
  cpSync(join(root, fixtures.folder, "pass"), join(folder, fixtures.folder, "pass"), { recursive: true });
  cpSync(join(root, fixtures.folder, "pass-manifest.json"), join(folder, fixtures.folder, "pass-manifest.json"));
  return { folder, fixtures };
}

test("a deleted, an edited and a new pass fixture are each told apart", (t) => {
  const { folder, fixtures } = scratchCopy(t);
  const pass = join(folder, fixtures.folder, "pass");
  unlinkSync(join(pass, "minimal.json"));
  writeFileSync(join(pass, "fullExample.json"), "{}\n");
  writeFileSync(join(pass, "zzNew.json"), "{}\n");
  const drift = comparePassFixtures(readPassManifest(folder, fixtures)!.files, hashPassFixtures(folder, fixtures));
  assert.deepEqual(drift, { missing: ["minimal.json"], changed: ["fullExample.json"], unrecorded: ["zzNew.json"] });
});

test("fixtures:manifest records new pass fixtures and refuses to forget a deleted or edited one", (t) => {
  const { folder, fixtures } = scratchCopy(t);
  const pass = join(folder, fixtures.folder, "pass");
  writeFileSync(join(pass, "zzNew.json"), "{}\n");
  assert.deepEqual(recordPassFixtures(folder, fixtures), ["zzNew.json"]);
  assert.deepEqual(comparePassFixtures(readPassManifest(folder, fixtures)!.files, hashPassFixtures(folder, fixtures)), { missing: [], changed: [], unrecorded: [] });
  writeFileSync(join(pass, "minimal.json"), "{}\n");
  assert.throws(() => recordPassFixtures(folder, fixtures), /restore minimal\.json/);
});
