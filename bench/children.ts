import { spawn, type ChildProcess } from "node:child_process";
import { join } from "node:path";
import { createInterface } from "node:readline";
import { projectRoot } from "../local/hostSettings";

export interface Child {
  process: ChildProcess;
  /** The first stdout line that matched. */
  match: RegExpExecArray;
  stop(): Promise<void>;
}

/**
 * Starts a compiled script of this project in its own process and waits for a line of its
 * output to match `ready`. Separate processes give storage, service and load generator
 * their own event loops, as in a deployment.
 */
export async function startChild(script: string, args: string[], env: Record<string, string>, ready: RegExp): Promise<Child> {
  const child = spawn(process.execPath, [join(projectRoot(), "dist", script), ...args], {
    // Only what the benchmark names: the child reads its settings from nothing else.
    env,
    stdio: ["ignore", "pipe", "inherit"],
  });
  const lines = createInterface({ input: child.stdout });
  const match = await new Promise<RegExpExecArray>((resolve, reject) => {
    child.once("exit", (code) => reject(new Error(`${script} exited with ${code} before it was ready`)));
    lines.on("line", (line) => {
      const found = ready.exec(line);
      if (found !== null) resolve(found);
    });
  });
  return {
    process: child,
    match,
    stop: () =>
      new Promise<void>((resolve) => {
        if (child.exitCode !== null) {
          resolve();
          return;
        }
        child.once("exit", () => resolve());
        child.kill("SIGTERM");
      }),
  };
}
