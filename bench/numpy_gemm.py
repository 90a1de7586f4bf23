#!/usr/bin/env python3
"""numpy's dense float32 matrix products for the shapes given on the command line as MxNxK
(transposed A written MxNxKt, as x.T @ d), median seconds of RUNS calls each, as one JSON object
{"MxNxK": seconds}. Thread count comes from OPENBLAS_NUM_THREADS, set by the caller."""
import json
import sys
import time

import numpy as np


def main():
    runs = int(sys.argv[1])
    rng = np.random.default_rng(1)
    out = {}
    for spec in sys.argv[2:]:
        transposed = spec.endswith("t")
        m, n, k = (int(v) for v in spec.rstrip("t").split("x"))
        a = rng.standard_normal((k, m) if transposed else (m, k)).astype(np.float32)
        b = rng.standard_normal((k, n)).astype(np.float32)
        times = []
        for _ in range(runs):
            start = time.perf_counter()
            _ = (a.T @ b) if transposed else (a @ b)
            times.append(time.perf_counter() - start)
        out[spec] = sorted(times)[len(times) // 2]
    print(json.dumps(out))


if __name__ == "__main__":
    main()
