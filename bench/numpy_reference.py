#!/usr/bin/env python3
"""The reference run (784-128-10, ReLU, softmax cross-entropy, plain SGD lr 0.1, batch 64)
written the obvious way in numpy, so `make bench` can quote mnist-cli's speed as a ratio to it
measured in the same invocation on the same machine.

Prints one JSON object: load seconds, every epoch's seconds, final test accuracy.
"""
import gzip
import json
import os
import sys
import time

import numpy as np


def read_idx(path):
    with gzip.open(path, "rb") as f:
        data = f.read()
    rank = data[3]
    dims = [int.from_bytes(data[4 + 4 * i: 8 + 4 * i], "big") for i in range(rank)]
    return np.frombuffer(data, dtype=np.uint8, offset=4 + 4 * rank).reshape(dims)


def main():
    data_dir = sys.argv[1] if len(sys.argv) > 1 else "data/mnist"
    epochs = int(sys.argv[2]) if len(sys.argv) > 2 else 10
    t0 = time.perf_counter()
    x_train = read_idx(os.path.join(data_dir, "train-images-idx3-ubyte.gz")).reshape(60000, 784)
    y_train = read_idx(os.path.join(data_dir, "train-labels-idx1-ubyte.gz")).astype(np.int64)
    x_test = read_idx(os.path.join(data_dir, "t10k-images-idx3-ubyte.gz")).reshape(10000, 784)
    y_test = read_idx(os.path.join(data_dir, "t10k-labels-idx1-ubyte.gz")).astype(np.int64)
    x_train = x_train.astype(np.float32) / 255.0
    x_test = x_test.astype(np.float32) / 255.0
    load_seconds = time.perf_counter() - t0

    rng = np.random.default_rng(1)
    d, h, c, batch, lr = 784, 128, 10, 64, np.float32(0.1)
    w1 = (rng.standard_normal((d, h)) * np.sqrt(2.0 / d)).astype(np.float32)
    b1 = np.zeros(h, np.float32)
    w2 = (rng.standard_normal((h, c)) * np.sqrt(2.0 / h)).astype(np.float32)
    b2 = np.zeros(c, np.float32)
    eye = np.eye(c, dtype=np.float32)

    epoch_seconds = []
    for _ in range(epochs):
        start = time.perf_counter()
        order = rng.permutation(60000)
        for i in range(0, 60000, batch):
            idx = order[i:i + batch]
            x, y = x_train[idx], eye[y_train[idx]]
            z1 = x @ w1 + b1
            hid = np.maximum(z1, 0)
            z2 = hid @ w2 + b2
            z2 -= z2.max(axis=1, keepdims=True)
            p = np.exp(z2)
            p /= p.sum(axis=1, keepdims=True)
            d2 = (p - y) / np.float32(len(idx))
            dw2 = hid.T @ d2
            db2 = d2.sum(axis=0)
            d1 = (d2 @ w2.T) * (z1 > 0)
            dw1 = x.T @ d1
            db1 = d1.sum(axis=0)
            w1 -= lr * dw1
            b1 -= lr * db1
            w2 -= lr * dw2
            b2 -= lr * db2
        epoch_seconds.append(time.perf_counter() - start)

    logits = np.maximum(x_test @ w1 + b1, 0) @ w2 + b2
    accuracy = float((logits.argmax(axis=1) == y_test).mean())
    print(json.dumps({"load_seconds": load_seconds, "epoch_seconds": epoch_seconds,
                      "test_accuracy": accuracy}))


if __name__ == "__main__":
    main()
