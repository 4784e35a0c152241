#!/usr/bin/env bash
# Runs the end-to-end journeys in Debian's Chromium against a freshly started pratu server
# (axe on every page, Lighthouse on the main ones), then checks the server's /metrics with
# promtool and that SIGTERM stops it cleanly. The server's mail goes by SMTP to lib/smtp_sink.js
# (npm's smtp-server), which keeps each message in a directory the journeys read (MAIL_DIR).
#   tests/e2e/run.sh [--binary PATH] [--database URL] [--label NAME]
# Defaults: build/ci/pratu, a new SQLite database in a temporary directory (with --demo data).
# The last line printed is "N passed, N failed, N skipped" (tests + metrics check + clean stop);
# a journey step is skipped when one before it failed.
set -euo pipefail
cd "$(dirname "$0")/../.."
root=$PWD

binary=build/ci/pratu
database=""
label=sqlite
while (($#)); do
  case "$1" in
    --binary) binary=$2; shift 2 ;;
    --database) database=$2; shift 2 ;;
    --label) label=$2; shift 2 ;;
    *) echo "usage: tests/e2e/run.sh [--binary PATH] [--database URL] [--label NAME]" >&2; exit 2 ;;
  esac
done

work=$(mktemp -d "${TMPDIR:-/tmp}/pratu-e2e.XXXXXX")
source tests/e2e/server.sh
smtp_pid=""
cleanup() {
  pratu_stop >/dev/null 2>&1 || true
  if [[ -n $smtp_pid ]]; then
    kill -TERM "$smtp_pid" 2>/dev/null || true
    wait "$smtp_pid" 2>/dev/null || true
  fi
  rm -rf "$work"
}
trap cleanup EXIT
[[ -n $database ]] || database="sqlite:$work/pratu.db"
# Documents the journeys upload go with the database, not into the checkout's data/blobs.
export PRATU_PATHS_BLOBS="$work/blobs"
# So do the demo's test signing keys.
export PRATU_DOCUMENTS_PKI_DIR="$work/pki"

if [[ ! -x $binary ]]; then
  echo "e2e: $binary is missing: build it first (cmake --preset ci && cmake --build --preset ci)" >&2
  echo "0 passed, 1 failed"
  exit 1
fi
# Installed packages older than the lock file (a package was added or updated): install again.
if [[ ! -f tests/e2e/node_modules/.package-lock.json ||
  tests/e2e/package-lock.json -nt tests/e2e/node_modules/.package-lock.json ]]; then
  (cd tests/e2e && npm ci --no-audit --no-fund --loglevel=error)
fi

# The SMTP server first, so that the server can be given its port: each message it receives
# becomes $work/mail/<n>.eml (and <n>.json). Mail leaves a second after the step that caused it.
mail_dir=$work/mail
mkdir -p "$mail_dir"
node tests/e2e/lib/smtp_sink.js "$mail_dir" >"$work/smtp.out" 2>"$work/smtp.err" </dev/null &
smtp_pid=$!
smtp_port=""
for _ in $(seq 100); do
  smtp_port=$(sed -n 's/^{"port": *\([0-9]*\)}$/\1/p' "$work/smtp.out" 2>/dev/null || true)
  if [[ -n $smtp_port ]] || ! kill -0 "$smtp_pid" 2>/dev/null; then break; fi
  sleep 0.1
done
if [[ -z $smtp_port ]]; then
  echo "e2e [$label]: the SMTP server (tests/e2e/lib/smtp_sink.js) did not start:" >&2
  cat "$work/smtp.err" >&2
  echo "0 passed, 1 failed"
  exit 1
fi
export PRATU_NOTIFICATIONS_TRANSPORT=smtp
export PRATU_NOTIFICATIONS_SMTP_URL="smtp://127.0.0.1:$smtp_port"
export PRATU_NOTIFICATIONS_POLL_SECONDS=1

passed=0
failed=0
echo "e2e [$label]: starting $binary on ${database%%\?*}"
if ! pratu_start "$binary" "$work/pratu" --demo --config tests/e2e/pratu.yaml --database "$database"; then
  echo "0 passed, 1 failed"
  exit 1
fi
echo "e2e [$label]: server ready at $PRATU_URL, sending mail to $PRATU_NOTIFICATIONS_SMTP_URL"

# The journeys, JavaScript on and off, with axe on every page, and the Lighthouse audits;
# screenshots into artifacts/.
tap=$work/results.tap
journeys_status=0
(cd tests/e2e && BASE_URL=$PRATU_URL MAIL_DIR=$mail_dir E2E_LABEL=$label ARTIFACTS_DIR="$root/tests/e2e/artifacts/$label" \
  timeout 900 node --test --test-concurrency=1 \
    --test-reporter=spec --test-reporter-destination=stdout \
    --test-reporter=tap --test-reporter-destination="$tap" \
    lib/*.test.js journeys/*.test.js) || journeys_status=$?
count() { { grep -E "^# $1 [0-9]+" "$tap" 2>/dev/null || true; } | tail -n1 | awk '{print $3}'; }
node_passed=$(count pass); node_failed=$(count fail); node_cancelled=$(count cancelled)
skipped=$(count skipped)
passed=$((passed + ${node_passed:-0}))
failed=$((failed + ${node_failed:-0} + ${node_cancelled:-0}))
if ((journeys_status != 0 && ${node_failed:-0} + ${node_cancelled:-0} == 0)); then
  echo "e2e [$label]: the test runner exited with status $journeys_status"
  failed=$((failed + 1))
fi

# The metrics after a real journey: every route and status the journey produced.
if curl -fsS -m 10 "$PRATU_URL/metrics" -o "$work/metrics.txt" && promtool check metrics <"$work/metrics.txt"; then
  echo "e2e [$label]: promtool check metrics: ok ($(grep -c -v '^#' "$work/metrics.txt") samples)"
  passed=$((passed + 1))
else
  echo "e2e [$label]: promtool check metrics FAILED on $PRATU_URL/metrics"
  failed=$((failed + 1))
fi

if pratu_stop; then
  echo "e2e [$label]: server stopped cleanly on SIGTERM"
  passed=$((passed + 1))
else
  echo "e2e [$label]: server did not stop cleanly on SIGTERM"
  failed=$((failed + 1))
fi

echo "$passed passed, $failed failed, ${skipped:-0} skipped"
((failed == 0))
