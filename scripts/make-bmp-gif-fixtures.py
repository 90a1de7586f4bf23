#!/usr/bin/env python3
"""Writes small BMP and GIF files made by Pillow, and the pixels Pillow reads back from them, into
Tests/Fixtures/bmp-gif/. The BMP and GIF decoder tests check that every pixel matches.

Each picture is computed from the pixel position, so running this twice writes the same bytes.
reference.tsv has one line per file: name, width, height, then the grey of every pixel (BT.601
luma of Pillow's 8-bit RGB, scaled to 16 bits as the decoders do: round((299 R + 587 G + 114 B)
* 257 / 1000)) and its alpha (0...65535), row by row, comma-separated.

    pip install pillow
    scripts/make-bmp-gif-fixtures.py        # from the repository root
"""
import os

from PIL import Image

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
OUT = os.path.join(ROOT, "Tests", "Fixtures", "bmp-gif")


def colour(x, y):
    return ((x * 37 + y * 11) % 256, (x * 5 + y * 67) % 256, (255 - x * 19 - y * 3) % 256)


def rgb(w, h):
    im = Image.new("RGB", (w, h))
    im.putdata([colour(x, y) for y in range(h) for x in range(w)])
    return im


def palette_image(w, h, colours):
    im = Image.new("P", (w, h))
    im.putpalette([c for i in range(colours) for c in colour(i, 3 * i)])
    im.putdata([(x * 3 + y * 5) % colours for y in range(h) for x in range(w)])
    return im


def grey(w, h):
    im = Image.new("L", (w, h))
    im.putdata([(x * 23 + y * 41) % 256 for y in range(h) for x in range(w)])
    return im


def bilevel(w, h):
    im = Image.new("1", (w, h))
    im.putdata([255 if (x * x + y) % 3 else 0 for y in range(h) for x in range(w)])
    return im


def rgba(w, h):
    im = Image.new("RGBA", (w, h))
    im.putdata([colour(x, y) + ((x * 40 + y * 90) % 256,) for y in range(h) for x in range(w)])
    return im


def fixtures():
    # Odd widths, so that rows need padding to four bytes (BMP) and codes straddle bytes (GIF).
    yield "rgb24.bmp", rgb(13, 7), {}
    yield "grey8.bmp", grey(9, 6), {}
    yield "palette8.bmp", palette_image(11, 5, 200), {}
    yield "bilevel1.bmp", bilevel(21, 4), {}
    yield "rgba32.bmp", rgba(6, 5), {}  # Pillow writes BI_RGB: the fourth byte is not alpha
    yield "interlaced.gif", palette_image(17, 19, 64), {"interlace": True}
    yield "plain.gif", palette_image(23, 6, 7), {"interlace": False}
    yield "transparent.gif", palette_image(15, 10, 30), {"transparency": 4, "interlace": True}
    yield "greys.gif", grey(12, 12), {"interlace": False}


def luma16(r, g, b):
    return (299 * r * 257 + 587 * g * 257 + 114 * b * 257 + 500) // 1000


def main():
    os.makedirs(OUT, exist_ok=True)
    rows = []
    for name, image, options in fixtures():
        path = os.path.join(OUT, name)
        image.save(path, **options)
        back = Image.open(path).convert("RGBA")
        pixels = [back.getpixel((x, y)) for y in range(back.height) for x in range(back.width)]
        greys = ",".join(str(luma16(r, g, b)) for r, g, b, _ in pixels)
        alphas = ",".join(str(a * 257) for _, _, _, a in pixels)
        rows.append(f"{name}\t{back.width}\t{back.height}\t{greys}\t{alphas}")
    with open(os.path.join(OUT, "reference.tsv"), "w") as f:
        f.write("name\twidth\theight\tgrey\talpha\n" + "\n".join(rows) + "\n")


if __name__ == "__main__":
    main()
