#!/usr/bin/env bash
# Signed documents (not a timed test): how many documents the issuer renders, signs and
# timestamps a second, how many uploads /api/v1/verify checks a second, and whether pages stay
# as fast for everyone else while documents are issued (the issuer has threads of its own), on
# SQLite and, with --postgres, on PostgreSQL.
#
# A server with the issuer idle (documents.poll_seconds 3600) is given 2N approved
# company-certificate applications through the API (bench/documents_load.cpp approve), each
# approval billing the fee and each payment at the counter queueing its documents.issue row as
# a bank's confirmation does (and its receipt's documents.issue_receipt row); the rows are then
# held (due in 2100; the receipts for good, so that only the certificates are measured) and a
# server that looks for work every second is started on the same database. N rows
# are released and timed from the first document issued to the last (the server's log lines),
# with nothing else running: documents issued per second, the server's CPU time per document. Then, with
# nothing issuing, the company-certificate page for a visitor and for a signed-in applicant is
# read at a steady rate (the reference), and one issued file is POSTed to /api/v1/verify on
# several connections as fast as they are answered; then the other N rows are released and the
# same pages are read again while they are issued (nothing of this script runs beside them:
# it reads the database only before and after). In this process, as a reference: the check
# (pdf::check_signed_pdf) and the signature with its timestamp (pdf::sign_pdf) of the same file.
# Prints the figures and PASS or FAIL against the targets: >= 50 documents issued a second and
# >= 200 verified a second on 2 cores, each page's p99 while issuing within twice its p99
# without, and no errors.
#   bench/documents.sh [--documents N] [--seconds S] [--page-rate R] [--verify-connections C]
#                      [--postgres URL] [--no-sqlite] [--keep] [--no-build] [--strict]
#     --documents  documents issued in each of the two rounds (default 2000; 50..20000)
#     --seconds    seconds each page reading and the checks are measured (default 10); the pages
#                  while issuing stop sooner if the round would end first
#     --page-rate  requests a second to each of the two pages (default 100)
#     --verify-connections  uploads checked at once (default 8)
#     --postgres   a PostgreSQL server (e.g. bin/postgres-test-server's URL) on which to
#                  (re)create the database pratu_documents and measure the same
#     --no-sqlite  only PostgreSQL
#     --keep       leave the temporary directory (databases, files, logs) in place
#     --no-build   use the existing binaries
#     --strict     exit 1 when a target is missed (default: report only)
# The build is the release preset in build/release, or in BENCH_BUILD_DIR when set (with
# pratu_documents_load beside pratu); BENCH_BINARY names another server binary. The servers take
# the environment's PRATU_* settings, e.g. PRATU_DOCUMENTS_ISSUE_THREADS=4 to try more threads.
set -euo pipefail
cd "$(dirname "$0")/.."

documents=2000
seconds=10
page_rate=100
verify_connections=8
postgres_url=""
sqlite=1
keep=0
build=1
strict=0
while (($#)); do
  case "$1" in
    --documents) documents=$2; shift 2 ;;
    --seconds) seconds=$2; shift 2 ;;
    --page-rate) page_rate=$2; shift 2 ;;
    --verify-connections) verify_connections=$2; shift 2 ;;
    --postgres) postgres_url=$2; shift 2 ;;
    --no-sqlite) sqlite=0; shift ;;
    --keep) keep=1; shift ;;
    --no-build) build=0; shift ;;
    --strict) strict=1; shift ;;
    -h|--help) sed -n '2,36p' "$0"; exit 0 ;;
    *) echo "documents: unknown option $1" >&2; exit 2 ;;
  esac
done
[[ $documents =~ ^[0-9]+$ ]] && ((documents >= 50 && documents <= 20000)) ||
  { echo "documents: --documents must be 50..20000" >&2; exit 2; }
[[ $seconds =~ ^[0-9]+$ ]] && ((seconds >= 2 && seconds <= 600)) ||
  { echo "documents: --seconds must be 2..600" >&2; exit 2; }
