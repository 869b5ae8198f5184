import { writeSync } from "node:fs";

/** Bytes held before a write is forced: one syscall per burst rather than per line. */
const FLUSH_ABOVE = 64 * 1024;

/**
 * A line writer for the local runtime's stdout that gathers the lines of one turn of the
 * event loop into one write. On Linux a write to a pipe is synchronous, and `console.log`
 * makes one per line: under load the runtime's two lines per request were its largest cost
 * of its own (docs/performance.md, bench (b)). Lines keep their order, and what is held is
 * written before the process exits.
 */
export function bufferedLines(fd: number): (line: string) => void {
  let held: string[] = [];
  let bytes = 0;
  let scheduled = false;
  const flush = (): void => {
    scheduled = false;
    if (held.length === 0) return;
    const text = held.join("");
    held = [];
    bytes = 0;
    try {
      writeSync(fd, text);
    } catch {
      // A closed stdout (the reader went away) must not take the runtime down with it.
    }
  };
  process.on("exit", flush);
  return (line) => {
    held.push(`${line}\n`);
    bytes += line.length + 1;
    if (bytes > FLUSH_ABOVE) flush();
    else if (!scheduled) {
      scheduled = true;
      setImmediate(flush);
    }
  };
}

let stdout: ((line: string) => void) | undefined;

/** The process's one buffered writer of stdout lines (every runtime in the process shares it). */
export function stdoutLines(): (line: string) => void {
  stdout ??= bufferedLines(1);
  return stdout;
}
