#!/usr/bin/env bash
# Stages the function app's deployment package in .deploy/ (azure.yaml's `dist`): exactly
# what Flex Consumption runs, and nothing else.
#
#   host.json, package.json, package-lock.json
#   dist/            compiled JavaScript (package.json `main` is dist/functions/index.js),
#                    without the compiled tests and benchmarks
#   node_modules/    production dependencies only
#
# azure.yaml runs this as the `prepackage` hook, after azd has run `npm install` and
# `npm run build`. The package is built here rather than remotely (azure.yaml sets
# `remoteBuild: false`): a remote build would install the dev dependencies (Azurite,
# TypeScript, ESLint, the Bicep parser) on the platform for nothing.
set -euo pipefail

root="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
out="$root/.deploy"
cd "$root"

if [[ ! -f dist/functions/index.js ]]; then
  echo "stagePackage: dist/functions/index.js is missing; run 'npm run build' first" >&2
  exit 1
fi

rm -rf "$out"
mkdir -p "$out/dist"
cp host.json package.json package-lock.json "$out/"
for entry in dist/*; do
  case "$(basename "$entry")" in
    test | bench) ;; # not run in Azure
    *) cp -R "$entry" "$out/dist/" ;;
  esac
done

# --ignore-scripts: no production dependency needs an install script today (they are pure
# JavaScript, so the package built on any OS runs on Flex's Linux x64). Revisit if one does.
(cd "$out" && npm ci --omit=dev --ignore-scripts --no-audit --no-fund)

# The entry point must load with production dependencies alone: a dev-only import would
# otherwise surface in Azure as functions that never get indexed.
(cd "$out" && node -e "require('./dist/functions/index.js')")

echo "stagePackage: staged $(du -sh "$out" | cut -f1) in $out"
