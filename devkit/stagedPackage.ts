/**
 * Stages the deployment package as a clean deploy job would, and loads it as the Functions
 * host would: for test/infra/stagedPackage.test.ts and the bench (bench/packageBench.ts).
 *
 * The clean copy holds the files a clone of this checkout would hold (tracked and
 * not-ignored files, as they are in the working tree, so that uncommitted edits are what
 * gets tested): no dist/, no .deploy/, no build of any kind. Its node_modules is a link to
 * this checkout's, for building only; it is removed before anything loads the package, so
 * that the staged node_modules is the only one module resolution can reach.
 */
import { execFile } from "node:child_process";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { promisify } from "node:util";
import { projectRoot } from "../local/hostSettings";
import { probeMarker, type ProbeReport } from "./stagedEntryProbe";

const run = promisify(execFile);

export interface StagedPackage {
  /** The staged package: what azd zips and Flex Consumption runs. */
  packageDir: string;
  /** Seconds spent copying the checkout and running infra/scripts/stagePackage.sh. */
  copySeconds: number;
  stageSeconds: number;
  /** Removes the clean copy and the package with it. */
  remove(): void;
}

/** Files a clone of the checkout at `root` would hold, with their working-tree content. */
async function cloneableFiles(root: string): Promise<string[]> {
  const { stdout } = await run("git", ["ls-files", "-z", "--cached", "--others", "--exclude-standard"], { cwd: root, maxBuffer: 64 * 1024 * 1024 });
  // --cached also lists files deleted in the working tree but not yet in the index.
  return stdout.split("\0").filter((file) => file !== "" && fs.existsSync(path.join(root, file)));
}

/** The nearest folder at or above `dir` that holds a node_modules, if any. */
function nodeModulesAbove(dir: string): string | undefined {
  for (let current = path.resolve(dir); ; current = path.dirname(current)) {
    if (fs.existsSync(path.join(current, "node_modules"))) return current;
    if (path.dirname(current) === current) return undefined;
  }
}

/**
 * Copies the checkout to a temporary folder and runs `bash infra/scripts/stagePackage.sh`
 * there, as the azd `prepackage` hook does in a fresh clone. Throws with the script's output
 * if it fails.
 */
export async function stageFromCleanCopy(root: string = projectRoot()): Promise<StagedPackage> {
  const copy = fs.mkdtempSync(path.join(os.tmpdir(), "staged-package-"));
  const remove = () => fs.rmSync(copy, { recursive: true, force: true });
  try {
    const copyStarted = performance.now();
    for (const file of await cloneableFiles(root)) {
      fs.mkdirSync(path.dirname(path.join(copy, file)), { recursive: true });
      fs.copyFileSync(path.join(root, file), path.join(copy, file));
    }
    fs.symlinkSync(path.join(root, "node_modules"), path.join(copy, "node_modules"), "dir");
    const copySeconds = (performance.now() - copyStarted) / 1000;

    const stageStarted = performance.now();
    try {
      await run("bash", [path.join("infra", "scripts", "stagePackage.sh")], { cwd: copy, maxBuffer: 64 * 1024 * 1024 });
    } catch (error) {
      const { stdout = "", stderr = "" } = error as { stdout?: string; stderr?: string };
      throw new Error(`infra/scripts/stagePackage.sh failed in a clean copy:\n${stdout}${stderr}`);
    }
    const stageSeconds = (performance.now() - stageStarted) / 1000;

    fs.unlinkSync(path.join(copy, "node_modules"));
    const packageDir = path.join(copy, ".deploy");
    const reachable = nodeModulesAbove(path.dirname(packageDir));
    if (reachable !== undefined) {
      throw new Error(`${reachable}/node_modules is reachable from the staged package, which could hide a missing dependency; remove it`);
    }
    return { packageDir, copySeconds, stageSeconds, remove };
  } catch (error) {
    remove();
    throw error;
  }
}

/** What `loadStaged` can load in a fresh process: see stagedEntryProbe.ts. */
export type ProbeMode = { mode: "entry" } | { mode: "floor" } | { mode: "require"; names: string[] };

/**
 * Loads part of a staged package in a fresh `node` process that can resolve modules from
 * the package alone: no NODE_PATH, no NODE_OPTIONS, and HOME (whose ~/.node_modules Node also
 * searches) inside the package.
 */
export async function loadStaged(packageDir: string, probe: ProbeMode): Promise<ProbeReport> {
  const args = [path.join(__dirname, "stagedEntryProbe.js"), packageDir, probe.mode, ...(probe.mode === "require" ? probe.names : [])];
  const { stdout } = await run(process.execPath, args, {
    cwd: packageDir,
    env: { PATH: process.env.PATH ?? "", HOME: packageDir },
    maxBuffer: 16 * 1024 * 1024,
  });
  const line = stdout.split("\n").find((text) => text.startsWith(probeMarker));
  if (line === undefined) throw new Error(`the probe printed no report:\n${stdout}`);
  return JSON.parse(line.slice(probeMarker.length)) as ProbeReport;
}

/** Bytes and files under `dir` (apparent sizes, symlinks not followed). */
export function measureTree(dir: string): { bytes: number; files: number } {
  let bytes = 0;
  let files = 0;
  for (const entry of fs.readdirSync(dir, { withFileTypes: true, recursive: true })) {
    if (!entry.isFile()) continue;
    bytes += fs.statSync(path.join(entry.parentPath, entry.name)).size;
    files += 1;
  }
  return { bytes, files };
}
