#!/usr/bin/env bash
# The officers' work queue at national scale (not a timed test): N submitted applications
# (default 1,000,000) over four agencies' eight services, states and due dates, by applicants
# with Thai names (bench/generate-queue), loaded in bulk into a database `pratu serve --demo`
# has just made and seeded, on SQLite and, with --postgres, on PostgreSQL. For one agency's demo
# officer (bearer token) it asks GET /api/v1/agency/applications for the first page, a page of
# one service, a page of one state, a reference and the start of a name, one request at a time,
# N times each after a warm-up, and prints p50/p99 per kind per engine next to the same SQL run
# on the engine directly (bench/queue-probe: SQLite in-process, PostgreSQL through psql's
# \timing with the statement prepared as the server prepares it), and the SQL of the change
# bench/README.md proposes; then PASS or FAIL per kind against p99 < 50 ms through the API.
#   bench/queue.sh [--applications N] [--requests N] [--warmup N] [--agency CODE]
#                  [--postgres URL] [--no-sqlite] [--plans] [--dir DIR] [--keep]
#                  [--no-build] [--strict]
#     --applications  applications generated (default 1000000; at least 1000)
#     --requests      requests measured per kind (default 200), after --warmup (default 20)
#     --agency        whose officer asks (default bma: the most open applications)
#     --postgres      a PostgreSQL server (e.g. bin/postgres-test-server's URL) on which to
#                     (re)create the database pratu_queue and measure the same
#     --no-sqlite     only PostgreSQL
#     --plans         print each query's plan (EXPLAIN QUERY PLAN; EXPLAIN ANALYZE)
#     --dir           where the temporary directory goes (default ${TMPDIR:-/tmp}; about 2 GB
#                     at a million applications)
#     --keep          leave the temporary directory (data, databases, logs) in place
#     --no-build      use the existing binary
#     --strict        exit 1 when a target is missed (default: report only)
# The build is the release preset in build/release, or in BENCH_BUILD_DIR when set;
# BENCH_BINARY names another binary.
set -euo pipefail
cd "$(dirname "$0")/.."

applications=1000000
requests=200
warmup=20
agency=bma
postgres_url=""
sqlite=1
plans=0
dir=${TMPDIR:-/tmp}
keep=0
build=1
strict=0
while (($#)); do
  case "$1" in
    --applications) applications=$2; shift 2 ;;
    --requests) requests=$2; shift 2 ;;
    --warmup) warmup=$2; shift 2 ;;
    --agency) agency=$2; shift 2 ;;
    --postgres) postgres_url=$2; shift 2 ;;
    --no-sqlite) sqlite=0; shift ;;
    --plans) plans=1; shift ;;
    --dir) dir=$2; shift 2 ;;
    --keep) keep=1; shift ;;
    --no-build) build=0; shift ;;
    --strict) strict=1; shift ;;
    -h|--help) sed -n '2,27p' "$0"; exit 0 ;;
    *) echo "queue: unknown option $1" >&2; exit 2 ;;
  esac
done
[[ $applications =~ ^[0-9]+$ ]] && ((applications >= 1000 && applications <= 20000000)) ||
  { echo "queue: --applications must be 1000..20000000" >&2; exit 2; }
[[ $requests =~ ^[0-9]+$ ]] && ((requests > 0 && requests <= 100000)) ||
  { echo "queue: --requests must be 1..100000" >&2; exit 2; }
[[ $warmup =~ ^[0-9]+$ ]] && ((warmup <= 10000)) || { echo "queue: --warmup must be 0..10000" >&2; exit 2; }
[[ -d services/$agency ]] || { echo "queue: no agency $agency in services/" >&2; exit 2; }
[[ -d $dir ]] || { echo "queue: --dir $dir is not a directory" >&2; exit 2; }
((sqlite)) || [[ -n $postgres_url ]] || { echo "queue: --no-sqlite needs --postgres URL" >&2; exit 2; }

