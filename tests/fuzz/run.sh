#!/usr/bin/env bash
# Builds the libFuzzer targets (CMake preset `fuzz`: clang, ASan, UBSan) and runs each one for
# FUZZ_SECONDS (default 20) from its seed corpus in tests/fuzz/corpus/<target>/.
# Fails when a target does not build or finds a crash, leak or timeout; the input that
# triggered it is kept under build/fuzz/artifacts/<target>/.
set -euo pipefail

root="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
seconds="${FUZZ_SECONDS:-20}"
targets=(target_fuzz form_fuzz cookie_fuzz json_body_fuzz accept_language_fuzz accept_encoding_fuzz
  forwarded_for_fuzz route_fuzz expression_fuzz form_definition_fuzz tus_fuzz multipart_fuzz
  mail_header_fuzz workflow_definition_fuzz document_definition_fuzz signed_pdf_check_fuzz
  statement_file_fuzz bank_confirmation_fuzz thai_qr_fuzz)
# Inputs are cut at 8 KiB, except where a seed is larger: a signed PDF takes about 12 KiB.
declare -A max_len=([signed_pdf_check_fuzz]=32768)

cd "$root"
cmake --preset fuzz > /dev/null
cmake --build --preset fuzz --target "${targets[@]}"

failed=()
for target in "${targets[@]}"; do
  # libFuzzer adds what it learns to the first corpus directory: keep the repository's clean.
  work="$(mktemp -d)"
  cp "tests/fuzz/corpus/$target/"* "$work/"
  artifacts="build/fuzz/artifacts/$target"
  mkdir -p "$artifacts"
  echo "== $target: ${seconds}s"
  if ! "build/fuzz/$target" -max_total_time="$seconds" -timeout=10 -rss_limit_mb=2048 \
      -max_len="${max_len[$target]:-8192}" -print_final_stats=1 -artifact_prefix="$artifacts/" "$work" \
      > "build/fuzz/$target.log" 2>&1; then
    tail -n 40 "build/fuzz/$target.log"
    failed+=("$target")
  else
    grep -E "^stat::number_of_executed_units|^Done" "build/fuzz/$target.log" || true
  fi
  rm -rf "$work"
done

if ((${#failed[@]})); then
  echo "fuzzing found problems in: ${failed[*]} (inputs in build/fuzz/artifacts/)" >&2
  exit 1
fi
echo "fuzzing: ${#targets[@]} targets ran ${seconds}s each without a crash"
