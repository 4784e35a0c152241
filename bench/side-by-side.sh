#!/usr/bin/env bash
# Two builds of pratu measured alternately on the same machine, so that a change shows apart
# from the machine's drift (which moves every ratio of bench/run.sh): the cached service page
# (requests/s) and logins alone (logins/s, on SQLite and, with --postgres, on PostgreSQL).
# Each build runs from its own checkout, since it reads templates, locales and migrations there.
#   bench/side-by-side.sh OLD_BINARY OLD_CHECKOUT NEW_BINARY NEW_CHECKOUT [--rounds N]
#                         [--postgres URL]
# e.g. git worktree add /tmp/old 065deb7 && (cd /tmp/old && cmake --preset ci &&
#      cmake --build --preset ci) && bench/side-by-side.sh /tmp/old/build/ci/pratu /tmp/old \
#      build/ci/pratu .
set -euo pipefail
cd "$(dirname "$0")/.."
root=$PWD

(($# >= 4)) || { sed -n '2,10p' "$0"; exit 2; }
old_bin=$(realpath "$1") old_dir=$(realpath "$2") new_bin=$(realpath "$3") new_dir=$(realpath "$4")
shift 4
rounds=2
postgres_url=""
while (($#)); do
  case "$1" in
    --rounds) rounds=$2; shift 2 ;;
    --postgres) postgres_url=$2; shift 2 ;;
    *) echo "side-by-side: unknown option $1" >&2; exit 2 ;;
  esac
done
command -v wrk >/dev/null || { echo "side-by-side: wrk is missing (bin/install-deps --bench)" >&2; exit 1; }

work=$(mktemp -d /tmp/pratu-side.XXXXXX)
pid=""
cleanup() {
  [[ -n $pid ]] && kill "$pid" 2>/dev/null && wait "$pid" 2>/dev/null
  rm -rf "$work"
}
trap cleanup EXIT

port=18790
start() {  # start BINARY CHECKOUT DATABASE_URL: a demo server on $port
  port=$((port + 1))
  (cd "$2" && exec "$1" serve --demo --database "$3" --listen "127.0.0.1:$port") \
    >"$work/out" 2>/dev/null &
  pid=$!
  for _ in $(seq 150); do
    curl -fs -o /dev/null "http://127.0.0.1:$port/healthz" && return 0
    sleep 0.2
  done
  echo "side-by-side: $1 did not start" >&2
  exit 1
}
stop() { kill "$pid"; wait "$pid" 2>/dev/null || true; pid=""; }

rps() { awk '/Requests\/sec/ {print $2}'; }
urlencode() { printf '%s' "$1" | od -An -tx1 | tr -d ' \n' | sed 's/../%&/g'; }

page() {  # page BINARY CHECKOUT: the cached service page's requests/s
  start "$1" "$2" "sqlite:$work/page.db"
  local url="http://127.0.0.1:$port/services/food-premises-licence"
  wrk -t2 -c64 -d3s "$url" >/dev/null
  wrk -t2 -c64 -d8s "$url" | rps
  stop
  rm -f "$work"/page.db*
}

logins() {  # logins BINARY CHECKOUT DATABASE_URL: the demo applicant's logins per second
  start "$1" "$2" "$3"
  local login password token
  read -r login password < <(awk '$1 == "applicant:" {print $2, $4; exit}' "$work/out")
  token=$(curl -fsS -c "$work/jar" "http://127.0.0.1:$port/login" |
    grep -o 'name="csrf_token" value="[^"]*"' | head -n 1 | sed 's/.*value="\(.*\)"/\1/')
  BENCH_LOGIN_COOKIE=$(awk 'NF >= 7 && ($1 !~ /^#/ || $1 ~ /^#HttpOnly_/) {
    printf "%s%s=%s", sep, $6, $7; sep = "; "}' "$work/jar")
  BENCH_LOGIN_BODY="csrf_token=$(urlencode "$token")&login=$(urlencode "$login")&password=$(urlencode "$password")"
  export BENCH_LOGIN_COOKIE BENCH_LOGIN_BODY
  wrk -t1 -c16 -d10s -s "$root/bench/login.lua" "http://127.0.0.1:$port/login" | rps
  stop
}

fresh_postgres() {  # a new, empty database pratu_side on the server
  PGOPTIONS="--client-min-messages=warning" psql "${postgres_url%/*}/postgres" -qc "DROP DATABASE IF EXISTS pratu_side WITH (FORCE)" \
    -c "CREATE DATABASE pratu_side" >/dev/null
  echo "${postgres_url%/*}/pratu_side"
}

printf '%-28s %12s %12s\n' "measurement" "old" "new"
for round in $(seq "$rounds"); do
  printf '%-28s %12s %12s\n' "service page, req/s ($round)" \
    "$(page "$old_bin" "$old_dir")" "$(page "$new_bin" "$new_dir")"
  old=$(logins "$old_bin" "$old_dir" "sqlite:$work/old-$round.db")
  new=$(logins "$new_bin" "$new_dir" "sqlite:$work/new-$round.db")
  printf '%-28s %12s %12s\n' "logins SQLite, /s ($round)" "$old" "$new"
  if [[ -n $postgres_url ]]; then
    old=$(logins "$old_bin" "$old_dir" "$(fresh_postgres)")
    new=$(logins "$new_bin" "$new_dir" "$(fresh_postgres)")
    printf '%-28s %12s %12s\n' "logins PostgreSQL, /s ($round)" "$old" "$new"
  fi
done
