# wanyi: one non-recursive Makefile.
#   make            build every tool into bin/
#   make check      build and run every test (tests/run prints "N passed, N failed")
#   make check-asan the same tests on an ASan+UBSan build (in build-asan/)
#   make fuzz       build the libFuzzer targets (clang) and run each briefly
#   make demo       the main job on bundled fixtures
#   make install PREFIX=/usr/local

VERSION = 0.1.0
PREFIX ?= /usr/local
B ?= build
CC ?= cc
PKGS = zlib minizip freexl libgsf-1 jansson sqlite3 libpq libxml-2.0 opencc
CFLAGS ?= -O2
WFLAGS = -std=c11 -Wall -Wextra -Wshadow -Wvla -Werror
CPPFLAGS += -D_POSIX_C_SOURCE=200809L -D_DEFAULT_SOURCE -DWY_VERSION='"$(VERSION)"' -Ilib
PKG_CFLAGS = $(shell pkg-config --cflags $(PKGS) 2>/dev/null)
PKG_LIBS = $(shell pkg-config --libs $(PKGS) 2>/dev/null)
LDLIBS += -lcsv $(PKG_LIBS) -pthread
ALL_CFLAGS = $(WFLAGS) $(CFLAGS) $(PKG_CFLAGS) $(CPPFLAGS)

LIB_SRC := $(wildcard lib/*.c)
LIB_OBJ := $(LIB_SRC:lib/%.c=$(B)/lib/%.o)
CMD_SRC := $(wildcard cmd/wy-*.c)
TOOLS := $(CMD_SRC:cmd/%.c=$(B)/bin/%)
UNIT_SRC := $(wildcard tests/unit/*_test.c)
UNITS := $(UNIT_SRC:tests/unit/%.c=$(B)/tests/%)
FUZZ_SRC := $(filter-out fuzz/replay.c,$(wildcard fuzz/*.c))
REPLAYS := $(FUZZ_SRC:fuzz/%.c=$(B)/replay/fuzz-%)

# bin/ holds the default build's tools; sanitizer and fuzz builds leave it alone.
all: deps-build $(TOOLS)
	@if [ "$(B)" = build ]; then mkdir -p bin && for t in $(abspath $(TOOLS)); do ln -sf $$t bin/; done; fi

# Missing Debian packages are installed (as root) or named (otherwise).
deps-build:
	@scripts/deps build
deps-test:
	@scripts/deps test

$(B)/lib/%.o: lib/%.c lib/*.h
	@mkdir -p $(@D)
	$(CC) $(ALL_CFLAGS) -c -o $@ $<
$(B)/libwy.a: $(LIB_OBJ)
	rm -f $@ && ar rcs $@ $(LIB_OBJ)
$(B)/bin/%: cmd/%.c $(B)/libwy.a lib/*.h
	@mkdir -p $(@D)
	$(CC) $(ALL_CFLAGS) $(LDFLAGS) -o $@ $< $(B)/libwy.a $(LDLIBS)
$(B)/tests/%: tests/unit/%.c $(B)/libwy.a lib/*.h tests/unit/t.h
	@mkdir -p $(@D)
	$(CC) $(ALL_CFLAGS) $(LDFLAGS) -o $@ $< $(B)/libwy.a $(LDLIBS)

# Each fuzz target also links with fuzz/replay.c, run over its corpus by tests/run.
$(B)/replay/fuzz-%: fuzz/%.c fuzz/replay.c $(B)/libwy.a lib/*.h
	@mkdir -p $(@D)
	$(CC) $(ALL_CFLAGS) $(LDFLAGS) -o $@ $< fuzz/replay.c $(B)/libwy.a $(LDLIBS)

check: all deps-test $(UNITS) $(REPLAYS)
	@B=$(B) tests/run

ASAN_FLAGS = -O1 -g -fsanitize=address,undefined -fno-sanitize-recover=all -fno-omit-frame-pointer
check-asan:
	@$(MAKE) --no-print-directory B=build-asan CFLAGS="$(ASAN_FLAGS)" LDFLAGS="$(ASAN_FLAGS)" check

# libFuzzer targets: fuzz/NAME.c defines LLVMFuzzerTestOneInput; corpus in tests/corpus/NAME/ (make check replays it).
FUZZ_TIME ?= 20
FUZZ_FLAGS = -g -O1 -fsanitize=fuzzer,address,undefined -fno-sanitize-recover=all
fuzz: deps-build
	@$(MAKE) --no-print-directory B=build-fuzz CC=clang CFLAGS="-g -O1 -fsanitize=fuzzer-no-link,address,undefined" build-fuzz/libwy.a
	@mkdir -p build-fuzz/fuzz
	@for f in $(FUZZ_SRC); do n=$$(basename $$f .c); \
	  clang $(WFLAGS) $(FUZZ_FLAGS) $(PKG_CFLAGS) $(CPPFLAGS) -o build-fuzz/fuzz/$$n $$f build-fuzz/libwy.a $(LDLIBS) || exit 1; \
	  mkdir -p tests/corpus/$$n build-fuzz/fuzz/corpus-$$n; \
	  echo "fuzz $$n: $(FUZZ_TIME)s"; \
	  case $$n in xlsx) len=32768 ;; xls|xmlss) len=16384 ;; *) len=4096 ;; esac; \
	  dict=; [ -f fuzz/$$n.dict ] && dict=-dict=fuzz/$$n.dict; \
	  build-fuzz/fuzz/$$n -max_total_time=$(FUZZ_TIME) -max_len=$$len $$dict -artifact_prefix=build-fuzz/ build-fuzz/fuzz/corpus-$$n tests/corpus/$$n 2>build-fuzz/fuzz/$$n.log || { tail -40 build-fuzz/fuzz/$$n.log; exit 1; }; \
	done

demo: all
	@scripts/deps demo
	@scripts/demo

install: all
	mkdir -p $(DESTDIR)$(PREFIX)/bin $(DESTDIR)$(PREFIX)/share/man/man1 $(DESTDIR)$(PREFIX)/share/man/man7
	cp $(TOOLS) $(DESTDIR)$(PREFIX)/bin/
	cp man/*.1 $(DESTDIR)$(PREFIX)/share/man/man1/
	cp man/*.7 $(DESTDIR)$(PREFIX)/share/man/man7/
	mkdir -p $(DESTDIR)$(PREFIX)/share/wanyi
	cp -R pipelines $(DESTDIR)$(PREFIX)/share/wanyi/

clean:
	rm -rf build build-asan build-fuzz bin

.PHONY: all check check-asan fuzz demo install clean deps-build deps-test
