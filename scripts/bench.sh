#!/bin/sh
# `make bench`: times the reference run (784-128-10 ReLU, SGD lr 0.1, batch 64, 10 epochs) against
# bench/numpy_reference.py in the same invocation, plus GEMM shapes, loading, evaluation, and the
# CLI's whole-process train/predict times and peak memory. Prints one table; see docs/performance.md.
#
# Environment: CLI (default .build/release/mnist-cli, built by `make build`), DATA (data/mnist),
# EPOCHS (10), RUNS (whole-process train runs, 3), PYTHON (python3; set PYTHON= to skip numpy),
# SWIFTC_FLAGS (the CPU flags for the benchmark program; default: those of `make build`).
set -e
cd "$(dirname "$0")/.."
root=$(pwd)
cli=${CLI:-.build/release/mnist-cli}
data=${DATA:-data/mnist}
out=${BENCH_BUILD:-.build-bench}
[ -x "$cli" ] || { echo "error: $cli not found; run \`make build\` first" >&2; exit 1; }
[ -n "$SWIFTC_FLAGS" ] || {
    SWIFTC_FLAGS="-target-cpu native -Xcc -march=native"
    grep -qw fma /proc/cpuinfo 2>/dev/null && SWIFTC_FLAGS="$SWIFTC_FLAGS -DMLPCORE_FMA"
}

# The benchmark program links the two libraries built from source as modules of their own, with the
# release build's flags. Built in $out (as cwd) so no compiler by-product lands in the repo root.
mkdir -p "$out/modules"
cd "$out"
common="-O -wmo -parse-as-library $SWIFTC_FLAGS -I $root/Sources/CZlib -I modules"
swiftc $common -emit-module -emit-module-path modules/MNISTData.swiftmodule -emit-library -static \
    -module-name MNISTData -o libMNISTData.a "$root"/Sources/MNISTData/*.swift
swiftc $common -emit-module -emit-module-path modules/MLPCore.swiftmodule -emit-library -static \
    -module-name MLPCore -o libMLPCore.a "$root"/Sources/MLPCore/*.swift
swiftc -O -wmo $SWIFTC_FLAGS -I modules -I "$root/Sources/CZlib" -module-name MNISTBench "$root/bench/mnist/main.swift" \
    -L . -lMLPCore -lMNISTData -lz -o mnist-bench
cd "$root"

python=${PYTHON-python3}
numpy_args=""
if [ -n "$python" ] && "$python" -c "import numpy" 2>/dev/null; then
    numpy_args="--python $(command -v "$python") --numpy-script $root/bench/numpy_reference.py"
else
    echo "note: python3 with numpy not found; the numpy comparison is skipped" >&2
fi
# shellcheck disable=SC2086
exec "$out/mnist-bench" --cli "$cli" --data "$data" --epochs "${EPOCHS:-10}" --runs "${RUNS:-3}" $numpy_args