build_dir=${BENCH_BUILD_DIR:-build/release}
if ((build)); then
  cmake --preset release -B "$build_dir" >/dev/null
  cmake --build "$build_dir" --target pratu
fi
binary=${BENCH_BINARY:-$build_dir/pratu}
[[ -x $binary ]] || { echo "queue: $binary is missing (run without --no-build)" >&2; exit 1; }
for tool in sqlite3 python3 curl; do
  command -v $tool >/dev/null || { echo "queue: $tool is needed" >&2; exit 1; }
done
[[ -z $postgres_url ]] || command -v psql >/dev/null || { echo "queue: psql is needed with --postgres" >&2; exit 1; }
# bench/queue-probe times SQLite through Python's sqlite3: the same library as the server's.
python_sqlite=$(python3 -c 'import sqlite3; print(sqlite3.sqlite_version)')
cli_sqlite=$(sqlite3 --version | cut -d ' ' -f 1)

work=$(mktemp -d "$dir/pratu-queue.XXXXXX")
source tests/e2e/server.sh
cleanup() {
  if [[ -n ${PRATU_PID-} ]]; then
    kill -KILL "$PRATU_PID" 2>/dev/null || true
    wait "$PRATU_PID" 2>/dev/null || true
  fi
  if ((keep)); then echo "queue: kept $work"; else rm -rf "$work"; fi
}
trap cleanup EXIT

source bench/lib.sh
seconds_since() { awk -v s="$1" -v e="$(date +%s.%N)" 'BEGIN {printf "%.1f", e - s}'; }

today=$(TZ=Asia/Bangkok date +%F)
echo "queue: $(machine)"
echo "queue: bench/generate-queue --applications $applications --today $today"
start=$(date +%s.%N)
bench/generate-queue "$work/data" --applications "$applications" --today "$today" | sed 's/^/queue:   /'
echo "queue: generated in $(seconds_since "$start") s"

results=$work/results.tsv
probe=(bench/queue-probe --queries "$work/data/queries.tsv" --agency "$agency" --requests "$requests"
  --warmup "$warmup" --results "$results")
summary=()

# seed_and_stop DATABASE NAME: the first start migrates the empty database and seeds the demo
# accounts (only into a database without users) and the catalogue.
seed_and_stop() {
  pratu_start "$binary" "$work/pratu-$2-seed" --demo --database "$1"
  pratu_stop
}

# measure_api DATABASE NAME: a server on the loaded database, asked as the agency's demo officer.
measure_api() {
  pratu_start "$binary" "$work/pratu-$2" --demo --database "$1"
  local token
  token=$(curl -fsS -m 30 -H 'Content-Type: application/json' \
    -d "{\"login\":\"officer.$agency@demo.pratu.example\",\"password\":\"pratu-demo-officer\"}" \
    "$PRATU_URL/api/v1/tokens" | sed -n 's/.*"token" *: *"\([^"]*\)".*/\1/p')
  [[ -n $token ]] || { echo "queue: no token for officer.$agency@demo.pratu.example" >&2; exit 1; }
  local rss
  "${probe[@]}" http --url "$PRATU_URL" --token "$token" --engine "$2" --ids "$work/ids-$2.json"
  rss=$(awk '$1 == "VmRSS:" {printf "%.1f", $2 / 1024}' "/proc/$PRATU_PID/status")
  pratu_stop || { echo "queue: pratu did not stop cleanly" >&2; exit 1; }
  summary+=("$2: server VmRSS $rss MiB after the requests")
}

if ((sqlite)); then
  db=$work/pratu.db
  echo "queue: sqlite: pratu serve --demo --database sqlite:$db (migrate, seed), then the bulk load"
  seed_and_stop "sqlite:$db" sqlite
  start=$(date +%s.%N)
  # The users' ids follow the demo accounts'; .import runs inside the one transaction.
  sqlite3 -bail "$db" >/dev/null <<EOF
