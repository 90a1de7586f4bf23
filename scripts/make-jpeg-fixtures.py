#!/usr/bin/env python3
"""Makes the JPEG decoder's test fixtures (Tests/Fixtures/jpeg) and their reference pixels.

Each NAME.jpg comes with NAME.png: the grey pixels libjpeg-turbo (inside Pillow) decodes from it,
luma only (`draft('L', ...)` asks libjpeg for Y itself, as the decoder under test reads it) and
turned upright by its EXIF orientation (`ImageOps.exif_transpose`). The pictures are small and odd
sized (33x21: partial MCUs on both edges) with real detail: a colour gradient, a digit drawn in
dark ink and a few sharp-edged patches.

    pip install pillow numpy && scripts/make-jpeg-fixtures.py
"""
import io
import os
import struct

import numpy as np
from PIL import Image, ImageDraw, ImageOps

OUT = os.path.join(os.path.dirname(__file__), "..", "Tests", "Fixtures", "jpeg")


def picture(width=33, height=21, seed=0):
    """A gradient, a drawn '3', and two sharp patches: edges the DCT cannot keep exactly."""
    im = Image.new("RGB", (width, height))
    px = im.load()
    for y in range(height):
        for x in range(width):
            px[x, y] = (40 + 200 * x // width, 230 - 150 * y // height, (x * 7 + y * 13 + seed * 50) % 256)
    d = ImageDraw.Draw(im)
    w, h = width, height
    d.line([(w * 0.3, h * 0.15), (w * 0.65, h * 0.15), (w * 0.45, h * 0.45), (w * 0.68, h * 0.62),
            (w * 0.55, h * 0.85), (w * 0.28, h * 0.82)], fill=(20, 25, 30), width=max(2, h // 10))
    d.rectangle([w * 0.75, h * 0.1, w * 0.9, h * 0.3], fill=(250, 20, 40))
    d.rectangle([w * 0.05, h * 0.6, w * 0.18, h * 0.9], fill=(20, 60, 240))
    return im


def reference_upright(jpeg_bytes):
    """libjpeg's own Y (draft L: no colour conversion), turned upright by its EXIF orientation."""
    im = Image.open(io.BytesIO(jpeg_bytes))
    im.draft("L", im.size)
    im = ImageOps.exif_transpose(im)
    return im if im.mode == "L" else im.convert("L")


def save(name, jpeg_bytes, ref=None):
    with open(os.path.join(OUT, name + ".jpg"), "wb") as f:
        f.write(jpeg_bytes)
    (ref or reference_upright(jpeg_bytes)).save(os.path.join(OUT, name + ".png"), optimize=True)


def encode(im, **options):
    buffer = io.BytesIO()
    im.save(buffer, format="JPEG", **options)
    return buffer.getvalue()


# A minimal baseline encoder for the sampling factors Pillow cannot ask libjpeg for (4:4:0, 4:1:1):
# standard Annex K tables, quality 90 scaling as libjpeg does it. Only the file is made here; the
# reference pixels still come from libjpeg decoding it.
ZIGZAG = [0, 1, 8, 16, 9, 2, 3, 10, 17, 24, 32, 25, 18, 11, 4, 5, 12, 19, 26, 33, 40, 48, 41, 34, 27, 20, 13, 6, 7, 14,
          21, 28, 35, 42, 49, 56, 57, 50, 43, 36, 29, 22, 15, 23, 30, 37, 44, 51, 58, 59, 52, 45, 38, 31, 39, 46, 53, 60,
          61, 54, 47, 55, 62, 63]
LUMA_Q = [16, 11, 10, 16, 24, 40, 51, 61, 12, 12, 14, 19, 26, 58, 60, 55, 14, 13, 16, 24, 40, 57, 69, 56, 14, 17, 22, 29,
          51, 87, 80, 62, 18, 22, 37, 56, 68, 109, 103, 77, 24, 35, 55, 64, 81, 104, 113, 92, 49, 64, 78, 87, 103, 121,
          120, 101, 72, 92, 95, 98, 112, 100, 103, 99]
CHROMA_Q = [17, 18, 24, 47, 99, 99, 99, 99, 18, 21, 26, 66, 99, 99, 99, 99, 24, 26, 56, 99, 99, 99, 99, 99, 47, 66, 99, 99,
            99, 99, 99, 99] + [99] * 32
DC_LUMA = ([0, 1, 5, 1, 1, 1, 1, 1, 1, 0, 0, 0, 0, 0, 0, 0], list(range(12)))
DC_CHROMA = ([0, 3, 1, 1, 1, 1, 1, 1, 1, 1, 1, 0, 0, 0, 0, 0], list(range(12)))
AC_LUMA = ([0, 2, 1, 3, 3, 2, 4, 3, 5, 5, 4, 4, 0, 0, 1, 0x7d], bytes.fromhex(
    "01020300041105122131410613516107227114328191a1082342b1c11552d1f02433627282090a161718191a25262728292a3435363738"
    "393a434445464748494a535455565758595a636465666768696a737475767778797a838485868788898a92939495969798999aa2a3a4a5"
    "a6a7a8a9aab2b3b4b5b6b7b8b9bac2c3c4c5c6c7c8c9cad2d3d4d5d6d7d8d9dae1e2e3e4e5e6e7e8e9eaf1f2f3f4f5f6f7f8f9fa"))
AC_CHROMA = ([0, 2, 1, 2, 4, 4, 3, 4, 7, 5, 4, 4, 0, 1, 2, 0x77], bytes.fromhex(
    "000102031104052131061241510761711322328108144291a1b1c109233352f0156272d10a162434e125f11718191a262728292a3536"
    "3738393a434445464748494a535455565758595a636465666768696a737475767778797a82838485868788898a92939495969798999a"
    "a2a3a4a5a6a7a8a9aab2b3b4b5b6b7b8b9bac2c3c4c5c6c7c8c9cad2d3d4d5d6d7d8d9dae2e3e4e5e6e7e8e9eaf2f3f4f5f6f7f8f9fa"))


def scaled(table, quality):
    s = 5000 // quality if quality < 50 else 200 - 2 * quality
    return [min(255, max(1, (q * s + 50) // 100)) for q in table]


def codes(spec):
    counts, symbols = spec
    table, code, k = {}, 0, 0
    for length in range(1, 17):
        for _ in range(counts[length - 1]):
            table[symbols[k]] = (code, length)
            code += 1
            k += 1
        code <<= 1
    return table


class Bits:
    def __init__(self):
        self.out, self.acc, self.n = bytearray(), 0, 0

    def put(self, value, length):
        self.acc = (self.acc << length) | (value & ((1 << length) - 1))
        self.n += length
        while self.n >= 8:
            byte = (self.acc >> (self.n - 8)) & 255
            self.out.append(byte)
            if byte == 255:
                self.out.append(0)
            self.n -= 8

    def flush(self):
        if self.n:
            self.put((1 << (8 - self.n)) - 1, 8 - self.n)


def dct_matrix():
    m = np.zeros((8, 8))
    for u in range(8):
        for x in range(8):
            m[u, x] = (np.sqrt(0.5) if u == 0 else 1) * 0.5 * np.cos((2 * x + 1) * u * np.pi / 16)
    return m


def encode_sampled(im, h, v, quality=90):
    """Baseline YCbCr with luma sampled h x v against chroma 1 x 1."""
    ycc = np.asarray(im.convert("YCbCr"), dtype=np.float64)
    W, H = im.size
    mw, mh = 8 * h, 8 * v
    cols, rows = -(-W // mw), -(-H // mh)
    padded = np.pad(ycc, ((0, rows * mh - H), (0, cols * mw - W), (0, 0)), mode="edge")
    chroma = padded.reshape(rows * mh // v, v, cols * mw // h, h, 3).mean(axis=(1, 3))
    qy, qc = scaled(LUMA_Q, quality), scaled(CHROMA_Q, quality)
    m = dct_matrix()
    tables = [(codes(DC_LUMA), codes(AC_LUMA)), (codes(DC_CHROMA), codes(AC_CHROMA))]
    bits, predictions = Bits(), [0, 0, 0]

    def block(samples, q, c, t):
        coefficients = m @ (samples - 128) @ m.T
        zz = [int(round(coefficients.flat[ZIGZAG[i]] / q[i])) for i in range(64)]
        dc_codes, ac_codes = tables[t]
        diff = zz[0] - predictions[c]
        predictions[c] = zz[0]
        size = abs(diff).bit_length()
        bits.put(*dc_codes[size])
        bits.put(diff if diff >= 0 else diff - 1, size)
        run = 0
        for k in range(1, 64):
            if zz[k] == 0:
                run += 1
                continue
            while run > 15:
                bits.put(*ac_codes[0xF0])
                run -= 16
            size = abs(zz[k]).bit_length()
            bits.put(*ac_codes[run << 4 | size])
            bits.put(zz[k] if zz[k] >= 0 else zz[k] - 1, size)
            run = 0
        if run:
            bits.put(*ac_codes[0])

    for my in range(rows):
        for mx in range(cols):
            for by in range(v):
                for bx in range(h):
                    y0, x0 = my * mh + by * 8, mx * mw + bx * 8
                    block(padded[y0:y0 + 8, x0:x0 + 8, 0], qy, 0, 0)
            for c in (1, 2):
                block(chroma[my * 8:my * 8 + 8, mx * 8:mx * 8 + 8, c], qc, c, 1)
    bits.flush()

    def segment(marker, payload):
        return bytes([0xFF, marker]) + struct.pack(">H", len(payload) + 2) + payload

    out = b"\xff\xd8" + segment(0xE0, b"JFIF\x00\x01\x01\x00\x00\x01\x00\x01\x00\x00")
    out += segment(0xDB, bytes([0]) + bytes(qy) + bytes([1]) + bytes(qc))
    out += segment(0xC0, struct.pack(">BHHB", 8, H, W, 3) + bytes([1, h << 4 | v, 0, 2, 0x11, 1, 3, 0x11, 1]))
    for cls_index, (counts, symbols) in [(0x00, DC_LUMA), (0x10, AC_LUMA), (0x01, DC_CHROMA), (0x11, AC_CHROMA)]:
        out += segment(0xC4, bytes([cls_index]) + bytes(counts) + bytes(symbols))
    out += segment(0xDA, bytes([3, 1, 0x00, 2, 0x11, 3, 0x11, 0, 63, 0]))
    return out + bytes(bits.out) + b"\xff\xd9"


def main():
    os.makedirs(OUT, exist_ok=True)
    im = picture()
    grey = im.convert("L")
    save("baseline-444", encode(im, quality=90, subsampling=0))
    save("baseline-422", encode(im, quality=90, subsampling=1))
    save("baseline-420", encode(im, quality=75, subsampling=2))
    save("baseline-440", encode_sampled(im, 1, 2))
    save("baseline-411", encode_sampled(im, 4, 1))
    save("progressive-444", encode(im, quality=90, subsampling=0, progressive=True))
    save("progressive-420", encode(im, quality=85, subsampling=2, progressive=True))
    save("grey-baseline", encode(grey, quality=90))
    save("grey-progressive", encode(grey, quality=80, progressive=True))
    save("restart-420", encode(im, quality=90, subsampling=2, restart_marker_blocks=1))
    save("restart-progressive", encode(im, quality=90, subsampling=2, progressive=True, restart_marker_blocks=2))
    save("adobe-rgb", encode(im, quality=95, subsampling=0, keep_rgb=True))
    for orientation in range(1, 9):
        exif = Image.Exif()
        exif[0x0112] = orientation
        save(f"orientation-{orientation}", encode(im, quality=90, exif=exif.tobytes()))
    # An MPO: the first picture is the one to read; the second is a different one.
    second = picture(seed=3).transpose(Image.Transpose.ROTATE_180)
    buffer = io.BytesIO()
    im.save(buffer, format="MPO", save_all=True, append_images=[second], quality=90)
    mpo = buffer.getvalue()
    with open(os.path.join(OUT, "first-of-two.mpo"), "wb") as f:
        f.write(mpo)
    mpo_ref = Image.open(io.BytesIO(mpo))
    mpo_ref.draft("L", mpo_ref.size)
    mpo_ref.convert("L").save(os.path.join(OUT, "first-of-two.png"), optimize=True)
    # Larger pictures for the reduced-scale decodes (1/2, 1/4, 1/8 against the full decode).
    big = picture(128, 96, seed=1)
    save("scale-baseline", encode(big, quality=90, subsampling=2))
    save("scale-progressive", encode(big, quality=90, subsampling=2, progressive=True))


if __name__ == "__main__":
    main()
