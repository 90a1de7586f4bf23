#!/usr/bin/env python3
"""Writes the fuzzers' seed corpora: fuzz/corpus/{idx,png,checkpoint,bmpgif,jpeg}/.

Small valid files of every shape the parsers accept, and near-valid ones that stop just past
each check (truncated, trailing bytes, wrong CRC, a claim larger than the data), so the fuzzer
starts from inputs that reach deep into each parser. Everything is computed here; a few small
PngSuite files are copied when ../shared/data/pngsuite is present (PngSuite's licence allows it).
Deterministic: running it twice writes the same bytes. Total well under 100 KB.

    fuzz/make-seeds.py            # from the repository root
"""
import gzip
import os
import shutil
import struct
import zlib

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
CORPUS = os.path.join(ROOT, "fuzz", "corpus")
PNGSUITE = os.path.join(ROOT, "..", "shared", "data", "pngsuite")


def write(kind, name, data):
    path = os.path.join(CORPUS, kind, name)
    with open(path, "wb") as f:
        f.write(data)


def gz(data):
    # mtime=0 keeps the output identical from run to run.
    return gzip.compress(data, compresslevel=9, mtime=0)


# MARK: - IDX

IDX_TYPES = {"u8": (0x08, "B"), "i8": (0x09, "b"), "i16": (0x0B, ">h"), "i32": (0x0C, ">i"),
             "f32": (0x0D, ">f"), "f64": (0x0E, ">d")}


def idx(type_code, dims, payload):
    return bytes([0, 0, type_code, len(dims)]) + b"".join(struct.pack(">I", d) for d in dims) + payload


def idx_seeds():
    images = bytes((i * 37 + 11) % 256 for i in range(3 * 4 * 5))
    labels = bytes(i % 10 for i in range(12))
    seeds = {
        "images-u8-3x4x5": idx(0x08, [3, 4, 5], images),
        "labels-u8-12": idx(0x08, [12], labels),
        "rank4-u8-2x2x2x2": idx(0x08, [2, 2, 2, 2], bytes(range(16))),
    }
    for name, (code, fmt) in IDX_TYPES.items():
        if name == "u8":
            continue
        values = [((i * 7) % 13) - 6 for i in range(6)]
        if fmt.endswith("f") or fmt.endswith("d"):
            values = [v / 4 for v in values]
        payload = b"".join(struct.pack(fmt, v) for v in values)
        seeds[f"matrix-{name}-2x3"] = idx(code, [2, 3], payload)
    # Near-valid raw files: each fails one check.
    valid = seeds["images-u8-3x4x5"]
    seeds["truncated-payload"] = valid[:-7]
    seeds["truncated-header"] = valid[:9]
    seeds["trailing-bytes"] = valid + b"\x00\x01\x02"
    seeds["zero-dimension"] = idx(0x08, [3, 0, 5], b"")
    seeds["overflowing-dims"] = idx(0x0E, [0xFFFFFFFF] * 3, b"\x00" * 8)
    seeds["huge-claim-tiny-payload"] = idx(0x08, [60000, 28, 28], bytes(16))
    # gzip'd: valid, corrupt, zeros behind a matching header, and a bomb: a megabyte of zeros
    # behind a header that claims 16 bytes.
    seeds["images-u8-3x4x5-gzip"] = gz(valid)
    seeds["labels-u8-12-gzip"] = gz(seeds["labels-u8-12"])
    g = bytearray(gz(valid))
    g[-8] ^= 0x01  # CRC32 in the trailer
    seeds["crc-error-gzip"] = bytes(g)
    seeds["truncated-gzip"] = gz(valid)[:-12]
    seeds["two-members-gzip"] = gz(valid[:20]) + gz(valid[20:])
    seeds["trailing-garbage-gzip"] = gz(valid) + b"garbage"
    seeds["zeros-1x256x256-gzip"] = gz(idx(0x08, [1, 256, 256], bytes(1 << 16)))
    seeds["bomb-behind-small-header-gzip"] = gz(idx(0x08, [1, 4, 4], bytes((1 << 20) + 64)))
    seeds["zlib-not-gzip"] = zlib.compress(valid)
    for name, data in seeds.items():
        write("idx", name, data)


# MARK: - PNG


def chunk(kind, data):
    body = kind + data
    return struct.pack(">I", len(data)) + body + struct.pack(">I", zlib.crc32(body) & 0xFFFFFFFF)


