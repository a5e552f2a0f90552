#!/usr/bin/env bash
# Order lifecycles completed per second in the in-process host (bench/MiniShop.Bench.Lifecycle): starts its own local
# services on their own ports, runs the bench in Release, stops them, and rewrites its section of docs/benchmarks.md.
# Arguments go to the bench, e.g.: bash bench/lifecycle.sh --orders 300 --concurrency 32
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."
export COSMOS_HOST=127.0.0.1 COSMOS_PORT="${COSMOS_PORT:-18981}"
export AZURITE_BLOB_PORT="${AZURITE_BLOB_PORT:-20800}" AZURITE_QUEUE_PORT="${AZURITE_QUEUE_PORT:-20801}" AZURITE_TABLE_PORT="${AZURITE_TABLE_PORT:-20802}"
export COSMOS_ENDPOINT="https://127.0.0.1:$COSMOS_PORT/"
bash tools/local-services/start.sh
trap 'bash tools/local-services/stop.sh' EXIT INT TERM
dotnet run -c Release --project bench/MiniShop.Bench.Lifecycle -- --out docs/benchmarks.md "$@"
