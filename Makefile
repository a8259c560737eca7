# The two commands: `make run` and `make test`. Everything else helps them.
BUILD ?= build
JOBS ?= $(shell nproc)
SAN ?=
ifeq ($(SAN),1)
  BUILD := build-san
  CMAKE_FLAGS += -DVIGIL_SANITIZE=ON -DCMAKE_BUILD_TYPE=Debug
endif
VIGIL = $(BUILD)/vigil
DATA ?= ./vigil-data
SHARED ?= ../shared

.PHONY: all deps build run test fuzz bench clean format

all: build

deps:
	@sh scripts/deps.sh build test

build: deps
	@cmake -S . -B $(BUILD) $(CMAKE_FLAGS) >/dev/null
	@cmake --build $(BUILD) -j $(JOBS)

run: build
	@sh scripts/run.sh $(VIGIL) $(DATA) $(SHARED)

test: build fuzz
	@cd $(BUILD) && ctest --output-on-failure -j $(JOBS)

# Fuzz targets are built with clang's libFuzzer and run briefly on their
# seed corpora (FUZZ_SECONDS each).
FUZZ_SECONDS ?= 10
fuzz: deps
	@cmake -S . -B build-fuzz -DCMAKE_C_COMPILER=clang -DVIGIL_FUZZ=ON \
	  -DCMAKE_BUILD_TYPE=Debug >/dev/null
	@cmake --build build-fuzz -j $(JOBS) --target fuzz_all
	@sh fuzz/run.sh build-fuzz $(FUZZ_SECONDS)

bench: build
	@sh scripts/deps.sh bench
	@for b in bench/*.sh; do sh $$b $(VIGIL) $(SHARED) || exit 1; done

format:
	@clang-format -i $$(git ls-files "*.c" "*.h")

clean:
	rm -rf build build-san build-fuzz
