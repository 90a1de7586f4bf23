#!/bin/sh
# `make bench`: times the reference run (784-128-10 ReLU, SGD lr 0.1, batch 64, 10 epochs) against
# bench/numpy_reference.py in the same invocation, plus GEMM shapes, loading, evaluation, and the
# CLI's whole-process train/predict times and peak memory. Prints one table; see docs/performance.md.
# Then bench/picture_formats.py: predict on a 12-megapixel picture as JPEG against the same as PNG.
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

python=${PYTHON-python3}
numpy_args=""
if [ -n "$python" ] && "$python" -c "import numpy" 2>/dev/null; then
    numpy_args="--python $(command -v "$python") --numpy-script $root/bench/numpy_reference.py"
else
    echo "note: python3 with numpy not found; the numpy comparison is skipped" >&2
fi
# shellcheck disable=SC2086
"$bench" --cli "$cli" --data "$data" --epochs "${EPOCHS:-10}" --runs "${RUNS:-3}" $numpy_args
# predict on a 12-megapixel picture as JPEG and as PNG (needs Pillow and numpy to make the picture).
if [ -n "$python" ] && "$python" -c "import PIL, numpy" 2>/dev/null; then echo; "$python" bench/picture_formats.py --cli "$cli" --data "$data"; else echo "note: python3 with Pillow and numpy not found; the picture-format bench is skipped" >&2; fi
