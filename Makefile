# The two commands of the README are `make run` and `make test`; both install what is missing (scripts/setup)
# and build first. Other targets: build, bench, bench-keynote, fuzz, format, clean.

BUILD_DIR     ?= build
BUILD_TYPE    ?= Release
FUZZ_DIR      ?= build-fuzz
FUZZ_SECONDS  ?= 60
FUZZ_SMOKE_SECONDS ?= 3
FUZZ_SMOKE_SEED    ?= 1
JOBS          ?= $(shell nproc)
CTEST_ARGS    ?=

.PHONY: all setup configure build test run bench bench-keynote fuzz fuzz-build format clean

all: build

setup:
	@scripts/setup

$(BUILD_DIR)/build.ninja: CMakeLists.txt
	cmake -S . -B $(BUILD_DIR) -G Ninja -DCMAKE_BUILD_TYPE=$(BUILD_TYPE)

configure: setup $(BUILD_DIR)/build.ninja

build: configure
	cmake --build $(BUILD_DIR) -j $(JOBS)

test: build fuzz-build
	ctest --test-dir $(BUILD_DIR) --output-on-failure -j $(JOBS) $(CTEST_ARGS)
	@scripts/fuzz $(FUZZ_DIR) $(FUZZ_SMOKE_SECONDS) $(FUZZ_SMOKE_SEED)

run: build
	@scripts/run $(BUILD_DIR)

bench: build
	@scripts/bench $(BUILD_DIR)

# The keynote end-to-end benchmark against Postgres (docs/benchmarks.md, Keynote). Options through KEYNOTE_ARGS,
# e.g. KEYNOTE_ARGS="--duration 120 --alpha 0 --ts" (see scripts/bench-keynote).
KEYNOTE_ARGS ?=
bench-keynote: build
	@scripts/bench-keynote $(BUILD_DIR) $(KEYNOTE_ARGS)

# libFuzzer targets, built with clang-19 and AddressSanitizer + UBSan in their own build directory.
$(FUZZ_DIR)/build.ninja: CMakeLists.txt
	CC=clang-19 CXX=clang++-19 cmake -S . -B $(FUZZ_DIR) -G Ninja -DCMAKE_BUILD_TYPE=Release -DSTDB_FUZZ=ON

fuzz-build: setup $(FUZZ_DIR)/build.ninja
	cmake --build $(FUZZ_DIR) -j $(JOBS)

fuzz: fuzz-build
	@scripts/fuzz $(FUZZ_DIR) $(FUZZ_SECONDS)

format:
	find src bench fuzz tests sdk examples -name '*.h' -o -name '*.cc' | xargs clang-format -i

clean:
	rm -rf $(BUILD_DIR) $(FUZZ_DIR)