[[ $page_rate =~ ^[0-9]+$ ]] && ((page_rate >= 1 && page_rate <= 10000)) ||
  { echo "documents: --page-rate must be 1..10000" >&2; exit 2; }
[[ $verify_connections =~ ^[0-9]+$ ]] && ((verify_connections >= 1 && verify_connections <= 256)) ||
  { echo "documents: --verify-connections must be 1..256" >&2; exit 2; }
((sqlite)) || [[ -n $postgres_url ]] || { echo "documents: --no-sqlite needs --postgres URL" >&2; exit 2; }

build_dir=${BENCH_BUILD_DIR:-build/release}
if ((build)); then
  cmake --preset release -B "$build_dir" >/dev/null
  cmake --build "$build_dir" --target pratu pratu_documents_load
fi
binary=${BENCH_BINARY:-$build_dir/pratu}
load=$build_dir/pratu_documents_load
for f in "$binary" "$load"; do
  [[ -x $f ]] || { echo "documents: $f is missing (run without --no-build)" >&2; exit 1; }
done
for tool in sqlite3 curl; do
  command -v $tool >/dev/null || { echo "documents: $tool is needed" >&2; exit 1; }
done
[[ -z $postgres_url ]] || command -v psql >/dev/null || { echo "documents: psql is needed with --postgres" >&2; exit 1; }

work=$(mktemp -d "${TMPDIR:-/tmp}/pratu-documents.XXXXXX")
source tests/e2e/server.sh
cleanup() {
  if [[ -n ${PRATU_PID-} ]]; then
    kill -KILL "$PRATU_PID" 2>/dev/null || true
    wait "$PRATU_PID" 2>/dev/null || true
  fi
  if ((keep)); then echo "documents: kept $work"; else rm -rf "$work"; fi
}
trap cleanup EXIT

source bench/lib.sh
now() { date +%s.%N; }

readonly officer=officer.dbd@demo.pratu.example cashier=cashier.dbd@demo.pratu.example
readonly officer_password=pratu-demo-officer
readonly page=/services/company-certificate
readonly held_until=4102444800  # 2100-01-01: a row no node will claim
machine_before=$(machine)
echo "documents: $machine_before"

# serve NAME DATABASE POLL_SECONDS: a server with its keys, files and mail in the work directory.
serve() {
  PRATU_DOCUMENTS_PKI_DIR=$work/pki PRATU_PATHS_BLOBS=$work/blobs-$1 PRATU_NOTIFICATIONS_SPOOL_DIR=$work/mail \
    PRATU_DOCUMENTS_POLL_SECONDS=$3 pratu_start "$binary" "$work/pratu-$1-poll$3" --demo \
    --config bench/documents.yaml --database "$2"
}
token() {  # token LOGIN PASSWORD: a bearer token from the server at PRATU_URL
  curl -fsS -m 30 -H 'Content-Type: application/json' -d "{\"login\":\"$1\",\"password\":\"$2\"}" \
    "$PRATU_URL/api/v1/tokens" | sed -n 's/.*"token" *: *"\([^"]*\)".*/\1/p'
}
urlencode() { printf '%s' "$1" | od -An -tx1 | tr -d ' \n' | sed 's/../%&/g'; }
jar_cookies() {  # the cookies of a curl cookie jar as a Cookie header value
  awk 'NF >= 7 && ($1 !~ /^#/ || $1 ~ /^#HttpOnly_/) {printf "%s%s=%s", sep, $6, $7; sep = "; "}' "$1"
}
# session LOGIN PASSWORD JAR: logs in through the form; prints the session's Cookie header.
session() {
  local csrf status
  csrf=$(curl -fsS -m 5 -c "$3.anonymous" "$PRATU_URL/login" |
    grep -o 'name="csrf_token" value="[^"]*"' | head -n 1 | sed 's/.*value="\(.*\)"/\1/')
  [[ -n $csrf ]] || { echo "documents: the login page has no CSRF token" >&2; return 1; }
  status=$(curl -sS -m 30 -o /dev/null -w '%{http_code}' -c "$3" -H "Cookie: $(jar_cookies "$3.anonymous")" \
    -H 'Content-Type: application/x-www-form-urlencoded' \
    --data "csrf_token=$(urlencode "$csrf")&login=$(urlencode "$1")&password=$(urlencode "$2")" "$PRATU_URL/login")
  [[ $status == 303 ]] || { echo "documents: logging in answered $status, not 303" >&2; return 1; }
  jar_cookies "$3"
}

