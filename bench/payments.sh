#!/usr/bin/env bash
# Bank confirmations (not a timed test): how many payment confirmations Pratu takes a second,
# each durable before the bank gets its answer, on SQLite and, with --postgres, on PostgreSQL.
#
# A server started with bench/payments.yaml is given N billed signboard-tax applications
# through the API (bench/payments_load.cpp bills: the demo applicant submits each with the form
# schema's example answers and one wallet picture, the BMA's officer starts the review and
# approves, which bills it). Every awaiting bill's (biller ID, Ref. 1, Ref. 2, total) is read
# from the database, and the sim bank connection's secret from bank_connections; then one
# confirmation per bill, signed as a bank signs it at the moment it is sent, is POSTed to
# /api/v1/banks/sim/confirmations on C connections, each sending the next as soon as it is
# answered (bench/payments_load.cpp confirm). The server is then killed (SIGKILL: no flush) and
# the database must hold what was answered: a payment and a bank message per bill, every bill
# paid, every application moved on to approved. As a reference, the engine alone does one
# comparable durable transaction per confirmation (a raw message kept, the bill marked paid,
# a payment inserted) with Pratu's settings: SQLite in WAL mode with synchronous=FULL through
# the sqlite3 shell, one commit each and 16 to a commit (as Pratu's group commit batches them);
# PostgreSQL through pgbench on C connections.
# A bank's payment commits without its receipt's number; the server numbers the receipts of
# all the payments waiting every second (payments.numbering_poll_seconds). The CPU per
# confirmation is counted until the last of them is numbered, and on PostgreSQL the WAL written
# until then (its position before and after), which the machine's speed does not move as it
# moves the CPU figures. A server started afterwards
# issues every receipt (drawn, signed and timestamped as PDF/A-3) with an issuer that looks
# every second; their rate is printed.
# Prints the figures and PASS or FAIL against the target: >= 2,000 confirmations a second on 2
# cores, every one answered 200 recorded, the database agreeing, and a receipt for each.
#   bench/payments.sh [--bills N] [--connections C] [--postgres URL] [--no-sqlite] [--keep]
#                     [--no-build] [--strict]
#     --bills        bills made and confirmed on each engine (default 5000; 100..50000)
#     --connections  confirmations sent at once (default 16; 1..256)
#     --postgres     a PostgreSQL server on which to (re)create the databases pratu_payments and
#                    pratu_payments_ref and measure the same; the target counts only on a server
#                    that makes commits durable, e.g. `bin/postgres-test-server start --durable
#                    DIR`'s URL (its socket's is faster: postgresql://postgres@%2FDIR%2Fsocket:PORT/pratu_test)
#     --no-sqlite    only PostgreSQL
#     --keep         leave the temporary directory (databases, bills, logs) in place
#     --no-build     use the existing binaries
#     --strict       exit 1 when a target is missed (default: report only)
# The build is the release preset in build/release, or in BENCH_BUILD_DIR when set (with
# pratu_payments_load beside pratu); BENCH_BINARY names another server binary. The servers take
# the environment's PRATU_* settings, e.g. PRATU_DATABASE_POOL_SIZE=16.
set -euo pipefail
cd "$(dirname "$0")/.."

bills=5000
connections=16
postgres_url=""
sqlite=1
keep=0
build=1
strict=0
while (($#)); do
  case "$1" in
    --bills) bills=$2; shift 2 ;;
    --connections) connections=$2; shift 2 ;;
    --postgres) postgres_url=$2; shift 2 ;;
    --no-sqlite) sqlite=0; shift ;;
    --keep) keep=1; shift ;;
    --no-build) build=0; shift ;;
    --strict) strict=1; shift ;;
    -h|--help) awk 'NR > 1 && !/^#/ {exit} NR > 1' "$0"; exit 0 ;;
    *) echo "payments: unknown option $1" >&2; exit 2 ;;
  esac
done
[[ $bills =~ ^[0-9]+$ ]] && ((bills >= 100 && bills <= 50000)) ||
  { echo "payments: --bills must be 100..50000" >&2; exit 2; }
[[ $connections =~ ^[0-9]+$ ]] && ((connections >= 1 && connections <= 256)) ||
  { echo "payments: --connections must be 1..256" >&2; exit 2; }
