/**
 * Runs in a child process started by stagedPackage.ts, inside a staged deployment package:
 *
 *   node stagedEntryProbe.js <package dir> entry          load the entry point (package.json `main`)
 *   node stagedEntryProbe.js <package dir> floor          load the package's Azure SDKs alone
 *   node stagedEntryProbe.js <package dir> require <name>  load one dependency
 *
 * Everything is resolved from the package directory (createRequire), never from this file's
 * own folder, so that only the package's node_modules can answer. In `entry` mode the
 * package's own `app.http`, `app.storageQueue` and `app.timer` are wrapped before the entry point is
 * required, which records each registration as the Functions host would receive it.
 *
 * Prints one line `probe: <json>` (a `ProbeReport`) last on stdout. Imports node: modules only.
 */
import { createRequire } from "node:module";
import * as path from "node:path";

/** One `app.http`, `app.storageQueue` or `app.timer` call, without its handler. */
export interface Registration {
  kind: "http" | "queue" | "timer";
  name: string;
  route?: string;
  methods?: string[];
  authLevel?: string;
  queueName?: string;
  connection?: string;
  schedule?: string;
}

export interface ProbeReport {
  /** Milliseconds spent in `require` of what the mode loads. */
  loadMs: number;
  /** Files loaded from outside the package directory (this probe excepted). */
  outside: string[];
  /** Files loaded in all. */
  loadedFiles: number;
  registrations: Registration[];
}

export const probeMarker = "probe: ";

interface FunctionsModule {
  app: Record<string, unknown>;
}

interface PackageJson {
  main?: string;
  dependencies?: Record<string, string>;
}

function main(): void {
  const [packageDir, mode, ...names] = process.argv.slice(2);
  if (packageDir === undefined || mode === undefined) throw new Error("usage: stagedEntryProbe <package dir> entry|floor|require <name>...");
  const fromPackage = createRequire(path.join(packageDir, "package.json"));
  const manifest = fromPackage("./package.json") as PackageJson;
  const registrations: Registration[] = [];

  let load: () => void;
  if (mode === "entry") {
    const functions = fromPackage("@azure/functions") as FunctionsModule;
    functions.app.http = (name: string, options: Omit<Registration, "kind" | "name">) => {
      registrations.push({ kind: "http", name, route: options.route, methods: options.methods, authLevel: options.authLevel });
    };
    functions.app.storageQueue = (name: string, options: Omit<Registration, "kind" | "name">) => {
      registrations.push({ kind: "queue", name, queueName: options.queueName, connection: options.connection });
    };
    functions.app.timer = (name: string, options: Omit<Registration, "kind" | "name">) => {
      registrations.push({ kind: "timer", name, schedule: options.schedule });
    };
    load = () => {
      fromPackage(`./${manifest.main ?? "index.js"}`);
    };
  } else if (mode === "floor") {
    // The floor: the same Azure SDKs, loaded by an app that does nothing else.
    const sdks = Object.keys(manifest.dependencies ?? {}).filter((name) => name.startsWith("@azure/"));
    load = () => {
      for (const name of sdks) fromPackage(name);
    };
  } else if (mode === "require") {
    load = () => {
      for (const name of names) fromPackage(name);
    };
  } else {
    throw new Error(`unknown mode ${mode}`);
  }

  const started = performance.now();
  load();
  const loadMs = performance.now() - started;

  const inside = path.resolve(packageDir) + path.sep;
  const loaded = Object.keys(require.cache);
  const report: ProbeReport = {
    loadMs,
    outside: loaded.filter((file) => file !== __filename && !file.startsWith(inside)),
    loadedFiles: loaded.length,
    registrations,
  };
  console.log(`${probeMarker}${JSON.stringify(report)}`);
}

// stagedPackage.ts imports probeMarker from here: probe only when run as a program.
if (require.main === module) main();
