#!/usr/bin/env bash
# Pratu's benchmark (not a timed test): builds the release binary, starts it on a fresh demo
# SQLite database, and measures with wrk, next to nginx's static `return 200` as the baseline,
# requests/s and p99 latency for the home page, a service page, the search API and /healthz;
# then the server's memory; then a generated national catalogue (5,000 services): how long it
# takes to load, reload and start on, and uncached search with varied queries; then a service
# page alone, then three rounds of nginx, the service page, the logged-in page and nginx again
# (the verdicts on both pages: drift between runs minutes apart cancels), then the page
# during a burst of 100 concurrent logins; then logins alone against the
# machine's Argon2id limit, on SQLite and, with --postgres, on PostgreSQL. Everything listens
# on 127.0.0.1 only.
#   bench/run.sh [--strict] [--duration SECONDS] [--services N] [--no-build] [--postgres URL]
#     --strict     exit 1 when a target is missed (default: report only)
#     --duration   seconds per measurement (default 15)
#     --services   services in the generated catalogue (default 5000)
#     --no-build   use build/release/pratu as it is
#     --postgres   a PostgreSQL server (e.g. bin/postgres-test-server's URL) on which to
#                  (re)create the database pratu_bench for the logins on PostgreSQL
set -euo pipefail
cd "$(dirname "$0")/.."

