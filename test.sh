#!/usr/bin/env bash
# Runs every test: starts the local services the tests need (Cosmos DB server, Azurite), builds, runs the unit,
# integration and API tests, stops what it started. Exits non-zero on any failure.
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")"

for tool in dotnet node npm; do
  command -v "$tool" >/dev/null || { echo "test.sh: '$tool' is required but not installed." >&2; exit 1; }
done

bash tools/local-services/start.sh
trap 'bash tools/local-services/stop.sh' EXIT

# The Durable Task sidecar logs every gRPC call at Information; tests only need warnings.
export Logging__LogLevel__Default=Warning
export DOTNET_CLI_TELEMETRY_OPTOUT=1 DOTNET_NOLOGO=1

node --test tools/local-services/test/
bash infra/bicep/build.sh
dotnet build Functions.sln -c Release --nologo -clp:ErrorsOnly

# The CTRF reports let the summary below name every failed test at the very end of the log.
results=.local/test-results
rm -rf "$results"
status=0
dotnet test --solution Functions.sln -c Release --no-build --no-progress \
  --results-directory "$PWD/$results" --report-xunit-ctrf || status=$?
node tools/test-summary/summarize.js "$results"
exit "$status"
