#!/usr/bin/env bash
# Prints the path of a Bicep CLI executable, fetching it first when needed.
#
#   1. BICEP_PATH, when it is set and names an executable;
#   2. `bicep` on PATH;
#   3. otherwise the Azure.Bicep.CommandLine.<rid> NuGet package, restored with `dotnet`
#      through a throwaway download-only project into the user's cache directory (outside
#      the source tree), once per version: later runs find it there without the network.
#
# Nothing is downloaded from anywhere but the configured NuGet feed. Exits 3, printing what
# is missing on stderr, when neither bicep nor dotnet is available; .ci/run and the infra
# tests then skip the compiler checks (test/infra/bicepCli.ts).
#
# Usage: bash infra/scripts/fetchBicep.sh        # prints the executable's path on stdout
set -euo pipefail

# The version the infra tests are run with; raise it deliberately (the linter's rules change
# between versions).
version="0.49.2"

if [[ -n "${BICEP_PATH:-}" && -x "$BICEP_PATH" ]]; then
  echo "$BICEP_PATH"
  exit 0
fi
if command -v bicep > /dev/null 2>&1; then
  command -v bicep
  exit 0
fi
if ! command -v dotnet > /dev/null 2>&1; then
  echo "fetchBicep: neither bicep nor dotnet is on PATH; install the Bicep CLI or the .NET SDK" >&2
  exit 3
fi

case "$(uname -s)-$(uname -m)" in
  Linux-x86_64) rid="linux-x64" ;;
  Linux-aarch64) rid="linux-arm64" ;;
  Darwin-x86_64) rid="osx-x64" ;;
  Darwin-arm64) rid="osx-arm64" ;;
  *)
    echo "fetchBicep: no Azure.Bicep.CommandLine package for $(uname -s) $(uname -m); install the Bicep CLI" >&2
    exit 3
    ;;
esac
package="Azure.Bicep.CommandLine.$rid"
lowered="$(echo "$package" | tr '[:upper:]' '[:lower:]')"

cache="${XDG_CACHE_HOME:-$HOME/.cache}/configmgr-usage-receiver/bicep/$version"
executable="$cache/packages/$lowered/$version/tools/bicep"
mkdir -p "$cache"

# The infra tests may ask for the compiler from two processes at once: one restores, the
# other waits and then finds it.
exec 9> "$cache/.lock"
flock 9

if [[ ! -x "$executable" ]]; then
  # PackageDownload fetches the package without referencing it: no assembly is built, and
  # the project exists only for `dotnet restore` to read.
  cat > "$cache/download.csproj" << EOF
<Project Sdk="Microsoft.NET.Sdk">
  <PropertyGroup>
    <TargetFramework>net$(dotnet --version | cut -d. -f1,2)</TargetFramework>
    <RestorePackagesPath>$cache/packages</RestorePackagesPath>
    <DisableImplicitNuGetFallbackFolder>true</DisableImplicitNuGetFallbackFolder>
  </PropertyGroup>
  <ItemGroup>
    <PackageDownload Include="$package" Version="[$version]" />
  </ItemGroup>
</Project>
EOF
  echo "fetchBicep: restoring $package $version with dotnet" >&2
  dotnet restore "$cache/download.csproj" --nologo --verbosity quiet >&2
  # NuGet does not keep the executable bit when it extracts a package.
  chmod +x "$executable"
fi

echo "$executable"