# issue_round NAME QUERY...: releases the next $documents held rows and waits until they are all
# valid; writes to $work/NAME.out the seconds from the first document issued to the last (the
# server's own log lines, to the millisecond), and the server's CPU seconds in between. With
# FOLLOW set (a command), runs it 1.5 s after the release (the server looks every second) and
# waits for it before it looks at the database again: nothing of this script runs beside the
# pages it measures. The database is read every quarter of a second otherwise.
follow=""
issue_round() {
  local name=$1
  shift
  local query=("$@")
  local base since valid="" last="" cpu_first cpu_last deadline issued times
  base=$("${query[@]}" "SELECT COUNT(*) FROM documents WHERE status = 'valid'")
  since=$(wc -l <"$PRATU_LOG.err")
  cpu_first=$(cpu_seconds "$PRATU_PID")
  "${query[@]}" "UPDATE outbox SET available_at = 0 WHERE id IN (SELECT id FROM outbox
    WHERE topic = 'documents.issue' AND done_at IS NULL AND available_at = $held_until
    ORDER BY id LIMIT $documents)" >/dev/null
  if [[ -n $follow ]]; then
    sleep 1.5
    now >"$work/$name.follow-started"
    $follow
  fi
  deadline=$((SECONDS + 60 + documents))
  while ((SECONDS < deadline)); do
    valid=$("${query[@]}" "SELECT COUNT(*) FROM documents WHERE status = 'valid'")
    if ((${valid:-0} >= base + documents)); then
      cpu_last=$(cpu_seconds "$PRATU_PID")
      break
    fi
    sleep 0.25
  done
  [[ -n ${cpu_last-} ]] || { echo "documents: $name: $((${valid:-0} - base)) of $documents valid after $((60 + documents)) s" >&2; exit 1; }
  # The log is flushed every second.
  for _ in $(seq 50); do
    issued=$(tail -n +"$((since + 1))" "$PRATU_LOG.err" | grep -c '"msg":"document issued"' || true)
    ((issued >= documents)) && break
    sleep 0.1
  done
  ((issued >= documents)) || { echo "documents: $name: $issued of $documents issued in the server's log" >&2; exit 1; }
  times=$(tail -n +"$((since + 1))" "$PRATU_LOG.err" | grep '"msg":"document issued"' |
    sed -n 's/^{"ts":"\([^"]*\)".*/\1/p' | sed -n '1p;$p' | while read -r ts; do date -u -d "$ts" +%s.%N; done)
  local first
  first=$(sed -n 1p <<<"$times")
  last=$(sed -n 2p <<<"$times")
  {
    echo "issue_seconds $(awk -v a="$first" -v b="$last" 'BEGIN {printf "%.2f", b - a}')"
    echo "issue_started $first"
    echo "issue_ended $last"
    # n documents in the span from the first one's end to the last one's: n - 1 intervals
    echo "issued_per_second $(awk -v n="$documents" -v a="$first" -v b="$last" 'BEGIN {printf "%.1f", (n - 1) / (b - a)}')"
    echo "cpu_ms_per_document $(awk -v n="$documents" -v a="$cpu_first" -v b="$cpu_last" 'BEGIN {printf "%.1f", 1000 * (b - a) / n}')"
  } >"$work/$name.out"
}

