#!/usr/bin/env bash
# An application acknowledged as submitted survives the server being killed (SIGKILL) the
# moment the acknowledgement arrives: after a restart it is there, submitted, with its
# reference, exactly once. Usage: crash_test.sh PRATU_BINARY [sqlite|postgres]
# On postgres it needs PRATU_TEST_POSTGRES_URL (bin/test starts the server), makes a database
# of its own and drops it after; without the URL it is skipped (exit 77).
set -uo pipefail
pratu=$1
engine=${2:-sqlite}
root=$(cd "$(dirname "$0")/../.." && pwd)
work=$(mktemp -d)
postgres_database=
cleanup() {
  [ -n "${server:-}" ] && kill -9 "$server" 2>/dev/null && wait "$server" 2>/dev/null
  if [ -n "$postgres_database" ]; then
    psql -X -q -d "${PRATU_TEST_POSTGRES_URL%/*}/postgres" \
      -c "DROP DATABASE IF EXISTS $postgres_database WITH (FORCE)" >/dev/null
  fi
  rm -rf "$work"
}
trap cleanup EXIT
cd "$root"
case "$engine" in
  sqlite) db="sqlite:$work/pratu.db" ;;
  postgres)
    if [ -z "${PRATU_TEST_POSTGRES_URL:-}" ]; then
      echo "crash test: PRATU_TEST_POSTGRES_URL is not set: skipped"
      exit 77
    fi
    postgres_database=pratu_crash_$$
    psql -X -q -v ON_ERROR_STOP=1 -d "${PRATU_TEST_POSTGRES_URL%/*}/postgres" \
      -c "CREATE DATABASE $postgres_database" || { echo "could not create $postgres_database"; exit 1; }
    db="${PRATU_TEST_POSTGRES_URL%/*}/$postgres_database"
    ;;
  *) echo "usage: crash_test.sh PRATU_BINARY [sqlite|postgres]" >&2; exit 2 ;;
esac
echo "crash test on $engine"
jar="$work/jar"
failed=0

fail() { failed=$((failed + 1)); echo "FAIL $1"; }
pass() { echo "ok   $1"; }

start_server() {
  "$pratu" serve --demo --database "$db" --listen 127.0.0.1:0 >"$work/serve.out" 2>"$work/serve.err" &
  server=$!
  for _ in $(seq 1 100); do
    grep -q "listening on" "$work/serve.out" 2>/dev/null && break
    sleep 0.1
  done
  url=$(grep -o 'http://[0-9.:]*' "$work/serve.out" | head -n 1)
  [ -n "$url" ] || { echo "the server did not start"; cat "$work/serve.err"; exit 1; }
}

token() { grep -o 'name="csrf_token" value="[^"]*"' | head -n 1 | sed 's/.*value="//; s/"$//'; }

log_in() {
  rm -f "$jar"
  local t
  t=$(curl -s -c "$jar" -b "$jar" "$url/login" | token)
  curl -s -c "$jar" -b "$jar" -o /dev/null \
    --data-urlencode "login=1234567890121" --data-urlencode "password=pratu-demo-applicant" \
    --data-urlencode "csrf_token=$t" "$url/login"
  csrf=$(curl -s -c "$jar" -b "$jar" "$url/applications" | token)
}

post() {  # post PATH FIELDS... -> prints "status location"
  local path=$1
  shift
  local args=(--data-urlencode "csrf_token=$csrf")
  for f in "$@"; do args+=(--data-urlencode "$f"); done
  curl -s -c "$jar" -b "$jar" -o /dev/null -w '%{http_code} %{redirect_url}' "${args[@]}" "$url$path"
}

start_server
log_in
started=$(post /services/company-certificate/apply)
app=$(echo "$started" | grep -o '/applications/[0-9a-f]*' | head -n 1)
[ -n "$app" ] || { fail "a draft starts ($started)"; exit 1; }
post "$app/pages/company" _shown=juristic_id _shown=requester_name _shown=mobile \
  juristic_id=0105555000005 requester_name=Somchai mobile=0812345678 action=continue >/dev/null
post "$app/pages/request" _shown=kinds _shown=language _shown=copies kinds=certificate \
  language=th copies=1 action=continue >/dev/null
# Submit, and kill the server the instant the acknowledgement (303) is back.
ack=$(post "$app/submit" submission_key=crash-key _shown=declaration declaration=yes)
kill -9 "$server"
wait "$server" 2>/dev/null
server=
case "$ack" in
  "303 "*"$app/confirmation") pass "the submit was acknowledged" ;;
  *) fail "the submit was acknowledged ($ack)" ;;
esac

start_server
log_in
page=$(curl -s -c "$jar" -b "$jar" "$url$app?lang=en")
reference=$(echo "$page" | grep -o '[A-Z]*-25[0-9][0-9]-[0-9]*-[0-9A-Z]' | head -n 1)
if [ -n "$reference" ] && echo "$page" | grep -q 'data-status>Submitted<'; then
  pass "after SIGKILL and a restart the application is there, submitted ($reference)"
else
  fail "after SIGKILL and a restart the application is there, submitted"
fi
again=$(post "$app/submit" submission_key=crash-key _shown=declaration declaration=yes)
case "$again" in
  "303 "*"$app/confirmation") pass "submitting again with the same key answers as before" ;;
  *) fail "submitting again with the same key answers as before ($again)" ;;
esac
list=$(curl -s -c "$jar" -b "$jar" "$url/applications?lang=en")
count=$(echo "$list" | grep -c "$reference")
if [ "$count" -eq 1 ] && ! echo "$list" | grep -q 'data-drafts'; then
  pass "My applications shows it once and no draft"
else
  fail "My applications shows it once and no draft (seen $count times)"
fi
kill "$server"
wait "$server" 2>/dev/null
server=
[ "$failed" -eq 0 ] && echo "crash test: all passed" || echo "crash test: $failed failed"
exit "$failed"
