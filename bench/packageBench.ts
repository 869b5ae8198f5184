/**
 * The deployment package: its size, and the cold module load of its entry point beside a
 * floor app that loads the same Azure SDKs from the same node_modules and does nothing else
 * (target: at most 1.5x). The package is staged from a clean copy exactly as
 * test/infra/stagedPackage.test.ts stages it (infra/scripts/stagePackage.sh), and every
 * load is a fresh `node` process that can reach nothing but the package.
 */
import * as path from "node:path";
import { loadStaged, measureTree, stageFromCleanCopy } from "../devkit/stagedPackage";
import { fmt, median, pairedRatio } from "./measure";

/** Fresh-process loads of each side; they alternate, so that load on the machine falls on both. */
const ROUNDS = 15;

function mebibytes(bytes: number): string {
  return `${fmt(bytes / 2 ** 20)} MiB`;
}

export async function benchStagedPackage(): Promise<string[]> {
  const staged = await stageFromCleanCopy();
  try {
    const total = measureTree(staged.packageDir);
    const modules = measureTree(path.join(staged.packageDir, "node_modules"));
    const dist = measureTree(path.join(staged.packageDir, "dist"));

    const entry: number[] = [];
    const floor: number[] = [];
    let entryFiles = 0;
    let floorFiles = 0;
    for (let round = 0; round < ROUNDS; round++) {
      const app = await loadStaged(staged.packageDir, { mode: "entry" });
      const sdks = await loadStaged(staged.packageDir, { mode: "floor" });
      entry.push(app.loadMs);
      floor.push(sdks.loadMs);
      entryFiles = app.loadedFiles;
      floorFiles = sdks.loadedFiles;
    }
    const ratio = pairedRatio(entry, floor);
    return [
      "(g) staged deployment package (infra/scripts/stagePackage.sh from a clean copy):",
      `    staged in ${fmt(staged.stageSeconds)} s (npm ci --omit=dev included)`,
      `    size ${mebibytes(total.bytes)} in ${total.files} files: node_modules ${mebibytes(modules.bytes)} (${modules.files} files), dist ${mebibytes(dist.bytes)} (${dist.files} files)`,
      `    cold module load, median of ${ROUNDS} fresh processes each:`,
      `      entry point  ${fmt(median(entry), 0)} ms  (${entryFiles} modules)`,
      `      floor (the same @azure/* SDKs alone)  ${fmt(median(floor), 0)} ms  (${floorFiles} modules)`,
      `      entry / floor  ${fmt(ratio, 2)}x  (target <= 1.5x)`,
    ];
  } finally {
    staged.remove();
  }
}