# pages NAME SECONDS: the page for a visitor and for the signed-in applicant, $page_rate
# requests a second each for SECONDS, at once; into $work/NAME-visitor.out and NAME-session.out.
pages() {
  now >"$work/$1.started"
  "$load" pages --url "$PRATU_URL" --path "$page" --rate "$page_rate" --seconds "$2" >"$work/$1-visitor.out" &
  local visitor=$!
  "$load" pages --url "$PRATU_URL" --path "$page" --cookie "$session_cookie" --rate "$page_rate" \
    --seconds "$2" >"$work/$1-session.out"
  wait "$visitor"
  now >"$work/$1.ended"
}

engines=()
run_engine() {
  local name=$1 database=$2
  shift 2
  local query=("$@")
  echo "documents: $name: pratu serve --demo --config bench/documents.yaml --database $database (issuer idle)"
  serve "$name" "$database" 3600
  local demo_login demo_password applicant officer_token cashier_token
  read -r demo_login demo_password < <(awk '$1 == "applicant:" {print $2, $4; exit}' "$PRATU_LOG.out")
  [[ -n ${demo_password-} ]] || { echo "documents: no demo applicant in the server's output" >&2; exit 1; }
  applicant=$(token "$demo_login" "$demo_password")
  officer_token=$(token "$officer" "$officer_password")
  cashier_token=$(token "$cashier" "$officer_password")
  [[ -n $applicant && -n $officer_token && -n $cashier_token ]] || { echo "documents: no API token for the demo accounts" >&2; exit 1; }
  echo "documents: $name: $((2 * documents)) company certificates applied for, approved and paid for through the API"
  "$load" approve --url "$PRATU_URL" --applicant-token "$applicant" --officer-token "$officer_token" \
    --cashier-token "$cashier_token" \
    --count $((2 * documents)) >"$work/$name-approve.out" ||
    { echo "documents: $name: the approvals failed" >&2; exit 1; }
  pratu_stop || { echo "documents: pratu did not stop cleanly" >&2; exit 1; }
  "${query[@]}" "UPDATE outbox SET available_at = $held_until
    WHERE topic IN ('documents.issue', 'documents.issue_receipt') AND done_at IS NULL" >/dev/null
  local queued receipts
  queued=$("${query[@]}" "SELECT COUNT(*) FROM outbox WHERE topic = 'documents.issue' AND done_at IS NULL")
  ((queued == 2 * documents)) || { echo "documents: $name: $queued issue rows queued, not $((2 * documents))" >&2; exit 1; }
  receipts=$("${query[@]}" "SELECT COUNT(*) FROM outbox WHERE topic = 'documents.issue_receipt' AND done_at IS NULL")
  ((receipts == 2 * documents)) || { echo "documents: $name: $receipts receipts queued, not $((2 * documents))" >&2; exit 1; }

  echo "documents: $name: the issuer looking every second; $documents documents issued alone"
  serve "$name" "$database" 1
  session_cookie=$(session "$demo_login" "$demo_password" "$work/$name-session.jar")
  follow=""
  issue_round "$name-alone" "${query[@]}"
  local rss_kib
  rss_kib=$(awk '$1 == "VmRSS:" {print $2}' "/proc/$PRATU_PID/status")

  # One of the files, for the checks.
  local number
  number=$("${query[@]}" "SELECT number FROM documents WHERE status = 'valid' ORDER BY id LIMIT 1")
  curl -fsS -m 30 -H "Authorization: Bearer $applicant" -o "$work/$name-document.pdf" \
    "$PRATU_URL/api/v1/documents/$number/file"

  echo "documents: $name: the page, $page_rate requests/s for a visitor and as many signed in, for $seconds s, nothing issuing"
  pages "$name-pages-alone" "$seconds"
  echo "documents: $name: POST /api/v1/verify on $verify_connections connections for $seconds s"
  "$load" verify --url "$PRATU_URL" --file "$work/$name-document.pdf" --connections "$verify_connections" \
    --seconds "$seconds" >"$work/$name-verify.out"

  # The pages while the second round is issued, for as long as it is expected to last (less a
  # margin), at most --seconds.
  local during
  during=$(awk -v n="$documents" -v r="$(value "$name-alone" issued_per_second)" -v s="$seconds" \
    'BEGIN {d = int(0.7 * n / r - 1); if (d > s) d = s; if (d < 2) d = 2; print d}')
  echo "documents: $name: $documents documents more, the page read for $during s while they are issued"
  follow="pages $name-pages-issuing $during"
  issue_round "$name-issuing" "${query[@]}"
  follow=""
  echo "pages_seconds $during" >>"$work/$name-issuing.out"
  echo "issue_errors $("${query[@]}" "SELECT COUNT(*) FROM outbox WHERE topic = 'documents.issue' AND last_error IS NOT NULL")" >>"$work/$name-alone.out"
  echo "rss_kib $rss_kib" >>"$work/$name-alone.out"
  echo "document_bytes $("${query[@]}" "SELECT CAST(AVG(size_bytes) AS INTEGER) FROM documents")" >>"$work/$name-alone.out"
  pratu_stop || { echo "documents: pratu did not stop cleanly" >&2; exit 1; }
  engines+=("$name")
}

