# newswire - a news ticker and story-card display for wall screens.
#
# src/core is pure logic, compiled WITHOUT the SDL and libcurl flags, and the
# unit tests link it without those libraries: a core call into SDL or curl
# fails to build. src/platform holds the adapters. See README "Architecture".

include config.mk

BUILD ?= build
SAN ?=

CORE_PKGS = libcjson inih libxml-2.0
PLATFORM_PKGS = sdl2 SDL2_ttf SDL2_image libcurl libsystemd
TEST_PKGS = cmocka
# Text: bidi levels in core, fallback fonts found through fontconfig.
CORE_PKGS += fribidi
PLATFORM_PKGS += fontconfig

# Debian packages: what `make deps` installs when missing.
DEB_PACKAGES = make gcc libc6-dev pkg-config \
               libsdl2-dev libsdl2-ttf-dev libsdl2-image-dev \
               libcurl4-openssl-dev libcjson-dev libinih-dev libcmocka-dev \
               libxml2-dev libsystemd-dev \
               clang-format \
               python3 openssl faketime strace
# Bidi and font fallback; the Noto fonts cover the scripts the tests draw.
DEB_PACKAGES += libfribidi-dev libfontconfig-dev fonts-noto-core fonts-noto-cjk
DEB_PACKAGES_OPTIONAL = xvfb clang libclang-rt-14-dev valgrind

pkgcflags = $(shell pkg-config --cflags $(1))
pkglibs = $(shell pkg-config --libs $(1))

BASE_CFLAGS = $(STDFLAGS) $(WARNFLAGS) $(OPTFLAGS) -MMD -MP \
              -DNEWSWIRE_DATADIR='"$(DATADIR)"' $(if $(SAN),$(SANFLAGS))
CORE_CFLAGS = $(BASE_CFLAGS) -Isrc/core $(call pkgcflags,$(CORE_PKGS))
PLATFORM_CFLAGS = $(CORE_CFLAGS) -Isrc/platform \
                  $(call pkgcflags,$(PLATFORM_PKGS))
LDFLAGS_SAN = $(if $(SAN),$(SANFLAGS))
CORE_LIBS = $(call pkglibs,$(CORE_PKGS)) -lpthread -lm
PLATFORM_LIBS = $(call pkglibs,$(PLATFORM_PKGS))

