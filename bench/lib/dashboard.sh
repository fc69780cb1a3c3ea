# Shared by the dashboard benchmarks (accompaniment.sh, pathways.sh): serves the data
# generated in "$dir" with "$bin" on core 0, logs in as "$login", checks that "$page"
# answers 200 and prints what "$shows" finds in it, then measures it side by side with
# the ceiling (/healthz) and the Django peer's list page, wrk on core 1. The caller sets
# bin, dir, runs, port, peer_port, login, page, shows and label.
TRAME_LOG=warn taskset -c 0 "$bin" serve --addr "127.0.0.1:$port" --data-dir "$dir" >/dev/null &
pid=$!
until curl -fsS -o /dev/null "http://127.0.0.1:$port/healthz" 2>/dev/null; do sleep 0.1; done
sleep "${SETTLE:-5}"
jar="$dir/cookies"
curl -fsS -c "$jar" -b "$jar" -o /dev/null "http://127.0.0.1:$port/connexion"
csrf=$(awk '$6 == "trame_csrf" {print $7}' "$jar")
curl -fsS -c "$jar" -b "$jar" -o /dev/null \
  --data-urlencode "_csrf=$csrf" --data-urlencode "email=$login" \
  --data-urlencode "password=demo trame gpsea 2026" "http://127.0.0.1:$port/connexion"
session=$(awk '$6 == "trame_session" {print $7}' "$jar")
url="http://127.0.0.1:$port$page"
status=$(curl -s -o "$dir/page.html" -w '%{http_code}' -H "Cookie: trame_session=$session" "$url")
[ "$status" = 200 ] || { echo "the dashboard answered $status" >&2; exit 1; }
grep -o "$shows" "$dir/page.html" | head -1

peer_dir="${PEER_DIR:-../shared/bench/peer-django}"
if [ "${PEER:-1}" = 1 ] && [ -x "$peer_dir/run.sh" ]; then
  taskset -c 0 "$peer_dir/run.sh" "$peer_port" >/dev/null 2>&1 &
  peer=$!
  for _ in $(seq 1 600); do curl -fsS -o /dev/null "http://127.0.0.1:$peer_port/healthz" 2>/dev/null && break; sleep 0.5; done
fi
peer_url="http://127.0.0.1:$peer_port/services?thematique=mobilite&page=3"

measure() { # label, url, variable prefix, [cookie]
  local label=$1 target=$2 rps=() p99=() header=()
  [ -z "${4:-}" ] || header=(-H "Cookie: trame_session=$4")
  for _ in $(seq 1 "$runs"); do
    out=$(taskset -c 1 wrk -t1 -c16 -d10s --latency "${header[@]}" "$target")
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

measure "$label" "$url" trame "$session"
measure "Trame, /healthz (ceiling)" "http://127.0.0.1:$port/healthz" ceiling
awk -v a="$trame_rps" -v c="$ceiling_rps" 'BEGIN {printf "the dashboard runs at %.0f %% of the ceiling'"'"'s throughput\n", 100*a/c}'
awk -v p="$trame_p99" 'BEGIN {printf "target p99 < 100 ms: %s\n", (p < 100 ? "met" : "NOT met")}'
if [ -n "${peer:-}" ] && curl -fsS -o /dev/null "$peer_url" 2>/dev/null; then
  measure "Django peer, directory list page (yardstick)" "$peer_url" peer
  awk -v a="$trame_rps" -v b="$peer_rps" -v c="$trame_p99" -v d="$peer_p99" \
    'BEGIN {printf "ratio: the dashboard serves %.1f× the requests per second of the peer'"'"'s list page, with %.1f× lower p99\n", a/b, d/c}'
fi
