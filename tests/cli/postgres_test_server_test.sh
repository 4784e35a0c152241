#!/usr/bin/env bash
# bin/postgres-test-server: a server started plainly makes no commit durable (fast, for tests);
# one started with --durable keeps PostgreSQL's durable settings (for benchmarks that claim
# durable commits). Both serve their database, and stop removes what they made.
# Usage: postgres_test_server_test.sh. Exits 77 (skipped) when PostgreSQL is not installed.
set -euo pipefail
cd "$(dirname "$0")/../.."
compgen -G '/usr/lib/postgresql/*/bin/initdb' >/dev/null || { echo "no PostgreSQL server here"; exit 77; }

work=$(mktemp -d /tmp/pratu-pgts.XXXXXX)
chmod 755 "$work"
cleanup() {
  for mode in plain durable; do bin/postgres-test-server stop "$work/$mode" >/dev/null 2>&1 || true; done
  rm -rf "$work"
}
trap cleanup EXIT
failures=0
check() {  # check DESCRIPTION EXPECTED ACTUAL
  if [[ $2 == "$3" ]]; then echo "ok: $1"; else echo "FAIL: $1: expected '$2', got '$3'"; failures=$((failures + 1)); fi
}
settings() { psql -X -At "$1" -c "SELECT string_agg(name || '=' || setting, ',' ORDER BY name)
  FROM pg_settings WHERE name IN ('fsync', 'full_page_writes', 'synchronous_commit')"; }

plain=$(bin/postgres-test-server start "$work/plain" 2>/dev/null)
durable=$(bin/postgres-test-server start --durable "$work/durable" 2>/dev/null)
check "plain: nothing durable" "fsync=off,full_page_writes=off,synchronous_commit=off" "$(settings "$plain")"
check "--durable: every commit durable" "fsync=on,full_page_writes=on,synchronous_commit=on" "$(settings "$durable")"
check "--durable: serves pratu_test" "pratu_test" "$(psql -X -At "$durable" -c 'SELECT current_database()')"
check "url names the running server" "$durable" "$(bin/postgres-test-server url "$work/durable" 2>/dev/null)"
check "a stray option is refused" "2" "$(bin/postgres-test-server start --fast "$work/other" >/dev/null 2>&1; echo $?)"
bin/postgres-test-server stop "$work/durable" 2>/dev/null
check "stop removes the directory" "gone" "$([[ -e $work/durable ]] && echo present || echo gone)"
((failures == 0)) || { echo "$failures failed"; exit 1; }
echo "all passed"
