#!/usr/bin/env bash
# The holiday peak (not a timed test): N applicants at once, each on its own keep-alive
# connection, each starting a draft of company-certificate, saving its two pages and
# submitting, again and again, against a release build on SQLite and, with --postgres, on
# PostgreSQL. The applicants are registered (one Argon2id hash each) before anything is
# measured. Prints the submissions acknowledged per second, p50/p99 of starts, saves and
# submits, errors, the server's memory across the run, and checks in the database, after
# killing the server with SIGKILL, that the applications submitted are exactly the ones
# acknowledged, each once.
#   bench/apply.sh [--applicants N] [--duration S] [--warmup S] [--rate R] [--postgres URL]
#                  [--no-sqlite] [--sqlite-dir DIR] [--perf] [--keep DIR] [--no-build] [--strict]
#     --applicants  concurrent applicants, one connection each (default 500)
#     --duration    seconds measured (default 30), after --warmup seconds (default 5)
#     --rate        begin R journeys a second in all, each by a free applicant (an open loop;
#                   default 1050: the 1,000/s target and a margin for the window's edges);
#                   0: each applicant starts again as soon as it has submitted (a closed loop,
#                   the most the server sustains, its latency the queue of 500)
#     --sqlite-dir  where the SQLite database goes (default: a new directory in /tmp); e.g.
#                   /dev/shm to see what the server does when the disk costs nothing
#     --postgres    a PostgreSQL server (e.g. bin/postgres-test-server's URL) on which to
#                   (re)create the database pratu_apply and run the same scenario
#     --no-sqlite   only PostgreSQL
#     --perf        record the server with `perf record -g` for 10 s inside each window and
#                   print the top of the profile
#     --keep        copy the raw figures there: per engine the generator's output, its timeline
#                   (a line a second: seconds, submits acknowledged, server VmRSS KiB), the
#                   server's log and, with --perf, perf.data
#     --no-build    use build/release/pratu and build/release/pratu_apply_load as they are
#     --strict      exit 1 when a target is missed (default: report only)
set -euo pipefail
cd "$(dirname "$0")/.."

applicants=500
duration=30
warmup=5
postgres_url=""
rate=1050
sqlite=1
sqlite_dir=""
perf=0
keep=""
build=1
strict=0
while (($#)); do
  case "$1" in
    --applicants) applicants=$2; shift 2 ;;
    --duration) duration=$2; shift 2 ;;
    --warmup) warmup=$2; shift 2 ;;
    --postgres) postgres_url=$2; shift 2 ;;
    --no-sqlite) sqlite=0; shift ;;
    --rate) rate=$2; shift 2 ;;
    --sqlite-dir) sqlite_dir=$2; shift 2 ;;
    --perf) perf=1; shift ;;
    --keep) keep=$2; shift 2 ;;
    --no-build) build=0; shift ;;
    --strict) strict=1; shift ;;
    -h|--help) sed -n '2,28p' "$0"; exit 0 ;;
    *) echo "apply: unknown option $1" >&2; exit 2 ;;
  esac
done
[[ $applicants =~ ^[0-9]+$ ]] && ((applicants > 0 && applicants <= 5000)) ||
  { echo "apply: --applicants must be 1..5000" >&2; exit 2; }
[[ $duration =~ ^[0-9]+$ ]] && ((duration > 0 && duration <= 600)) ||
  { echo "apply: --duration must be 1..600 seconds" >&2; exit 2; }
[[ $warmup =~ ^[0-9]+$ ]] && ((warmup <= 120)) || { echo "apply: --warmup must be 0..120 seconds" >&2; exit 2; }
[[ $rate =~ ^[0-9]+$ ]] || { echo "apply: --rate must be a whole number of journeys a second" >&2; exit 2; }
((sqlite)) || [[ -n $postgres_url ]] || { echo "apply: --no-sqlite needs --postgres URL" >&2; exit 2; }

if ((build)); then
  cmake --preset release >/dev/null
  cmake --build --preset release --target pratu pratu_apply_load
fi
binary=${BENCH_BINARY:-build/release/pratu}
load=build/release/pratu_apply_load
for f in "$binary" "$load"; do
  [[ -x $f ]] || { echo "apply: $f is missing (run without --no-build)" >&2; exit 1; }
