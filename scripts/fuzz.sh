#!/usr/bin/env bash
# Builds the libFuzzer targets (fuzz/Fuzz*.swift, compiled together with the library sources they
# exercise, under AddressSanitizer) and runs each for a bounded time from the seed corpora in
# fuzz/corpus/ (made by fuzz/make-seeds.py). New inputs go to .build/fuzz/, never into the repo;
# a crash, leak, timeout or out-of-memory is saved there as <target>-crash-* (or leak-, timeout-,
# oom-) and the script exits non-zero. Each target stops at FUZZ_SECONDS or FUZZ_RUNS, whichever
# comes first.
#   make fuzz                                 # every target, 120 s each
#   FUZZ_SECONDS=600 FUZZ_RUNS=1000000 make fuzz
#   scripts/fuzz.sh idx                       # one target: idx, png, jpeg, bmpgif or checkpoint
#   .build/fuzz/fuzz-png .build/fuzz/png-crash-…   # replay one input
#
# Why swiftc and not SwiftPM: `swift build --sanitize fuzzer` (Swift 6.3) does build a working
# libFuzzer target, but only from the root package's own targets; a package of fuzzers that
# depends on this one gets its libraries uninstrumented (libFuzzer then finds no coverage). As
# targets of the root package, the fuzzers would be built by every `swift build` and `make build`,
# and they need library internals (crc32(of:), pngSignature, readUInt32, ...), which another
# module reaches only through `@testable import`, refused in release builds. So each fuzzer is
# compiled here with the library sources it exercises, as one module.
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
cd "$root"
seconds=${FUZZ_SECONDS:-120}
runs=${FUZZ_RUNS:--1}   # -1: no limit on executions
work=.build/fuzz
mkdir -p "$work"
export SWIFT_BACKTRACE=enable=no  # Swift's crash handler fights ASan's

sources_for() {
  case "$1" in
    idx|png|jpeg|bmpgif) find Sources/MNISTData -name '*.swift' | sort ;;
    checkpoint) find Sources/MLPCore -name '*.swift' | sort ;;
    *) echo "unknown fuzz target '$1' (targets: idx, png, jpeg, bmpgif, checkpoint)" >&2; exit 64 ;;
  esac
}
entry_for() {
  case "$1" in
    idx) echo fuzz/FuzzIDX.swift ;;
    png) echo fuzz/FuzzPNG.swift ;;
    bmpgif) echo fuzz/FuzzBMPGIF.swift ;;
    jpeg) echo fuzz/FuzzJPEG.swift ;;
    checkpoint) echo fuzz/FuzzCheckpoint.swift ;;
  esac
}
# Largest input the fuzzer makes: a few times the largest seed, small enough to keep runs fast.
max_len_for() {
  case "$1" in
    idx) echo 8192 ;;
    png|jpeg|bmpgif) echo 16384 ;;
    checkpoint) echo 4096 ;;
  esac
}
# lld links the ASan runtime without gold's screenful of "cannot export local symbol" warnings.
linker=()
command -v ld.lld > /dev/null && linker=(-use-ld=lld)

targets=("$@")
[ ${#targets[@]} -eq 0 ] && targets=(idx png jpeg bmpgif checkpoint)
status=0
for t in "${targets[@]}"; do
  bin="$work/fuzz-$t"
  sources=$(sources_for "$t")
  echo "== building $t"
  # shellcheck disable=SC2086
  swiftc -parse-as-library -sanitize=fuzzer,address -O -module-name "Fuzz_$t" \
    -I Sources/CZlib -lz "${linker[@]}" $sources "$(entry_for "$t")" -o "$bin"
  corpus="$work/corpus-$t"
  mkdir -p "$corpus"
  dict=()
  [ -f "fuzz/$t.dict" ] && dict=(-dict="fuzz/$t.dict")
  echo "== fuzzing $t for at most ${seconds}s"
  # malloc_limit: no single allocation may exceed 1 GB; rss_limit: the whole process stays under 2 GB.
  if ! "$bin" "$corpus" "fuzz/corpus/$t" "${dict[@]}" -max_total_time="$seconds" -runs="$runs" \
       -max_len="$(max_len_for "$t")" -timeout=10 -rss_limit_mb=2048 -malloc_limit_mb=1024 \
       -artifact_prefix="$work/$t-" -print_final_stats=1 2> "$work/$t.log"; then
    status=1
    echo "!! $t: crash, leak, timeout or out-of-memory; see $work/$t.log and $work/$t-*"
    grep -E "^==[0-9]+==ERROR|^SUMMARY|Fatal error|artifact_prefix|Test unit written" "$work/$t.log" | sed "s/^/   /" || true
  fi
  awk -v t="$t" '
    /stat::number_of_executed_units/ { runs = $2 }
    /stat::average_exec_per_sec/ { rate = $2 }
    /stat::peak_rss_mb/ { rss = $2 }
    /^Done [0-9]+ runs in/ { secs = $(NF - 1) }
    END { if (runs) printf "   %s: %d executions in %s s (%d/s), peak RSS %d MB\n", t, runs, secs, rate, rss }
  ' "$work/$t.log"
done
exit $status
