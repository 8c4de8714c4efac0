# Makefile — builds fangyi, runs it on a demo database, runs every test.
#
#   make run     install what the build needs, build, create ./fangyi.db, serve
#   make test    unit, end-to-end (on SQLite and on PostgreSQL), browser,
#                sanitizer and valgrind tests, and a short load test
#   make soak    the load test for SOAK_SECONDS (default 300)
#   make bench   the benchmark harness (ratios against baselines;
#                SCALE=town|county|city, bench-quick, bench-scaling)
#   make fuzz    each libFuzzer target for FUZZ_SECONDS (tests/fuzz/)
#
# Objects go to build/<variant>/; the sanitizer build is build/asan/, the
# fuzzing build (clang) build/fuzz/.

PKGS    := libmicrohttpd sqlite3 jansson libsodium xlsxwriter libqrencode libpq
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
MIGR_PG  := $(sort $(wildcard src/db/migrations/postgres/*.sql))
GEN      := $(BUILD)/gen/web_assets.o $(BUILD)/gen/migrations.o \
            $(BUILD)/gen/regions.o $(BUILD)/gen/demo.o \
            $(BUILD)/gen/migrations_pg.o
LIB_OBJS := $(LIB_SRCS:%.c=$(BUILD)/%.o) $(GEN)
UNIT     := $(patsubst tests/unit/%.c,$(BUILD)/tests/%,$(wildcard tests/unit/test_*.c))

.PHONY: all run demo test test-unit test-e2e test-e2e-pg test-browser \
        test-asan deps node-deps clean bench bench-quick bench-scaling \
        bench-build bench-gen bench-report test-valgrind test-soak soak \
        fuzz fuzz-build test-fuzz
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

$(BUILD)/gen/migrations_pg.c: $(BUILD)/embed $(MIGR_PG)
	@mkdir -p $(dir $@)
	$(BUILD)/embed migrations_postgres src/db/migrations/postgres/ \
	    $(MIGR_PG) > $@.tmp && mv $@.tmp $@

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
	@$(MAKE) --no-print-directory test-e2e-pg
	@$(MAKE) --no-print-directory test-browser
	@$(MAKE) --no-print-directory test-asan
	@$(MAKE) --no-print-directory test-valgrind
	@$(MAKE) --no-print-directory test-soak
	@$(MAKE) --no-print-directory test-fuzz
	@echo "all test suites passed"

test-unit: $(UNIT)
	@set -e; for t in $(UNIT); do echo "== $$t"; $$t; done

test-e2e: fangyi
	node --test --test-concurrency=2 tests/e2e/

# the same end-to-end tests on a throwaway PostgreSQL cluster on loopback
test-e2e-pg: fangyi
	scripts/pg-test.sh node --test --test-concurrency=2 tests/e2e/

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

# the unit tests under valgrind: a memory error or a leak fails the run
VALGRIND := valgrind -q --error-exitcode=1 --leak-check=full
test-valgrind: $(UNIT)
	@set -e; for t in $(UNIT); do echo "== valgrind $$t"; $(VALGRIND) $$t; done

# the load test (tests/soak/soak.mjs): briefly in make test, for minutes
# in make soak (SOAK_SECONDS, SOAK_RATE, SOAK_RSS_MB)
SOAK_SECONDS ?= 300
test-soak: fangyi
	SOAK_SECONDS=20 node tests/soak/soak.mjs
soak: fangyi
	SOAK_SECONDS=$(SOAK_SECONDS) node tests/soak/soak.mjs

# benchmarks print ratios against baselines measured in the same run
# (docs/performance.md); SCALE is town, county or city
SCALE ?= county
bench: deps bench-build
	node bench/run.mjs --scale $(SCALE)

bench-quick: deps bench-build
	node bench/run.mjs --scale town --quick

SCALES ?= town,county,city
bench-scaling: deps bench-build
	node bench/run.mjs --scaling --scales $(SCALES)

bench-build:
	@scripts/bench-deps.sh
	@$(MAKE) --no-print-directory fangyi build/release/bench/raw_store \
	    bench-gen

# the raw storage ceiling (always optimised, like ./fangyi)
build/release/bench/raw_store: bench/raw/raw_store.c build/release/libfangyi.a
	@mkdir -p $(dir $@)
	$(CC) $(CFLAGS) -Isrc -o $@ $< build/release/libfangyi.a $(LDLIBS)

# the deterministic dataset generator of bench/gen-scale.sh
BENCH_GEN_OBJS := $(patsubst %.c,$(BUILD)/%.o,$(wildcard bench/gen/*.c))
bench-gen: $(BUILD)/bench-gen
$(BUILD)/bench-gen: $(BENCH_GEN_OBJS)
	$(CC) -o $@ $^ $(shell pkg-config --libs sqlite3)

# the daily report at county scale (bench/report.sh)
bench-report: fangyi bench-gen
	bench/report.sh
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


clean:
	rm -rf build fangyi

-include $(shell find build -name '*.d' 2>/dev/null)