((sqlite)) || [[ -n $postgres_url ]] || { echo "payments: --no-sqlite needs --postgres URL" >&2; exit 2; }

build_dir=${BENCH_BUILD_DIR:-build/release}
if ((build)); then
  cmake --preset release -B "$build_dir" >/dev/null
  cmake --build "$build_dir" --target pratu pratu_payments_load
fi
binary=${BENCH_BINARY:-$build_dir/pratu}
load=$build_dir/pratu_payments_load
for f in "$binary" "$load"; do
  [[ -x $f ]] || { echo "payments: $f is missing (run without --no-build)" >&2; exit 1; }
done
for tool in sqlite3 curl; do
  command -v $tool >/dev/null || { echo "payments: $tool is needed" >&2; exit 1; }
done
if [[ -n $postgres_url ]]; then
  for tool in psql pgbench; do
    command -v $tool >/dev/null || { echo "payments: $tool is needed with --postgres" >&2; exit 1; }
  done
fi

work=$(mktemp -d "${TMPDIR:-/tmp}/pratu-payments.XXXXXX")
source tests/e2e/server.sh
cleanup() {
  if [[ -n ${PRATU_PID-} ]]; then
    kill -KILL "$PRATU_PID" 2>/dev/null || true
    wait "$PRATU_PID" 2>/dev/null || true
  fi
  if ((keep)); then echo "payments: kept $work"; else rm -rf "$work"; fi
}
trap cleanup EXIT

source bench/lib.sh
# The CPU seconds of PID's children: a local PostgreSQL's backends under its postmaster.
children_cpu_seconds() {
  local total=0 child
  for child in $(cat "/proc/$1/task/"*/children 2>/dev/null); do
    total=$(awk -v a="$total" -v b="$(cpu_seconds "$child")" 'BEGIN {printf "%.2f", a + b}')
  done
  echo "$total"
}
ratio() { awk -v a="$1" -v b="$2" -v f="${3:-%.1f}" 'BEGIN {if (b > 0) printf f, a / b; else print "?"}'; }

readonly officer=officer.bma@demo.pratu.example officer_password=pratu-demo-officer
machine_before=$(machine)
echo "payments: $machine_before"

# serve NAME DATABASE [POLL]: a server with its keys, files and mail in the work directory; its
# receipt issuer looks every POLL seconds (default 3600: idle, so that issuing receipts does not
# share the processor with the confirmations).
serve() {
  PRATU_DOCUMENTS_PKI_DIR=$work/pki PRATU_PATHS_BLOBS=$work/blobs PRATU_NOTIFICATIONS_SPOOL_DIR=$work/mail \
    PRATU_DOCUMENTS_POLL_SECONDS=${3:-3600} \
    pratu_start "$binary" "$work/pratu-$1" --demo --config bench/payments.yaml --database "$2"
}

# receipts NAME QUERY_COMMAND...: a server whose issuer looks every second issues a receipt for
# every payment (numbering first those the killed server left waiting); their rate from the
# first signed to the last, into $work/NAME.out.
receipts() {
  local name=$1
  shift
  local query=("$@")
  local n first="" last="" valid cpu_first cpu_last deadline
  n=$("${query[@]}" "SELECT COUNT(*) FROM payments")
  serve "$name-receipts" "$database_of_run" 1
  deadline=$((SECONDS + 120 + n / 10))
  while ((SECONDS < deadline)); do
    valid=$("${query[@]}" "SELECT COUNT(*) FROM documents WHERE kind = 'receipt' AND status = 'valid'")
    if [[ -z $first ]] && ((valid > 0)); then
      first=$(date +%s.%N)
      cpu_first=$(cpu_seconds "$PRATU_PID")
    fi
    if ((valid >= n)); then
      last=$(date +%s.%N)
      cpu_last=$(cpu_seconds "$PRATU_PID")
      break
    fi
    sleep 0.1
  done
  pratu_stop || { echo "payments: pratu did not stop cleanly" >&2; exit 1; }
  [[ -n $last ]] || { echo "payments: $name: ${valid:-0} of $n receipts signed in time" >&2; exit 1; }
  {
    echo "receipts $n"
    echo "receipt_seconds $(awk -v a="$first" -v b="$last" 'BEGIN {printf "%.2f", b - a}')"
    echo "receipts_per_second $(awk -v n="$n" -v a="$first" -v b="$last" 'BEGIN {printf "%.1f", n / (b - a)}')"
    echo "receipt_cpu_ms $(awk -v n="$n" -v a="$cpu_first" -v b="$cpu_last" 'BEGIN {printf "%.1f", 1000 * (b - a) / n}')"
    echo "receipt_numbers $("${query[@]}" "SELECT COUNT(DISTINCT number) FROM receipts")"
    echo "receipt_last_sequence $("${query[@]}" "SELECT MAX(sequence) FROM receipts WHERE book = '001'")"
  } >>"$work/$name.out"
}
token() {  # token LOGIN PASSWORD: a bearer token from the server at PRATU_URL
  curl -fsS -m 30 -H 'Content-Type: application/json' -d "{\"login\":\"$1\",\"password\":\"$2\"}" \
    "$PRATU_URL/api/v1/tokens" | sed -n 's/.*"token" *: *"\([^"]*\)".*/\1/p'
}

