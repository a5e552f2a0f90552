#!/usr/bin/env bash
# Stops the services that tools/local-services/start.sh started (by the pid files it wrote in
# <repo>/.local/pids/). Services that start.sh found already running are left alone.
# Idempotent: without pid files it does nothing.
set -euo pipefail

here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
pids="$(cd "$here/../.." && pwd)/.local/pids"

for name in cosmos azurite; do
  file="$pids/$name.pid"
  [[ -f "$file" ]] || continue
  pid="$(cat "$file")"
  # Only signal the process if it is still the one start.sh launched (pids get reused).
  if kill -0 "$pid" 2>/dev/null && tr '\0' ' ' <"/proc/$pid/cmdline" 2>/dev/null | grep -q -e cosmos-server.js -e azurite; then
    kill -TERM "$pid" 2>/dev/null || true
    for _ in $(seq 1 50); do
      kill -0 "$pid" 2>/dev/null || break
      sleep 0.2
    done
    if kill -0 "$pid" 2>/dev/null; then
      kill -KILL "$pid" 2>/dev/null || true
    fi
    echo "local-services: stopped $name (pid $pid)"
  fi
  rm -f "$file"
done
