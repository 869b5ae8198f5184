/**
 * `npm run cli:pack`: the query CLI as a package a product team installs without this
 * repository (docs/cli.md, "Install"). esbuild bundles scripts/query.ts, with Ajv, its
 * formats and the JSON Schemas as they are at build time, into one file that needs nothing
 * but Node.js; `npm pack` then makes a tarball of that file and cli/package.json.
 *
 * The package is staged in a folder of its own under the system's temporary directory and
 * packed from there, so that the source tree never holds build output (eslint and git see
 * only cli/'s manifest and README).
 */
import { execFile } from "node:child_process";
import { copyFileSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { promisify } from "node:util";
import { build, type Plugin } from "esbuild";

/** Where the package's manifest and README live, relative to the project root. */
const PACKAGE_SOURCE = "cli";

/** Where `npm run cli:pack` leaves its tarball, relative to the project root (gitignored). */
const DEFAULT_DESTINATION = ".pack";

export interface PackQueryCliOptions {
  /** The project's root; by default the one this script was compiled from (dist/scripts/query/ -> ../../..). */
  root?: string;
  /** The folder the tarball is written to; created when missing. */
  destination?: string;
}

export interface PackQueryCliResponse {
  /** The tarball's path. */
  tarball: string;
  /** The package's name and its one command, as cli/package.json declares them. */
  name: string;
  bin: string;
  /** The bundle's size in bytes. */
  bundleBytes: number;
}

interface Manifest {
  name: string;
  version: string;
  bin: Record<string, string>;
}

function readManifest(file: string): Manifest & { binName: string; binPath: string } {
  const manifest = JSON.parse(readFileSync(file, "utf8")) as Manifest;
  const entries = Object.entries(manifest.bin);
  const [only] = entries;
  if (only === undefined || entries.length !== 1) throw new Error(`${file} must declare exactly one bin`);
  return { ...manifest, binName: only[0], binPath: only[1] };
}

/** The file beside the bundle that carries the licenses of the packages bundled into it. */
const NOTICES_FILE = "THIRD-PARTY-NOTICES.txt";

/**
 * The license texts of every npm package the bundle holds code of (MIT and the like ask for
 * their notice to travel with every copy), found from esbuild's list of inputs.
 */
function thirdPartyNotices(root: string, inputs: readonly string[]): string {
  // The innermost node_modules/<package>/ of each input, relative to the root (esbuild's working directory).
  const packageDirs = new Set<string>();
  for (const input of inputs) {
    const match = /^(.*node_modules\/(?:@[^/]+\/)?[^/]+)\//.exec(input);
    if (match?.[1] !== undefined) packageDirs.add(join(root, match[1]));
  }
  return [...packageDirs]
    .sort()
    .map((dir) => {
      const { name, version, license } = JSON.parse(readFileSync(join(dir, "package.json"), "utf8")) as { name: string; version: string; license?: string };
      const file = readdirSync(dir).find((entry) => /^licen[cs]e(\.|$)/i.test(entry));
      if (file === undefined) throw new Error(`${name} has no license file to ship beside the bundle`);
      return `${name}@${version} (${license ?? "see below"})\n\n${readFileSync(join(dir, file), "utf8").trim()}\n`;
    })
    .join(`\n${"-".repeat(72)}\n\n`);
}

/** Puts the bin's name where the repository's usage text says `npm run query --`. */
function programNamed(name: string): Plugin {
  return {
    name: "program-name",
    setup(plugin) {
      plugin.onLoad({ filter: /[\\/]scripts[\\/]query[\\/]programName\.ts$/ }, () => ({
        contents: `export const PROGRAM_NAME = ${JSON.stringify(name)};`,
        loader: "ts",
      }));
    },
  };
}

/** npm as the one running this script started it (`npm run`), else the npm on PATH: what to execFile, and the arguments before npm's own. */
export function npmCommand(): { file: string; prefixArgs: string[] } {
  const npmCli = process.env["npm_execpath"];
  return npmCli !== undefined && npmCli.endsWith(".js") ? { file: process.execPath, prefixArgs: [npmCli] } : { file: "npm", prefixArgs: [] };
}

/**
 * Bundles the CLI and packs it with its manifest; resolves to the tarball. Throws when the
 * bundle would need anything at run time but Node.js's own modules.
 */
export async function packQueryCli(options: PackQueryCliOptions = {}): Promise<PackQueryCliResponse> {
  const root = options.root ?? join(__dirname, "../../..");
  const destination = resolve(root, options.destination ?? DEFAULT_DESTINATION);
  const source = join(root, PACKAGE_SOURCE);
  const manifest = readManifest(join(source, "package.json"));
  const stage = mkdtempSync(join(tmpdir(), "cmusage-query-stage-"));
  try {
    const outfile = join(stage, manifest.binPath);
    const result = await build({
      entryPoints: [join(root, "scripts/query.ts")],
      absWorkingDir: root,
      bundle: true,
      platform: "node",
      format: "cjs",
      target: ["node20"],
      outfile,
      banner: { js: "#!/usr/bin/env node" },
      plugins: [programNamed(manifest.binName)],
      metafile: true,
      legalComments: "eof",
      logLevel: "warning",
    });
    const output = Object.values(result.metafile.outputs)[0];
    const outside = (output?.imports ?? []).filter((i) => i.external && !i.path.startsWith("node:"));
    if (outside.length > 0) throw new Error(`the bundle would need ${outside.map((i) => i.path).join(", ")} at run time`);
    copyFileSync(join(source, "package.json"), join(stage, "package.json"));
    copyFileSync(join(source, "README.md"), join(stage, "README.md"));
    writeFileSync(join(stage, NOTICES_FILE), thirdPartyNotices(root, Object.keys(result.metafile.inputs)));
    mkdirSync(destination, { recursive: true });
    const npm = npmCommand();
    const { stdout } = await promisify(execFile)(npm.file, [...npm.prefixArgs, "pack", stage, "--pack-destination", destination, "--json"], { cwd: stage });
    const [packed] = JSON.parse(stdout) as { filename: string }[];
    if (packed === undefined) throw new Error("npm pack named no tarball");
    return { tarball: join(destination, packed.filename), name: manifest.name, bin: manifest.binName, bundleBytes: output?.bytes ?? 0 };
  } finally {
    rmSync(stage, { recursive: true, force: true });
  }
}

if (require.main === module) {
  packQueryCli().then(
    ({ tarball, bin, bundleBytes }) => {
      console.log(`${tarball} (${bin}, ${Math.round(bundleBytes / 1024)} KiB bundle)\n  npm install -g ${tarball}`);
    },
    (error: unknown) => {
      console.error(error);
      process.exitCode = 1;
    },
  );
}
