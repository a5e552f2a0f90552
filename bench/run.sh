#!/usr/bin/env bash
# Runs the benchmarks (bench/MiniShop.Bench) and writes their sections of docs/benchmarks.md:
#   bash bench/run.sh [all|catalog|engine|checkout|flash-sale] [options]     (all is the default; parts may be comma-separated)
# catalog, checkout and flash-sale need Cosmos DB: the script starts the local services (tools/local-services/start.sh) on their
# own ports and stops them afterwards. engine is the pure promotion engine and needs no services. The other arguments
# go to the bench, e.g.: bash bench/run.sh catalog --duration 10 --clients 1,8,32
#
# Environment (optional): COSMOS_PORT (18181), AZURITE_BLOB_PORT/AZURITE_QUEUE_PORT/AZURITE_TABLE_PORT (20000-20002).
# Other ports than the usual 8081/10000-10002 keep the measurement off a server a developer or the tests are using.
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."
root="$(pwd)"

part=all
if [[ $# -gt 0 && "$1" != --* ]]; then part="$1"; shift; fi
IFS=',' read -ra parts <<<"$part"
for p in "${parts[@]}"; do
  case "$p" in all|catalog|engine|checkout|flash-sale) ;; *) echo "bench/run.sh: unknown part '$p' (all, catalog, engine, checkout, flash-sale)." >&2; exit 2 ;; esac
done
needs_services=false
for p in "${parts[@]}"; do [[ "$p" != engine ]] && needs_services=true; done

export DOTNET_CLI_TELEMETRY_OPTOUT=1 DOTNET_NOLOGO=1
export Logging__LogLevel__Default=Warning

if [[ "$needs_services" == false ]]; then
  command -v dotnet >/dev/null || { echo "bench/run.sh: 'dotnet' is required but not installed." >&2; exit 1; }
  dotnet build bench/MiniShop.Bench -c Release --nologo -clp:ErrorsOnly
  exec dotnet bench/MiniShop.Bench/bin/Release/net10.0/MiniShop.Bench.dll "$part" --out "$root/docs/benchmarks.md" "$@"
fi

for tool in dotnet node npm; do
  command -v "$tool" >/dev/null || { echo "bench/run.sh: '$tool' is required but not installed." >&2; exit 1; }
done

export COSMOS_HOST=127.0.0.1
export COSMOS_PORT="${COSMOS_PORT:-18181}"
export AZURITE_BLOB_PORT="${AZURITE_BLOB_PORT:-20000}" AZURITE_QUEUE_PORT="${AZURITE_QUEUE_PORT:-20001}" AZURITE_TABLE_PORT="${AZURITE_TABLE_PORT:-20002}"
export COSMOS_ENDPOINT="https://127.0.0.1:$COSMOS_PORT/"

# start.sh and stop.sh keep one pid file per service in .local/pids/: services that start.sh already runs for this
# checkout (on other ports) would be taken for ours, and stopped at the end. Leave them alone and say so.
for name in cosmos azurite; do
  file="$root/.local/pids/$name.pid"
  if [[ -f "$file" ]] && kill -0 "$(cat "$file")" 2>/dev/null; then
    echo "bench/run.sh: tools/local-services/start.sh already runs $name (pid $(cat "$file")) for this checkout." >&2
    echo "  Stop it first (bash tools/local-services/stop.sh), or run the bench against it:" >&2
    echo "  COSMOS_ENDPOINT=https://127.0.0.1:<port>/ dotnet run -c Release --project bench/MiniShop.Bench -- $part" >&2
    exit 1
  fi
done

start_log="$(mktemp)"
trap 'rm -f "$start_log"' EXIT
bash tools/local-services/start.sh | tee "$start_log"
trap 'bash tools/local-services/stop.sh; rm -f "$start_log"' EXIT INT TERM
if grep -q "already answers" "$start_log"; then
  echo "bench/run.sh: warning: reusing a service that was already running; its other load and data affect the figures." >&2
fi

cosmos_version="$(node -p 'require("./tools/local-services/node_modules/@vercel/cosmosdb-server/package.json").version' 2>/dev/null || echo '?')"
export BENCH_COSMOS_SERVER="local server \`tools/local-services/cosmos-server.js\` (@vercel/cosmosdb-server $cosmos_version, in memory) on Node $(node --version)"
# The bench reports the server's CPU share apart from other processes' (empty when start.sh reused a server).
export BENCH_COSMOS_PID="$(cat "$root/.local/pids/cosmos.pid" 2>/dev/null || true)"

dotnet build bench/MiniShop.Bench -c Release --nologo -clp:ErrorsOnly
dotnet bench/MiniShop.Bench/bin/Release/net10.0/MiniShop.Bench.dll "$part" --out "$root/docs/benchmarks.md" "$@"
