# mnist-cli — the verbs: data, build, run, test, bench, fuzz, clean.
# `swift build` works plainly; this file adds the flags that make the build fast on this machine.

SWIFT ?= swift
# Build for the CPU at hand: AVX2/AVX-512 as present, and fused multiply-adds in the kernels
# (-DMLPCORE_FMA) where the CPU has FMA; see scripts/cpu-flags.sh. A plain `swift build` targets
# baseline x86-64 and stays correct, just slower. `make CPU_FLAGS=` builds without them.
CPU_FLAGS ?= $(shell scripts/cpu-flags.sh)
RELEASE = $(SWIFT) build -c release $(CPU_FLAGS)
BIN = .build/release/mnist-cli
DATASET ?= mnist

.PHONY: all build data run test bench fuzz clean

all: build test

build:
	$(RELEASE)
	@echo "built $(BIN)"

data:
	@scripts/fetch-data.sh $(DATASET)

run: build data
	$(BIN) train --hidden 128 --lr 0.1 --out model.bin
	$(BIN) eval model.bin

# Tests that need MNIST skip (loudly) when `make data` cannot find it.
# The CLI tests run the debug binary, so it is built first.
test:
	@scripts/fetch-data.sh mnist || echo "warning: MNIST unavailable; tests that need it will be skipped" >&2
	$(SWIFT) build
	$(SWIFT) test

bench: build data
	CPU_FLAGS="$(CPU_FLAGS)" scripts/bench.sh

fuzz:
	scripts/fuzz.sh

clean:
	rm -rf .build .build-* model.bin
