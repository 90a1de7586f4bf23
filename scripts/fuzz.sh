#!/usr/bin/env bash
# Builds the libFuzzer targets (fuzz/Fuzz*.swift, compiled together with the library sources they
# exercise, under AddressSanitizer) and runs each for a bounded time from the seed corpora in
# fuzz/corpus/. New inputs go to .build/fuzz/, never into the repo; a crash is saved there as
# crash-* and the script exits non-zero.
#   FUZZ_SECONDS=300 make fuzz        # per target (default 120)
#   scripts/fuzz.sh idx               # one target: idx, png or checkpoint
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
cd "$root"
seconds=${FUZZ_SECONDS:-120}
work=.build/fuzz
mkdir -p "$work"
export SWIFT_BACKTRACE=enable=no  # Swift's crash handler fights ASan's

sources_for() {
  case "$1" in
    idx|png) echo Sources/MNISTData/*.swift ;;
    checkpoint) echo Sources/MLPCore/*.swift ;;
  esac
}
entry_for() {
  case "$1" in
    idx) echo fuzz/FuzzIDX.swift ;;
    png) echo fuzz/FuzzPNG.swift ;;
    checkpoint) echo fuzz/FuzzCheckpoint.swift ;;
  esac
}

targets=("$@")
[ ${#targets[@]} -eq 0 ] && targets=(idx png checkpoint)
status=0
for t in "${targets[@]}"; do
  bin="$work/fuzz-$t"
  echo "== building $t"
  # shellcheck disable=SC2046
  swiftc -parse-as-library -sanitize=fuzzer,address -O -module-name "Fuzz_$t" \
    -I Sources/CZlib -lz $(sources_for "$t") "$(entry_for "$t")" -o "$bin"
  corpus="$work/corpus-$t"
  mkdir -p "$corpus"
  echo "== fuzzing $t for ${seconds}s"
  if ! "$bin" "$corpus" "fuzz/corpus/$t" -max_total_time="$seconds" -timeout=10 -rss_limit_mb=2048 \
       -malloc_limit_mb=1024 -artifact_prefix="$work/$t-" -print_final_stats=1 2> "$work/$t.log"; then
    status=1
    echo "!! $t: crash or leak found; see $work/$t.log and $work/$t-crash-*"
  fi
  grep -E "stat::number_of_executed_units|stat::peak_rss_mb|Done [0-9]+ runs|ERROR" "$work/$t.log" | sed "s/^/   $t: /" || true
done
exit $status
