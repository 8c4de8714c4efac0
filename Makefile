# Makefile — builds fangyi, runs it on a demo database, runs every test.
#
#   make run     install what the build needs, build, create ./fangyi.db, serve
#   make test    unit, end-to-end, browser and sanitizer tests
#   make bench   the benchmark harness (ratios against baselines)
#   make fuzz    each libFuzzer target for FUZZ_SECONDS (tests/fuzz/)
#
# Objects go to build/<variant>/; the sanitizer build is build/asan/, the
# fuzzing build (clang) build/fuzz/.

PKGS    := libmicrohttpd sqlite3 jansson libsodium xlsxwriter libqrencode
BUILD   ?= build/release
CC      ?= cc
OPT     ?= -O2
SAN     ?=
PKG_CFLAGS := $(shell pkg-config --cflags $(PKGS) 2>/dev/null)
PKG_LIBS   := $(shell pkg-config --libs $(PKGS) 2>/dev/null)
VERSION := 0.1.0
CFLAGS  := -DFANGYI_VERSION=\"$(VERSION)\" -std=c11 -D_GNU_SOURCE -Wall -Wextra -Werror -Wno-missing-field-initializers $(OPT) -g $(SAN) \
           -MMD -MP $(PKG_CFLAGS)
LDLIBS  := $(PKG_LIBS) -lpthread -lm

