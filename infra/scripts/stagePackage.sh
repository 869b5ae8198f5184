#!/usr/bin/env bash
# Builds and stages the function app's deployment package in .deploy/ (azure.yaml's
# `dist`): exactly what Flex Consumption runs, and nothing else.
#
#   host.json, package.json, package-lock.json
#   dist/            functions/, shared/ and the schemas they import, compiled by
#                    infra/scripts/tsconfig.package.json (package.json `main` is
#                    dist/functions/index.js), and the schema validators precompiled by
#                    scripts/buildValidators.ts, and the dashboard page (web/, one HTML file
#                    built by scripts/buildDashboard.ts); no tests, benchmarks, local runtime or scripts
#   node_modules/    production dependencies only, without source maps and TypeScript files
#
# azure.yaml runs this as the `prepackage` hook. azd fires it after its restore (npm install)
# and before its own build (`npm run build`, which writes the development dist/, not this
# package): so this script builds what it stages, and does not rely on azd's build. Run by
# hand or in a clean job, it installs the dev dependencies itself when they are missing. The package is built here rather than remotely (azure.yaml sets
# `remoteBuild: false`): a remote build would install the dev dependencies (Azurite,
# TypeScript, ESLint) on the platform for nothing.
set -euo pipefail

root="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
out="$root/.deploy"
cd "$root"

# The compiler is a dev dependency: install exactly the lockfile when it is not there yet.
if [[ ! -x node_modules/.bin/tsc ]]; then
  npm ci --no-audit --no-fund
fi

rm -rf "$out"
node_modules/.bin/tsc -p infra/scripts/tsconfig.package.json
# The schema validators are precompiled beside the compiled app, and the dashboard page is
# bundled into dist/web/ (npm run build does the same); the build scripts themselves, and
# esbuild and Chart.js that the second one uses, are not part of the package.
node "$out/dist/scripts/buildValidators.js"
node "$out/dist/scripts/buildDashboard.js"
rm -rf "$out/dist/scripts"
cp host.json package.json package-lock.json "$out/"

# --ignore-scripts: no production dependency needs an install script today (they are pure
# JavaScript, so the package built on any OS runs on Flex's Linux x64). Revisit if one does.
(cd "$out" && npm ci --omit=dev --ignore-scripts --no-audit --no-fund)

# Source maps and TypeScript sources and declarations are never loaded at run time (the
# host does not run Node with --enable-source-maps); they are well over half of the bytes
# of the production dependencies, and every byte is downloaded at each cold start.
find "$out/node_modules" -type f \( -name '*.map' -o -name '*.ts' -o -name '*.mts' -o -name '*.cts' \) -delete

# The entry point must load with production dependencies alone: a dev-only import would
# otherwise surface in Azure as functions that never get indexed. In a development checkout
# the project's own node_modules sits above .deploy/ and would answer for a missing package,
# so the check resolves modules inside the package only (and without NODE_PATH or
# ~/.node_modules), as the platform will.
(cd "$out" && env -u NODE_PATH -u NODE_OPTIONS HOME="$out" node -e "
  const Module = require('module');
  const inside = process.cwd() + require('path').sep;
  const lookupPaths = Module._nodeModulePaths;
  Module._nodeModulePaths = (from) => lookupPaths(from).filter((dir) => dir.startsWith(inside));
  require('./dist/functions/index.js');
")

echo "stagePackage: staged $(du -sh "$out" | cut -f1) in $out"