value() { awk -v k="$2" '$1 == k {print $2; exit}' "$work/$1.out"; }
who() { [[ $1 == visitor ]] && echo "visitor" || echo "signed-in applicant"; }

sqlite_query() { sqlite3 -batch -noheader -cmd '.timeout 10000' "$1" "$2"; }
if ((sqlite)); then
  run_engine sqlite "sqlite:$work/pratu.db" sqlite_query "$work/pratu.db"
fi
if [[ -n $postgres_url ]]; then
  psql -X -q -v ON_ERROR_STOP=1 "$postgres_url" -c "DROP DATABASE IF EXISTS pratu_documents" \
    -c "CREATE DATABASE pratu_documents" >/dev/null
  pg_url="${postgres_url%/*}/pratu_documents"
  pg_query() { psql -X -At -F '|' -v ON_ERROR_STOP=1 "$pg_url" -c "$1"; }
  run_engine postgres "$pg_url" pg_query
fi

# The references in this process, on the last file: the check alone and the signature alone.
reference_file=$work/${engines[-1]}-document.pdf
echo "documents: in this process: pdf::check_signed_pdf and pdf::sign_pdf (with its timestamp) on 2 threads"
"$load" check --file "$reference_file" --pki "$work/pki" --threads 2 --seconds "$seconds" >"$work/check.out"
"$load" sign --file "$reference_file" --pki "$work/pki" --threads 2 --seconds "$seconds" >"$work/sign.out"

echo
# setting KEY: documents.KEY as the servers had it: PRATU_DOCUMENTS_KEY when set, else the default.
setting() {
  local name="PRATU_DOCUMENTS_${1^^}"
  [[ -n ${!name-} ]] && { echo "${!name}"; return; }
  awk -v k="$1:" '/^documents:/ {d = 1; next} /^[^ #]/ {d = 0} d && $1 == k {print $2}' config/default.yaml
}
echo "Signed documents — $(nproc) cores, documents.issue_threads $(setting issue_threads), batches of" \
  "$(setting batch_size), the timestamp authority in the process;" \
  "$documents documents a round, a file of $(value "${engines[-1]}-alone" document_bytes) bytes on average"
echo "Before: $machine_before; after: $(machine) (the last minute)"
echo "In this process, 2 threads: check $(value check check_per_second)/s ($(value check check_ms) ms each)," \
  "signature and timestamp $(value sign sign_per_second)/s ($(value sign sign_ms) ms each)"
