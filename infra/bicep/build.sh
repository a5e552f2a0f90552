#!/usr/bin/env bash
# Validates infra/bicep: lints every .bicep file, builds main.bicep to ARM JSON and builds every
# .bicepparam file. Any error or linter warning fails it (exit 1). Linter rules: bicepconfig.json.
#
#   infra/bicep/build.sh            # validate; a no-op when nothing changed since the last success
#   infra/bicep/build.sh --force    # validate even if nothing changed
#   BICEP_VERSION=0.49.2 infra/bicep/build.sh
#
# The Bicep CLI is the NuGet package Azure.Bicep.CommandLine.<rid>. The first run fetches it with
# `dotnet restore` of a tiny generated project under .local/bicep/restore/ (so it comes through the
# ordinary NuGet client and feed), then keeps only the executable, as .local/bicep/<version>/bicep.
# Output (ARM JSON) goes to .local/bicep/out/.
set -euo pipefail

BICEP_VERSION="${BICEP_VERSION:-0.49.2}"
force=false
[[ "${1:-}" == "--force" ]] && force=true

here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
repo="$(cd "$here/../.." && pwd)"
local_dir="$repo/.local/bicep"
cli="$local_dir/$BICEP_VERSION/bicep"
out="$local_dir/out"
stamp="$local_dir/last-success"

case "$(uname -m)" in
  x86_64|amd64) rid=linux-x64 ;;
  aarch64|arm64) rid=linux-arm64 ;;
  *) echo "build.sh: unsupported architecture $(uname -m)" >&2; exit 1 ;;
esac
package="Azure.Bicep.CommandLine.$rid"

fetch_cli() {
  local proj="$local_dir/restore"
  rm -rf "$proj" && mkdir -p "$proj"
  # Empty Directory.* files stop MSBuild from importing the repository's own props and targets
  # (central package management, warnings as errors) into this throwaway project.
  printf '<Project />\n' > "$proj/Directory.Build.props"
  printf '<Project />\n' > "$proj/Directory.Build.targets"
  printf '<Project />\n' > "$proj/Directory.Packages.props"
  # PackageDownload fetches the package without referencing it (it holds a native executable).
  cat > "$proj/fetch-bicep.csproj" <<XML
<Project Sdk="Microsoft.NET.Sdk">
  <PropertyGroup>
    <TargetFramework>net10.0</TargetFramework>
    <ManagePackageVersionsCentrally>false</ManagePackageVersionsCentrally>
    <RestorePackagesPath>$local_dir/packages</RestorePackagesPath>
  </PropertyGroup>
  <ItemGroup>
    <PackageDownload Include="$package" Version="[$BICEP_VERSION]" />
  </ItemGroup>
</Project>
XML
  echo "build.sh: fetching $package $BICEP_VERSION with dotnet restore ..." >&2
  dotnet restore "$proj/fetch-bicep.csproj" --nologo -v quiet >&2
  local lower found
  lower="$(echo "$package" | tr '[:upper:]' '[:lower:]')"
  found="$(find "$local_dir/packages/$lower/$BICEP_VERSION" -type f -name bicep | head -n1)"
  if [[ -z "$found" ]]; then
    echo "build.sh: no bicep executable in $package $BICEP_VERSION" >&2
    exit 1
  fi
  mkdir -p "$(dirname "$cli")"
  cp "$found" "$cli.tmp" && chmod +x "$cli.tmp" && mv "$cli.tmp" "$cli"
  # Only the executable is kept (the extracted package is twice its size).
  rm -rf "$local_dir/packages" "$proj"
}

[[ -x "$cli" ]] || fetch_cli

# Skip when the inputs are those of the last successful run: every file here, the CLI version and the
# environment variables that the .bicepparam files read.
fingerprint="$(
  cd "$here"
  {
    echo "$BICEP_VERSION"
    find . -type f -print0 | LC_ALL=C sort -z | xargs -0 sha256sum
    env | grep -E '^(AZURE_|WECHAT|MINISHOP_)' | LC_ALL=C sort || true
  } | sha256sum | cut -d' ' -f1
)"
if ! $force && [[ -f "$stamp" && "$(cat "$stamp")" == "$fingerprint" && -d "$out" ]]; then
  echo "build.sh: infra/bicep unchanged since the last successful validation (--force to rerun)" >&2
  exit 0
fi
rm -f "$stamp"

export DOTNET_CLI_TELEMETRY_OPTOUT=1
# The CLI is a self-contained .NET app; where ICU is missing it runs in invariant mode.
if ! ldconfig -p 2>/dev/null | grep -q libicuuc; then
  export DOTNET_SYSTEM_GLOBALIZATION_INVARIANT=1
fi

rm -rf "$out" && mkdir -p "$out"
status=0
run() {
  # Diagnostics look like "path(line,col) : Warning|Error rule: message"; any of them fails the build.
  local log; log="$(mktemp)"
  if ! "$cli" "$@" >"$log" 2>&1; then
    awk '!seen[$0]++' "$log" >&2; rm -f "$log"; status=1; return
  fi
  if grep -Eq ' : (Warning|Error) ' "$log"; then
    awk '!seen[$0]++' "$log" >&2; status=1
  fi
  rm -f "$log"
}

cd "$here"
echo "build.sh: $("$cli" --version | head -n1)" >&2
# Every .bicep file on its own (modules too, so an unused module parameter is caught), then the
# template, then every parameters file (which type-checks it against main.bicep).
run lint --pattern '**/*.bicep'
run build main.bicep --outfile "$out/template/main.json"
run build-params --pattern '**/*.bicepparam' --outdir "$out/parameters"

if [[ $status -ne 0 ]]; then
  echo "build.sh: FAILED" >&2
  exit 1
fi
echo "$fingerprint" > "$stamp"
echo "build.sh: OK ($(find . -name '*.bicep' | wc -l) .bicep and $(find . -name '*.bicepparam' | wc -l) .bicepparam files; ARM JSON in .local/bicep/out/)" >&2