done
command -v sqlite3 >/dev/null || { echo "apply: sqlite3 (the CLI) is needed to check the database" >&2; exit 1; }
[[ -z $postgres_url ]] || command -v psql >/dev/null || { echo "apply: psql is needed with --postgres" >&2; exit 1; }
((!perf)) || command -v perf >/dev/null || { echo "apply: --perf needs perf" >&2; exit 1; }

work=$(mktemp -d /tmp/pratu-apply.XXXXXX)
source tests/e2e/server.sh
cleanup() {
  if [[ -n ${PRATU_PID-} ]]; then
    kill -KILL "$PRATU_PID" 2>/dev/null || true
    wait "$PRATU_PID" 2>/dev/null || true
  fi
  rm -rf "$work" ${sqlite_cleanup:+"$sqlite_cleanup"}
}
trap cleanup EXIT

# The disk's pace: durable commits per second of one SQLite connection alone (WAL,
# synchronous=FULL, one small insert each), as a reference for the figures below, which on a
# shared machine move with it.
disk_probe() {
  local db=$work/probe.db n=1000 start end
  sqlite3 "$db" "PRAGMA journal_mode=WAL; CREATE TABLE t (x INTEGER)" >/dev/null
  {
    echo "PRAGMA synchronous=FULL;"
    for i in $(seq 1 $n); do echo "BEGIN IMMEDIATE; INSERT INTO t VALUES ($i); COMMIT;"; done
  } >"$work/probe.sql"
  start=$(date +%s.%N)
  sqlite3 "$db" <"$work/probe.sql" >/dev/null
  end=$(date +%s.%N)
  rm -f "$db" "$db-wal" "$db-shm" "$work/probe.sql"
  awk -v n=$n -v s="$start" -v e="$end" 'BEGIN {printf "%.0f", n / (e - s)}'
}
source bench/lib.sh
disk_before=$(disk_probe)
machine_before=$(machine)
echo "apply: the disk took $disk_before durable SQLite commits/s alone; $machine_before"

engines=()
# run_engine NAME DATABASE_URL QUERY_COMMAND...: one server, the load, the check; the figures
# go to $work/NAME.out. QUERY_COMMAND runs SQL given as its last argument, one value a line.
run_engine() {
  local name=$1 database=$2
  shift 2
  local query=("$@")
  echo "apply: $name: pratu serve --demo --config bench/apply.yaml --database $database"
  pratu_start "$binary" "$work/pratu-$name" --demo --config bench/apply.yaml --database "$database"
  echo "apply: $name: $load --url $PRATU_URL --applicants $applicants --warmup $warmup --duration $duration --rate $rate"
  local perf_pid=""
  if ((perf)); then
    # From 2 s into the window: after the registrations (Argon2id) and the warm-up.
    (until grep -q '^registered' "$work/$name.out" 2>/dev/null; do sleep 0.2; done
      sleep $((warmup + 2))
      perf record -g -o "$work/perf-$name.data" -p "$PRATU_PID" -- sleep 10 >/dev/null 2>&1) &
    perf_pid=$!
  fi
  "$load" --url "$PRATU_URL" --applicants "$applicants" --warmup "$warmup" --duration "$duration" \
    --rate "$rate" --server-pid "$PRATU_PID" --database-pid "${database_pid:-0}" --acked "$work/acked-$name" --timeline "$work/timeline-$name" \
    >"$work/$name.out" 2> >(tee "$work/load-$name.err" >&2) ||
    { echo "apply: the load generator failed on $name" >&2; cat "$work/$name.out" >&2; exit 1; }
  [[ -z $perf_pid ]] || wait "$perf_pid" || true
  # No flush at shutdown: what was acknowledged must already be on disk.
  kill -KILL "$PRATU_PID"
  wait "$PRATU_PID" 2>/dev/null || true
  PRATU_PID=""
  "${query[@]}" "SELECT public_id FROM applications WHERE status = 'submitted'" | sort >"$work/stored-$name"
  sort "$work/acked-$name" >"$work/acked-sorted-$name"
  {
    echo "stored_submitted $(wc -l <"$work/stored-$name")"
    echo "acked_not_stored $(comm -23 "$work/acked-sorted-$name" "$work/stored-$name" | wc -l)"
    echo "stored_not_acked $(comm -13 "$work/acked-sorted-$name" "$work/stored-$name" | wc -l)"
    echo "acked_twice $(uniq -d "$work/acked-sorted-$name" | wc -l)"
    echo "duplicate_references $("${query[@]}" "SELECT COUNT(*) FROM (SELECT reference FROM applications
      WHERE reference IS NOT NULL GROUP BY reference HAVING COUNT(*) > 1) d")"
    echo "duplicate_keys $("${query[@]}" "SELECT COUNT(*) FROM (SELECT user_id, submission_key FROM applications
      WHERE status = 'submitted' GROUP BY user_id, submission_key HAVING COUNT(*) > 1) d")"
    echo "drafts_left $("${query[@]}" "SELECT COUNT(*) FROM applications WHERE status = 'draft'")"
  } >>"$work/$name.out"
  if ((perf)); then
    echo "apply: $name: where the server's time went (perf, 10 s inside the window, self time):"
    { perf report -i "$work/perf-$name.data" --no-children --stdio -g none --sort dso 2>/dev/null |
        grep '%' | head -n 12
      perf report -i "$work/perf-$name.data" --no-children --stdio -g none --sort dso,sym 2>/dev/null |
        grep '%' | head -n 30; } || true
  fi
  if [[ -n $keep ]]; then
    mkdir -p "$keep"
    cp "$work/$name.out" "$keep/$name.out"
    cp "$work/timeline-$name" "$keep/timeline-$name"
    cp "$work/pratu-$name.out" "$keep/server-$name.out"
    cp "$work/pratu-$name.err" "$keep/server-$name.err"
    [[ ! -f $work/perf-$name.data ]] || cp "$work/perf-$name.data" "$keep/perf-$name.data"
  fi
  engines+=("$name")
}