def png(width, height, bit_depth, colour_type, rows, interlace=0, extra=(), idat_split=1):
    """rows: the filtered scanlines (filter byte + bytes), already concatenated."""
    header = struct.pack(">IIBBBBB", width, height, bit_depth, colour_type, 0, 0, interlace)
    compressed = zlib.compress(rows, 9)
    step = max(1, (len(compressed) + idat_split - 1) // idat_split)
    idats = b"".join(chunk(b"IDAT", compressed[i:i + step]) for i in range(0, len(compressed), step))
    return b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", header) + b"".join(extra) + idats + chunk(b"IEND", b"")


def digit_grey(side):
    """A bright ring on black: a plausible '0' in MNIST's polarity."""
    out = bytearray()
    c = (side - 1) / 2
    for y in range(side):
        out.append(y % 5)  # cycle through the five filter types
        for x in range(side):
            r = ((x - c) ** 2 + (y - c) ** 2) ** 0.5
            out.append(255 if side * 0.22 < r < side * 0.34 else 0)
    return bytes(out)


def png_seeds():
    seeds = {}
    seeds["grey8-28x28.png"] = png(28, 28, 8, 0, digit_grey(28))
    # Dark ink on white paper, RGBA with a transparent border.
    rows = bytearray()
    for y in range(16):
        rows.append(0)
        for x in range(16):
            ink = 4 <= x < 12 and 3 <= y < 13 and (x in (4, 11) or y in (3, 12))
            alpha = 0 if x in (0, 15) or y in (0, 15) else 255
            rows += bytes([20, 20, 40, alpha]) if ink else bytes([250, 250, 245, alpha])
    seeds["rgba8-16x16.png"] = png(16, 16, 8, 6, bytes(rows))
    # Palette with tRNS, 2-bit indices.
    palette = chunk(b"PLTE", bytes([0, 0, 0, 255, 255, 255, 128, 128, 128]))
    trns = chunk(b"tRNS", bytes([255, 255, 0]))
    rows = b"".join(bytes([0, (y * 27) % 256, (y * 11) % 256]) for y in range(8))
    seeds["palette2-8x8.png"] = png(8, 8, 2, 3, rows, extra=(palette, trns))
    # 16-bit grey, Adam7-interlaced; the rows of all seven passes of a 5x5 image.
    passes = [(1, 1), (1, 1), (1, 1), (1, 2), (2, 1), (2, 3), (5, 2)]  # (width, height) per pass
    rows = bytearray()
    for w, h in passes:
        for j in range(h):
            rows.append(0)
            rows += b"".join(struct.pack(">H", (j * 9000 + i * 4000) % 65536) for i in range(w))
    seeds["grey16-5x5-interlaced.png"] = png(5, 5, 16, 0, bytes(rows), interlace=1)
    seeds["grey1-3x3-split-idat.png"] = png(3, 3, 1, 0, bytes([0, 0xA0, 0, 0x40, 0, 0xE0]), idat_split=3)
    # Near-valid: each fails one check.
    valid = seeds["grey8-28x28.png"]
    bad_crc = bytearray(valid)
    bad_crc[40] ^= 0x10  # inside IDAT
    seeds["bad-crc.png"] = bytes(bad_crc)
    seeds["truncated.png"] = valid[:len(valid) // 2]
    seeds["no-idat.png"] = b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", struct.pack(">IIBBBBB", 4, 4, 8, 0, 0, 0, 0)) \
        + chunk(b"IEND", b"")
    seeds["huge-ihdr-tiny-idat.png"] = png(8192, 8192, 8, 0, bytes(64))
    seeds["short-image-data.png"] = png(28, 28, 8, 0, digit_grey(28)[:-30])
    # Recipes (FuzzPNG.swift builds the PNG around them): IHDR's 13 bytes, palette entries,
    # tRNS length, tRNS bytes, filtered scanlines.
    def recipe(width, height, bit_depth, colour_type, scanlines, interlace=0, palette=0, trns=b""):
        ihdr = struct.pack(">IIBBBBB", width, height, bit_depth, colour_type, 0, 0, interlace)
        return ihdr + bytes([palette, len(trns)]) + trns + scanlines
    seeds["recipe-grey8-28x28"] = recipe(28, 28, 8, 0, digit_grey(28))
    seeds["recipe-palette4-6x4"] = recipe(6, 4, 4, 3, b"".join(bytes([y, 0x01, 0x23, 0x45]) for y in range(4)),
                                          palette=16, trns=bytes([0, 128]))
    seeds["recipe-grey2-trns-5x3"] = recipe(5, 3, 2, 0, bytes([0, 0x1B, 0x40, 1, 0xE4, 0x00, 4, 0x55, 0xC0]),
                                            trns=bytes([0, 2]))
    rows = bytearray()  # RGB 16-bit, 2x2 interlaced: only passes 1, 6 and 7 hold pixels
    for w, h in [(1, 1), (1, 1), (2, 1)]:
        rows += bytes([3]) + bytes((j * 50) % 256 for j in range(6 * w))
    seeds["recipe-rgb16-2x2-interlaced"] = recipe(2, 2, 16, 2, bytes(rows), interlace=1,
                                                  trns=bytes([0, 0, 0, 50, 0, 100]))
    seeds["recipe-greyalpha16-3x1"] = recipe(3, 1, 16, 4, bytes([2]) + bytes(range(12)))
    seeds["recipe-rgba8-2x2-paeth"] = recipe(2, 2, 8, 6, bytes([4]) + bytes(range(8)) + bytes([4]) + bytes(range(8, 16)))
    for name, data in seeds.items():
        write("png", name, data)
    # A few small PngSuite files cover what the generator does not (gamma, text, odd sizes).
    for name in ["basi0g01.png", "basn3p04.png", "basi6a16.png", "tbbn3p08.png", "s01i3p01.png",
                 "ctzn0g04.png", "z09n2c08.png", "xcsn0g01.png", "xdtn0g01.png"]:
        source = os.path.join(PNGSUITE, name)
        if os.path.exists(source):
            shutil.copyfile(source, os.path.join(CORPUS, "png", "pngsuite-" + name))


# MARK: - Checkpoint (format: docs/checkpoint.md; little-endian)


def section(tag, payload):
    return tag + struct.pack("<I", len(payload)) + payload


def data_section(folder):
    name = folder.encode()
    return section(b"DATA", struct.pack("<I", len(name)) + name + struct.pack("<6I", 60000, 60000, 0xA8C91D78, 10000, 10000, 7))


def checkpoint(inputs, hidden, outputs, activation=0, loss=0, velocity=False, version=2, sections=()):
    """Version 1 has no sections (byte 31 is padding); version 2 counts them in byte 31."""
    parameters = inputs * hidden + hidden + hidden * outputs + outputs
    header = struct.pack("<III BBBB II QQ I fffff", inputs, hidden, outputs, activation, loss,
                         1 if velocity else 0, len(sections), 3, 0, 42, 0x9E3779B97F4A7C15, 8,
                         0.1, 0.9, 0.0, 0.25, float("nan"))
    assert len(header) == 64
    floats = [0.5] * inputs + [2.0] * inputs
    floats += [((i * 13) % 7 - 3) / 8 for i in range(parameters)]
    if velocity:
        floats += [((i * 5) % 3 - 1) / 64 for i in range(parameters)]
    body = b"MNISTMLP" + struct.pack("<II", version, 64) + header + struct.pack(f"<{len(floats)}f", *floats)
    body += b"".join(sections)
    return body + struct.pack("<I", zlib.crc32(body) & 0xFFFFFFFF)


def checkpoint_seeds():
    valid = checkpoint(4, 3, 2)
    seeds = {
        "relu-4-3-2": valid,
        "tanh-mse-9-2-3-velocity": checkpoint(9, 2, 3, activation=2, loss=1, velocity=True),
        "sigmoid-16-4-10": checkpoint(16, 4, 10, activation=1),
        "truncated": valid[:len(valid) - 9],
        "trailing": valid + b"\x00\x00",
        "future-version": checkpoint(4, 3, 2, version=3),
        "version-1": checkpoint(4, 3, 2, version=1),
        "data-section": checkpoint(4, 3, 2, sections=(data_section("data/mnist"),)),
        "unknown-sections": checkpoint(5, 2, 3, sections=(data_section("x"), section(b"HIST", b"\x01\x02"), section(b"Z9Z9", b""))),
        "bad-activation": checkpoint(4, 3, 2, activation=7),
        "header-only": valid[:80],
    }
    flipped = bytearray(valid)
    flipped[100] ^= 0x04
    seeds["bit-flipped"] = bytes(flipped)
    for name, data in seeds.items():
        write("checkpoint", name, data)


def bmp(width, height, bits, data, header=40, compression=0, masks=(), palette=()):
    """A BMP file: file header, an info header of `header` bytes (12: core), masks, palette, data."""
    if header == 12:
        info = struct.pack("<IHHHH", 12, width, height, 1, bits)
    else:
        info = struct.pack("<IiiHHIIiiII", header, width, height, 1, bits, compression, len(data), 2835, 2835,
                           len(palette), 0)
        if header > 40:
            info += b"".join(struct.pack("<I", m) for m in (list(masks) + [0, 0, 0, 0])[:4])
            info += bytes(header - len(info))
        else:
            info += b"".join(struct.pack("<I", m) for m in masks)
    entry = 3 if header == 12 else 4
    table = b"".join(bytes([b, g, r, 0][:entry]) for r, g, b in palette)
    offset = 14 + len(info) + len(table)
    return b"BM" + struct.pack("<IHHI", offset + len(data), 0, 0, offset) + info + table + data


def bmpgif_seeds():
    grey = [(i * 17 % 256, i * 17 % 256, i * 17 % 256) for i in range(16)]
    write("bmpgif", "core-4bit.bmp", bmp(3, 2, 4, bytes([0x12, 0x30, 0, 0, 0x45, 0x60, 0, 0]), header=12, palette=grey))
    write("bmpgif", "rle8.bmp", bmp(4, 3, 8, bytes([2, 1, 0, 2, 3, 4, 0, 0, 0, 2, 1, 1, 3, 5, 0, 1]),
                                    compression=1, palette=grey))
    write("bmpgif", "rle4.bmp", bmp(5, 2, 4, bytes([4, 0x12, 0, 0, 0, 3, 0x45, 0x60, 0, 1]), compression=2, palette=grey))
    pixels565 = b"".join(struct.pack("<H", (i * 2741) & 0xFFFF) for i in range(6))
    write("bmpgif", "bitfields565.bmp", bmp(3, 2, 16, pixels565, compression=3, masks=(0xF800, 0x07E0, 0x001F)))
    pixels32 = b"".join(struct.pack("<I", (i * 0x1F2E3D4C) & 0xFFFFFFFF) for i in range(4))
    write("bmpgif", "v5-alpha.bmp", bmp(2, -2, 32, pixels32, header=124, compression=3,
                                        masks=(0xFF0000, 0xFF00, 0xFF, 0xFF000000)))
    # The Pillow-made test fixtures, when scripts/make-bmp-gif-fixtures.py has written them.
    fixtures = os.path.join(ROOT, "Tests", "Fixtures", "bmp-gif")
    for name in sorted(os.listdir(fixtures)) if os.path.isdir(fixtures) else []:
        if name.endswith((".bmp", ".gif")):
            with open(os.path.join(fixtures, name), "rb") as f:
                data = f.read()
            write("bmpgif", name, data)
            write("bmpgif", "cut-" + name, data[: len(data) * 2 // 3])


def jpeg_seeds():
    """A few of the JPEG decoder's test fixtures (scripts/make-jpeg-fixtures.py): baseline and
    progressive, 4:2:0 and 4:1:1, greyscale, restart intervals, EXIF orientation, an MPO."""
    fixtures = os.path.join(ROOT, "Tests", "Fixtures", "jpeg")
    for name in ["baseline-420.jpg", "baseline-411.jpg", "progressive-420.jpg", "grey-progressive.jpg",
                 "restart-progressive.jpg", "orientation-6.jpg", "adobe-rgb.jpg", "first-of-two.mpo"]:
        with open(os.path.join(fixtures, name), "rb") as f:
            write("jpeg", name, f.read())


def main():
    for kind in ["idx", "png", "checkpoint", "bmpgif", "jpeg"]:
        directory = os.path.join(CORPUS, kind)
        shutil.rmtree(directory, ignore_errors=True)
        os.makedirs(directory)
    idx_seeds()
    png_seeds()
    checkpoint_seeds()
    bmpgif_seeds()
    jpeg_seeds()
    total = sum(os.path.getsize(os.path.join(d, f)) for d, _, fs in os.walk(CORPUS) for f in fs)
    print(f"wrote {sum(len(fs) for _, _, fs in os.walk(CORPUS))} seeds, {total} bytes, under {CORPUS}")


if __name__ == "__main__":
    main()