engines=()
# run_engine NAME DATABASE_URL DATABASE_PID QUERY_COMMAND...: one server, the bills, the
# confirmations, the check; figures to $work/NAME.out. QUERY_COMMAND runs the SQL given as its
# last argument, printing columns separated by |. DATABASE_PID: a local postmaster, or 0.
run_engine() {
  local name=$1 database=$2 database_pid=$3
  shift 3
  local query=("$@")
  local out=$work/$name.out
  echo "payments: $name: pratu serve --demo --config bench/payments.yaml --database $database"
  serve "$name" "$database"
  local demo_login demo_password applicant officer_token
  read -r demo_login demo_password < <(awk '$1 == "applicant:" {print $2, $4; exit}' "$PRATU_LOG.out")
  [[ -n ${demo_password-} ]] || { echo "payments: no demo applicant in the server's output" >&2; exit 1; }
  applicant=$(token "$demo_login" "$demo_password")
  officer_token=$(token "$officer" "$officer_password")
  [[ -n $applicant && -n $officer_token ]] || { echo "payments: no API token for the demo accounts" >&2; exit 1; }

  echo "payments: $name: $bills signboard-tax applications submitted and approved (billed) through the API"
  "$load" bills --url "$PRATU_URL" --applicant-token "$applicant" --officer-token "$officer_token" \
    --count "$bills" >"$out" || { echo "payments: $name: making the bills failed" >&2; exit 1; }
  "${query[@]}" "SELECT biller_id, ref1, ref2, total_satang FROM bills WHERE status = 'awaiting'
    ORDER BY id" >"$work/$name-bills"
  local awaiting secret before_approved before_messages
  awaiting=$(wc -l <"$work/$name-bills")
  secret=$("${query[@]}" "SELECT secret FROM bank_connections WHERE code = 'sim'")
  [[ -n $secret ]] || { echo "payments: $name: no sim bank connection" >&2; exit 1; }
  before_approved=$("${query[@]}" "SELECT COUNT(*) FROM applications WHERE service = 'signboard-tax' AND state = 'approved'")
  before_messages=$("${query[@]}" "SELECT COUNT(*) FROM bank_messages")

  echo "payments: $name: $awaiting confirmations on $connections connections"
  local cpu_before db_cpu_before cpu_after db_cpu_after wal_before="" wal_after=""
  # PostgreSQL: the WAL written, by its position, a figure the machine's speed does not move.
  [[ $name == postgres ]] && wal_before=$("${query[@]}" "SELECT pg_current_wal_lsn()")
  cpu_before=$(cpu_seconds "$PRATU_PID")
  db_cpu_before=$( ((database_pid)) && children_cpu_seconds "$database_pid" || echo 0)
  "$load" confirm --url "$PRATU_URL" --bills "$work/$name-bills" --secret "$secret" \
    --connections "$connections" >>"$out" 2> >(tee "$work/$name-confirm.err" >&2) ||
    { echo "payments: $name: the confirmations failed" >&2; exit 1; }
  # The receipts are numbered after the payments commit, every second: the CPU counted is up to
  # the last of them numbered, so the numbering is in the figures.
  local to_number answered_at numbered_after
  to_number=$("${query[@]}" "SELECT COUNT(*) FROM receipts_to_number")
  answered_at=$(date +%s.%N)
  while (($("${query[@]}" "SELECT COUNT(*) FROM receipts_to_number") > 0)); do
    (($(awk -v a="$answered_at" -v b="$(date +%s.%N)" 'BEGIN {print (b - a > 30)}'))) &&
      { echo "payments: $name: receipts still to number 30 s after the last answer" >&2; exit 1; }
    sleep 0.2
  done
  numbered_after=$(awk -v a="$answered_at" -v b="$(date +%s.%N)" 'BEGIN {printf "%.1f", b - a}')
  cpu_after=$(cpu_seconds "$PRATU_PID")
  db_cpu_after=$( ((database_pid)) && children_cpu_seconds "$database_pid" || echo 0)
  [[ -n $wal_before ]] &&
    wal_after=$("${query[@]}" "SELECT pg_wal_lsn_diff(pg_current_wal_lsn(), '$wal_before')")
  local rss_kib
  rss_kib=$(awk '$1 == "VmRSS:" {print $2}' "/proc/$PRATU_PID/status")
  # No flush at shutdown: what was answered must already be on disk.
  kill -KILL "$PRATU_PID"
  wait "$PRATU_PID" 2>/dev/null || true
  PRATU_PID=""
  {
    echo "awaiting $awaiting"
    echo "server_cpu_ms $(awk -v a="$cpu_before" -v b="$cpu_after" -v n="$awaiting" 'BEGIN {printf "%.3f", 1000 * (b - a) / n}')"
    echo "database_cpu_ms $(awk -v a="$db_cpu_before" -v b="$db_cpu_after" -v n="$awaiting" 'BEGIN {printf "%.3f", 1000 * (b - a) / n}')"
    echo "rss_kib $rss_kib"
    [[ -n $wal_after ]] && echo "wal_bytes $(awk -v b="$wal_after" -v n="$awaiting" 'BEGIN {printf "%.0f", b / n}')"
    echo "payments $("${query[@]}" "SELECT COUNT(*) FROM payments WHERE source = 'bank'")"
    echo "bills_paid $("${query[@]}" "SELECT COUNT(*) FROM bills WHERE status = 'paid'")"
    echo "bills_awaiting $("${query[@]}" "SELECT COUNT(*) FROM bills WHERE status = 'awaiting'")"
    echo "moved_to_approved $(($("${query[@]}" "SELECT COUNT(*) FROM applications
      WHERE service = 'signboard-tax' AND state = 'approved'") - before_approved))"
    echo "paid_events $("${query[@]}" "SELECT COUNT(*) FROM application_events WHERE transition = 'paid'")"
    echo "bank_messages $(($("${query[@]}" "SELECT COUNT(*) FROM bank_messages") - before_messages))"
    echo "to_number_at_last_answer $to_number"
    echo "numbered_after_seconds $numbered_after"
  } >>"$out"
  echo "payments: $name: the receipts the confirmations numbered, signed by the issuer"
  database_of_run=$database
  receipts "$name" "${query[@]}"
  engines+=("$name")
}