strict=0
duration=15
services=5000
build=1
postgres_url=""
while (($#)); do
  case "$1" in
    --strict) strict=1; shift ;;
    --duration) duration=$2; shift 2 ;;
    --services) services=$2; shift 2 ;;
    --no-build) build=0; shift ;;
    --postgres) postgres_url=$2; shift 2 ;;
    -h|--help) sed -n '2,16p' "$0"; exit 0 ;;
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
hash_probe=${BENCH_HASH_PROBE:-build/release/pratu_hash_probe}
[[ -x $hash_probe ]] || { echo "bench: $hash_probe is missing (run without --no-build)" >&2; exit 1; }
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
# With measure_cookie set, every request sends it (a logged-in visitor).
measure() {
  local name=$1 url=$2 shown=${3-} script=() out
  (($# > 3)) && script=(-s "$4" "$url" -- "$5")
  local with=(-H 'Accept-Language: th')
  [[ -n ${measure_cookie-} ]] && with+=(-H "Cookie: $measure_cookie")
  curl -fsS -m 5 -o /dev/null "${with[@]}" "$url" || { echo "bench: $url does not answer 2xx"; exit 1; }
  echo "bench: $name: wrk -t$threads -c$connections -d${duration}s --latency ${script[*]:-$url}"
  out=$(timeout $((duration + 30)) wrk -t"$threads" -c"$connections" -d"${duration}s" --timeout 5s --latency \
    "${with[@]}" "${script[@]:-$url}")
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
PRATU_CATALOG_SEARCH_ENTRIES=0 pratu_start "$binary" "$work/pratu-nocache" --demo \
  --database "sqlite:$work/pratu-nocache.db"
measure "search API, no cache" "$PRATU_URL/api/v1/services?q=$query" "/api/v1/services?q=อาหาร (catalog.search_entries=0)"
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
  PRATU_CATALOG_DIRECTORY="$large/changed/services" PRATU_CATALOG_SEARCH_ENTRIES=0 PRATU_CACHE_PAGE_ENTRIES=0 \
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
  "/api/v1/services?q=<$(wc -l <"$large/queries.txt") varied queries> (catalog.search_entries=0)" \
  bench/search-queries.lua "$large/queries.txt"
large_rss_kib=$(awk '/^VmRSS:/ {print $2}' "/proc/$PRATU_PID/status")

# A burst of logins on a third server: 100 connections POST the login form (with a valid
# CSRF token and the demo applicant's password, so each one runs Argon2id on the hashing pool)
# while the service page is measured, for a visitor without a session (rendered from memory on
# the I/O thread) and for a logged-in one (rendered on the page pool), each alone first.
pratu_stop || stopped_cleanly=0
pratu_start "$binary" "$work/pratu-logins" --demo --database "sqlite:$work/pratu-logins.db"
read -r demo_login demo_password < <(awk '$1 == "applicant:" {print $2, $4; exit}' "$work/pratu-logins.out")
[[ -n ${demo_password-} ]] || { echo "bench: no demo applicant in the server's output"; exit 1; }
urlencode() { printf '%s' "$1" | od -An -tx1 | tr -d ' \n' | sed 's/../%&/g'; }
jar_cookies() {  # the cookies of a curl cookie jar as a Cookie header value
  awk 'NF >= 7 && ($1 !~ /^#/ || $1 ~ /^#HttpOnly_/) {printf "%s%s=%s", sep, $6, $7; sep = "; "}' "$1"
}
token=$(curl -fsS -m 5 -c "$work/anonymous.jar" "$PRATU_URL/login" |
  grep -o 'name="csrf_token" value="[^"]*"' | head -n 1 | sed 's/.*value="\(.*\)"/\1/')
[[ -n $token ]] || { echo "bench: the login page has no CSRF token"; exit 1; }
export BENCH_LOGIN_COOKIE BENCH_LOGIN_BODY
BENCH_LOGIN_COOKIE=$(jar_cookies "$work/anonymous.jar")
BENCH_LOGIN_BODY="csrf_token=$(urlencode "$token")&login=$(urlencode "$demo_login")&password=$(urlencode "$demo_password")"
login_status=$(curl -sS -m 10 -o /dev/null -w '%{http_code}' -c "$work/session.jar" -H "Cookie: $BENCH_LOGIN_COOKIE" \
  -H 'Content-Type: application/x-www-form-urlencoded' --data "$BENCH_LOGIN_BODY" "$PRATU_URL/login")
[[ $login_status == 303 ]] || { echo "bench: logging in answered $login_status, not 303"; exit 1; }
session_cookie=$(jar_cookies "$work/session.jar")

# The machine's pace drifts by a fifth within minutes here: the logged-in page is compared with
# nginx measured again just before it, as well as with the first baseline.
baseline_again=${#names[@]}
measure "nginx static baseline, again" "http://127.0.0.1:$nginx_port/"
burst_first=${#names[@]}
measure "service page, alone" "$PRATU_URL/services/$slug" "/services/$slug"
measure_cookie=$session_cookie
measure "logged in, alone" "$PRATU_URL/services/$slug" "/services/$slug (with a session)"
measure_cookie=""

# The verdicts on the two pages compared with nginx: nginx, the cached page, the logged-in page
# and nginx again, in rounds of short runs, each page set against the mean of the nginx runs
# either side of it, so the machine's drift between measurements minutes apart cancels out; the
# verdict is the median of the rounds.
pair_rounds=3
pair_seconds=$(((duration + 2) / 3))
pair_errors=0
rate() {  # rate URL [COOKIE]: prints wrk's requests/s on URL for pair_seconds
  local with=(-H 'Accept-Language: th') out bad sockets
  [[ -n ${2-} ]] && with+=(-H "Cookie: $2")
  out=$(timeout $((pair_seconds + 30)) wrk -t"$threads" -c"$connections" -d"${pair_seconds}s" --timeout 5s \
    "${with[@]}" "$1")
  echo "$out" >>"$work/wrk.log"
  bad=$(awk '/Non-2xx or 3xx responses:/ {print $NF}' <<<"$out")
  sockets=$(awk '/Socket errors:/ {gsub(",", ""); print $4 + $6 + $8 + $10}' <<<"$out")
  pair_errors=$((pair_errors + ${bad:-0} + ${sockets:-0}))
  awk '/^Requests\/sec:/ {print $2}' <<<"$out"
}
pair_lines=() cached_ratios=() logged_ratios=()
echo "bench: $pair_rounds rounds of nginx, service page, logged in, nginx: wrk -t$threads -c$connections -d${pair_seconds}s each"
for ((round = 1; round <= pair_rounds; round++)); do
  before=$(rate "http://127.0.0.1:$nginx_port/")
  cached=$(rate "$PRATU_URL/services/$slug")
  logged=$(rate "$PRATU_URL/services/$slug" "$session_cookie")
  after=$(rate "http://127.0.0.1:$nginx_port/")
  cached_ratios+=("$(awk -v p="$cached" -v a="$before" -v b="$after" 'BEGIN {printf "%.1f", 200 * p / (a + b)}')")
  logged_ratios+=("$(awk -v p="$logged" -v a="$before" -v b="$after" 'BEGIN {printf "%.1f", 200 * p / (a + b)}')")
  pair_lines+=("$(printf '  round %d: nginx %.0f, service page %.0f (%s %%), logged in %.0f (%s %%), nginx %.0f' \
    "$round" "$before" "$cached" "${cached_ratios[-1]}" "$logged" "${logged_ratios[-1]}" "$after")")
done
median() { printf '%s\n' "$@" | sort -g | awk '{v[NR] = $1} END {print v[int((NR + 1) / 2)]}'; }
cached_median=$(median "${cached_ratios[@]}")
logged_median=$(median "${logged_ratios[@]}")
burst_seconds=$((2 * duration + 8))
echo "bench: 100 logins at a time: wrk -t1 -c100 -d${burst_seconds}s --timeout 30s -s bench/login.lua $PRATU_URL/login"
timeout $((burst_seconds + 60)) wrk -t1 -c100 -d"${burst_seconds}s" --timeout 30s --latency -s bench/login.lua \
  "$PRATU_URL/login" >"$work/logins.log" &
burst_pid=$!
sleep 4  # let the queue of logins build up
measure "service page, logins" "$PRATU_URL/services/$slug" "/services/$slug during 100 logins"
measure_cookie=$session_cookie
measure "logged in, logins" "$PRATU_URL/services/$slug" "/services/$slug (with a session) during 100 logins"
measure_cookie=""
wait "$burst_pid" || true
cat "$work/logins.log" >>"$work/wrk.log"
login_rps=$(awk '/^Requests\/sec:/ {print $2}' "$work/logins.log")
login_p99=$(awk '$1 == "99%" {print $2}' "$work/logins.log")
login_bad=$(awk '/Non-2xx or 3xx responses:/ {print $NF}' "$work/logins.log")
login_sockets=$(awk '/Socket errors:/ {gsub(",", ""); print $4 + $6 + $8 + $10}' "$work/logins.log")


# Logins alone, against the machine's Argon2id limit measured just before: every core hashing
# at once (pratu_hash_probe, the default cost), as many logins per second as could ever be
# answered. 16 connections keep both hashing workers busy and their queue full.
# measure_logins NAME URL: records logins/s, p99 and errors in login_*.
login_names=() login_rates=() login_limits=() login_p99s=() login_errors=()
measure_logins() {
  local name=$1 url=$2 out limit
  limit=$("$hash_probe" "$(nproc)" 3 | awk '$1 == "hashes_per_second" {print $2}')
  echo "bench: logins alone, $name: wrk -t1 -c16 -d${duration}s -s bench/login.lua $url (hash limit ${limit}/s)"
  out=$(timeout $((duration + 60)) wrk -t1 -c16 -d"${duration}s" --timeout 30s --latency -s bench/login.lua "$url")
  echo "$out" >>"$work/wrk.log"
  local bad sockets
  bad=$(awk '/Non-2xx or 3xx responses:/ {print $NF}' <<<"$out")
  sockets=$(awk '/Socket errors:/ {gsub(",", ""); print $4 + $6 + $8 + $10}' <<<"$out")
  login_names+=("$name")
  login_rates+=("$(awk '/^Requests\/sec:/ {print $2}' <<<"$out")")
  login_limits+=("$limit")
  login_p99s+=("$(awk '$1 == "99%" {print $2}' <<<"$out")")
  login_errors+=("$((${bad:-0} + ${sockets:-0}))")
}
# login_setup URL: a CSRF token and cookie of the login page at URL, into BENCH_LOGIN_*.
login_setup() {
  local token
  token=$(curl -fsS -m 5 -c "$work/anonymous-$2.jar" "$1/login" |
    grep -o 'name="csrf_token" value="[^"]*"' | head -n 1 | sed 's/.*value="\(.*\)"/\1/')
  [[ -n $token ]] || { echo "bench: the login page has no CSRF token"; exit 1; }
  BENCH_LOGIN_COOKIE=$(jar_cookies "$work/anonymous-$2.jar")
  BENCH_LOGIN_BODY="csrf_token=$(urlencode "$token")&login=$(urlencode "$demo_login")&password=$(urlencode "$demo_password")"
}
# The burst's last logins are still queued for the hashing workers when wrk stops: let them
# finish, so they count neither against the limit's measurement nor in the logins alone.
hashing_queue() {
  curl -fsS -m 2 "$PRATU_URL/metrics" 2>/dev/null |
    awk '/^pratu_worker_queue_depth\{pool="password_hashing"\}/ {print $2}'
}
for _ in $(seq 1 120); do
  [[ $(hashing_queue) == 0 ]] && break
  sleep 0.5
done
sleep 1  # the two logins that were hashing
measure_logins "SQLite" "$PRATU_URL/login"
if [[ -n $postgres_url ]]; then
  # A fresh database on that server, so the demo accounts are the only ones.
  psql -q -v ON_ERROR_STOP=1 "$postgres_url" -c "DROP DATABASE IF EXISTS pratu_bench" \
    -c "CREATE DATABASE pratu_bench" >/dev/null
  pratu_stop || stopped_cleanly=0
  pratu_start "$binary" "$work/pratu-postgres" --demo --database "${postgres_url%/*}/pratu_bench"
  read -r demo_login demo_password < <(awk '$1 == "applicant:" {print $2, $4; exit}' "$work/pratu-postgres.out")
  login_setup "$PRATU_URL" postgres
  measure_logins "PostgreSQL" "$PRATU_URL/login"
fi

echo
echo "Pratu benchmark — $(nproc) cores, wrk $threads threads, $connections connections, ${duration} s each"
# The path goes last: Thai text would upset printf's byte-counted padding.
printf '%-24s %12s %10s %8s  %s\n' "scenario" "requests/s" "p99 ms" "errors" "path"
for i in "${!names[@]}"; do
  printf '%-24s %12.0f %10s %8s  %s\n' "${names[$i]}" "${rps[$i]}" "${p99[$i]}" "${errors[$i]}" "${urls[$i]}"
done
awk -v rss="$rss_kib" -v hwm="$hwm_kib" \
  'BEGIN {printf "pratu memory after the run: VmRSS %.1f MiB, VmHWM (peak) %.1f MiB\n", rss / 1024, hwm / 1024}'
echo "logins during the burst: ${login_rps:-0}/s, p99 ${login_p99:-?}, ${login_bad:-0} answers other than 2xx/3xx, ${login_sockets:-0} socket errors or timeouts"
echo "service page p99 without / with 100 logins at a time: ${p99[$burst_first]} / ${p99[$((burst_first + 2))]} ms" \
  "anonymous, ${p99[$((burst_first + 1))]} / ${p99[$((burst_first + 3))]} ms logged in"
for i in "${!login_names[@]}"; do
  echo "logins alone on ${login_names[$i]}: ${login_rates[$i]:-0}/s against a hash limit of ${login_limits[$i]}/s" \
    "($(awk "BEGIN{printf \"%.1f\", 100 * ${login_rates[$i]:-0} / ${login_limits[$i]}}") %)," \
    "p99 ${login_p99s[$i]:-?}, ${login_errors[$i]} errors"
done
echo "logged-in service page: $(awk "BEGIN{printf \"%.1f\", 100 * ${rps[$((burst_first + 1))]} / ${rps[baseline_again]}}") % of the static baseline's requests/s measured just before it," \
  "$(awk "BEGIN{printf \"%.1f\", 100 * ${rps[$((burst_first + 1))]} / ${rps[0]}}") % of the first"
echo "service page against nginx in rounds (each page ÷ the mean of the nginx runs either side of it):"
printf '%s\n' "${pair_lines[@]}"
echo "  median: service page ${cached_median} %, logged in ${logged_median} %"
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
verdict "service page at ${cached_median} % of nginx, the median of $pair_rounds rounds (target >= 55 %)" \
  "$(awk "BEGIN{print ($cached_median >= 55) ? 1 : 0}")"
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
verdict "logged-in service page at ${logged_median} % of nginx, the median of $pair_rounds rounds (target >= 45 %)" \
  "$(awk "BEGIN{print ($logged_median >= 45) ? 1 : 0}")"
for i in "${!login_names[@]}"; do
  verdict "logins on ${login_names[$i]} at $(awk "BEGIN{printf \"%.1f\", 100 * ${login_rates[$i]:-0} / ${login_limits[$i]}}") % of the hash limit (target >= 90 %)" \
    "$(awk "BEGIN{print (${login_rates[$i]:-0} >= 0.9 * ${login_limits[$i]}) ? 1 : 0}")"
done
error_total=0
for e in "${errors[@]}" "${login_errors[@]}"; do error_total=$((error_total + e)); done
error_total=$((error_total + pair_errors))
verdict "no errors or non-2xx answers during the runs ($error_total)" "$((error_total == 0))"

pratu_stop || stopped_cleanly=0
if ((!stopped_cleanly || !stopped_cleanly_nocache)); then
  echo "bench: pratu did not stop cleanly"
  missed=$((missed + 1))
fi
if ((strict && missed > 0)); then exit 1; fi
exit 0