sqlite_query() { sqlite3 -batch -noheader "$1" "$2"; }
if ((sqlite)); then
  sqlite_db=$work/pratu.db
  if [[ -n $sqlite_dir ]]; then
    sqlite_db=$(mktemp -d "$sqlite_dir/pratu-apply.XXXXXX")/pratu.db
    sqlite_cleanup=${sqlite_db%/pratu.db}
  fi
  sqlite_fs=$(stat -f -c %T "$(dirname "$sqlite_db")")
  run_engine sqlite "sqlite:$sqlite_db" sqlite_query "$sqlite_db"
  [[ -z ${sqlite_cleanup-} ]] || rm -rf "$sqlite_cleanup"
fi
if [[ -n $postgres_url ]]; then
  psql -q -v ON_ERROR_STOP=1 "$postgres_url" -c "DROP DATABASE IF EXISTS pratu_apply" \
    -c "CREATE DATABASE pratu_apply" >/dev/null
  pg_url="${postgres_url%/*}/pratu_apply"
  pg_settings=$(psql -X -At "$pg_url" -c "SELECT string_agg(name || '=' || setting, ', ' ORDER BY name)
    FROM pg_settings WHERE name IN ('fsync', 'synchronous_commit', 'full_page_writes')")
  pg_query() { psql -X -At -v ON_ERROR_STOP=1 "$pg_url" -c "$1"; }
  # The postmaster, when the server runs on this machine: its backends' CPU time is reported.
  database_pid=$(head -n 1 "$(psql -X -At "$pg_url" -c "SHOW data_directory")/postmaster.pid" 2>/dev/null || echo 0)
  run_engine postgres "$pg_url" pg_query
fi

value() { awk -v k="$2" '$1 == k {print $2; exit}' "$work/$1.out"; }
mib() { awk -v k="$1" 'BEGIN {printf "%.1f", k / 1024}'; }
disk_after=$(disk_probe)
echo
echo "Holiday peak — $(nproc) cores, $applicants applicants (one connection each), ${warmup} s warm-up," \
  "${duration} s measured, $( ((rate)) && echo "$rate journeys/s begun" || echo "each applicant going again at once");" \
  "the load generator runs on the same cores"
echo "Disk: $disk_before durable SQLite commits/s alone before, $disk_after after"
echo "Before: $machine_before; after: $(machine) (the last minute)"
for e in "${engines[@]}"; do
  echo
  case $e in
    sqlite)
      if [[ $sqlite_fs == tmpfs ]]; then
        echo "SQLite in ${sqlite_dir:-/tmp}, in memory (tmpfs): a commit's fsync costs nothing, not durable"
      else
        echo "SQLite in ${sqlite_dir:-/tmp} (synchronous=FULL: every commit waits for the disk)"
      fi ;;
    postgres) echo "PostgreSQL ($pg_settings)" ;;
  esac
  printf '  %-34s %s\n' "applicants registered" "$(value "$e" registered) in $(value "$e" register_seconds) s" \
    "submissions acknowledged/s" "$(value "$e" submits_per_second) ($(value "$e" submits_in_window) in the window$( ((rate)) && echo ", $rate/s offered, most journeys waiting for a free applicant $(value "$e" max_backlog)"))"
  printf '  %-34s %10s %10s %10s %10s\n' "latency ms" p50 p90 p99 max
  for kind in start save submit journey; do
    printf '  %-34s %10s %10s %10s %10s\n' "$kind ($(value "$e" "${kind}_count"))" \
      "$(value "$e" "${kind}_p50_ms")" "$(value "$e" "${kind}_p90_ms")" "$(value "$e" "${kind}_p99_ms")" \
      "$(value "$e" "${kind}_max_ms")"
  done
  printf '  %-34s %s\n' "errors (not the 303 expected)" "$(value "$e" errors)" \
    "server VmRSS MiB" "before $(mib "$(value "$e" rss_before_load_kib)"), window start $(mib "$(value "$e" rss_window_start_kib)"), middle $(mib "$(value "$e" rss_window_middle_kib)"), end $(mib "$(value "$e" rss_window_end_kib)"); peak $(mib "$(value "$e" hwm_kib)")" \
    "CPU in the window (% of one core)" "server $(value "$e" server_cpu_percent), load generator $(value "$e" generator_cpu_percent)$([[ $e == postgres ]] && echo ", PostgreSQL's backends $(value "$e" database_cpu_percent)")" \
    "after SIGKILL, in the database" "$(value "$e" stored_submitted) submitted, $(value "$e" submits_acked_total) acknowledged; acknowledged but missing $(value "$e" acked_not_stored), stored but never acknowledged $(value "$e" stored_not_acked), duplicate references $(value "$e" duplicate_references), duplicate submission keys $(value "$e" duplicate_keys)"
  awk '$1 == "error_kind" {$1 = ""; print "  error:" $0}' "$work/$e.out"
