#!/usr/bin/env bash
# The instructors' dossier list over 5,000 dossiers on SQLite, filtered (state and commune)
# and paginated (page 3, 50 per page, with the total count), logged in as the demo agent;
# side by side in the same run with the Django peer's list page (5,000 services, filtered,
# paginated, with the total count: ../shared/bench/peer-django).
#   bench/dossiers.sh [BINARY]            (default target/debug/trame)
# The servers run on core 0, wrk on core 1 (taskset). Prints, for each side, the median
# over RUNS (3) wrk runs of 10 s at 16 connections of
# the requests per second and the 99th percentile latency, then the ratio.
set -euo pipefail
cd "$(dirname "$0")/.."
bin="${1:-target/debug/trame}"
runs="${RUNS:-3}"
port=18731
peer_port=18711
dir=$(mktemp -d)
cleanup() { kill "${pid:-}" "${peer:-}" 2>/dev/null || true; rm -rf "$dir"; }
trap cleanup EXIT

TRAME_LOG=warn "$bin" demo volume --dossiers 5000 --data-dir "$dir" >/dev/null
TRAME_LOG=warn taskset -c 0 "$bin" serve --addr "127.0.0.1:$port" --data-dir "$dir" >/dev/null &
pid=$!
until curl -fsS -o /dev/null "http://127.0.0.1:$port/healthz" 2>/dev/null; do sleep 0.1; done
jar="$dir/cookies"
curl -fsS -c "$jar" -b "$jar" -o /dev/null "http://127.0.0.1:$port/connexion"
csrf=$(awk '$6 == "trame_csrf" {print $7}' "$jar")
curl -fsS -c "$jar" -b "$jar" -o /dev/null \
  --data-urlencode "_csrf=$csrf" --data-urlencode "email=agent@demo.trame.test" \
  --data-urlencode "password=demo trame gpsea 2026" "http://127.0.0.1:$port/connexion"
session=$(awk '$6 == "trame_session" {print $7}' "$jar")
url="http://127.0.0.1:$port/gpsea/instruction?etat=en_instruction&commune=94028&page=3"
status=$(curl -s -o "$dir/page.html" -w '%{http_code}' -H "Cookie: trame_session=$session" "$url")
[ "$status" = 200 ] || { echo "the list answered $status" >&2; exit 1; }
grep -q "dossier(s) — page 3" "$dir/page.html" || { echo "unexpected list page" >&2; exit 1; }

peer_dir="${PEER_DIR:-../shared/bench/peer-django}"
if [ -x "$peer_dir/run.sh" ]; then
  taskset -c 0 "$peer_dir/run.sh" "$peer_port" >/dev/null 2>&1 &
  peer=$!
  for _ in $(seq 1 600); do curl -fsS -o /dev/null "http://127.0.0.1:$peer_port/services" 2>/dev/null && break; sleep 0.5; done
fi
peer_url="http://127.0.0.1:$peer_port/services?thematique=mobilite&page=3"

measure() { # label, url, extra header
  local label=$1 target=$2 header=$3 rps=() p99=()
  for i in $(seq 1 "$runs"); do
    out=$(taskset -c 1 wrk -t1 -c16 -d10s --latency -H "$header" "$target")
    rps+=("$(awk '/Requests\/sec/ {print $2}' <<<"$out")")
    p99+=("$(awk '$1 == "99%" {v=$2; if (v ~ /us$/) {sub(/us/,"",v); v/=1000} else if (v ~ /ms$/) {sub(/ms/,"",v)} else if (v ~ /s$/) {sub(/s/,"",v); v*=1000}; print v}' <<<"$out")")
    errors=$(awk '/Non-2xx/ {print $NF}' <<<"$out")
    [ -z "$errors" ] || { echo "$label: $errors non-2xx answers" >&2; exit 1; }
  done
  med_rps=$(printf '%s\n' "${rps[@]}" | sort -g | awk '{a[NR]=$1} END {print a[int((NR+1)/2)]}')
  med_p99=$(printf '%s\n' "${p99[@]}" | sort -g | awk '{a[NR]=$1} END {print a[int((NR+1)/2)]}')
  echo "$label: median of $runs runs: ${med_rps} req/s, p99 ${med_p99} ms (runs: ${rps[*]} req/s; p99 ${p99[*]} ms)"
  eval "${4}_rps=$med_rps; ${4}_p99=$med_p99"
}

measure "Trame, dossier list (5,000 dossiers)" "$url" "Cookie: trame_session=$session" trame
if [ -n "${peer:-}" ] && curl -fsS -o /dev/null "$peer_url" 2>/dev/null; then
  measure "Django peer, service list (5,000 services)" "$peer_url" "Accept: text/html" peer
  awk -v a="$trame_rps" -v b="$peer_rps" -v c="$trame_p99" -v d="$peer_p99" \
    'BEGIN {printf "ratio: Trame serves %.1f× the requests per second of the peer, with %.1f× lower p99\n", a/b, d/c}'
else
  echo "Django peer not available: Trame figures only"
fi
awk -v p="$trame_p99" 'BEGIN { if (p >= 20) { print "p99 over the 20 ms budget"; exit 1 } else print "p99 within the 20 ms budget" }'
