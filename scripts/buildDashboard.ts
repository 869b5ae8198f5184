/**
 * Builds the dashboard page (web/dashboard/) into one self-contained HTML file beside the
 * compiled app: the browser code and Chart.js bundled by esbuild and inlined with the
 * styles, so the page loads nothing from anywhere (no CDN, not even a second request), and
 * its Content-Security-Policy allows exactly that script and that style by their SHA-256.
 * Build output, never committed: run after `tsc` from the project root, by `npm run build`
 * and by infra/scripts/stagePackage.sh, as `node <outDir>/scripts/buildDashboard.js`.
 * functions/dashboard.ts serves what this writes.
 */
import { createHash } from "node:crypto";
import { mkdirSync, readFileSync, writeFileSync } from "node:fs";
import { join, resolve } from "node:path";
import { build } from "esbuild";
import { dashboardFiles } from "../functions/dashboard";

export interface BuildDashboardOptions {
  /** The page's sources; web/dashboard under the working directory unless given. */
  sourceDir?: string;
  /** The compiled output's root; by default the one this script was compiled into. */
  outDir?: string;
}

const sha256Source = (text: string): string => `'sha256-${createHash("sha256").update(text, "utf8").digest("base64")}'`;

/** Puts `content` in place of the `<!-- name -->` marker of the template, which must hold exactly one. */
function inline(template: string, name: string, content: string): string {
  const marker = `<!-- ${name} -->`;
  const parts = template.split(marker);
  if (parts.length !== 2) throw new Error(`web/dashboard/index.html must hold ${marker} exactly once`);
  return parts.join(content);
}

/**
 * Bundles, inlines and writes the page and its policy; returns the paths written. Throws
 * when the bundle or the styles could close their element early (`</script`, `</style`).
 */
export async function buildDashboard(options: BuildDashboardOptions = {}): Promise<string[]> {
  const sourceDir = options.sourceDir ?? resolve("web/dashboard");
  const outDir = join(options.outDir ?? join(__dirname, ".."), dashboardFiles.dir);
  const bundled = await build({
    entryPoints: [join(sourceDir, "main.ts")],
    bundle: true,
    write: false,
    format: "iife",
    platform: "browser",
    target: ["es2022"],
    minify: true,
    legalComments: "none",
    logLevel: "warning",
  });
  const script = bundled.outputFiles[0]?.text ?? "";
  const style = readFileSync(join(sourceDir, "dashboard.css"), "utf8");
  if (/<\/script/i.test(script)) throw new Error("the dashboard bundle holds </script, which would end the inline script early");
  if (/<\/style/i.test(style)) throw new Error("dashboard.css holds </style, which would end the inline style early");
  let page = readFileSync(join(sourceDir, "index.html"), "utf8");
  page = inline(page, "dashboard.css", `<style>${style}</style>`);
  page = inline(page, "dashboard.js", `<script>${script}</script>`);
  // Only the inline script and style, and data only from the page's own origin.
  const policy = [
    "default-src 'none'",
    `script-src ${sha256Source(script)}`,
    `style-src ${sha256Source(style)}`,
    "connect-src 'self'",
    "img-src 'self' data:",
    "base-uri 'none'",
    "form-action 'none'",
    "frame-ancestors 'none'",
  ].join("; ");
  mkdirSync(outDir, { recursive: true });
  const written = [join(outDir, dashboardFiles.page), join(outDir, dashboardFiles.policy)];
  writeFileSync(written[0]!, page);
  writeFileSync(written[1]!, policy);
  return written;
}

if (require.main === module) {
  buildDashboard().catch((error: unknown) => {
    console.error(error);
    process.exitCode = 1;
  });
}
