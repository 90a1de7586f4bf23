#!/usr/bin/env bash
# The README's pictures, made from a trained model, never by hand: hidden-unit templates drawn by
# `mnist-cli draw templates`, and a screenshot of `mnist-cli report` in headless chromium (the
# report's top, at a reduced scale). Trains the reference model into model.bin when there is none.
# Usage: scripts/pictures.sh [BIN]   (make pictures builds first and passes the release binary)
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
cd "$root"
bin=${1:-.build/release/mnist-cli}
out=docs/images
work=.build/pictures
mkdir -p "$out" "$work"

if [ ! -f model.bin ]; then
  "$bin" train --hidden 128 --lr 0.1 --out model.bin
fi
"$bin" draw templates model.bin --units 0-23 --output "$out/templates.png"
"$bin" report model.bin --output "$work/report.html"

chromium=$(command -v chromium || command -v chromium-browser || true)
if [ -z "$chromium" ]; then
  echo "error: chromium is needed for the report's screenshot (apt-get install chromium)" >&2
  exit 1
fi
"$chromium" --headless --no-sandbox --disable-gpu --hide-scrollbars --no-first-run \
  --user-data-dir="$work/chromium-profile" --force-device-scale-factor=0.5 --window-size=1400,1900 \
  --screenshot="$root/$out/report.png" "file://$root/$work/report.html" 2>/dev/null
ls -l "$out/templates.png" "$out/report.png"
