#!/usr/bin/env bash
# Shows that a streamed request body never sits in the server's memory: uploads 1 GiB (made on
# the fly) through a streamed route into the blob store, checks the digest the server answers,
# and prints the server's peak resident memory (VmHWM) next to its size before the upload.
#   bench/upload-memory.sh [--size MIB] [--no-build]
#     --size       MiB to upload (default 1024)
#     --no-build   use build/release/pratu_upload_probe as it is
set -euo pipefail
cd "$(dirname "$0")/.."

size_mib=1024
build=1
while (($#)); do
  case "$1" in
    --size) size_mib=$2; shift 2 ;;
    --no-build) build=0; shift ;;
    -h|--help) sed -n '2,7p' "$0"; exit 0 ;;
    *) echo "upload-memory: unknown option $1" >&2; exit 2 ;;
  esac
done
[[ $size_mib =~ ^[0-9]+$ ]] && ((size_mib > 0 && size_mib <= 4095)) ||
  { echo "upload-memory: --size must be 1..4095 MiB" >&2; exit 2; }

if ((build)); then
  cmake --preset release >/dev/null
  cmake --build --preset release --target pratu_upload_probe
fi
binary=${BENCH_PROBE_BINARY:-build/release/pratu_upload_probe}
[[ -x $binary ]] || { echo "upload-memory: $binary is missing (run without --no-build)" >&2; exit 1; }

work=$(mktemp -d /tmp/pratu-upload.XXXXXX)
probe_pid=""
cleanup() {
  if [[ -n $probe_pid ]]; then
    kill -TERM "$probe_pid" 2>/dev/null || true
    wait "$probe_pid" 2>/dev/null || true
  fi
  rm -rf "$work"
}
trap cleanup EXIT

"$binary" "$work/blobs" >"$work/probe.out" 2>"$work/probe.err" &
probe_pid=$!
url=""
for _ in $(seq 1 100); do
  url=$(grep -o 'http://[0-9.]*:[0-9]*' "$work/probe.out" 2>/dev/null || true)
  [[ -n $url ]] && break
  sleep 0.1
done
[[ -n $url ]] || { echo "upload-memory: the probe did not start"; cat "$work/probe.err"; exit 1; }
kib() { awk -v f="$1" '$1 == f ":" {print $2}' "/proc/$probe_pid/status"; }
before_kib=$(kib VmHWM)

bytes=$((size_mib * 1024 * 1024))
echo "upload-memory: POST $bytes bytes of /dev/urandom to $url/upload (chunked, as it is made)"
# tee hashes what is sent on the way; nothing keeps the whole body.
started=$(date +%s.%N)
answer=$(head -c "$bytes" /dev/urandom | tee >(sha256sum | cut -d' ' -f1 >"$work/sent.sha256") |
  curl -fsS -m 600 -X POST -H 'Content-Type: application/octet-stream' -T - "$url/upload")
ended=$(date +%s.%N)
for _ in $(seq 1 50); do [[ -s $work/sent.sha256 ]] && break; sleep 0.1; done
sent=$(cat "$work/sent.sha256")
got_sha=${answer%% *}
got_size=$(awk '{print $2}' <<<"$answer")
peak_kib=$(kib VmHWM)
rss_kib=$(kib VmRSS)

echo
awk -v b="$bytes" -v s="$started" -v e="$ended" \
  'BEGIN {printf "uploaded %.0f MiB in %.1f s (%.0f MiB/s)\n", b / 1048576, e - s, b / 1048576 / (e - s)}'
echo "digest sent    $sent"
echo "digest stored  $got_sha ($got_size bytes)"
awk -v a="$before_kib" -v p="$peak_kib" -v r="$rss_kib" \
  'BEGIN {printf "server memory: VmHWM %.1f MiB before the upload, %.1f MiB peak after it; VmRSS now %.1f MiB\n", a / 1024, p / 1024, r / 1024}'
status=0
if [[ $sent != "$got_sha" || $got_size != "$bytes" ]]; then
  echo "FAIL  the stored blob is not what was sent"
  status=1
fi
if ((peak_kib < 64 * 1024)); then
  echo "PASS  peak memory $((peak_kib / 1024)) MiB while storing $size_mib MiB (target < 64 MiB)"
else
  echo "FAIL  peak memory $((peak_kib / 1024)) MiB while storing $size_mib MiB (target < 64 MiB)"
  status=1
fi
exit $status