# reference_sqlite FILE N: the engine alone, one comparable durable transaction per
# confirmation; prints "one-commit-each-per-second sixteen-to-a-commit-per-second".
reference_sqlite() {
  local db=$1 n=$2 start end one grouped
  sqlite3 "$db" "PRAGMA journal_mode=WAL;
    CREATE TABLE bills (id INTEGER PRIMARY KEY, status TEXT NOT NULL, paid_at INTEGER) STRICT;
    CREATE TABLE messages (id INTEGER PRIMARY KEY, bank TEXT NOT NULL, transaction_id TEXT NOT NULL,
      body TEXT NOT NULL, UNIQUE (bank, transaction_id)) STRICT;
    CREATE TABLE payments (id INTEGER PRIMARY KEY, bill_id INTEGER NOT NULL UNIQUE,
      amount_satang INTEGER NOT NULL, transaction_id TEXT NOT NULL) STRICT;
    WITH RECURSIVE i(x) AS (SELECT 1 UNION ALL SELECT x + 1 FROM i WHERE x < 2 * $n)
    INSERT INTO bills SELECT x, 'awaiting', NULL FROM i" >/dev/null
  # A confirmation: its raw body kept (about 200 bytes), the bill paid, the payment recorded;
  # one commit each, then 16 to a commit, each in its own savepoint.
  for group in 1 16; do
    local from=$((group == 1 ? 1 : n + 1))
    awk -v n="$n" -v from="$from" -v group="$group" 'BEGIN {
      body = "{\"bank_transaction_id\":\"REF%d\",\"biller_id\":\"099400015910200\",\"ref1\":\"690000000016\",\"ref2\":\"691229\",\"amount\":\"200.00\",\"paid_at\":\"2026-12-05T11:06:18+07:00\",\"channel\":\"ENET\"}"
      q = sprintf("%c", 39)
      print "PRAGMA synchronous=FULL;"
      for (i = from; i < from + n; i++) {
        if ((i - from) % group == 0) print "BEGIN IMMEDIATE;"
        if (group > 1) print "SAVEPOINT s;"
        printf "INSERT INTO messages (bank, transaction_id, body) VALUES (%ssim%s, %sREF%d%s, %s" body "%s);\n", q, q, q, i, q, q, i, q
        printf "UPDATE bills SET status = %spaid%s, paid_at = 1 WHERE id = %d AND status = %sawaiting%s;\n", q, q, i, q, q
        printf "INSERT INTO payments (bill_id, amount_satang, transaction_id) VALUES (%d, 20000, %sREF%d%s);\n", i, q, i, q
        if (group > 1) print "RELEASE s;"
        if ((i - from) % group == group - 1 || i == from + n - 1) print "COMMIT;"
      }
    }' >"$work/reference-$group.sql"
    start=$(date +%s.%N)
    sqlite3 -bail "$db" <"$work/reference-$group.sql" >/dev/null
    end=$(date +%s.%N)
    if ((group == 1)); then one=$(ratio "$n" "$(awk -v s="$start" -v e="$end" 'BEGIN {print e - s}')" %.0f)
    else grouped=$(ratio "$n" "$(awk -v s="$start" -v e="$end" 'BEGIN {print e - s}')" %.0f); fi
  done
  local stored
  stored=$(sqlite3 "$db" "SELECT COUNT(*) FROM payments")
  ((stored == 2 * n)) || { echo "payments: the SQLite reference stored $stored payments, not $((2 * n))" >&2; exit 1; }
  echo "$one $grouped"
}

