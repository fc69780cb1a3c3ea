#!/usr/bin/env bash
# The public directory's list page over 5,000 services on SQLite, filtered by thématique
# and commune, side by side in the same run with the Django peer's list page (5,000
# services, same filters: ../shared/bench/peer-django), and with an axum ceiling (Trame's
# /healthz, a static answer through the same middleware).
#   bench/directory.sh [BINARY]            (default target/release/trame)
# The servers run on core 0, wrk on core 1 (taskset). For each side: the median over RUNS
# (3) wrk runs of 10 s at 16 connections, requests per second and p99 latency; then the
# ratios.
set -euo pipefail
cd "$(dirname "$0")/.."
bin="${1:-target/release/trame}"
runs="${RUNS:-3}"
port=18741
peer_port=18712
dir=$(mktemp -d)
cleanup() { kill "${pid:-}" "${peer:-}" 2>/dev/null || true; rm -rf "$dir"; }
trap cleanup EXIT

# The demo holds 152 services; 4,848 generated ones make 5,000.
TRAME_LOG=warn "$bin" demo generate --services 4848 --data-dir "$dir" >/dev/null
TRAME_LOG=warn taskset -c 0 "$bin" serve --addr "127.0.0.1:$port" --data-dir "$dir" >/dev/null &
pid=$!
until curl -fsS -o /dev/null "http://127.0.0.1:$port/healthz" 2>/dev/null; do sleep 0.1; done
query="thematique=mobilite&commune=94028&page=2"
url="http://127.0.0.1:$port/gpsea/annuaire?$query"
status=$(curl -s -o "$dir/page.html" -w '%{http_code}' "$url")
[ "$status" = 200 ] || { echo "the list answered $status" >&2; exit 1; }
grep -o 'services — [^<]*' "$dir/page.html" | head -1

peer_dir="${PEER_DIR:-../shared/bench/peer-django}"
if [ -x "$peer_dir/run.sh" ]; then
  taskset -c 0 "$peer_dir/run.sh" "$peer_port" >/dev/null 2>&1 &
  peer=$!
  for _ in $(seq 1 600); do curl -fsS -o /dev/null "http://127.0.0.1:$peer_port/healthz" 2>/dev/null && break; sleep 0.5; done
fi
peer_url="http://127.0.0.1:$peer_port/services?$query"

measure() { # label, url, variable prefix
  local label=$1 target=$2 rps=() p99=()
  for _ in $(seq 1 "$runs"); do
    out=$(taskset -c 1 wrk -t1 -c16 -d10s --latency "$target")
    rps+=("$(awk '/Requests\/sec/ {print $2}' <<<"$out")")
    p99+=("$(awk '$1 == "99%" {v=$2; if (v ~ /us$/) {sub(/us/,"",v); v/=1000} else if (v ~ /ms$/) {sub(/ms/,"",v)} else if (v ~ /s$/) {sub(/s/,"",v); v*=1000}; print v}' <<<"$out")")
    errors=$(awk '/Non-2xx/ {print $NF}' <<<"$out")
    [ -z "$errors" ] || { echo "$label: $errors non-2xx answers" >&2; exit 1; }
  done
  med_rps=$(printf '%s\n' "${rps[@]}" | sort -g | awk '{a[NR]=$1} END {print a[int((NR+1)/2)]}')
  med_p99=$(printf '%s\n' "${p99[@]}" | sort -g | awk '{a[NR]=$1} END {print a[int((NR+1)/2)]}')
  echo "$label: median of $runs runs: ${med_rps} req/s, p99 ${med_p99} ms (runs: ${rps[*]} req/s; p99 ${p99[*]} ms)"
  eval "${3}_rps=$med_rps; ${3}_p99=$med_p99"
}

measure "Trame, directory list (5,000 services)" "$url" trame
measure "Trame, /healthz (ceiling)" "http://127.0.0.1:$port/healthz" ceiling
awk -v a="$trame_rps" -v c="$ceiling_rps" 'BEGIN {printf "the list page runs at %.0f %% of the ceiling'"'"'s throughput\n", 100*a/c}'
if [ -n "${peer:-}" ] && curl -fsS -o /dev/null "$peer_url" 2>/dev/null; then
  measure "Django peer, service list (5,000 services)" "$peer_url" peer
  awk -v a="$trame_rps" -v b="$peer_rps" -v c="$trame_p99" -v d="$peer_p99" \
    'BEGIN {printf "ratio: Trame serves %.1f× the requests per second of the peer, with %.1f× lower p99\n", a/b, d/c}'
else
  echo "Django peer not available: Trame figures only"
fi
awk -v p="$trame_p99" 'BEGIN { if (p >= 10) { print "p99 over the 10 ms budget"; exit 1 } else print "p99 within the 10 ms budget" }'
