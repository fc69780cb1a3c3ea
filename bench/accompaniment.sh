#!/usr/bin/env bash
# The ESS accompaniment programme's dashboard over 1,000 projects and 50,000 sessions on
# SQLite (`trame demo accompagnement`), the facilitator logged in, side by side in the same
# run with an axum ceiling (Trame's /healthz through the same middleware) and, as a
# yardstick, the Django peer's directory list page (../shared/bench/peer-django).
#   bench/accompaniment.sh [BINARY]          (default target/release/trame)
# The servers run on core 0, wrk on core 1 (taskset). For each: the median over RUNS (3)
# wrk runs of 10 s at 16 connections, requests per second and p99 latency. Target: the
# dashboard's p99 under 100 ms.
set -euo pipefail
cd "$(dirname "$0")/.."
bin="${1:-target/release/trame}"
runs="${RUNS:-3}"
port=18761
peer_port=18713
dir=$(mktemp -d)
cleanup() { kill "${pid:-}" "${peer:-}" 2>/dev/null || true; rm -rf "$dir"; }
trap cleanup EXIT

/usr/bin/time -f "generation: %e s, %M KB" env TRAME_LOG=warn "$bin" demo accompagnement \
  --projects "${PROJECTS:-1000}" --sessions "${SESSIONS:-50000}" --data-dir "$dir"
login=accompagnement@demo.trame.test
page=/gpsea/suivi-accompagnement/tableau-de-bord
shows='[0-9]* projet(s) accompagné(s)[^<]*'
label="Trame, programme dashboard (1,000 projects, 50,000 sessions)"
# shellcheck source=bench/lib/dashboard.sh
. bench/lib/dashboard.sh
