#!/bin/sh
# Prints the SwiftPM flags that build for the CPU at hand, for `make build`, `make test`'s FMA
# step and scripts/bench.sh alike (one definition, so the three builds share compiled modules).
#
# On x86-64: -target-cpu native and -march=native (AVX2/AVX-512 as present). Swift does not fuse
# a*b+c into FMA on its own, so -DMLPCORE_FMA switches the kernels to explicit fused
# multiply-adds, but only where /proc/cpuinfo lists fma: without FMA hardware each one would
# become a libm call, about 50x slower. Elsewhere nothing is printed; a plain `swift build`
# targets baseline x86-64 and stays correct, just slower.
[ "$(uname -m)" = x86_64 ] || exit 0
flags="-Xswiftc -target-cpu -Xswiftc native -Xcc -march=native"
grep -qw fma /proc/cpuinfo 2>/dev/null && flags="$flags -Xswiftc -DMLPCORE_FMA"
echo "$flags"
