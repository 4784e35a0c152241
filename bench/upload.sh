#!/usr/bin/env bash
# Upload throughput and memory (not a timed test): builds the release server, starts it with
# demo data on SQLite in a temporary directory and, as the demo applicant, sends FILES files of
# SIZE MiB over tus 1.0 (POST, then PATCH), PARALLEL at a time, each worker on one keep-alive
# connection (bench/upload_load.mjs), for ROUNDS rounds of new files. Prints the throughput in
# MB/s next to the disk's own pace (dd of as many bytes into the same directory, with fsync,
# before and after the uploads), and the server's peak resident memory (VmHWM) before the first
# upload and after each round: a server that streams to the disk stays flat however much it
# has stored. The files are a PNG signature and random bytes (the pictures' limit is raised by
# bench/upload.yaml); every one is checked in the wallet by its SHA-256 afterwards.
#   bench/upload.sh [--files N] [--size MIB] [--parallel P] [--chunk MIB] [--rounds R]
#                   [--dir DIR] [--no-build] [--strict]
#     --files     files a round (default 8)
#     --size      MiB a file (default 50; at most 1024, bench/upload.yaml's limit)
#     --parallel  uploads at once, one connection each (default 4; at most 10, the open
#                 uploads an applicant may hold)
#     --chunk     MiB a PATCH carries (default 0: each file in one PATCH)
#     --rounds    rounds of FILES new files (default 2)
#     --dir       where the temporary directory goes (default ${TMPDIR:-/tmp})
#     --no-build  use build/release/pratu as it is
#     --strict    exit 1 when a target is missed (default: report only)
set -euo pipefail
cd "$(dirname "$0")/.."

files=8
size_mib=50
parallel=4
chunk_mib=0
rounds=2
dir=${TMPDIR:-/tmp}
build=1
strict=0
while (($#)); do
  case "$1" in
    --files) files=$2; shift 2 ;;
    --size) size_mib=$2; shift 2 ;;
    --parallel) parallel=$2; shift 2 ;;
    --chunk) chunk_mib=$2; shift 2 ;;
    --rounds) rounds=$2; shift 2 ;;
    --dir) dir=$2; shift 2 ;;
    --no-build) build=0; shift ;;
    --strict) strict=1; shift ;;
    -h|--help) sed -n '2,22p' "$0"; exit 0 ;;
    *) echo "upload: unknown option $1" >&2; exit 2 ;;
  esac
done
[[ $files =~ ^[0-9]+$ ]] && ((files > 0 && files <= 400)) || { echo "upload: --files must be 1..400" >&2; exit 2; }
[[ $size_mib =~ ^[0-9]+$ ]] && ((size_mib > 0 && size_mib <= 1024)) ||
  { echo "upload: --size must be 1..1024 MiB" >&2; exit 2; }
[[ $parallel =~ ^[0-9]+$ ]] && ((parallel > 0 && parallel <= 10)) ||
  { echo "upload: --parallel must be 1..10" >&2; exit 2; }
[[ $chunk_mib =~ ^[0-9]+$ ]] && ((chunk_mib <= size_mib)) ||
  { echo "upload: --chunk must be 0..--size MiB" >&2; exit 2; }
[[ $rounds =~ ^[0-9]+$ ]] && ((rounds > 0 && rounds <= 20)) || { echo "upload: --rounds must be 1..20" >&2; exit 2; }
[[ -d $dir ]] || { echo "upload: --dir $dir is not a directory" >&2; exit 2; }

if ((build)); then
  cmake --preset release >/dev/null
  cmake --build --preset release --target pratu
fi
binary=${BENCH_BINARY:-build/release/pratu}
[[ -x $binary ]] || { echo "upload: $binary is missing (run without --no-build)" >&2; exit 1; }
command -v node >/dev/null || { echo "upload: node is needed for bench/upload_load.mjs" >&2; exit 1; }

bytes=$((size_mib * 1024 * 1024))
total=$((files * bytes))
# The pool, a copy per round being stored and the dd reference at once.
need_kib=$(((total * (rounds + 1) + bytes) / 1024))
free_kib=$(df -Pk "$dir" | awk 'NR == 2 {print $4}')
((free_kib > need_kib + 1048576)) ||
  { echo "upload: $dir has $((free_kib / 1024)) MiB free; about $((need_kib / 1024 + 1024)) MiB are needed" >&2; exit 1; }

work=$(mktemp -d "$dir/pratu-upload-bench.XXXXXX")
source tests/e2e/server.sh
cleanup() {
  if [[ -n ${PRATU_PID-} ]]; then
    kill -KILL "$PRATU_PID" 2>/dev/null || true
    wait "$PRATU_PID" 2>/dev/null || true
  fi
  rm -rf "$work"
}
trap cleanup EXIT

source bench/lib.sh
# The disk's own pace: the bytes of a round written by dd into the same directory, made
# durable (conv=fsync) before dd returns, as the server makes each blob durable; in MB/s.
disk_pace() {
  local start end
  sync
  start=$(date +%s.%N)
  for ((i = 0; i < files; i++)); do cat "$work/pool.bin"; done |
    dd of="$work/dd.bin" bs=1M iflag=fullblock conv=fsync status=none
  end=$(date +%s.%N)
  rm -f "$work/dd.bin"
  awk -v b="$total" -v s="$start" -v e="$end" 'BEGIN {printf "%.1f", b / 1e6 / (e - s)}'
}
mib() { awk -v k="$1" 'BEGIN {printf "%.1f", k / 1024}'; }

