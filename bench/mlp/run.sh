#!/bin/sh
# Builds and runs the MLPCore benchmark. Usage: bench/mlp/run.sh [epochs] ; BASELINE=1 for no CPU flags.
set -e
cd "$(dirname "$0")/../.."
out=.build-bench
mkdir -p "$out"
flags="-target-cpu native -Xcc -march=native -DMLPCORE_FMA"
[ -n "$BASELINE" ] && flags=""
swiftc -O -wmo $flags -module-name MLPBench -I Sources/CZlib -lz \
    Sources/MLPCore/*.swift bench/mlp/main.swift -o "$out/mlp-bench"
"$out/mlp-bench" "$@"
