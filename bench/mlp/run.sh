#!/bin/sh
# Builds and runs the MLPCore micro-benchmark (GEMM shapes, epoch-equivalent steps on synthetic
# dense data). Usage: bench/mlp/run.sh [epochs [threads...]] ; BASELINE=1 for no CPU flags.
# Compiled in .build-bench (as cwd), so the compiler's module by-products stay out of the repo root.
set -e
root=$(cd "$(dirname "$0")/../.." && pwd)
out="$root/.build-bench"
mkdir -p "$out"
flags="-target-cpu native -Xcc -march=native -DMLPCORE_FMA"
[ -n "$BASELINE" ] && flags=""
cd "$out"
# shellcheck disable=SC2086
swiftc -O -wmo $flags -module-name MLPBench -I "$root/Sources/CZlib" -lz \
    "$root"/Sources/MLPCore/*.swift "$root/bench/mlp/main.swift" -o mlp-bench
cd "$root"
"$out/mlp-bench" "$@"
