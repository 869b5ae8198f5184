/**
 * The real Bicep compiler for the infra tests. infra/scripts/fetchBicep.sh finds it
 * (BICEP_PATH, which .ci/run sets, or `bicep` on PATH) or restores it from NuGet with
 * `dotnet`; where neither exists the tests skip, saying what is missing.
 */
import { spawnSync } from "node:child_process";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { projectRoot } from "../../local/hostSettings";

/** The compiler, or why there is none: a reason for `test(..., { skip })`. */
export type BicepCli = { found: true; executable: string } | { found: false; reason: string };

/** One finding of the compiler or the linter. */
export interface BicepDiagnostic {
  file: string;
  line: number;
  level: string;
  /** `BCP018`, `no-unused-params`... */
  code: string;
  message: string;
}

/** fetchBicep.sh's exit status when neither bicep nor dotnet is there. */
const NOTHING_TO_FETCH_WITH = 3;

/** The configuration every check uses, wherever the checked file lives. */
export const bicepConfig = path.join(projectRoot(), "infra", "bicepconfig.json");

let located: BicepCli | undefined;

/** Locates (and if need be fetches) the compiler once per process. */
export function findBicep(): BicepCli {
  if (located !== undefined) return located;
  const result = spawnSync("bash", [path.join(projectRoot(), "infra", "scripts", "fetchBicep.sh")], { encoding: "utf8" });
  if (result.status === 0) {
    located = { found: true, executable: result.stdout.trim() };
  } else if (result.status === NOTHING_TO_FETCH_WITH) {
    located = { found: false, reason: `skipped: ${result.stderr.trim()}` };
  } else {
    throw new Error(`infra/scripts/fetchBicep.sh failed (${result.status ?? result.signal}):\n${result.stderr}`);
  }
  return located;
}

// `infra/main.bicep(75,49) : Warning use-recent-api-versions: Use more recent ...`
const diagnosticLine = /^(.+)\((\d+),\d+\) : (\w+) ([\w-]+): (.*)$/;

/**
 * Runs `bicep <command> --pattern <pattern>` in `cwd` and returns every diagnostic it
 * printed. Output that is not a diagnostic line is returned as an error of its own, so
 * that nothing the compiler says can go unseen.
 */
function runBicep(executable: string, command: "build" | "lint", cwd: string, config: string, extra: string[] = []): BicepDiagnostic[] {
  const result = spawnSync(executable, [command, "--pattern", "**/*.bicep", "--config", config, ...extra], { cwd, encoding: "utf8" });
  if (result.error !== undefined) throw result.error;
  const lines = `${result.stdout}\n${result.stderr}`.split("\n").filter((line) => line.trim() !== "");
  const diagnostics = lines.map((line): BicepDiagnostic => {
    const match = diagnosticLine.exec(line);
    if (match === null) return { file: "", line: 0, level: "Error", code: "output", message: line };
    const [, file = "", lineNumber = "0", level = "", code = "", message = ""] = match;
    return { file: path.relative(cwd, file), line: Number(lineNumber), level, code, message };
  });
  if (result.status !== 0 && diagnostics.length === 0) throw new Error(`bicep ${command} exited ${result.status ?? result.signal} and said nothing`);
  return diagnostics;
}

/** Diagnostics of both commands, once each (`lint` of main.bicep repeats its modules'). */
function unique(diagnostics: BicepDiagnostic[]): BicepDiagnostic[] {
  const seen = new Map(diagnostics.map((d) => [`${d.file}:${d.line}:${d.code}:${d.message}`, d]));
  return [...seen.values()];
}

export interface CompiledBicep {
  /** Compiled ARM JSON by the .bicep file's path relative to the folder (`modules/storage.bicep`). */
  templates: Map<string, unknown>;
  diagnostics: BicepDiagnostic[];
}

export interface CompileOptions {
  /** The linter's configuration; infra/bicepconfig.json unless said otherwise. */
  config?: string;
}

/**
 * `bicep build` and `bicep lint` of every .bicep file under `dir`. A file that does not
 * compile (a linter rule at level error counts) has no template.
 */
export function compileBicepFolder(executable: string, dir: string, options: CompileOptions = {}): CompiledBicep {
  const config = options.config ?? bicepConfig;
  const outDir = fs.mkdtempSync(path.join(os.tmpdir(), "bicep-out-"));
  try {
    const diagnostics = unique([
      ...runBicep(executable, "build", dir, config, ["--outdir", outDir]),
      ...runBicep(executable, "lint", dir, config),
    ]);
    const templates = new Map<string, unknown>();
    for (const entry of fs.readdirSync(outDir, { recursive: true, encoding: "utf8" })) {
      if (!entry.endsWith(".json")) continue;
      templates.set(entry.replace(/\.json$/, ".bicep").split(path.sep).join("/"), JSON.parse(fs.readFileSync(path.join(outDir, entry), "utf8")));
    }
    return { templates, diagnostics };
  } finally {
    fs.rmSync(outDir, { recursive: true, force: true });
  }
}

export interface SourceOptions {
  /** false: compile without the linter, for snippets that only show what a template creates. */
  linter?: boolean;
}

/** Compiles Bicep source text given as files (name → text) in a temporary folder. */
export function compileBicepSources(executable: string, files: Record<string, string>, options: SourceOptions = {}): CompiledBicep {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "bicep-src-"));
  try {
    for (const [name, text] of Object.entries(files)) fs.writeFileSync(path.join(dir, name), text);
    if (options.linter !== false) return compileBicepFolder(executable, dir);
    const config = path.join(dir, "bicepconfig.json");
    fs.writeFileSync(config, JSON.stringify({ analyzers: { core: { enabled: false } } }));
    return compileBicepFolder(executable, dir, { config });
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
}