CORE_SRC = $(wildcard src/core/*.c)
PLATFORM_SRC = $(wildcard src/platform/*.c)
CORE_OBJ = $(CORE_SRC:src/%.c=$(BUILD)/%.o)
PLATFORM_OBJ = $(PLATFORM_SRC:src/%.c=$(BUILD)/%.o)
BIN = $(BUILD)/newswire

UNIT_SRC = $(wildcard tests/test_*.c)
UNIT_BIN = $(UNIT_SRC:tests/%.c=$(BUILD)/tests/%)
IT_SRC = $(wildcard tests/it_*.c)
IT_BIN = $(IT_SRC:tests/%.c=$(BUILD)/tests/%)
HTTPD = $(BUILD)/tests/httpd

.PHONY: all deps run check unit san integration check-deps format \
        format-check check-threads fuzz fuzz-replay golden screenshot bench \
        bench-decode clean install uninstall install-check bench-idle soak

all: $(BIN)

$(BUILD)/core/%.o: src/core/%.c
	@mkdir -p $(@D)
	$(CC) $(CORE_CFLAGS) -c $< -o $@

$(BUILD)/platform/%.o: src/platform/%.c
	@mkdir -p $(@D)
	$(CC) $(PLATFORM_CFLAGS) -c $< -o $@

$(BUILD)/main.o: src/main.c
	@mkdir -p $(@D)
	$(CC) $(PLATFORM_CFLAGS) -c $< -o $@

$(BIN): $(BUILD)/main.o $(PLATFORM_OBJ) $(CORE_OBJ)
	$(CC) $(LDFLAGS_SAN) -o $@ $^ $(PLATFORM_LIBS) $(CORE_LIBS)

# Unit tests: core objects and cmocka only.
$(BUILD)/tests/test_%: tests/test_%.c tests/unittools.c $(CORE_OBJ)
	@mkdir -p $(@D)
	$(CC) $(CORE_CFLAGS) $(call pkgcflags,$(TEST_PKGS)) -Itests \
	    $(LDFLAGS_SAN) -o $@ $(filter %.c %.o,$^) $(call pkglibs,$(TEST_PKGS)) $(CORE_LIBS)

# Integration tests run the real binary; they may read PNGs with SDL_image.
$(BUILD)/tests/it_%: tests/it_%.c tests/ittools.c $(PLATFORM_OBJ) $(CORE_OBJ)
	@mkdir -p $(@D)
	$(CC) $(PLATFORM_CFLAGS) $(call pkgcflags,$(TEST_PKGS)) -Itests \
	    $(LDFLAGS_SAN) -o $@ $(filter %.c %.o,$^) $(call pkglibs,$(TEST_PKGS)) \
	    $(PLATFORM_LIBS) $(CORE_LIBS)

$(HTTPD): tests/httpd.c
	@mkdir -p $(@D)
	$(CC) $(STDFLAGS) $(WARNFLAGS) $(OPTFLAGS) -o $@ $<

deps:
	@sudo=; [ "$$(id -u)" = 0 ] || sudo=sudo; \
	missing=; for p in $(DEB_PACKAGES) $(if $(OPTIONAL),$(DEB_PACKAGES_OPTIONAL)); do \
	    dpkg-query -W -f='$${Status}\n' $$p 2>/dev/null | grep -q '^install ok installed' \
	        || missing="$$missing $$p"; \
	done; \
	if [ -z "$$missing" ]; then echo "deps: all packages present"; exit 0; fi; \
	echo "deps: installing:$$missing"; \
	$$sudo apt-get update -qq && \
	DEBIAN_FRONTEND=noninteractive $$sudo apt-get install -y -q --no-install-recommends $$missing

run: deps
	@$(MAKE) --no-print-directory all
	./$(BIN) --window

unit: $(UNIT_BIN)
	@sh tests/run-tests.sh unit $(UNIT_BIN)

integration: $(BIN) $(IT_BIN) $(HTTPD)
	@NEWSWIRE_BIN=$(BIN) HTTPD_BIN=$(HTTPD) sh tests/run-tests.sh integration $(IT_BIN)

# The unit tests again, built with AddressSanitizer and UBSan.
san:
	@$(MAKE) --no-print-directory BUILD=build-san SAN=1 OPTFLAGS='-O1 -g' unit

# Core must not see SDL or libcurl: the include path reaches them anyway.
check-deps:
	@if grep -nE '#include *[<"](SDL|curl/)' src/core/*.c src/core/*.h; then \
	    echo "check-deps: src/core includes a platform header"; exit 1; \
	else echo "check-deps: src/core is free of SDL and libcurl"; fi

FORMAT_FILES = $(wildcard src/*.c src/core/*.[ch] src/platform/*.[ch] \
                          tests/*.[ch] fuzz/*.[ch] bench/*.c)
format:
	clang-format -i $(FORMAT_FILES)

format-check:
	@clang-format --dry-run --Werror $(FORMAT_FILES) && \
	    echo "format-check: clean"

check: all check-deps format-check
	@$(MAKE) --no-print-directory unit
	@$(MAKE) --no-print-directory san
	@$(MAKE) --no-print-directory fuzz-replay
	@$(MAKE) --no-print-directory check-threads
	@$(MAKE) --no-print-directory integration
	@$(MAKE) --no-print-directory install-check
	@$(MAKE) --no-print-directory check-perf

# 24 simulated hours with the network faults cycling, in about 5 minutes
# (tests/it_soak.c; `make check` runs a 2-hour version of it).
soak: $(BIN) $(BUILD)/tests/it_soak $(HTTPD)
	@NEWSWIRE_BIN=$(BIN) HTTPD_BIN=$(HTTPD) NEWSWIRE_SOAK_HOURS=24 \
	    sh tests/run-tests.sh soak $(BUILD)/tests/it_soak

# The inbox under ThreadSanitizer: the one place two threads meet; and
# the fetch thread itself, started, refreshed and stopped (it_fetch).
check-threads:
	@$(MAKE) --no-print-directory BUILD=build-tsan OPTFLAGS='-O1 -g' \
	    SANFLAGS='-fsanitize=thread' SAN=1 build-tsan/tests/test_inbox \
	    build-tsan/tests/it_fetch
	@sh tests/run-tests.sh threads build-tsan/tests/test_inbox \
	    build-tsan/tests/it_fetch

# libFuzzer targets (clang): each runs FUZZ_SECONDS on its seed corpus.
FUZZ_SECONDS ?= 60
FUZZ_SRC = $(wildcard fuzz/fuzz_*.c)
FUZZ_BIN = $(FUZZ_SRC:fuzz/%.c=build-fuzz/%)
FUZZ_CFLAGS = $(STDFLAGS) -g -O1 -fsanitize=fuzzer,address,undefined \
              -Isrc/core $(call pkgcflags,$(CORE_PKGS))
build-fuzz/fuzz_%: fuzz/fuzz_%.c $(CORE_SRC)
	@mkdir -p $(@D)
	clang $(FUZZ_CFLAGS) -o $@ $< $(CORE_SRC) $(CORE_LIBS)

fuzz: $(FUZZ_BIN)
	@for f in $(FUZZ_BIN); do \
	    name=$${f#build-fuzz/}; mkdir -p build-fuzz/corpus-$$name; \
	    echo "fuzz: $$name for $(FUZZ_SECONDS) s"; \
	    $$f -max_total_time=$(FUZZ_SECONDS) -rss_limit_mb=1024 -timeout=5 \
	        -print_final_stats=1 build-fuzz/corpus-$$name \
	        fuzz/corpus/$$name > build-fuzz/$$name.log 2>&1; rc=$$?; \
	    grep -E '^stat::(number_of_executed_units|peak_rss_mb)' \
	        build-fuzz/$$name.log; \
	    if [ $$rc -ne 0 ]; then tail -n 40 build-fuzz/$$name.log; exit 1; fi; \
	done

# Rewrites the golden frames in tests/golden after a deliberate change.
golden: $(BIN) $(BUILD)/tests/it_golden
	UPDATE_GOLDEN=1 NEWSWIRE_BIN=$(BIN) ./$(BUILD)/tests/it_golden

# The seed corpora replayed as ordinary tests: each fuzz target built with
# gcc, ASan and UBSan, linked with fuzz/replay.c instead of libFuzzer.
FUZZ_NAMES = $(FUZZ_SRC:fuzz/%.c=%)
$(BUILD)/fuzz/fuzz_%: fuzz/fuzz_%.c fuzz/replay.c fuzz/stories.h $(CORE_OBJ)
	@mkdir -p $(@D)
	$(CC) $(CORE_CFLAGS) $(LDFLAGS_SAN) -o $@ $(filter %.c %.o,$^) $(CORE_LIBS)

fuzz-replay:
	@$(MAKE) --no-print-directory BUILD=build-san SAN=1 OPTFLAGS='-O1 -g' \
	    $(FUZZ_NAMES:%=build-san/fuzz/%)
	@for n in $(FUZZ_NAMES); do \
	    build-san/fuzz/$$n fuzz/corpus/$$n || exit 1; \
	done; echo "fuzz-replay: $(words $(FUZZ_NAMES)) targets clean"

# What decoding costs against the bare parsers, and its peak memory.
$(BUILD)/bench/bench_decode: bench/bench_decode.c $(CORE_OBJ)
	@mkdir -p $(@D)
	$(CC) $(CORE_CFLAGS) -o $@ $(filter %.c %.o,$^) $(CORE_LIBS)

bench-decode: $(BUILD)/bench/bench_decode
	@./$(BUILD)/bench/bench_decode

# The README screenshot, from the demo feed at a fixed virtual time.
screenshot: $(BIN)
	TZ=UTC ./$(BIN) -c /dev/null --headless --size 1280x720 \
	    --clock 2026-11-29T09:30:00Z --at 35 --screenshot docs/screenshot.png

clean:
	rm -rf build build-san build-tsan build-fuzz

install: $(BIN)
	install -d $(DESTDIR)$(PREFIX)/bin $(DESTDIR)$(DATADIR)/fonts \
	    $(DESTDIR)$(DATADIR)/assets
	install -m 755 $(BIN) $(DESTDIR)$(PREFIX)/bin/newswire
	install -m 644 fonts/*.ttf fonts/LICENSE-DejaVu.txt $(DESTDIR)$(DATADIR)/fonts/
	install -m 644 assets/demo-feed.json $(DESTDIR)$(DATADIR)/assets/
	install -d $(DESTDIR)$(SYSCONFDIR)/newswire $(DESTDIR)$(UNITDIR) \
	    $(DESTDIR)$(SYSUSERSDIR) $(DESTDIR)$(MANDIR)/man1
	@conf=$(DESTDIR)$(SYSCONFDIR)/newswire/newswire.conf; \
	if [ -e "$$conf" ]; then \
	    install -m 644 config/newswire.conf "$$conf.new"; \
	    echo "install: kept $$conf; the new example is $$conf.new"; \
	else install -m 644 config/newswire.conf "$$conf"; fi
	sed -e 's|/usr/local/bin/newswire|$(PREFIX)/bin/newswire|' \
	    -e 's|/etc/newswire/|$(SYSCONFDIR)/newswire/|' \
	    config/newswire.service > $(DESTDIR)$(UNITDIR)/newswire.service
	chmod 644 $(DESTDIR)$(UNITDIR)/newswire.service
	install -m 644 config/newswire.sysusers $(DESTDIR)$(SYSUSERSDIR)/newswire.conf
	install -m 644 docs/newswire.1 $(DESTDIR)$(MANDIR)/man1/newswire.1

uninstall:
	rm -f $(DESTDIR)$(PREFIX)/bin/newswire \
	    $(DESTDIR)$(UNITDIR)/newswire.service \
	    $(DESTDIR)$(SYSUSERSDIR)/newswire.conf \
	    $(DESTDIR)$(MANDIR)/man1/newswire.1
	rm -rf $(DESTDIR)$(DATADIR)
	@echo "uninstall: $(DESTDIR)$(SYSCONFDIR)/newswire is left in place"

# Installs into a temporary DESTDIR and runs the installed binary; checks
# the unit file with systemd-analyze and the man page with groff when
# they are there.
install-check: $(BIN)
	@sh tests/install-check.sh

# Screen-off cost: CPU share and wake-ups per second while the display
# schedule has the screen off (prints figures; not a pass/fail test).
bench-idle: $(BIN)
	@sh bench/idle.sh $(BIN)

# Benchmarks (README "Performance"). bench_frame links the core objects and
# the display adapter and drives frames with a virtual clock; check-perf
# counts its instructions with callgrind against bench/baseline.txt.
DEB_PACKAGES += valgrind
BENCH_BIN = $(BUILD)/bench/bench_frame
.PHONY: check-perf perf-baseline

$(BENCH_BIN): bench/bench_frame.c $(CORE_OBJ) $(BUILD)/platform/display.o \
              $(BUILD)/platform/text.o $(BUILD)/platform/clock.o
	@mkdir -p $(@D)
	$(CC) $(PLATFORM_CFLAGS) -o $@ $(filter %.c %.o,$^) $(PLATFORM_LIBS) \
	    $(CORE_LIBS)

bench: $(BIN) $(BENCH_BIN)
	@sh bench/run.sh $(BIN) $(BENCH_BIN)

check-perf: $(BENCH_BIN)
	@sh bench/check-perf.sh $(BENCH_BIN)

perf-baseline: $(BENCH_BIN)
	@sh bench/check-perf.sh --update $(BENCH_BIN)

-include $(shell find $(BUILD) -name '*.d' 2>/dev/null)