PRAGMA synchronous = OFF;
PRAGMA cache_size = -512000;
BEGIN;
CREATE TEMP TABLE load_users (id INTEGER, role TEXT, national_id TEXT, mobile TEXT, title TEXT,
  given_name TEXT, family_name TEXT, password_hash TEXT, created_at INTEGER, updated_at INTEGER,
  password_changed_at INTEGER, locale TEXT);
CREATE TEMP TABLE load_applications (id INTEGER, public_id TEXT, user_id INTEGER, service TEXT,
  agency TEXT, form_version TEXT, status TEXT, answers TEXT, revision INTEGER, created_at INTEGER,
  updated_at INTEGER, submitted_at INTEGER, submission_key TEXT, reference TEXT, due_date TEXT,
  due_date_provisional INTEGER, workflow_version TEXT, state TEXT, state_since INTEGER);
CREATE TEMP TABLE load_sequences (agency TEXT, year INTEGER, last INTEGER);
.mode tabs
.import --schema temp $work/data/users.tsv load_users
.import --schema temp $work/data/applications.tsv load_applications
.import --schema temp $work/data/sequences.tsv load_sequences
CREATE TEMP TABLE load_offset AS
  SELECT (SELECT COALESCE(MAX(id), 0) FROM users) AS users,
         (SELECT COALESCE(MAX(id), 0) FROM applications) AS applications;
INSERT INTO users (id, role, national_id, mobile, title, given_name, family_name, password_hash,
                   created_at, updated_at, password_changed_at, locale)
  SELECT l.id + o.users, role, national_id, mobile, title, given_name, family_name,
         password_hash, created_at, updated_at, password_changed_at, locale
  FROM temp.load_users l, temp.load_offset o ORDER BY l.id;
INSERT INTO applications (id, public_id, user_id, service, agency, form_version, status, answers,
                          revision, created_at, updated_at, submitted_at, submission_key,
                          reference, due_date, due_date_provisional, workflow_version, state,
                          state_since)
  SELECT l.id + o.applications, public_id, user_id + o.users, service, agency, form_version,
         status, answers, revision, created_at, updated_at, submitted_at, submission_key,
         reference, due_date, due_date_provisional, workflow_version, state, state_since
  FROM temp.load_applications l, temp.load_offset o ORDER BY l.id;
INSERT INTO application_sequences (agency, year, last)
  SELECT agency, year, last FROM temp.load_sequences WHERE true
  ON CONFLICT (agency, year) DO UPDATE SET last = MAX(last, excluded.last);
COMMIT;
EOF
  summary+=("sqlite: loaded in $(seconds_since "$start") s, the file $(du -m "$db" | cut -f 1) MiB; no ANALYZE (Pratu runs none): the planner has no statistics")
  measure_api "sqlite:$db" sqlite
  "${probe[@]}" sqlite --database "$db" --ids "$work/ids-sqlite.json" $( ((plans)) && echo --plans)
fi

if [[ -n $postgres_url ]]; then
  psql -X -q -v ON_ERROR_STOP=1 "$postgres_url" -c "DROP DATABASE IF EXISTS pratu_queue" \
    -c "CREATE DATABASE pratu_queue" >/dev/null
  pg_url="${postgres_url%/*}/pratu_queue"
  echo "queue: postgres: pratu serve --demo --database ${pg_url} (migrate, seed), then the bulk load"
  seed_and_stop "$pg_url" postgres
  start=$(date +%s.%N)
  psql -X -q -v ON_ERROR_STOP=1 "$pg_url" >/dev/null <<EOF
BEGIN;
CREATE TEMP TABLE load_users (id BIGINT, role TEXT, national_id TEXT, mobile TEXT, title TEXT,
  given_name TEXT, family_name TEXT, password_hash TEXT, created_at BIGINT, updated_at BIGINT,
  password_changed_at BIGINT, locale TEXT) ON COMMIT DROP;
