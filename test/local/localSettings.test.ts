import assert from "node:assert/strict";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after, describe, test } from "node:test";
import { applyLocalSettings, LocalSettingsError, readLocalSettings } from "../../local/localSettings";

describe("local.settings.json, read as Core Tools reads it", () => {
  const dir = mkdtempSync(join(tmpdir(), "local-settings-unit-"));
  after(() => rmSync(dir, { recursive: true, force: true }));
  const write = (name: string, content: unknown): string => {
    const file = join(dir, name);
    writeFileSync(file, typeof content === "string" ? content : JSON.stringify(content));
    return file;
  };

  test("no file: no settings", () => {
    assert.equal(readLocalSettings(join(dir, "absent.json")), undefined);
  });

  test("Values and Host.LocalHttpPort are read; numbers and booleans in Values as they read", () => {
    const file = write("ok.json", { IsEncrypted: false, Values: { A: "a", N: 5, B: true }, Host: { LocalHttpPort: 7072, CORS: "*" } });
    assert.deepEqual(readLocalSettings(file), { values: { A: "a", N: "5", B: "true" }, localHttpPort: 7072 });
  });

  test("an encrypted file, malformed JSON, a bad port or a non-string value is refused with the file's name", () => {
    const files = [
      write("encrypted.json", { IsEncrypted: true, Values: { A: "x" } }),
      write("malformed.json", "{"),
      write("port.json", { Values: {}, Host: { LocalHttpPort: "7071" } }),
      write("nested.json", { Values: { A: { b: 1 } } }),
    ];
    for (const file of files) assert.throws(() => readLocalSettings(file), (error: unknown) => error instanceof LocalSettingsError && error.message.includes(file));
  });

  test("the environment wins; an empty environment value counts as unset; the file fills in the rest", () => {
    const applied = applyLocalSettings({ INGEST_KEY: "env", QUERY_KEY: "", OTHER: "kept" }, { values: { INGEST_KEY: "file", QUERY_KEY: "file-q", RATE_LIMIT_PER_HOUR: "5" }, localHttpPort: undefined });
    assert.deepEqual(applied.env, { INGEST_KEY: "env", QUERY_KEY: "file-q", OTHER: "kept", RATE_LIMIT_PER_HOUR: "5" });
    assert.deepEqual(applied.skipped, ["INGEST_KEY"]);
  });

  test("Host.LocalHttpPort is the port unless PORT is set", () => {
    const settings = { values: {}, localHttpPort: 7072 };
    assert.equal(applyLocalSettings({}, settings).env["PORT"], "7072");
    assert.equal(applyLocalSettings({ PORT: "8080" }, settings).env["PORT"], "8080");
  });
});
