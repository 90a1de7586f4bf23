#!/bin/sh
# Prints the SwiftPM flags that build for the CPU at hand, for `make build`, `make test`'s FMA
# step and scripts/bench.sh alike (one definition, so the three builds share compiled modules).
#
# On x86-64: -target-cpu native and -march=native (AVX2/AVX-512 as present). Swift does not fuse
# a*b+c into FMA on its own, so -DMLPCORE_FMA switches the kernels to explicit fused
# multiply-adds, but only where /proc/cpuinfo lists fma: without FMA hardware each one would
# become a libm call, about 50x slower. Where it lists avx512f, -DMLPCORE_AVX512 selects the
# 16-lane GEMM tiles (same bits as the 8-lane ones: lanes are output columns, never parts of a sum).
# -fno-math-errno: Swift's square root is a C shim that clang compiles so that it may set errno,
# which keeps a SIMD8 square root as eight scalar ones with a branch each; without errno it is one
# vsqrtps, and an Adam epoch (a square root per parameter per step) took half the time, same bits.
# Elsewhere nothing is printed; a plain `swift build` targets baseline x86-64 and stays correct,
# just slower.
#
# `scripts/cpu-flags.sh avx2` prints the flags of an AVX2 + FMA build (Haswell, x86-64-v3) instead,
# for this CPU or any newer: scripts/isa-bytes.sh builds it to check that it trains the same bytes.
[ "$(uname -m)" = x86_64 ] || exit 0
if [ "$1" = avx2 ]; then
    echo "-Xswiftc -target-cpu -Xswiftc haswell -Xcc -march=x86-64-v3 -Xcc -fno-math-errno -Xswiftc -DMLPCORE_FMA"
    exit 0
fi
flags="-Xswiftc -target-cpu -Xswiftc native -Xcc -march=native -Xcc -fno-math-errno"
grep -qw fma /proc/cpuinfo 2>/dev/null && flags="$flags -Xswiftc -DMLPCORE_FMA"
grep -qw avx512f /proc/cpuinfo 2>/dev/null && flags="$flags -Xswiftc -DMLPCORE_AVX512"
echo "$flags"
