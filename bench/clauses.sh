#!/usr/bin/env bash
# Insertion clauses at volume: 20,000 contracts, 200,000 people, 5,000,000 monthly hour
# lines (`trame demo clauses`), on SQLite and, when reachable, on PostgreSQL.
#   bench/clauses.sh [BINARY]               (default target/release/trame)
#   PG_URL=postgres://postgres@127.0.0.1:5432/postgres (a database trame_bench_clauses is
#   created there and dropped at the end; PG_URL= to skip PostgreSQL)
# For each backend: the yearly report of the territory (all buyers, one year) against a
# bare full scan of the hours table, warm, median of 3 each, in the same run
# (`trame clauses mesure`): target under 2 s and within 3×. On SQLite also the contract
# progress page, the facilitator logged in: wrk, 16 connections, 10 s, median of RUNS (3)
# runs, server on core 0 and wrk on core 1: target p99 under 20 ms.
set -euo pipefail
cd "$(dirname "$0")/.."
bin="${1:-target/release/trame}"
runs="${RUNS:-3}"
year="${YEAR:-2025}"
volume=(--contracts "${CONTRACTS:-20000}" --people "${PEOPLE:-200000}" --lines "${LINES:-5000000}")
port=18751
dir=$(mktemp -d)
pg_url="${PG_URL-postgres://postgres@127.0.0.1:5432/postgres}"
pg_db="${pg_url%/*}/trame_bench_clauses"
cleanup() {
  kill "${pid:-}" 2>/dev/null || true
  rm -rf "$dir"
  [ -z "$pg_url" ] || psql "$pg_url" -qc "DROP DATABASE IF EXISTS trame_bench_clauses" >/dev/null 2>&1 || true
}
trap cleanup EXIT

echo "== SQLite =="
/usr/bin/time -f "generation: %e s, %M KB" env TRAME_LOG=warn "$bin" demo clauses "${volume[@]}" --data-dir "$dir"
du -h "$dir"/trame.db | awk '{print "database: " $1}'
TRAME_LOG=warn "$bin" clauses mesure --annee "$year" --data-dir "$dir"

TRAME_LOG=warn taskset -c 0 "$bin" serve --addr "127.0.0.1:$port" --data-dir "$dir" >/dev/null &
pid=$!
until curl -fsS -o /dev/null "http://127.0.0.1:$port/healthz" 2>/dev/null; do sleep 0.1; done
# The jobs due at start-up (the weekly alert reads the 20,000 contracts) run first.
sleep "${SETTLE:-20}"
jar="$dir/cookies"
curl -fsS -c "$jar" -b "$jar" -o /dev/null "http://127.0.0.1:$port/connexion"
csrf=$(awk '$6 == "trame_csrf" {print $7}' "$jar")
curl -fsS -c "$jar" -b "$jar" -o /dev/null \
  --data-urlencode "_csrf=$csrf" --data-urlencode "email=accompagnement@demo.trame.test" \
  --data-urlencode "password=demo trame gpsea 2026" "http://127.0.0.1:$port/connexion"
session=$(awk '$6 == "trame_session" {print $7}' "$jar")
# A generated contract in the middle of the volume: 24 months of a crew's lines.
url="http://127.0.0.1:$port/gpsea/clauses/marches/${CONTRACT:-10040}"
status=$(curl -s -o "$dir/page.html" -w '%{http_code}' -H "Cookie: trame_session=$session" "$url")
[ "$status" = 200 ] || { echo "the contract page answered $status" >&2; exit 1; }
grep -o '[0-9][^<]*réalisées sur[^<]*' "$dir/page.html" | head -1
p99s=() rpss=()
for _ in $(seq 1 "$runs"); do
  out=$(taskset -c 1 wrk -t1 -c16 -d10s --latency -H "Cookie: trame_session=$session" "$url")
  rpss+=("$(awk '/Requests\/sec/ {print $2}' <<<"$out")")
  p99s+=("$(awk '$1 == "99%" {v=$2; if (v ~ /us$/) {sub(/us/,"",v); v/=1000} else if (v ~ /ms$/) {sub(/ms/,"",v)} else if (v ~ /s$/) {sub(/s/,"",v); v*=1000}; print v}' <<<"$out")")
  errors=$(awk '/Non-2xx/ {print $NF}' <<<"$out")
  [ -z "$errors" ] || { echo "contract page: $errors non-2xx answers" >&2; exit 1; }
done
med() { printf '%s\n' "$@" | sort -g | awk '{a[NR]=$1} END {print a[int((NR+1)/2)]}'; }
echo "contract progress page (16 connections): median of $runs runs: $(med "${rpss[@]}") req/s, p99 $(med "${p99s[@]}") ms (p99 runs: ${p99s[*]} ms)"
kill "$pid"; pid=

if [ -n "$pg_url" ] && psql "$pg_url" -qc "SELECT 1" >/dev/null 2>&1; then
  echo "== PostgreSQL =="
  psql "$pg_url" -qc "DROP DATABASE IF EXISTS trame_bench_clauses" -c "CREATE DATABASE trame_bench_clauses" >/dev/null
  /usr/bin/time -f "generation: %e s, %M KB" env TRAME_LOG=warn "$bin" demo clauses "${volume[@]}" --database-url "$pg_db"
  psql "$pg_db" -qc "VACUUM ANALYZE" >/dev/null
  psql "$pg_db" -Atc "SELECT 'database: ' || pg_size_pretty(pg_database_size(current_database()))"
  TRAME_LOG=warn "$bin" clauses mesure --annee "$year" --database-url "$pg_db"
fi
