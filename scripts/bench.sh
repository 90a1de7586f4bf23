#!/bin/sh
# `make bench`: times the reference run (784-128-10 ReLU, SGD lr 0.1, batch 64, 10 epochs) against
# bench/numpy_reference.py in the same invocation, plus GEMM shapes, loading, evaluation, and the
# CLI's whole-process train/predict times and peak memory. Prints one table; see docs/performance.md.
# Then bench/picture_formats.py: predict on a 12-megapixel picture as JPEG against the same as PNG.
#
# First scripts/isa-bytes.sh checks that an AVX2-only build trains the same model bytes as the
# native one. The C + OpenBLAS peer (bench/openblas_reference.c) is built here from Debian's
# libopenblas-dev when present, and skipped loudly when not.
#
# Environment: CLI (default .build/release/mnist-cli, built by `make build`), DATA (data/mnist),
# EPOCHS (10), RUNS (whole-process train runs, 3), PYTHON (python3; set PYTHON= to skip numpy),
# CPU_FLAGS (default: scripts/cpu-flags.sh, as `make build` uses them).
set -e
cd "$(dirname "$0")/.."
root=$(pwd)
cli=${CLI:-.build/release/mnist-cli}
data=${DATA:-data/mnist}
[ -x "$cli" ] || { echo "error: $cli not found; run \`make build\` first" >&2; exit 1; }

# The benchmark program is the SwiftPM target mnist-bench, built in release with the same flags
# as `make build`, so it shares that build's compiled libraries (nothing is rebuilt after it).
cpu_flags=${CPU_FLAGS-$(scripts/cpu-flags.sh)}
# shellcheck disable=SC2086
swift build -c release $cpu_flags --product mnist-bench
bench=.build/release/mnist-bench

scripts/isa-bytes.sh

peer_args=""
if echo '#include <cblas.h>' | cc -E - >/dev/null 2>&1 && cc -O2 -march=native -o .build/openblas_reference \
        bench/openblas_reference.c -lopenblas -lz -lm 2>/dev/null; then
    peer_args="--openblas $root/.build/openblas_reference"
else
    echo "WARNING: no C compiler with OpenBLAS (apt-get install -y libopenblas-dev): the C + OpenBLAS peer is SKIPPED" >&2
fi

python=${PYTHON-python3}
numpy_args=""
if [ -n "$python" ] && "$python" -c "import numpy" 2>/dev/null; then
    numpy_args="--python $(command -v "$python") --numpy-script $root/bench/numpy_reference.py"
else
    echo "note: python3 with numpy not found; the numpy comparison is skipped" >&2
fi
# OPENBLAS_CORETYPE / OPENBLAS_L2_SIZE, where this workplace sets them, hold OpenBLAS to older
# kernels: unset for the peers here only, so each runs its best kernels for the CPU.
# shellcheck disable=SC2086
env -u OPENBLAS_CORETYPE -u OPENBLAS_L2_SIZE "$bench" --cli "$cli" --data "$data" --epochs "${EPOCHS:-10}" \
    --runs "${RUNS:-3}" --dense-epochs "${DENSE_EPOCHS:-2}" $numpy_args $peer_args
# predict on a 12-megapixel picture as JPEG and as PNG (Pillow and numpy make the picture; Pillow
# comes from PyPI when missing: only this bench uses it).
if [ -n "$python" ] && ! "$python" -c "import PIL" 2>/dev/null; then
    "$python" -m pip install -q pillow >&2 || true
fi
if [ -n "$python" ] && "$python" -c "import PIL, numpy" 2>/dev/null; then
    echo
    "$python" bench/picture_formats.py --cli "$cli" --data "$data"
else
    echo "note: python3 with Pillow and numpy not found; the picture-format bench is skipped" >&2
fi
