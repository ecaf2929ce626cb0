#!/usr/bin/env bash
# Starts the application with the demo office on a private embedded database,
# runs the browser journeys against it, and stops everything again.
# Usage: tests/browser/run.sh <path to cppcc-perf binary> <port>
set -euo pipefail
# The app must use its own embedded cluster, never a database from the environment.
unset DATABASE_URL
bin=$(realpath "$1")
port=${2:-18080}
here=$(cd "$(dirname "$0")" && pwd)
data=$(mktemp -d /tmp/cppcc-perf-browser.XXXXXX)
chmod 755 "$data"
export SCREENSHOT_DIR=${SCREENSHOT_DIR:-$here/screenshots}
mkdir -p "$SCREENSHOT_DIR"

cleanup() {
  if [ -n "${server:-}" ]; then kill "$server" 2>/dev/null || true; wait "$server" 2>/dev/null || true; fi
  "$bin" --data-dir "$data" cluster stop >/dev/null 2>&1 || true
  rm -rf "$data"
}
trap cleanup EXIT

if curl -s -o /dev/null "http://127.0.0.1:$port/"; then
  echo "port $port is already in use: stop whatever listens there, or pass another port" >&2
  exit 1
fi
# The journeys see the demo office on the demo's own day, whatever today's date.
export CPPCC_PERF_CLOCK=${CPPCC_PERF_CLOCK:-2026-11-27}
"$bin" --data-dir "$data" demo >/dev/null
"$bin" --data-dir "$data" --bind "127.0.0.1:$port" --log-level warn serve &
server=$!
for _ in $(seq 1 60); do
  kill -0 "$server" 2>/dev/null || { echo "the server stopped before it was ready" >&2; exit 1; }
  curl -fsS "http://127.0.0.1:$port/readyz" >/dev/null 2>&1 && break
  sleep 0.5
done
curl -fsS "http://127.0.0.1:$port/readyz" >/dev/null

cd "$here"
npm ci --no-audit --no-fund --loglevel=error
BASE_URL="http://127.0.0.1:$port" timeout 600 npm test
