#!/usr/bin/env bash
# Time from `trame serve` to the first answer, and the memory of the idle server.
#   bench/startup.sh [BINARY] [DATABASE_URL]
# BINARY defaults to target/release/trame (build it first), DATABASE_URL to a fresh
# SQLite file. Each run starts on an empty database, so it includes creating the schema
# and loading the demo (16 communes, 8 accounts hashed with argon2id).
set -euo pipefail
cd "$(dirname "$0")/.."
bin="${1:-target/release/trame}"
db="${2:-}"
runs="${RUNS:-3}"
port=18080
for i in $(seq 1 "$runs"); do
  dir=$(mktemp -d)
  args=(serve --addr "127.0.0.1:$port" --data-dir "$dir")
  [ -n "$db" ] && args+=(--database-url "$db")
  start=$(date +%s%N)
  TRAME_LOG=warn /usr/bin/time -v -o "$dir/time.txt" "$bin" "${args[@]}" >/dev/null &
  pid=$!
  until curl -fsS -o /dev/null "http://127.0.0.1:$port/gpsea" 2>/dev/null; do sleep 0.005; done
  first=$(( ($(date +%s%N) - start) / 1000000 ))
  sleep 5
  server=$(pgrep -P "$pid" -f "trame serve" || true)
  rss_idle=$(awk '/VmRSS/ {print $2}' "/proc/${server:-$pid}/status")
  kill -TERM "${server:-$pid}"
  wait "$pid" || true
  peak=$(awk -F': ' '/Maximum resident/ {print $2}' "$dir/time.txt")
  echo "run $i: first answer ${first} ms, idle RSS ${rss_idle} KiB, peak RSS ${peak} KiB"
  rm -rf "$dir"
done
if [ -n "$db" ]; then
  echo "(PostgreSQL keeps its data between runs: only run 1 started on an empty database)"
fi
