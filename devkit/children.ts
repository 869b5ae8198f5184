import { spawn, type ChildProcess } from "node:child_process";
import { join } from "node:path";
import { createInterface } from "node:readline";
import { aggregateUsageTrigger } from "../functions/aggregateUsage";
import { projectRoot } from "../local/hostSettings";
import { disabledSettingNames } from "../shared/config";
import { heapLimitFlag } from "../shared/heapLimit";

export interface Child {
  process: ChildProcess;
  /** The first stdout line that matched. */
  match: RegExpExecArray;
  stop(): Promise<void>;
}

/**
 * The app setting that pauses aggregation, as an operator sets it on the host (its Linux
 * spelling: a child's environment is an environment). A runtime started with it serves
 * HTTP only, so that a stage measures ingestion alone.
 */
export const aggregationDisabled: Readonly<Record<string, string>> = Object.freeze({ [disabledSettingNames(aggregateUsageTrigger.name)[1]]: "true" });

/** Arguments of local/start.js that read no local.settings.json: a child reads only the settings it is given. */
export const noLocalSettings: readonly string[] = ["--local-settings", "none"];

/**
 * Node's arguments for a child that plays the service: the heap limit Azure and `npm start`
 * give it (shared/heapLimit.ts), so that memory and speed are measured as deployed. Azurite
 * children get none: they stand for Azure Storage, not for us.
 */
export const serviceNodeArguments: readonly string[] = [heapLimitFlag];

/** How long a child may take to print its ready line. */
const READY_TIMEOUT_MS = 60_000;
/** How long a child may take to exit on SIGTERM before it is killed. */
const STOP_TIMEOUT_MS = 10_000;

// Every child still running; killed when this process exits, however it exits, so that a
// failed or interrupted benchmark never leaves an Azurite or a runtime behind.
const live = new Set<ChildProcess>();
process.on("exit", () => {
  for (const child of live) child.kill("SIGKILL");
});

/**
 * Starts a compiled script of this project in its own process and waits for a line of its
 * output to match `ready`. Separate processes give storage, service and load generator
 * their own event loops, as in a deployment.
 */
export async function startChild(script: string, args: readonly string[], env: Record<string, string>, ready: RegExp, nodeArguments: readonly string[] = []): Promise<Child> {
  const child = spawn(process.execPath, [...nodeArguments, join(projectRoot(), "dist", script), ...args], {
    // Only what the benchmark names: the child reads its settings from nothing else.
    env,
    stdio: ["ignore", "pipe", "inherit"],
  });
  live.add(child);
  child.once("exit", () => live.delete(child));
  const lines = createInterface({ input: child.stdout });
  let timer: NodeJS.Timeout | undefined;
  let match: RegExpExecArray;
  try {
    match = await new Promise<RegExpExecArray>((resolve, reject) => {
      child.once("error", reject);
      child.once("exit", (code, signal) => reject(new Error(`${script} exited with ${code ?? signal} before it was ready`)));
      timer = setTimeout(() => reject(new Error(`${script} printed nothing matching ${String(ready)} within ${READY_TIMEOUT_MS / 1000} s`)), READY_TIMEOUT_MS);
      lines.on("line", (line) => {
        const found = ready.exec(line);
        if (found !== null) resolve(found);
      });
    });
  } catch (error) {
    child.kill("SIGKILL");
    throw error;
  } finally {
    clearTimeout(timer);
  }
  return {
    process: child,
    match,
    stop: () =>
      new Promise<void>((resolve) => {
        if (child.exitCode !== null || child.signalCode !== null) {
          resolve();
          return;
        }
        const kill = setTimeout(() => child.kill("SIGKILL"), STOP_TIMEOUT_MS);
        child.once("exit", () => {
          clearTimeout(kill);
          resolve();
        });
        child.kill("SIGTERM");
      }),
  };
}
