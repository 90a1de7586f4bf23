#!/usr/bin/env python3
"""`make bench`, picture formats: whole-process `mnist-cli predict` on one 12-megapixel photo-like
picture (4000x3000: lit paper with texture and sensor noise, a large hand-drawn digit) saved as
JPEG (quality 90, 4:2:0) and as PNG, with the same model. Prints the median wall time of each, and
their ratio. Uses hyperfine when it is installed, else RUNS timed runs and their median.

    bench/picture_formats.py [--cli .build/release/mnist-cli] [--data data/mnist] [--runs 7]

Needs python3 with Pillow and numpy (pip install pillow numpy).
"""
import argparse
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time

import numpy as np
from PIL import Image, ImageDraw


def photo(width=4000, height=3000):
    """Paper under uneven light, with fibre texture and noise, and a dark '4' drawn by hand."""
    rng = np.random.default_rng(7)
    y, x = np.mgrid[0:height, 0:width].astype(np.float32)
    light = 205 + 25 * np.cos((x / width - 0.3) * 2.2) * np.cos((y / height - 0.6) * 1.8)
    texture = rng.normal(0, 4, (height // 8 + 1, width // 8 + 1)).astype(np.float32)
    texture = np.kron(texture, np.ones((8, 8), np.float32))[:height, :width]
    grey = light + texture + rng.normal(0, 3, (height, width)).astype(np.float32)
    rgb = np.stack([grey * 1.0, grey * 0.97, grey * 0.9], axis=-1).clip(0, 255).astype(np.uint8)
    im = Image.fromarray(rgb, "RGB")
    d = ImageDraw.Draw(im)
    ink, pen = (40, 38, 52), 90
    d.line([(2100, 700), (1500, 1700), (2500, 1700)], fill=ink, width=pen, joint="curve")
    d.line([(2250, 1100), (2230, 2350)], fill=ink, width=pen)
    return im


def timed(command, runs):
    times = []
    for _ in range(runs):
        start = time.perf_counter()
        result = subprocess.run(command, stdout=subprocess.PIPE, stderr=subprocess.PIPE)
        times.append(time.perf_counter() - start)
        if result.returncode != 0:
            sys.exit(f"error: {' '.join(command)} failed: {result.stderr.decode().strip()}")
    return statistics.median(times), result.stdout.decode().split("\n")[0]


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--cli", default=".build/release/mnist-cli")
    parser.add_argument("--data", default="data/mnist")
    parser.add_argument("--runs", type=int, default=int(os.environ.get("RUNS", "7")))
    args = parser.parse_args()
    work = tempfile.mkdtemp(prefix="mnist-bench-pictures-")
    try:
        im = photo()
        jpeg, png = os.path.join(work, "photo.jpg"), os.path.join(work, "photo.png")
        im.save(jpeg, quality=90)
        im.save(png, compress_level=6)
        model = os.path.join(work, "model.bin")
        subprocess.run([args.cli, "train", "--data", args.data, "--hidden", "64", "--epochs", "1", "--out", model],
                       check=True, stdout=subprocess.DEVNULL)
        sizes = {path: os.path.getsize(path) / 1e6 for path in (jpeg, png)}
        print(f"predict on a 4000x3000 photo-like picture, whole process ({os.cpu_count()} cores):")
        hyperfine = shutil.which("hyperfine")
        results = {}
        for path in (jpeg, png):
            command = [args.cli, "predict", "--model", model, path]
            if hyperfine:
                export = os.path.join(work, "h.json")
                subprocess.run([hyperfine, "--warmup", "1", "--runs", str(args.runs), "--export-json", export, "-N",
                                " ".join(command)], check=True, stdout=subprocess.DEVNULL)
                import json
                with open(export) as f:
                    results[path] = (json.load(f)["results"][0]["median"], "")
            else:
                timed(command, 1)  # warm the page cache
                results[path] = timed(command, args.runs)
        for path, label in ((jpeg, "JPEG q90"), (png, "PNG")):
            seconds, answer = results[path]
            print(f"  {label:9} {sizes[path]:6.1f} MB  median {seconds * 1000:7.0f} ms  ({answer})")
        print(f"  JPEG / PNG time: {results[jpeg][0] / results[png][0]:.2f} "
              f"(median of {args.runs}{', hyperfine' if hyperfine else ''})")
    finally:
        shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    main()
