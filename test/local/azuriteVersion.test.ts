import assert from "node:assert/strict";
import { describe, test } from "node:test";
import { azuriteVersionWarning, installedAzuriteVersion, pinnedAzuriteVersion } from "../../local/azuriteVersion";

describe("the pinned Azurite version", () => {
  test("package.json pins one exact version, and it is the one installed", () => {
    assert.match(pinnedAzuriteVersion(), /^\d+\.\d+\.\d+$/);
    assert.equal(installedAzuriteVersion(), pinnedAzuriteVersion());
  });

  test("the same version: no warning", () => {
    assert.equal(azuriteVersionWarning("3.37.0", "3.37.0"), undefined);
  });

  test("another version, older or newer: a warning naming both", () => {
    for (const installed of ["3.36.0", "3.38.1", "4.0.0"]) {
      const warning = azuriteVersionWarning("3.37.0", installed);
      assert.ok(warning?.includes("3.37.0") === true && warning.includes(installed), installed);
    }
  });
});