echo "upload: $work on $(stat -f -c %T "$work"), $(machine)"
head -c "$bytes" /dev/urandom >"$work/pool.bin"
disk_before=$(disk_pace)
echo "upload: dd of $((total / 1048576)) MiB with conv=fsync: $disk_before MB/s"

export PRATU_PATHS_BLOBS="$work/blobs"
echo "upload: pratu serve --demo --config bench/upload.yaml --database sqlite:$work/pratu.db"
pratu_start "$binary" "$work/pratu" --demo --config bench/upload.yaml --database "sqlite:$work/pratu.db"
kib() { awk -v f="$1" '$1 == f ":" {print $2}' "/proc/$PRATU_PID/status"; }
token=$(curl -fsS -m 30 -H 'Content-Type: application/json' \
  -d '{"login":"1234567890121","password":"pratu-demo-applicant"}' "$PRATU_URL/api/v1/tokens" |
  sed -n 's/.*"token" *: *"\([^"]*\)".*/\1/p')
[[ -n $token ]] || { echo "upload: no token for the demo applicant" >&2; exit 1; }
hwm_before=$(kib VmHWM)
echo "upload: server VmHWM $(mib "$hwm_before") MiB, VmRSS $(mib "$(kib VmRSS)") MiB before the first upload"

worst=""
status=0
hwm=()
rounds_mb=()
for ((r = 1; r <= rounds; r++)); do
  echo "upload: round $r: $files files of $size_mib MiB, $parallel at once, $((chunk_mib == 0 ? 1 : (size_mib + chunk_mib - 1) / chunk_mib)) PATCH(es) each"
  node bench/upload_load.mjs --url "$PRATU_URL" --token "$token" --pool "$work/pool.bin" \
    --files "$files" --size "$bytes" --parallel "$parallel" --chunk $((chunk_mib * 1024 * 1024)) \
    --run "$r" --server-pid "$PRATU_PID" >"$work/round-$r.out" ||
    { echo "upload: the load generator failed in round $r" >&2; cat "$work/round-$r.out" >&2; pratu_show_log >&2; exit 1; }
  value() { awk -v k="$1" '$1 == k {print $2}' "$work/round-$r.out"; }
  hwm+=("$(kib VmHWM)")
  echo "upload: round $r: $(value mb_per_second) MB/s ($(value mib_per_second) MiB/s) in $(value seconds) s;" \
    "a file took $(value file_seconds_min)–$(value file_seconds_max) s; $(value connections) connections;" \
    "$(value verified)/$files in the wallet byte for byte; server VmRSS at most $(mib "$(value server_rss_max_kib)") MiB," \
    "VmHWM now $(mib "${hwm[-1]}") MiB"
  worst=$(awk -v a="${worst:-$(value mb_per_second)}" -v b="$(value mb_per_second)" 'BEGIN {print (b < a ? b : a)}')
  if [[ $(value verified) != "$files" ]]; then
    echo "FAIL  round $r: only $(value verified) of $files files are in the wallet as sent"
    status=1
  fi
  rounds_mb+=("$(value mb_per_second)")
done
rss_after=$(kib VmRSS)
pratu_stop || { echo "upload: the server did not stop cleanly" >&2; status=1; }
disk_after=$(disk_pace)
echo "upload: dd again after the uploads: $disk_after MB/s; $(machine)"

echo
echo "| measure | value |"
echo "| --- | ---: |"
echo "| dd with fsync, before / after | $disk_before / $disk_after MB/s |"
for ((r = 1; r <= rounds; r++)); do
  echo "| round $r, $files × $size_mib MiB, $parallel at once | ${rounds_mb[r - 1]} MB/s |"
done
echo "| server VmHWM before the first upload | $(mib "$hwm_before") MiB |"
for ((r = 1; r <= rounds; r++)); do
  echo "| server VmHWM after round $r ($((r * total / 1048576)) MiB stored) | $(mib "${hwm[r - 1]}") MiB |"
done
echo "| server VmRSS at the end | $(mib "$rss_after") MiB |"
echo

reference=$(awk -v a="$disk_before" -v b="$disk_after" 'BEGIN {print (a < b ? a : b)}')
share=$(awk -v u="$worst" -v d="$reference" 'BEGIN {printf "%.0f", 100 * u / d}')
if awk -v u="$worst" 'BEGIN {exit !(u >= 100)}'; then
  echo "PASS  slowest round $worst MB/s (target ≥ 100 MB/s; $share % of the slower dd)"
else
  echo "FAIL  slowest round $worst MB/s (target ≥ 100 MB/s; $share % of the slower dd)"
  status=1
fi
# Flat: the peak hardly moves while the first round's files stream through, and not at all
# once they have (buffers in use are reused, nothing grows with what is stored).
growth=$((hwm[-1] - hwm_before))
later=$((hwm[-1] - hwm[0]))
verdict=FAIL
((growth < 32 * 1024 && later < 4 * 1024)) && verdict=PASS
echo "$verdict  VmHWM grew $(mib "$growth") MiB from before the first upload to the end, $(mib "$later") MiB of it" \
  "after round 1 (flat: < 32 and < 4 MiB)"
[[ $verdict == PASS ]] || status=1
((strict && status != 0)) && exit 1
exit 0
