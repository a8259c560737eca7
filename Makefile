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
# make install: $(DESTDIR)$(PREFIX)/bin/vigil and its man page; no root
# needed when PREFIX is writable (PREFIX=$$HOME/.local)
PREFIX ?= /usr/local
DESTDIR ?=
# the sub-makes of cmake --build would print every directory they enter
MAKEFLAGS += --no-print-directory

.PHONY: all deps build build-quiet run test fuzz bench clean format install \
	uninstall

all: build

deps:
	@sh scripts/deps.sh build test

build: deps
	@cmake -S . -B $(BUILD) $(CMAKE_FLAGS) >/dev/null
	@cmake --build $(BUILD) -j $(JOBS)

# make run builds quietly (the compiler's lines go to $(BUILD)/build.log and
# are shown only when the build fails), then makes or reuses the demo hub.
build-quiet: deps
	@cmake -S . -B $(BUILD) $(CMAKE_FLAGS) >/dev/null
	@echo "building vigil in $(BUILD)/ (log: $(BUILD)/build.log)"
	@cmake --build $(BUILD) -j $(JOBS) --target vigil >$(BUILD)/build.log 2>&1 || \
	  { tail -n 40 $(BUILD)/build.log; echo "make: the build failed; the whole log is $(BUILD)/build.log"; exit 1; }

run: build-quiet
	@sh scripts/run.sh $(VIGIL) $(DATA) $(SHARED)

install: build
	@sh scripts/install.sh $(VIGIL) "$(DESTDIR)" "$(PREFIX)"

uninstall:
	rm -f "$(DESTDIR)$(PREFIX)/bin/vigil" \
	  "$(DESTDIR)$(PREFIX)/share/man/man1/vigil.1"

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