# reference_postgres URL N C: the same transaction through pgbench on C connections (each one
# durable by the server's own settings); prints transactions a second.
reference_postgres() {
  local url=$1 n=$2 c=$3
  psql -X -q -v ON_ERROR_STOP=1 "$url" -c "
    CREATE TABLE bills (id bigint PRIMARY KEY, status text NOT NULL, paid_at bigint);
    CREATE TABLE messages (id bigserial PRIMARY KEY, bank text NOT NULL, transaction_id text NOT NULL,
      body text NOT NULL, UNIQUE (bank, transaction_id));
    CREATE TABLE payments (id bigserial PRIMARY KEY, bill_id bigint NOT NULL UNIQUE,
      amount_satang bigint NOT NULL, transaction_id text NOT NULL);
    CREATE SEQUENCE transactions;
    INSERT INTO bills SELECT x, 'awaiting', NULL FROM generate_series(1, $((n + c))) x" \
    -c "VACUUM ANALYZE" >/dev/null
  cat >"$work/reference.pgbench" <<'SQL'
BEGIN;
INSERT INTO messages (bank, transaction_id, body) VALUES ('sim', 'REF' || nextval('transactions'),
  '{"bank_transaction_id":"REF","biller_id":"099400015910200","ref1":"690000000016","ref2":"691229","amount":"200.00","paid_at":"2026-12-05T11:06:18+07:00","channel":"ENET"}')
  RETURNING id \gset
UPDATE bills SET status = 'paid', paid_at = 1 WHERE id = :id AND status = 'awaiting';
INSERT INTO payments (bill_id, amount_satang, transaction_id) VALUES (:id, 20000, 'REF' || :id);
END;
SQL
  pgbench -n -c "$c" -j 2 -t $((n / c)) -f "$work/reference.pgbench" "$url" >"$work/reference-pgbench.out" 2>&1 ||
    { echo "payments: pgbench failed" >&2; cat "$work/reference-pgbench.out" >&2; exit 1; }
  awk '/^tps = / {printf "%.0f", $3; exit}' "$work/reference-pgbench.out"
}

