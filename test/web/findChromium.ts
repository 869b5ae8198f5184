import { accessSync, constants } from "node:fs";
import { delimiter, join } from "node:path";

/** The names a system Chromium goes by (Debian's package installs `chromium`). */
const names = ["chromium", "chromium-browser", "google-chrome", "google-chrome-stable"];

function executable(file: string): boolean {
  try {
    accessSync(file, constants.X_OK);
    return true;
  } catch {
    return false;
  }
}

/**
 * The system's Chromium for playwright-core: `CHROMIUM_PATH` when set, else the first of
 * the usual names on PATH; undefined when there is none. Never a downloaded browser: the
 * tests use what the machine has (.ci/run installs Debian's).
 */
export function findChromium(env: NodeJS.ProcessEnv = process.env): string | undefined {
  const given = env["CHROMIUM_PATH"];
  if (given !== undefined && given !== "") return executable(given) ? given : undefined;
  const dirs = (env["PATH"] ?? "").split(delimiter).filter((dir) => dir !== "");
  for (const name of names) for (const dir of dirs) if (executable(join(dir, name))) return join(dir, name);
  return undefined;
}