done

echo
missed=0
verdict() {  # verdict DESCRIPTION PASSED(0|1)
  if (($2)); then echo "PASS  $1"; else echo "FAIL  $1"; missed=$((missed + 1)); fi
}
for e in "${engines[@]}"; do
  rate=$(value "$e" submits_per_second)
  verdict "$e: $rate submissions/s acknowledged (target >= 1,000 durable)" "$(awk -v r="$rate" 'BEGIN {print (r >= 1000) ? 1 : 0}')"
  save=$(value "$e" save_p99_ms) submit=$(value "$e" submit_p99_ms)
  verdict "$e: p99 $save ms for saves and $submit ms for submits (target < 100 ms)" \
    "$(awk -v a="$save" -v b="$submit" 'BEGIN {print (a < 100 && b < 100) ? 1 : 0}')"
  verdict "$e: no errors ($(value "$e" errors))" "$(($(value "$e" errors) == 0))"
  middle=$(value "$e" rss_window_middle_kib) end=$(value "$e" rss_window_end_kib)
  verdict "$e: memory flat, VmRSS $(mib "$middle") MiB at the middle and $(mib "$end") MiB at the end (target: within 10 %)" \
    "$(awk -v m="$middle" -v e="$end" 'BEGIN {print (e <= 1.1 * m && e >= 0.9 * m) ? 1 : 0}')"
  verdict "$e: every acknowledged submission stored, once, and no other" \
    "$(($(value "$e" acked_not_stored) + $(value "$e" stored_not_acked) + $(value "$e" acked_twice) + $(value "$e" duplicate_references) + $(value "$e" duplicate_keys) == 0 && $(value "$e" stored_submitted) == $(value "$e" submits_acked_total)))"
done
if ((strict && missed > 0)); then exit 1; fi
exit 0
