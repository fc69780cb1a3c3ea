#!/usr/bin/env bash
# The insertion pathways' dashboard over 10,000 participants on SQLite (`trame demo
# parcours`: files, barriers, steps, referrals), the territory's admin logged in (every
# file counted), side by side in the same
# run with an axum ceiling (Trame's /healthz through the same middleware) and, as a
# yardstick, the Django peer's directory list page (../shared/bench/peer-django).
#   bench/pathways.sh [BINARY]          (default target/release/trame)
# The servers run on core 0, wrk on core 1 (taskset). For each: the median over RUNS (3)
# wrk runs of 10 s at 16 connections, requests per second and p99 latency. Target: the
# dashboard's p99 under 100 ms.
set -euo pipefail
cd "$(dirname "$0")/.."
bin="${1:-target/release/trame}"
runs="${RUNS:-3}"
port=18771
peer_port=18713
dir=$(mktemp -d)
cleanup() { kill "${pid:-}" "${peer:-}" 2>/dev/null || true; rm -rf "$dir"; }
trap cleanup EXIT

/usr/bin/time -f "generation: %e s, %M KB" env TRAME_LOG=warn "$bin" demo parcours \
  --files "${FILES:-10000}" --counsellors "${COUNSELLORS:-30}" --data-dir "$dir"
login=admin@demo.trame.test
page=/gpsea/parcours/tableau-de-bord
shows='<strong>[0-9]*</strong> dossier(s)[^<]*'
label="Trame, pathways dashboard (10,000 participants)"
# shellcheck source=bench/lib/dashboard.sh
. bench/lib/dashboard.sh
