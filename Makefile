# mnist-cli — the verbs: data, build, run, test, bench, fuzz, clean.
# `swift build` works plainly; this file adds the flags that make the build fast on this machine.

SWIFT ?= swift
# Build for the CPU at hand (AVX2/AVX-512 as present). Swift does not fuse a*b+c into FMA on its
# own, so MLPCORE_FMA switches the kernels to explicit fused multiply-adds where the CPU has them
# (without FMA hardware they would become slow libm calls). A plain `swift build` targets
# baseline x86-64 and stays correct, just slower.
ifeq ($(shell uname -m),x86_64)
CPU_FLAGS ?= -Xswiftc -target-cpu -Xswiftc native -Xcc -march=native \
	$(if $(shell grep -wm1 fma /proc/cpuinfo),-Xswiftc -DMLPCORE_FMA)
endif
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
	scripts/bench.sh

fuzz:
	scripts/fuzz.sh

clean:
	rm -rf .build .build-* model.bin