for e in "${engines[@]}"; do
  echo
  echo "$e: $(value "$e-approve" approved) applications approved and paid for through the API in $(value "$e-approve" approve_seconds) s"
  printf '  %-44s %s\n' \
    "documents issued/s, nothing else running" "$(value "$e-alone" issued_per_second) ($documents in $(value "$e-alone" issue_seconds) s; server CPU $(value "$e-alone" cpu_ms_per_document) ms a document)" \
    "documents issued/s, pages read meanwhile" "$(value "$e-issuing" issued_per_second) ($documents in $(value "$e-issuing" issue_seconds) s)" \
    "checked/s at /api/v1/verify" "$(value "$e-verify" valid_per_second) ($verify_connections connections; p50 $(value "$e-verify" verify_p50_ms) ms, p99 $(value "$e-verify" verify_p99_ms) ms; $(value "$e-verify" errors) not valid)" \
    "server VmRSS after issuing" "$(awk -v k="$(value "$e-alone" rss_kib)" 'BEGIN {printf "%.1f MiB", k / 1024}')"
  printf '  %-44s %8s %8s %8s %8s %8s\n' "$page, ms" p50 p90 p99 max errors
  for kind in visitor session; do
    for phase in alone issuing; do
      printf '  %-44s %8s %8s %8s %8s %8s\n' "$(who "$kind"), $([[ $phase == alone ]] && echo "nothing issuing" || echo "while issuing") ($(value "$e-pages-$phase-$kind" page_count))" \
        "$(value "$e-pages-$phase-$kind" page_p50_ms)" "$(value "$e-pages-$phase-$kind" page_p90_ms)" \
        "$(value "$e-pages-$phase-$kind" page_p99_ms)" "$(value "$e-pages-$phase-$kind" page_max_ms)" \
        "$(value "$e-pages-$phase-$kind" errors)"
    done
  done
done

echo
missed=0
verdict() {  # verdict DESCRIPTION PASSED(0|1)
  if (($2)); then echo "PASS  $1"; else echo "FAIL  $1"; missed=$((missed + 1)); fi
}
for e in "${engines[@]}"; do
  rate=$(value "$e-alone" issued_per_second)
  verdict "$e: $rate documents issued/s (target >= 50)" "$(awk -v r="$rate" 'BEGIN {print (r >= 50) ? 1 : 0}')"
  rate=$(value "$e-verify" valid_per_second)
  verdict "$e: $rate documents verified/s (target >= 200)" "$(awk -v r="$rate" 'BEGIN {print (r >= 200) ? 1 : 0}')"
  for kind in visitor session; do
    alone=$(value "$e-pages-alone-$kind" page_p99_ms) issuing=$(value "$e-pages-issuing-$kind" page_p99_ms)
    verdict "$e: the page's p99 for a $(who "$kind") $issuing ms while issuing, $alone ms without (target: at most twice)" \
      "$(awk -v a="$alone" -v b="$issuing" 'BEGIN {print (b <= 2 * a) ? 1 : 0}')"
  done
  # The pages must have been read while documents were being issued, not before or after.
  early=$(awk -v p="$(cat "$work/$e-pages-issuing.started")" -v i="$(value "$e-issuing" issue_started)" \
    'BEGIN {printf "%.1f", p - i}')
  margin=$(awk -v p="$(cat "$work/$e-pages-issuing.ended")" -v i="$(value "$e-issuing" issue_ended)" \
    'BEGIN {printf "%.1f", i - p}')
  verdict "$e: the pages were read while the round was being issued ($(awk -v s="$early" -v m="$margin" 'BEGIN {
    if (s < 0) printf "they began %.1f s before its first document", -s
    else if (m >= 0) printf "they began %.1f s after its first document and ended %.1f s before its last", s, m
    else printf "they ended %.1f s after its last document: give more --documents", -m}'))" \
    "$(awk -v s="$early" -v m="$margin" 'BEGIN {print (s >= 0 && m >= 0) ? 1 : 0}')"
  errors=$(($(value "$e-alone" issue_errors) + $(value "$e-verify" errors)))
  for f in "$work/$e"-pages-*-*.out; do errors=$((errors + $(awk '$1 == "errors" {print $2}' "$f"))); done
  verdict "$e: no errors: issues retried, checks not valid, pages not 200 ($errors)" "$((errors == 0))"
done
if ((strict && missed > 0)); then exit 1; fi
exit 0