sqlite_query() { sqlite3 -batch -noheader -cmd '.timeout 10000' "$1" "$2"; }
if ((sqlite)); then
  run_engine sqlite "sqlite:$work/pratu.db" 0 sqlite_query "$work/pratu.db"
  echo "payments: sqlite: the engine alone, $bills comparable transactions through the sqlite3 shell"
  read -r sqlite_one sqlite_grouped < <(reference_sqlite "$work/reference.db" "$bills")
fi
if [[ -n $postgres_url ]]; then
  PGOPTIONS='-c client_min_messages=warning' psql -X -q -v ON_ERROR_STOP=1 "$postgres_url" \
    -c "DROP DATABASE IF EXISTS pratu_payments" \
    -c "CREATE DATABASE pratu_payments" -c "DROP DATABASE IF EXISTS pratu_payments_ref" \
    -c "CREATE DATABASE pratu_payments_ref" >/dev/null
  pg_url="${postgres_url%/*}/pratu_payments"
  pg_settings=$(psql -X -At "$pg_url" -c "SELECT string_agg(name || '=' || setting, ', ' ORDER BY name)
    FROM pg_settings WHERE name IN ('fsync', 'synchronous_commit', 'wal_sync_method', 'commit_delay')")
  pg_query() { psql -X -At -F '|' -v ON_ERROR_STOP=1 "$pg_url" -c "$1"; }
  # The postmaster, when the server runs on this machine: its backends' CPU time is reported.
  pg_pid=$(head -n 1 "$(psql -X -At "$pg_url" -c "SHOW data_directory")/postmaster.pid" 2>/dev/null || echo 0)
  run_engine postgres "$pg_url" "$pg_pid" pg_query
  echo "payments: postgres: the engine alone, $bills comparable transactions through pgbench on $connections connections"
  pg_reference=$(reference_postgres "${postgres_url%/*}/pratu_payments_ref" "$bills" "$connections")
  psql -X -q "$postgres_url" -c "DROP DATABASE IF EXISTS pratu_payments_ref" >/dev/null || true
fi

value() { awk -v k="$2" '$1 == k {print $2; exit}' "$work/$1.out"; }
setting() {  # setting SECTION KEY: SECTION.KEY as the servers had it (environment, bench/payments.yaml, default)
  local name="PRATU_${1^^}_${2^^}" file value
  [[ -n ${!name-} ]] && { echo "${!name}"; return; }
  for file in bench/payments.yaml config/default.yaml; do
    value=$(awk -v s="$1:" -v k="$2:" '$1 == s && !/^ / {d = 1; next} /^[^ #]/ {d = 0} d && $1 == k {print $2}' "$file")
    [[ -n $value ]] && { echo "$value"; return; }
  done
}
echo
echo "Bank confirmations — $(nproc) cores, $connections connections, server.worker_threads" \
  "$(setting server worker_threads), database.pool_size $(setting database pool_size); the load" \
  "generator runs on the same cores"
echo "Before: $machine_before; after: $(machine) (the last minute)"
echo "Durability: each confirmation is one db.write transaction with storage::Durability::full," \
  "answered after its commit returns:"
((sqlite)) && echo "  SQLite: WAL, synchronous=FULL (the WAL fsynced at every commit; the writers" \
  "waiting meanwhile share one commit, each in its own savepoint)"
if [[ -n $postgres_url ]]; then
  echo "  PostgreSQL: COMMIT with the server's own settings ($pg_settings)"
  [[ $pg_settings != *fsync=off* && $pg_settings != *synchronous_commit=off* ]] ||
    echo "  NOTE: with fsync or synchronous_commit off this PostgreSQL makes no commit durable:" \
      "its figures are what Pratu does without the wait for the disk, an upper bound"
fi
for e in "${engines[@]}"; do
  echo
  echo "$e: $(value "$e" billed) bills made through the API in $(value "$e" bills_seconds) s" \
    "($(ratio "$(value "$e" billed)" "$(value "$e" bills_seconds)") a second)"
  printf '  %-40s %s\n' \
    "confirmations/s" "$(value "$e" confirmations_per_second) ($(value "$e" confirmations) in $(value "$e" confirm_seconds) s)" \
    "latency p50 / p90 / p99 / max, ms" "$(value "$e" confirm_p50_ms) / $(value "$e" confirm_p90_ms) / $(value "$e" confirm_p99_ms) / $(value "$e" confirm_max_ms)" \
    "answers" "$(value "$e" recorded) recorded, $(value "$e" duplicate) duplicate, $(value "$e" held) held, $(value "$e" errors) errors" \
    "CPU per confirmation" "server $(value "$e" server_cpu_ms) ms, load generator $(ratio "$(awk -v s="$(value "$e" load_cpu_seconds)" 'BEGIN {print 1000 * s}')" "$(value "$e" confirmations)" %.3f) ms$([[ $e == postgres ]] && ((pg_pid)) && echo ", PostgreSQL's backends $(value "$e" database_cpu_ms) ms")" \
    "in the database after SIGKILL" "$(value "$e" payments) payments, $(value "$e" bills_paid) bills paid ($(value "$e" bills_awaiting) awaiting), $(value "$e" moved_to_approved) applications moved to approved, $(value "$e" bank_messages) bank messages" \
    "receipts numbered after the answers" "$(value "$e" to_number_at_last_answer) still to number at the last answer, all numbered $(value "$e" numbered_after_seconds) s later (its CPU counted above)" \
    "server VmRSS after" "$(awk -v k="$(value "$e" rss_kib)" 'BEGIN {printf "%.1f MiB", k / 1024}')" \
    "receipts issued/s (afterwards)" "$(value "$e" receipts_per_second) ($(value "$e" receipts) signed PDF/A-3 in $(value "$e" receipt_seconds) s; server CPU $(value "$e" receipt_cpu_ms) ms a receipt)"
  # The load generator does the same work a confirmation whatever the build: its CPU time a
  # confirmation measures the machine's speed, and the rate times it compares runs taken while
  # the machine ran faster or slower (bench/README.md). Not the target, which is the rate.
  printf '  %-40s %s\n' "rate x load generator's ms" "$(awk -v r="$(value "$e" confirmations_per_second)" \
    -v s="$(value "$e" load_cpu_seconds)" -v n="$(value "$e" confirmations)" \
    'BEGIN {printf "%.0f (to compare runs on a machine whose speed moves)", r * 1000 * s / n}')"
  if [[ $e == postgres ]]; then
    printf '  %-40s %s\n' "WAL written per confirmation" \
      "$(value "$e" wal_bytes) bytes, the receipts' numbering included (pg_current_wal_lsn)"
  fi
  if [[ $e == sqlite ]]; then
    printf '  %-40s %s\n' "the engine alone (sqlite3 shell)" \
      "$sqlite_one transactions/s one commit each, $sqlite_grouped/s 16 to a commit"
  else
    printf '  %-40s %s\n' "the engine alone (pgbench)" "$pg_reference transactions/s on $connections connections"
  fi
done

echo
missed=0
verdict() {  # verdict DESCRIPTION PASSED(0|1)
  if (($2)); then echo "PASS  $1"; else echo "FAIL  $1"; missed=$((missed + 1)); fi
}
for e in "${engines[@]}"; do
  rate=$(value "$e" recorded_per_second)
  durable=1
  [[ $e == postgres && ($pg_settings == *fsync=off* || $pg_settings == *synchronous_commit=off*) ]] &&
    durable=0
  if ((durable)); then
    verdict "$e: $rate confirmations recorded/s (target >= 2,000, each durable before its answer)" \
      "$(awk -v r="$rate" 'BEGIN {print (r >= 2000) ? 1 : 0}')"
  else
    verdict "$e: $rate confirmations recorded/s, but none durable (fsync or synchronous_commit off)" 0
  fi
  n=$(value "$e" awaiting)
  verdict "$e: every confirmation answered 200 recorded ($(value "$e" recorded) of $n; $(value "$e" errors) errors)" \
    "$(( $(value "$e" recorded) == n && $(value "$e" errors) == 0 && n == $(value "$e" billed) ))"
  verdict "$e: the database agrees: payments, bills paid, applications approved and bank messages all $n" \
    "$(( $(value "$e" payments) == n && $(value "$e" bills_paid) == n && $(value "$e" moved_to_approved) == n && $(value "$e" bank_messages) == n ))"
  verdict "$e: one receipt a payment, numbered 1 to $n without a gap, each signed" \
    "$(( $(value "$e" receipts) == n && $(value "$e" receipt_numbers) == n && $(value "$e" receipt_last_sequence) == n ))"
done
if ((strict && missed > 0)); then exit 1; fi
exit 0