CREATE TEMP TABLE load_applications (id BIGINT, public_id TEXT, user_id BIGINT, service TEXT,
  agency TEXT, form_version TEXT, status TEXT, answers TEXT, revision BIGINT, created_at BIGINT,
  updated_at BIGINT, submitted_at BIGINT, submission_key TEXT, reference TEXT, due_date TEXT,
  due_date_provisional INTEGER, workflow_version TEXT, state TEXT, state_since BIGINT)
  ON COMMIT DROP;
CREATE TEMP TABLE load_sequences (agency TEXT, year INTEGER, last BIGINT) ON COMMIT DROP;
\copy load_users FROM '$work/data/users.tsv'
\copy load_applications FROM '$work/data/applications.tsv'
\copy load_sequences FROM '$work/data/sequences.tsv'
CREATE TEMP TABLE load_offset ON COMMIT DROP AS
  SELECT (SELECT COALESCE(MAX(id), 0) FROM users) AS users,
         (SELECT COALESCE(MAX(id), 0) FROM applications) AS applications;
INSERT INTO users (id, role, national_id, mobile, title, given_name, family_name, password_hash,
                   created_at, updated_at, password_changed_at, locale)
  SELECT l.id + o.users, role, national_id, mobile, title, given_name, family_name,
         password_hash, created_at, updated_at, password_changed_at, locale
  FROM load_users l, load_offset o ORDER BY l.id;
INSERT INTO applications (id, public_id, user_id, service, agency, form_version, status, answers,
                          revision, created_at, updated_at, submitted_at, submission_key,
                          reference, due_date, due_date_provisional, workflow_version, state,
                          state_since)
  SELECT l.id + o.applications, public_id, user_id + o.users, service, agency, form_version,
         status, answers, revision, created_at, updated_at, submitted_at, submission_key,
         reference, due_date, due_date_provisional, workflow_version, state, state_since
  FROM load_applications l, load_offset o ORDER BY l.id;
INSERT INTO application_sequences (agency, year, last)
  SELECT agency, year, last FROM load_sequences
  ON CONFLICT (agency, year) DO UPDATE SET last = GREATEST(application_sequences.last, excluded.last);
SELECT setval(pg_get_serial_sequence('users', 'id'), (SELECT MAX(id) FROM users));
SELECT setval(pg_get_serial_sequence('applications', 'id'), (SELECT MAX(id) FROM applications));
COMMIT;
-- What autovacuum would do soon after such a load: statistics and the visibility map.
VACUUM ANALYZE users;
VACUUM ANALYZE applications;
EOF
  pg_settings=$(psql -X -At "$pg_url" -c "SELECT string_agg(name || '=' || setting ||
    COALESCE(unit, ''), ', ' ORDER BY name) FROM pg_settings WHERE name IN ('shared_buffers',
    'work_mem', 'max_parallel_workers_per_gather', 'plan_cache_mode')")
  pg_size=$(psql -X -At "$pg_url" -c "SELECT pg_size_pretty(pg_database_size(current_database()))")
  summary+=("postgres: loaded (and VACUUM ANALYZE) in $(seconds_since "$start") s, the database $pg_size; $pg_settings")
  measure_api "$pg_url" postgres
  "${probe[@]}" postgres --database "$pg_url" --ids "$work/ids-postgres.json" $( ((plans)) && echo --plans)
fi

echo
echo "Work queue — $(nproc) cores, $applications applications, the demo officer of $agency," \
  "$requests requests per kind after $warmup, one at a time, on one keep-alive connection"
echo "The API: GET /api/v1/agency/applications through the server, timed by the client." \
  "SQL: the queue's SQL on the engine directly (SQLite $python_sqlite in-process, as the" \
  "server's $cli_sqlite; PostgreSQL prepared, through psql). proposed: the change in bench/README.md"
echo "After: $(machine) (the last minute)"
for line in "${summary[@]}"; do echo "$line"; done
echo
bench/queue-probe report --results "$results" $( ((strict)) && echo --strict)
