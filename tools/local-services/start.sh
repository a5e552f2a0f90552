#!/usr/bin/env bash
# Starts the local services for development and tests, in the background:
#   - Cosmos DB: cosmos-server.js (cosmosdb-server + .NET SDK shims), https://127.0.0.1:8081/
#   - Azure Storage: Azurite (blob/queue/table on 127.0.0.1:10000-10002), UseDevelopmentStorage=true
# A service that already answers on its port is reused, not started again (so this is idempotent).
# Logs go to <repo>/.local/logs/, pid files of what this script started to <repo>/.local/pids/;
# tools/local-services/stop.sh stops exactly those.
#
# Environment (all optional):
#   COSMOS_HOST (127.0.0.1)  COSMOS_PORT (8081)
#   AZURITE_HOST (127.0.0.1) AZURITE_BLOB_PORT (10000) AZURITE_QUEUE_PORT (10001) AZURITE_TABLE_PORT (10002)
#   LOCAL_SERVICES_TIMEOUT   seconds to wait for the services to answer (60)
set -euo pipefail

here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
root="$(cd "$here/../.." && pwd)"
logs="$root/.local/logs"
pids="$root/.local/pids"
mkdir -p "$logs" "$pids"

COSMOS_HOST="${COSMOS_HOST:-127.0.0.1}"
COSMOS_PORT="${COSMOS_PORT:-8081}"
AZURITE_HOST="${AZURITE_HOST:-127.0.0.1}"
AZURITE_BLOB_PORT="${AZURITE_BLOB_PORT:-10000}"
AZURITE_QUEUE_PORT="${AZURITE_QUEUE_PORT:-10001}"
AZURITE_TABLE_PORT="${AZURITE_TABLE_PORT:-10002}"
timeout="${LOCAL_SERVICES_TIMEOUT:-60}"

if [[ ! -d "$here/node_modules" || "$here/package-lock.json" -nt "$here/node_modules/.package-lock.json" ]]; then
  echo "local-services: npm ci"
  (cd "$here" && npm ci --no-audit --no-fund --loglevel=error)
fi

# answers SCHEME HOST PORT: true when an HTTP(S) server answers there (any status code).
answers() {
  node -e '
    const [scheme, host, port] = process.argv.slice(1);
    const req = require(scheme).get({ host, port, path: "/", rejectUnauthorized: false, timeout: 2000 }, res => {
      res.resume();
      process.exit(0);
    });
    req.on("timeout", () => req.destroy());
    req.on("error", () => process.exit(1));
  ' "$1" "$2" "$3" 2>/dev/null
}

azurite_answers() {
  answers http "$AZURITE_HOST" "$AZURITE_BLOB_PORT" &&
    answers http "$AZURITE_HOST" "$AZURITE_QUEUE_PORT" &&
    answers http "$AZURITE_HOST" "$AZURITE_TABLE_PORT"
}

cosmos_answers() { answers https "$COSMOS_HOST" "$COSMOS_PORT"; }

# running NAME: true when the pid file of NAME names a live process.
running() {
  local file="$pids/$1.pid"
  [[ -f "$file" ]] && kill -0 "$(cat "$file")" 2>/dev/null
}

# launch NAME COMMAND...: starts COMMAND in the background with its log and pid file.
launch() {
  local name="$1"
  shift
  echo "=== $(date -u +%FT%TZ) starting: $*" >>"$logs/$name.log"
  # Run from .local/ so that nothing a service writes lands in the source tree.
  (cd "$root/.local" && exec nohup "$@" >>"$logs/$name.log" 2>&1 </dev/null) &
  echo $! >"$pids/$name.pid"
  echo "local-services: started $name (pid $!, log .local/logs/$name.log)"
}

started=()

if azurite_answers; then
  echo "local-services: Azurite already answers on $AZURITE_HOST:$AZURITE_BLOB_PORT-$AZURITE_TABLE_PORT, reusing it"
elif running azurite; then
  echo "local-services: Azurite (pid $(cat "$pids/azurite.pid")) is starting"
else
  launch azurite "$here/node_modules/.bin/azurite" \
    --skipApiVersionCheck --inMemoryPersistence --silent --loose \
    --blobHost "$AZURITE_HOST" --blobPort "$AZURITE_BLOB_PORT" \
    --queueHost "$AZURITE_HOST" --queuePort "$AZURITE_QUEUE_PORT" \
    --tableHost "$AZURITE_HOST" --tablePort "$AZURITE_TABLE_PORT"
  started+=(azurite)
fi

if cosmos_answers; then
  echo "local-services: Cosmos DB already answers on https://$COSMOS_HOST:$COSMOS_PORT/, reusing it"
elif running cosmos; then
  echo "local-services: Cosmos DB (pid $(cat "$pids/cosmos.pid")) is starting"
else
  launch cosmos node "$here/cosmos-server.js" --host "$COSMOS_HOST" --port "$COSMOS_PORT"
  started+=(cosmos)
fi

# fail MESSAGE: stops what this run started (nothing else) and exits non-zero.
fail() {
  echo "local-services: $1" >&2
  for name in "${started[@]}"; do
    if running "$name"; then
      kill -TERM "$(cat "$pids/$name.pid")" 2>/dev/null || true
    fi
    rm -f "$pids/$name.pid"
  done
  exit 1
}

deadline=$((SECONDS + timeout))
until azurite_answers && cosmos_answers; do
  for name in azurite cosmos; do
    if [[ -f "$pids/$name.pid" ]] && ! running "$name"; then
      rm -f "$pids/$name.pid"
      fail "$name exited; last lines of .local/logs/$name.log:
$(tail -n 20 "$logs/$name.log")"
    fi
  done
  ((SECONDS < deadline)) || fail "services did not answer within ${timeout}s (see .local/logs/)"
  sleep 0.3
done

echo "local-services: ready (Cosmos DB https://$COSMOS_HOST:$COSMOS_PORT/, Azurite $AZURITE_HOST:$AZURITE_BLOB_PORT-$AZURITE_TABLE_PORT${started:+, started: ${started[*]}})"
