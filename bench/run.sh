#!/usr/bin/env bash
# Pratu's benchmark (not a timed test): builds the release binary, starts it on a fresh demo
# SQLite database, and measures with wrk, next to nginx's static `return 200` as the baseline,
# requests/s and p99 latency for the home page, a service page, the search API and /healthz;
# then the server's memory. Everything listens on 127.0.0.1 only.
#   bench/run.sh [--strict] [--duration SECONDS] [--no-build]
#     --strict     exit 1 when a target is missed (default: report only)
#     --duration   seconds per measurement (default 15)
#     --no-build   use build/release/pratu as it is
set -euo pipefail
cd "$(dirname "$0")/.."

strict=0
duration=15
build=1
while (($#)); do
  case "$1" in
    --strict) strict=1; shift ;;
    --duration) duration=$2; shift 2 ;;
    --no-build) build=0; shift ;;
    -h|--help) sed -n '2,10p' "$0"; exit 0 ;;
    *) echo "bench: unknown option $1" >&2; exit 2 ;;
  esac
done
[[ $duration =~ ^[0-9]+$ ]] && ((duration > 0 && duration <= 120)) ||
  { echo "bench: --duration must be 1..120 seconds" >&2; exit 2; }

readonly threads=2 connections=64

if ((build)); then
  bin/install-deps --bench
  cmake --preset release >/dev/null
  cmake --build --preset release
fi
binary=${BENCH_BINARY:-build/release/pratu}
[[ -x $binary ]] || { echo "bench: $binary is missing (run without --no-build)" >&2; exit 1; }

work=$(mktemp -d /tmp/pratu-bench.XXXXXX)
chmod 755 "$work"  # nginx's workers run as nobody
nginx_pid=""
source tests/e2e/server.sh
cleanup() {
  pratu_stop >/dev/null 2>&1 || true
  if [[ -n $nginx_pid ]]; then
    kill -QUIT "$nginx_pid" 2>/dev/null || true
    wait "$nginx_pid" 2>/dev/null || true
  fi
  rm -rf "$work"
}
trap cleanup EXIT

port_in_use() { (exec 3<>"/dev/tcp/127.0.0.1/$1") 2>/dev/null; }
free_port() {
  local port
  for _ in $(seq 1 100); do
    port=$((20000 + RANDOM % 40000))
    port_in_use "$port" || { echo "$port"; return; }
  done
  echo "bench: found no free port" >&2
  return 1
}

# The baseline: nginx with its own configuration, 2 workers, no access log.
nginx_port=$(free_port)
sed -e "s|@DIR@|$work|g" -e "s|@PORT@|$nginx_port|g" bench/nginx.conf.template >"$work/nginx.conf"
nginx -c "$work/nginx.conf" -p "$work" -e "$work/nginx-error.log" &
nginx_pid=$!
for _ in $(seq 1 50); do
  curl -fsS -m 1 -o /dev/null "http://127.0.0.1:$nginx_port/" 2>/dev/null && break
  sleep 0.1
done
curl -fsS -m 1 -o /dev/null "http://127.0.0.1:$nginx_port/" ||
  { echo "bench: nginx did not start"; cat "$work/nginx-error.log"; exit 1; }

pratu_start "$binary" "$work/pratu" --demo --database "sqlite:$work/pratu.db"
base=$PRATU_URL
echo "bench: pratu at $base (pid $PRATU_PID), nginx at 127.0.0.1:$nginx_port"

# A demo service to render: the first result of the search the benchmark also measures.
query=$(printf 'อาหาร' | od -An -tx1 | tr -d ' \n' | sed 's/../%&/g' | tr 'a-f' 'A-F')
slug=$(curl -fsS -m 5 "$base/api/v1/services?q=$query" | grep -o '"slug" *: *"[^"]*"' | head -n 1 |
  sed 's/.*: *"\(.*\)"/\1/')
[[ -n $slug ]] || { echo "bench: the search API found no service for อาหาร"; exit 1; }

