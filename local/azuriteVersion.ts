import { readFileSync } from "node:fs";
import { join } from "node:path";
import { projectRoot } from "./hostSettings";

/**
 * local/azurite.ts builds Azurite's private server and configuration classes with positional
 * arguments, which change between versions without notice: package.json pins one exact
 * version, and a different one installed (an older lock file, a hand-made install) is
 * announced at start, because it fails in ways that do not name the cause.
 */
export function azuriteVersionWarning(pinned: string, installed: string): string | undefined {
  if (installed === pinned) return undefined;
  return (
    `Azurite ${installed} is installed but this project pins ${pinned}: local/azurite.ts passes ` +
    `positional arguments of ${pinned}'s private classes, which may differ in ${installed}. Run npm ci.`
  );
}

/** The version package.json pins (devDependencies.azurite, an exact version). */
export function pinnedAzuriteVersion(root: string = projectRoot()): string {
  const manifest = JSON.parse(readFileSync(join(root, "package.json"), "utf8")) as { devDependencies?: Record<string, string> };
  const pinned = manifest.devDependencies?.["azurite"];
  if (pinned === undefined) throw new Error("package.json has no devDependencies.azurite");
  return pinned;
}

/** The version of the Azurite package that Node resolves from here. */
export function installedAzuriteVersion(): string {
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  return (require("azurite/package.json") as { version: string }).version;
}