SRCS     := $(wildcard src/*.c src/*/*.c)
LIB_SRCS := $(filter-out src/main.c,$(SRCS))
WEB      := $(shell find web -type f ! -name '*.md' 2>/dev/null | sort)
MIGR     := $(sort $(wildcard src/db/migrations/sqlite/*.sql))
GEN      := $(BUILD)/gen/web_assets.o $(BUILD)/gen/migrations.o \
            $(BUILD)/gen/regions.o $(BUILD)/gen/demo.o
LIB_OBJS := $(LIB_SRCS:%.c=$(BUILD)/%.o) $(GEN)
UNIT     := $(patsubst tests/unit/%.c,$(BUILD)/tests/%,$(wildcard tests/unit/test_*.c))

.PHONY: all run demo test test-unit test-e2e test-browser test-asan deps \
        node-deps clean bench fuzz fuzz-build test-fuzz
all: fangyi

# copy then rename: a running ./fangyi is replaced, not written over
fangyi: $(BUILD)/fangyi
	cp $< $@.tmp && mv -f $@.tmp $@

$(BUILD)/fangyi: $(BUILD)/src/main.o $(BUILD)/libfangyi.a
	$(CC) $(SAN) -o $@ $^ $(LDLIBS)

$(BUILD)/libfangyi.a: $(LIB_OBJS)
	rm -f $@ && ar rcs $@ $^

$(BUILD)/%.o: %.c
	@mkdir -p $(dir $@)
	$(CC) $(CFLAGS) -c -o $@ $<

$(BUILD)/embed: tools/embed.c
	@mkdir -p $(dir $@)
	$(CC) -O1 -o $@ $<

$(BUILD)/gen/web_assets.c: $(BUILD)/embed $(WEB)
	@mkdir -p $(dir $@)
	$(BUILD)/embed web_assets web $(WEB) > $@.tmp && mv $@.tmp $@

$(BUILD)/gen/migrations.c: $(BUILD)/embed $(MIGR)
	@mkdir -p $(dir $@)
	$(BUILD)/embed migrations_sqlite src/db/migrations/sqlite/ $(MIGR) \
	    > $@.tmp && mv $@.tmp $@

$(BUILD)/gen/regions.c: $(BUILD)/embed data/regions.csv
	@mkdir -p $(dir $@)
	$(BUILD)/embed region_data data/ data/regions.csv > $@.tmp && mv $@.tmp $@

$(BUILD)/gen/demo.c: $(BUILD)/embed demo/places.csv
	@mkdir -p $(dir $@)
	$(BUILD)/embed demo_data demo/ demo/places.csv > $@.tmp && mv $@.tmp $@

$(BUILD)/gen/%.o: $(BUILD)/gen/%.c
	$(CC) $(CFLAGS) -Isrc/base -c -o $@ $<

$(BUILD)/tests/%: tests/unit/%.c $(BUILD)/libfangyi.a
	@mkdir -p $(dir $@)
	$(CC) $(CFLAGS) -Isrc -Isrc/base -o $@ $< $(BUILD)/libfangyi.a \
	    $(LDLIBS) -lcmocka

# ---- running --------------------------------------------------------------

deps:
	@scripts/deps.sh

run: deps
	@$(MAKE) --no-print-directory fangyi
	@scripts/run-demo.sh

# ---- tests ----------------------------------------------------------------

node-deps:
	@[ -d node_modules/playwright-core ] || npm ci --no-audit --no-fund

test: deps
	@$(MAKE) --no-print-directory fangyi
	@$(MAKE) --no-print-directory test-unit
	@$(MAKE) --no-print-directory test-e2e
	@$(MAKE) --no-print-directory test-browser
	@$(MAKE) --no-print-directory test-asan
	@$(MAKE) --no-print-directory test-fuzz
	@echo "all test suites passed"

test-unit: $(UNIT)
	@set -e; for t in $(UNIT); do echo "== $$t"; $$t; done

test-e2e: fangyi
	node --test --test-concurrency=2 tests/e2e/

test-browser: fangyi node-deps
	node --test --test-concurrency=1 tests/browser/

ASAN_FLAGS := -fsanitize=address,undefined -fno-omit-frame-pointer \
              -fno-sanitize-recover=undefined
test-asan:
	@$(MAKE) --no-print-directory BUILD=build/asan OPT=-O1 \
	    SAN="$(ASAN_FLAGS)" build/asan/fangyi test-unit
	FANGYI_BIN=build/asan/fangyi \
	ASAN_OPTIONS=detect_leaks=1:abort_on_error=1 \
	    node --test --test-concurrency=2 tests/e2e/

# libFuzzer targets (tests/fuzz/fuzz_*.c) over the library built with clang,
# ASan and UBSan.  test-fuzz replays every seed and regression input, then
# fuzzes each target for FUZZ_SHORT seconds; fuzz does so for FUZZ_SECONDS.
FUZZ_SECONDS ?= 60
FUZZ_SHORT   ?= 15
FUZZ_SAN  := -fsanitize=fuzzer-no-link,address,undefined \
             -fno-omit-frame-pointer -fno-sanitize-recover=undefined
FUZZ_BINS := $(patsubst tests/fuzz/%.c,build/fuzz/bin/%,\
               $(wildcard tests/fuzz/fuzz_*.c))

FUZZ_OBJS := $(BUILD)/tests/fuzz/common.o $(BUILD)/tests/fuzz/json_mutate.o

$(BUILD)/bin/fuzz_%: tests/fuzz/fuzz_%.c $(FUZZ_OBJS) $(BUILD)/libfangyi.a
	@mkdir -p $(dir $@)
	$(CC) $(CFLAGS) -fsanitize=fuzzer -o $@ $< $(FUZZ_OBJS) \
	    $(BUILD)/libfangyi.a $(LDLIBS)

.SECONDARY: $(FUZZ_OBJS)

build/fuzz/http.dict: tests/fuzz/dict.sh src/api/routes.c $(wildcard src/api/*.c)
	@mkdir -p $(dir $@)
	tests/fuzz/dict.sh > $@.tmp && mv $@.tmp $@

fuzz-build:
	@$(MAKE) --no-print-directory BUILD=build/fuzz CC=clang OPT=-O1 \
	    SAN="$(FUZZ_SAN)" $(FUZZ_BINS) build/fuzz/http.dict

fuzz: deps fuzz-build
	tests/fuzz/run.sh $(FUZZ_SECONDS)

test-fuzz: fuzz-build
	tests/fuzz/run.sh $(FUZZ_SHORT)

# benchmarks print ratios measured in the same run; BENCH_PEOPLE sets the
# size of the county register (default 1,000,000)
BENCH_PEOPLE ?= 1000000
bench: deps
	@$(MAKE) --no-print-directory fangyi
	bench/http.sh
	bench/people.sh $(BENCH_PEOPLE)
	bench/checks.sh
	bench/passes.sh

clean:
	rm -rf build fangyi

-include $(shell find build -name '*.d' 2>/dev/null)
