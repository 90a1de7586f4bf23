#!/bin/sh
# Checks that the kernels' results do not depend on the vector width: trains the same seeds with
# the native build (AVX-512 where the CPU has it) and with an AVX2 + FMA build of the same source
# (scripts/cpu-flags.sh avx2, in its own scratch directory .build-avx2), on 1 and 2 threads, and
# compares the model files byte for byte. Two recipes: the reference run (sparse inputs) and a
# dense, standardised one with an odd width (the padded-column paths) and momentum.
# `make bench` runs it first; exits non-zero on any difference.
#
# Environment: CLI (the native build, default .build/release/mnist-cli), DATA (data/mnist).
set -e
cd "$(dirname "$0")/.."
native=${CLI:-.build/release/mnist-cli}
data=${DATA:-data/mnist}
flags=$(scripts/cpu-flags.sh avx2)
[ -n "$flags" ] || { echo "isa-bytes: not an x86-64 machine; no AVX2 build to compare"; exit 0; }
grep -qw avx2 /proc/cpuinfo && grep -qw fma /proc/cpuinfo || { echo "isa-bytes: this CPU has no AVX2 + FMA; skipped"; exit 0; }
[ -x "$native" ] || { echo "error: $native not found; run \`make build\` first" >&2; exit 1; }
# shellcheck disable=SC2086
swift build -c release --scratch-path .build-avx2 $flags --product mnist-cli >/dev/null
avx2=.build-avx2/release/mnist-cli
dir=$(mktemp -d)
trap 'rm -rf "$dir"' EXIT
failed=0
for recipe in "reference:--hidden 128 --lr 0.1 --epochs 2" \
              "dense:--hidden 300 --batch-size 128 --standardise --momentum 0.9 --epochs 1"; do
    name=${recipe%%:*}
    args=${recipe#*:}
    for threads in 1 2; do
        for build in native avx2; do
            eval "cli=\$$build"
            # shellcheck disable=SC2086,SC2154
            "$cli" train $args --threads "$threads" --data "$data" --out "$dir/$build-$threads.bin" \
                >/dev/null 2>"$dir/stderr" || { cat "$dir/stderr" >&2; exit 1; }
        done
    done
    sums=$(md5sum "$dir"/*.bin | cut -d' ' -f1 | sort -u)
    if [ "$(echo "$sums" | wc -l)" -eq 1 ]; then
        echo "isa-bytes: $name ($args): same model bytes from the native and the AVX2 build, 1 and 2 threads ($sums)"
    else
        echo "isa-bytes: $name ($args): model bytes DIFFER:" >&2
        md5sum "$dir"/*.bin >&2
        failed=1
    fi
    rm -f "$dir"/*.bin
done
exit $failed
