# mnist-cli — the verbs: build (the default), data, run, test, install, uninstall, bench, fuzz,
# record, pictures, clean.
# `swift build` works plainly; this file adds the flags that make the build fast on this machine.

SWIFT ?= swift
# Build for the CPU at hand: AVX2/AVX-512 as present, fused multiply-adds in the kernels
# (-DMLPCORE_FMA) where the CPU has FMA, 16-lane GEMM tiles (-DMLPCORE_AVX512) where it has
# AVX-512; see scripts/cpu-flags.sh. A plain `swift build` targets
# baseline x86-64 and stays correct, just slower. `make CPU_FLAGS=` builds without them.
CPU_FLAGS ?= $(shell scripts/cpu-flags.sh)
RELEASE = $(SWIFT) build -c release $(CPU_FLAGS)
BIN = .build/release/mnist-cli
DATASET ?= mnist
PREFIX ?= /usr/local

.PHONY: all build data run test install uninstall bench fuzz record pictures clean

all: build

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
# Where the CPU has FMA, release builds fuse the kernels' multiply-adds (-DMLPCORE_FMA), code the
# plain build above never compiles; so the MLPCore tests run again, built with CPU_FLAGS in a
# scratch directory of their own (.build-fma: neither build undoes the other). Only the test
# product is built there (mnist-cliPackageTests, SwiftPM's name for it), not the CLI or benches.
test:
	@scripts/fetch-data.sh mnist || echo "warning: MNIST unavailable; tests that need it will be skipped" >&2
	$(SWIFT) build
	$(SWIFT) test
ifneq ($(findstring MLPCORE_FMA,$(CPU_FLAGS)),)
	@echo "== MLPCore tests again, built as release builds them: $(strip $(CPU_FLAGS))"
	$(SWIFT) build --scratch-path .build-fma $(CPU_FLAGS) --product mnist-cliPackageTests
	$(SWIFT) test --scratch-path .build-fma $(CPU_FLAGS) --skip-build --filter MLPCoreTests
else
	@echo "note: CPU_FLAGS has no -DMLPCORE_FMA (no FMA on this CPU?): the fused kernels are not tested"
endif

# A copy that runs without the Swift toolchain beside it (the Swift runtime linked in, so a larger
# file), built for this CPU like `make build`, in its own scratch folder; then the completion
# scripts for bash, zsh and fish. `make install PREFIX=~/.local`, or DESTDIR=... for packaging.
install:
	$(SWIFT) build -c release --static-swift-stdlib --scratch-path .build-install $(CPU_FLAGS) --product mnist-cli
	scripts/install.sh .build-install/release/mnist-cli $(PREFIX)

uninstall:
	rm -f $(DESTDIR)$(PREFIX)/bin/mnist-cli $(DESTDIR)$(PREFIX)/share/bash-completion/completions/mnist-cli \
		$(DESTDIR)$(PREFIX)/share/zsh/site-functions/_mnist-cli $(DESTDIR)$(PREFIX)/share/fish/vendor_completions.d/mnist-cli.fish

# The record run (README "The record run"): 784-2048-10 ReLU, Nesterov SGD with a cosine
# schedule to 0 over 200 epochs, elastic (α 17 σ 4 in pixels) and affine distortions drawn afresh
# every epoch. Every setting was chosen on a validation split (make record RECORD_VALIDATION=10000:
# 10 000 training images held out, the best epoch kept, the test set read once at the end); the
# record itself trains on all 60 000 and keeps the last epoch. Writes record.bin, then evaluates it.
RECORD_FLAGS ?= --hidden 2048 --batch-size 128 --lr 0.05 --momentum 0.9 --nesterov --schedule cosine \
	--epochs 200 --augment simard --elastic 17:4 --shear 0
RECORD_VALIDATION ?= 0

record: build data
	$(BIN) train $(RECORD_FLAGS) --validation $(RECORD_VALIDATION) --out record.bin
	$(BIN) eval record.bin

# The README's pictures (docs/images): templates and a screenshot of the report, from model.bin
# (trained first when missing). Needs chromium for the screenshot.
pictures: build data
	scripts/pictures.sh $(BIN)

# Also checks that an AVX2-only build trains the same model bytes (scripts/isa-bytes.sh).
bench: build data
	CPU_FLAGS="$(CPU_FLAGS)" scripts/bench.sh

fuzz:
	scripts/fuzz.sh

clean:
	rm -rf .build .build-* model.bin record.bin