names=() urls=() rps=() p99=() errors=()
# measure NAME URL [SHOWN_PATH]: runs wrk and records requests/s, p99 (ms) and non-2xx/3xx or socket errors.
measure() {
  local name=$1 url=$2 shown=${3-} out
  curl -fsS -m 5 -o /dev/null "$url" || { echo "bench: $url does not answer 2xx"; exit 1; }
  echo "bench: $name: wrk -t$threads -c$connections -d${duration}s --latency $url"
  out=$(timeout $((duration + 30)) wrk -t"$threads" -c"$connections" -d"${duration}s" --timeout 5s --latency \
    -H 'Accept-Language: th' "$url")
  echo "$out" >>"$work/wrk.log"
  names+=("$name")
  urls+=("${shown:-${url#"$base"}}")
  rps+=("$(awk '/^Requests\/sec:/ {print $2}' <<<"$out")")
  p99+=("$(awk '$1 == "99%" {v = $2; if (v ~ /us$/) {sub(/us$/, "", v); v /= 1000}
    else if (v ~ /ms$/) {sub(/ms$/, "", v)} else if (v ~ /s$/) {sub(/s$/, "", v); v *= 1000}
    printf "%.2f", v}' <<<"$out")")
  local bad sockets
  bad=$(awk '/Non-2xx or 3xx responses:/ {print $NF}' <<<"$out")
  sockets=$(awk '/Socket errors:/ {gsub(",", ""); print $4 + $6 + $8 + $10}' <<<"$out")
  errors+=("$((${bad:-0} + ${sockets:-0}))")
}

measure "nginx static baseline" "http://127.0.0.1:$nginx_port/"
measure "home page" "$base/"
measure "service page" "$base/services/$slug"
measure "search API" "$base/api/v1/services?q=$query" "/api/v1/services?q=อาหาร"
measure "health" "$base/healthz"

rss_kib=$(awk '/^VmRSS:/ {print $2}' "/proc/$PRATU_PID/status")
hwm_kib=$(awk '/^VmHWM:/ {print $2}' "/proc/$PRATU_PID/status")

# The same search with the search cache switched off: every request goes to SQLite's FTS5,
# as a search nobody made in the last minute does.
stopped_cleanly=1
pratu_stop || stopped_cleanly=0
PRATU_CACHE_SEARCH_ENTRIES=0 pratu_start "$binary" "$work/pratu-nocache" --demo \
  --database "sqlite:$work/pratu-nocache.db"
measure "search API, no cache" "$PRATU_URL/api/v1/services?q=$query" "/api/v1/services?q=อาหาร (cache.search_entries=0)"

echo
echo "Pratu benchmark — $(nproc) cores, wrk $threads threads, $connections connections, ${duration} s each"
# The path goes last: Thai text would upset printf's byte-counted padding.
printf '%-24s %12s %10s %8s  %s\n' "scenario" "requests/s" "p99 ms" "errors" "path"
for i in "${!names[@]}"; do
  printf '%-24s %12.0f %10s %8s  %s\n' "${names[$i]}" "${rps[$i]}" "${p99[$i]}" "${errors[$i]}" "${urls[$i]}"
done
awk -v rss="$rss_kib" -v hwm="$hwm_kib" \
  'BEGIN {printf "pratu memory after the run: VmRSS %.1f MiB, VmHWM (peak) %.1f MiB\n", rss / 1024, hwm / 1024}'

echo
missed=0
verdict() {  # verdict DESCRIPTION PASSED(0|1)
  if (($2)); then echo "PASS  $1"; else echo "FAIL  $1"; missed=$((missed + 1)); fi
}
ratio=$(awk "BEGIN{printf \"%.1f\", 100 * ${rps[2]} / ${rps[0]}}")
verdict "service page at ${ratio} % of the static baseline's requests/s (target >= 40 %)" \
  "$(awk "BEGIN{print (${rps[2]} >= 0.4 * ${rps[0]}) ? 1 : 0}")"
verdict "search API p99 ${p99[3]} ms at $connections connections (target < 10 ms)" \
  "$(awk "BEGIN{print (${p99[3]} < 10) ? 1 : 0}")"
verdict "search API p99 without the cache ${p99[5]} ms at $connections connections (target < 10 ms)" \
  "$(awk "BEGIN{print (${p99[5]} < 10) ? 1 : 0}")"
verdict "RSS $(awk "BEGIN{printf \"%.1f\", $rss_kib/1024}") MiB after the run (target < 100 MiB)" \
  "$(awk "BEGIN{print ($rss_kib < 100 * 1024) ? 1 : 0}")"
error_total=0
for e in "${errors[@]}"; do error_total=$((error_total + e)); done
verdict "no errors or non-2xx answers during the runs ($error_total)" "$((error_total == 0))"

pratu_stop || stopped_cleanly=0
if ((!stopped_cleanly)); then
  echo "bench: pratu did not stop cleanly"
  missed=$((missed + 1))
fi
if ((strict && missed > 0)); then exit 1; fi
exit 0
