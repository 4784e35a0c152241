#!/usr/bin/env bash
# Pratu's benchmark (not a timed test): builds the release binary, starts it on a fresh demo
# SQLite database, and measures with wrk, next to nginx's static `return 200` as the baseline,
# requests/s and p99 latency for the home page, a service page, the search API and /healthz;
# then the server's memory. Then a generated national catalogue (5,000 services): how long it
# takes to load, reload and start on, and uncached search with varied queries.
# Everything listens on 127.0.0.1 only.
#   bench/run.sh [--strict] [--duration SECONDS] [--services N] [--no-build]
#     --strict     exit 1 when a target is missed (default: report only)
#     --duration   seconds per measurement (default 15)
#     --services   services in the generated catalogue (default 5000)
#     --no-build   use build/release/pratu as it is
set -euo pipefail
cd "$(dirname "$0")/.."

strict=0
duration=15
services=5000
build=1
while (($#)); do
  case "$1" in
    --strict) strict=1; shift ;;
    --duration) duration=$2; shift 2 ;;
    --services) services=$2; shift 2 ;;
    --no-build) build=0; shift ;;
    -h|--help) sed -n '2,13p' "$0"; exit 0 ;;
    *) echo "bench: unknown option $1" >&2; exit 2 ;;
  esac
done
[[ $duration =~ ^[0-9]+$ ]] && ((duration > 0 && duration <= 120)) ||
  { echo "bench: --duration must be 1..120 seconds" >&2; exit 2; }
[[ $services =~ ^[0-9]+$ ]] && ((services > 0 && services <= 9000)) ||
  { echo "bench: --services must be 1..9000" >&2; exit 2; }

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
# measure NAME URL [SHOWN_PATH [SCRIPT SCRIPT_ARG]]: runs wrk (with a Lua script choosing each
# request, if given) and records requests/s, p99 (ms) and non-2xx/3xx or socket errors.
measure() {
  local name=$1 url=$2 shown=${3-} script=() out
  (($# > 3)) && script=(-s "$4" "$url" -- "$5")
  curl -fsS -m 5 -o /dev/null "$url" || { echo "bench: $url does not answer 2xx"; exit 1; }
  echo "bench: $name: wrk -t$threads -c$connections -d${duration}s --latency ${script[*]:-$url}"
  out=$(timeout $((duration + 30)) wrk -t"$threads" -c"$connections" -d"${duration}s" --timeout 5s --latency \
    -H 'Accept-Language: th' "${script[@]:-$url}")
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
stopped_cleanly_nocache=1
pratu_stop || stopped_cleanly_nocache=0

# The national catalogue: generated services, loaded with `pratu catalog load` into an empty
# database, then a catalogue in which every service changed, then the same files again; then
# a server restarted on it (nothing to rewrite), searched without the caches for varied queries.
large=$work/large
echo "bench: generating a catalogue of $services services"
bench/generate-catalogue "$large/services" --services "$services" --queries "$large/queries.txt"
bench/generate-catalogue "$large/changed/services" --services "$services" --change "$services"
large_db=$large/pratu.db
"$binary" migrate --database "sqlite:$large_db" >/dev/null
# seconds_to COMMAND...: runs it and prints its wall-clock time in seconds.
seconds_to() {
  local start end
  start=$(date +%s.%N)
  "$@" >"$large/command.out" 2>&1 || { echo "bench: $* failed:" >&2; cat "$large/command.out" >&2; exit 1; }
  end=$(date +%s.%N)
  awk -v s="$start" -v e="$end" 'BEGIN {printf "%.2f", e - s}'
}
load_first=$(seconds_to "$binary" catalog load --dir "$large/services" --database "sqlite:$large_db")
load_changed=$(seconds_to "$binary" catalog load --dir "$large/changed/services" --database "sqlite:$large_db")
load_same=$(seconds_to "$binary" catalog load --dir "$large/changed/services" --database "sqlite:$large_db")
large_serve() {
  PRATU_PATHS_CATALOGUE="$large/changed/services" PRATU_CACHE_SEARCH_ENTRIES=0 PRATU_CACHE_PAGE_ENTRIES=0 \
    pratu_start "$binary" "$large/pratu" --database "sqlite:$large_db"
}
# A first start also makes the secrets every node shares; the start measured is a restart.
large_serve
pratu_stop || stopped_cleanly_nocache=0
db_before=$(sha256sum <"$large_db")
start_began=$(date +%s.%N)
large_serve
start_seconds=$(awk -v s="$start_began" -v e="$(date +%s.%N)" 'BEGIN {printf "%.2f", e - s}')
# A start that rewrote nothing left nothing in the write-ahead log (and the file as it was).
start_wal_bytes=$(stat -c %s "$large_db-wal" 2>/dev/null || echo 0)
[[ $(sha256sum <"$large_db") == "$db_before" ]] || start_wal_bytes=-1
measure "search, $services services" "$PRATU_URL/" \
  "/api/v1/services?q=<$(wc -l <"$large/queries.txt") varied queries> (cache.search_entries=0)" \
  bench/search-queries.lua "$large/queries.txt"
large_rss_kib=$(awk '/^VmRSS:/ {print $2}' "/proc/$PRATU_PID/status")

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
echo "Catalogue of $services services (SQLite, wall-clock seconds of the whole command):"
printf '  %-52s %6s s\n' "pratu catalog load, empty database" "$load_first" \
  "pratu catalog load, every service changed" "$load_changed" \
  "pratu catalog load, unchanged" "$load_same" \
  "pratu serve restart until ready, unchanged catalogue" "$start_seconds"
echo "  the start wrote $( ((start_wal_bytes == 0)) && echo nothing || echo "to the database (WAL $start_wal_bytes bytes)"); VmRSS after searching $(awk "BEGIN{printf \"%.1f\", $large_rss_kib/1024}") MiB"

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
verdict "catalogue of $services services loaded in ${load_first} s, and with every service changed in ${load_changed} s (target < 5 s)" \
  "$(awk "BEGIN{print ($load_first < 5 && $load_changed < 5) ? 1 : 0}")"
verdict "a start on the unchanged catalogue wrote nothing to the database" "$((start_wal_bytes == 0))"
verdict "search p99 with $services services, varied queries, no cache ${p99[6]} ms (target < 10 ms)" \
  "$(awk "BEGIN{print (${p99[6]} < 10) ? 1 : 0}")"
verdict "RSS $(awk "BEGIN{printf \"%.1f\", $rss_kib/1024}") MiB after the run (target < 100 MiB)" \
  "$(awk "BEGIN{print ($rss_kib < 100 * 1024) ? 1 : 0}")"
error_total=0
for e in "${errors[@]}"; do error_total=$((error_total + e)); done
verdict "no errors or non-2xx answers during the runs ($error_total)" "$((error_total == 0))"

pratu_stop || stopped_cleanly=0
if ((!stopped_cleanly || !stopped_cleanly_nocache)); then
  echo "bench: pratu did not stop cleanly"
  missed=$((missed + 1))
fi
if ((strict && missed > 0)); then exit 1; fi
exit 0
