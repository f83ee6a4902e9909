# mcp-uptime - one Makefile for the whole suite (GNU make).
.DELETE_ON_ERROR:
# Objects are kept: nothing is printed after the test summary.
.SECONDARY:
.SUFFIXES:

PREFIX ?= /usr/local
BINDIR ?= $(PREFIX)/bin
MANDIR ?= $(PREFIX)/share/man
PKG_CONFIG ?= pkg-config
# libcurl: the static HTTP/HTTPS-only build that build-aux/curl leaves in
# deps/curl when it is there, else the system's (make CURL_DIR= for that).
# build-aux/ holds the build's helpers, scripts/ the tools only: a PATH
# with scripts/ on it finds mcp-fleet and its siblings, never a "curl".
# The static one spares every run the 30 shared libraries Debian's libcurl
# loads, and lets lib/curlinit.c put off OpenSSL's initialisation.
CURL_DIR ?= deps/curl
ifneq ($(and $(CURL_DIR),$(wildcard $(CURL_DIR)/lib/libcurl.a)),)
PKGS = libcjson hiredis openssl libnghttp2
CURL_CFLAGS = -I$(CURL_DIR)/include -DCURL_STATICLIB -DMCP_CURL_WRAP
CURL_A = $(CURL_DIR)/lib/libcurl.a
CURL_LIBS = $(CURL_A) -Wl,--wrap=OPENSSL_init_ssl
CURL_THREADS = -lpthread
else
PKGS = libcurl libcjson hiredis openssl
endif

# The suite's version, the one place it is kept: VERSION, read here into
# MCP_VERSION for the C tools (--version, the User-Agents, mcp-otlp's
# service.version), written into the scripts by make install, and the
# Debian packages' version (debian/rules checks debian/changelog by it).
MCP_VERSION := $(shell cat VERSION)
VERSION_CFLAGS = -DMCP_VERSION='"$(MCP_VERSION)"'

# B is the build directory; SAN=1 builds with ASan and UBSan (make san).
B ?= build
CFLAGS ?= -O2 -g
WARN = -Wall -Wextra -Wshadow -Wstrict-prototypes -Wmissing-prototypes \
       -Wformat=2 -Wvla -Wpointer-arith -Wno-missing-field-initializers
# Warnings are errors in CI (CI=true) or with WERROR=1.
ifneq ($(filter true 1,$(CI) $(WERROR)),)
WARN += -Werror
endif
ifeq ($(SAN),1)
# float-cast-overflow: gcc leaves it out of undefined (a double past INT_MAX cast to int).
SANFLAGS = -fsanitize=address,undefined,float-cast-overflow -fno-sanitize-recover=all \
           -fno-omit-frame-pointer
endif
PKG_CFLAGS := $(shell $(PKG_CONFIG) --cflags $(PKGS))
PKG_LIBS := $(shell $(PKG_CONFIG) --libs $(PKGS))
ALL_CFLAGS = -std=c11 -D_GNU_SOURCE -Ilib -Itoolset $(VERSION_CFLAGS) $(CURL_CFLAGS) $(PKG_CFLAGS) $(CFLAGS) $(SANFLAGS) $(WARN) -MMD -MP
ALL_LDFLAGS = -Wl,--as-needed $(LDFLAGS) $(SANFLAGS)
LDLIBS = $(CURL_LIBS) $(PKG_LIBS) $(CURL_THREADS) -lm

# toolset/ is the room of the tools a server serves: the diff of two
# lists, their review and the rules read in their text (toolset.h).
LIB_SRC = $(wildcard lib/*.c toolset/*.c)
LIB_OBJ = $(LIB_SRC:%.c=$(B)/%.o)
TOOLS = mcp-probe mcp-aggregate mcp-alert mcp-serve mcp-otlp
BINS = $(B)/mcp-probe $(B)/mcp-aggregate $(B)/mcp-alert $(B)/mcp-serve $(B)/mcp-otlp
UNIT_SRC = $(wildcard tests/unit/test_*.c)
UNITS = $(UNIT_SRC:tests/unit/%.c=$(B)/%)
# mcp-container(8) is the image's (build-aux/image), not a package's.
MANS = $(filter-out man/mcp-container.8,$(wildcard man/*.[1-8]))

all: $(BINS) $(UNITS) $(B)/floor

# The libcurl the objects of $(B) are compiled for: $(B)/curl.flags is
# rewritten when it changes (the static one appeared, or CURL_DIR= was
# given), and every object is then compiled again, never linked with the
# other libcurl.  A newer libcurl.a (build-aux/curl run again) relinks.
# The version is recorded with it: a new VERSION compiles every object
# again, so that no tool says the old one.  The objects are removed, not
# only made older than curl.flags: a file system's clock ticks in
# jiffies or seconds, and an object written in the same tick as the
# flags would pass for up to date.
CURL_ID = $(CURL_CFLAGS) | $(CURL_LIBS) | $(MCP_VERSION)
ifneq ($(CURL_ID),$(shell cat $(B)/curl.flags 2>/dev/null))
$(shell mkdir -p $(B) && find $(B) -name '*.o' -type f -delete && \
    printf '%s\n' '$(CURL_ID)' >$(B)/curl.flags)
endif
LINK_DEPS = $(filter-out $(B)/curl.flags $(CURL_A),$^)

$(B)/%.o: %.c $(B)/curl.flags
	@mkdir -p $(@D)
	$(CC) $(ALL_CFLAGS) -c -o $@ $<

# The rules on words of toolset/scanrules.c are automata made at build
# time: build-aux/mkrules writes them (the table read from scanrules.c)
# for re2c(1), whose C scanrules.c includes.  No expression is compiled
# when a tool runs.
RE2C ?= re2c
MKRULES_LIB = $(B)/lib/json.o $(B)/lib/buf.o $(B)/lib/text.o
$(B)/mkrules: build-aux/mkrules.c toolset/scanrules.c $(B)/toolset/foldtab.h $(MKRULES_LIB)
	$(CC) $(ALL_CFLAGS) -I$(B)/toolset -Wno-unused-function $(ALL_LDFLAGS) -o $@ $< \
	    $(MKRULES_LIB) $(PKG_LIBS) -lm
$(B)/toolset/rulesdfa.c: $(B)/mkrules
	@mkdir -p $(@D)
	$(B)/mkrules >$(B)/toolset/rules.re
	$(RE2C) -W -i --no-generation-date --no-version -o $@ $(B)/toolset/rules.re
$(B)/toolset/scanrules.o: $(B)/toolset/rulesdfa.c $(B)/toolset/foldtab.h
$(B)/toolset/scanrules.o: ALL_CFLAGS += -I$(B)/toolset $(DFA_CFLAGS)
# GCC 12's value-range pass takes tens of minutes on re2c's goto graphs of
# the longer expressions (one of 400 states did not end in 10 min at -O2;
# with the pass off it takes a second) and finds nothing to narrow there.
DFA_CFLAGS = -fno-tree-vrp

# The hash of toolset/intent.c's words, made at build time too:
# build-aux/mkintent writes it from the tables, each word in the normal
# form of scanrules.c (intent.c includes it).
$(B)/mkintent: build-aux/mkintent.c toolset/intent.c toolset/scanrules.c toolset/scanint.h \
    $(B)/toolset/foldtab.h $(MKRULES_LIB)
	@mkdir -p $(@D)
	$(CC) $(ALL_CFLAGS) -I$(B)/toolset -Wno-unused-function $(ALL_LDFLAGS) -o $@ $< \
	    $(MKRULES_LIB) $(PKG_LIBS) -lm
$(B)/toolset/intenthash.h: $(B)/mkintent
	@mkdir -p $(@D)
	$(B)/mkintent >$@
$(B)/toolset/intent.o: $(B)/toolset/intenthash.h
$(B)/toolset/intent.o: ALL_CFLAGS += -I$(B)/toolset

# What a reader takes a character for, and which characters a reader does
# not see, from Unicode's own data as ICU carries it (Debian's libicu-dev):
# build-aux/mkfold writes the normal form's table (toolset/scanrules.c) and
# the default-ignorable code points (lib/text.c) at build time.  No tool
# links ICU.
ICU_CFLAGS := $(shell $(PKG_CONFIG) --cflags icu-uc icu-i18n)
ICU_LIBS := $(shell $(PKG_CONFIG) --libs icu-uc icu-i18n)
$(B)/mkfold: build-aux/mkfold.c
	@mkdir -p $(@D)
	$(CC) -std=c11 -D_GNU_SOURCE $(ICU_CFLAGS) $(CFLAGS) $(WARN) -o $@ $< $(ICU_LIBS)
$(B)/toolset/foldtab.h: $(B)/mkfold
	@mkdir -p $(@D)
	$(B)/mkfold fold >$@
$(B)/lib/ignorable.h: $(B)/mkfold
	@mkdir -p $(@D)
	$(B)/mkfold ignorable >$@
$(B)/lib/text.o: $(B)/lib/ignorable.h
$(B)/lib/text.o: ALL_CFLAGS += -I$(B)/lib

$(B)/libmcp.a: $(LIB_OBJ)
	rm -f $@
	$(AR) rcs $@ $(LIB_OBJ)

$(B)/mcp-probe: $(patsubst %.c,$(B)/%.o,$(wildcard probe/*.c)) $(B)/libmcp.a $(CURL_A)
	$(CC) $(ALL_LDFLAGS) -o $@ $(LINK_DEPS) $(LDLIBS)

# registry/ is mcp-aggregate's room for the registry (sync, targets, audit).
# The ingest (aggregate/door.c) is a FastCGI responder too: libfcgi linked
# static, as mcp-serve's, so that a runner, which runs push and never the
# ingest, needs no libfcgi; zlib for the gzip of the ingest's bodies.
ifeq ($(SAN),1)
AGG_LIBS = -lfcgi -lz
else
AGG_LIBS = -Wl,-Bstatic -lfcgi -Wl,-Bdynamic -lz
endif
$(B)/mcp-aggregate: $(patsubst %.c,$(B)/%.o,$(wildcard aggregate/*.c registry/*.c)) $(B)/libmcp.a $(CURL_A)
	$(CC) $(ALL_LDFLAGS) -o $@ $(LINK_DEPS) $(AGG_LIBS) $(LDLIBS)

# mcp-otlp: zlib for the gzip of its requests.
$(B)/mcp-otlp: $(patsubst %.c,$(B)/%.o,$(wildcard otlp/*.c)) $(B)/libmcp.a $(CURL_A)
	$(CC) $(ALL_LDFLAGS) -o $@ $(LINK_DEPS) -lz $(LDLIBS)

# alertd/routes/ is mcp-alert's room for the notification routes: what each
# service is sent, and how; one way in, routes.h.
$(B)/mcp-alert: $(patsubst %.c,$(B)/%.o,$(wildcard alertd/*.c alertd/routes/*.c)) $(B)/libmcp.a $(CURL_A)
	$(CC) $(ALL_LDFLAGS) -o $@ $(LINK_DEPS) $(LDLIBS)

# mcp-serve is exec'd once per request as a CGI program: each shared
# library it loads, and the dynamic loader itself, are paid by every
# request (tests/bench/serve.sh prints the breakdown).  With the cJSON
# that build-aux/cjson builds from Debian's source in deps/cjson (Debian
# ships no libcjson.a), it is linked static-pie: glibc, libm, hiredis,
# libfcgi and cJSON in one file, no loader, no relocation of shared
# libraries.  glibc's getaddrinfo would still load NSS modules of the
# glibc found at run time (ld warns so): the static link wraps
# getaddrinfo, freeaddrinfo and gethostbyname with serve/resolve.c and
# serve/dns.c, which read /etc/hosts and /etc/resolv.conf and ask DNS
# themselves, so that no NSS code is linked.  Else (CJSON_DIR=, or no
# deps/cjson) hiredis and libfcgi static, cJSON and libm shared, and
# glibc's getaddrinfo.  Only the objects of lib/ it calls: no libcurl,
# no OpenSSL.  The sanitizer build links everything shared (ASan needs
# the loader).
CJSON_DIR ?= deps/cjson
CJSON_A = $(if $(CJSON_DIR),$(wildcard $(CJSON_DIR)/lib/libcjson.a))
SERVE_LIB = $(B)/lib/store.o $(B)/lib/storeurl.o $(B)/lib/cluster.o $(B)/lib/buf.o $(B)/lib/json.o $(B)/lib/util.o \
    $(B)/lib/hist.o $(B)/lib/sha256.o $(B)/lib/page.o
# serve/toolstext.c makes what a reader would not see in a name U+FFFD (lib/text.h).
SERVE_LIB += $(B)/lib/text.o
# serve/toolsfindings.c names the rules a verdict found (toolset/ruletab.c, mcp-rules(7)).
SERVE_LIB += $(B)/toolset/ruletab.o
# serve/readiness.c says the reasons of a grade in the probe's words (lib/ready.h).
SERVE_LIB += $(B)/lib/ready.o
SERVE_RESOLVE = serve/dns.c serve/resolve.c
ifeq ($(SAN),1)
SERVE_LIBS = $(shell $(PKG_CONFIG) --libs hiredis libcjson) -lfcgi -lm
else ifneq ($(CJSON_A),)
SERVE_LDFLAGS = -static-pie -Wl,--wrap=getaddrinfo,--wrap=freeaddrinfo,--wrap=gethostbyname
SERVE_LIBS = -lhiredis -lfcgi $(CJSON_A) -lm
SERVE_STATIC = $(SERVE_RESOLVE:%.c=$(B)/%.o)
else
SERVE_LIBS = -Wl,-Bstatic -lhiredis -lfcgi -Wl,-Bdynamic $(shell $(PKG_CONFIG) --libs libcjson) -lm
endif
# The files assets.c builds in with .incbin, which -MMD does not see.
$(B)/serve/assets.o: $(wildcard serve/assets/*)
$(B)/mcp-serve: $(patsubst %.c,$(B)/%.o,$(filter-out $(SERVE_RESOLVE),$(wildcard serve/*.c))) \
    $(SERVE_STATIC) $(SERVE_LIB) $(CJSON_A)
	$(CC) $(ALL_LDFLAGS) $(SERVE_LDFLAGS) -o $@ $(filter-out $(CJSON_A),$^) $(SERVE_LIBS)

# test_ingest compiles in the ingest's gzip (zlib).
$(B)/test_ingest: LDLIBS += -lz
# test_fold reads the tables build-aux/mkfold made, to make its variants.
$(B)/tests/unit/test_fold.o: $(B)/toolset/foldtab.h $(B)/lib/ignorable.h
$(B)/tests/unit/test_fold.o: ALL_CFLAGS += -I$(B)/toolset -I$(B)/lib
# curlinit.o ahead of the archive: a unit test that reaches libcurl
# through libmcp.a (test_registry) needs its wrap of OpenSSL's start.
$(B)/test_%: $(B)/tests/unit/test_%.o $(B)/lib/curlinit.o $(B)/libmcp.a $(CURL_A)
	$(CC) $(ALL_LDFLAGS) -o $@ $(LINK_DEPS) $(LDLIBS)

# make test: the whole suite against the plain build, then against the
# sanitizer build; one closing line "N passed, N failed".
test: all
	$(MAKE) SAN=1 B=build-san all
	tests/run.sh build build-san

check: all
	tests/run.sh $(B)

san:
	$(MAKE) SAN=1 B=build-san all

bench: all $(B)/scancorpus
	tests/bench/run.sh $(B)

# tests/bench/scancorpus.c: the text rules over tests/data/poison (poison.sh).
$(B)/scancorpus: $(B)/tests/bench/scancorpus.o $(B)/libmcp.a
	$(CC) $(ALL_LDFLAGS) -o $@ $(LINK_DEPS) $(LDLIBS)

# tests/bench/floor.c: the same requests as a probe, with nothing done with
# the answers; its libcurl is the probe's, so the figures compare.
$(B)/floor: $(B)/tests/bench/floor.o $(B)/libmcp.a $(CURL_A)
	$(CC) $(ALL_LDFLAGS) -o $@ $(LINK_DEPS) $(LDLIBS)

# mcp-fleet(8), mcp-cred(8) and mcp-guardrail(1) are scripts, and the only
# files of scripts/ (the build's helpers are in build-aux/, never
# installed); the systemd units and the
# examples (cron lines, fleet.conf) of mcp-fleet(8) name the tools in
# /usr/local/bin, and are installed naming BINDIR.  scripts/lib/ holds
# what mcp-fleet and mcp-cred source (trust.sh): it goes to SCRIPTLIBDIR,
# never on PATH, and the installed scripts name that directory in their
# line "libdir=" (in the tree, lib/ beside the script).
SCRIPT_BINS = scripts/mcp-fleet scripts/mcp-guardrail scripts/mcp-cred
SCRIPT_LIBS = $(wildcard scripts/lib/*.sh)
SCRIPTLIBDIR ?= $(PREFIX)/lib/mcp-uptime
SYSTEMDDIR ?= $(PREFIX)/lib/systemd/system
EXAMPLESDIR ?= $(PREFIX)/share/doc/mcp-uptime/examples
SYSTEMD_UNITS = $(wildcard contrib/systemd/*.service contrib/systemd/*.socket contrib/systemd/*.timer)
EXAMPLE_FILES = contrib/cron/mcp-uptime contrib/cron/mcp-uptime-decider contrib/fleet.conf.example contrib/mcp-alert.conf.example

install: $(BINS)
	mkdir -p $(DESTDIR)$(BINDIR) $(DESTDIR)$(MANDIR)/man1 $(DESTDIR)$(MANDIR)/man5 \
	    $(DESTDIR)$(MANDIR)/man7 $(DESTDIR)$(MANDIR)/man8 $(DESTDIR)$(SYSTEMDDIR) $(DESTDIR)$(EXAMPLESDIR) \
	    $(DESTDIR)$(SCRIPTLIBDIR)
	for f in $(BINS); do cp $$f $(DESTDIR)$(BINDIR)/ && chmod 755 $(DESTDIR)$(BINDIR)/$${f##*/}; done
	for f in $(SCRIPT_BINS); do sed -e 's|^libdir=.*|libdir=$(SCRIPTLIBDIR)|' -e 's|^version=$$|version=$(MCP_VERSION)|' \
	    $$f >$(DESTDIR)$(BINDIR)/$${f##*/} && \
	    chmod 755 $(DESTDIR)$(BINDIR)/$${f##*/}; done
	for f in $(SCRIPT_LIBS); do cp $$f $(DESTDIR)$(SCRIPTLIBDIR)/ && chmod 644 $(DESTDIR)$(SCRIPTLIBDIR)/$${f##*/}; done
	for f in $(MANS); do s=$${f##*.}; cp $$f $(DESTDIR)$(MANDIR)/man$$s/ && chmod 644 $(DESTDIR)$(MANDIR)/man$$s/$${f##*/}; done
	for f in $(SYSTEMD_UNITS); do sed 's|/usr/local/bin/|$(BINDIR)/|g' $$f >$(DESTDIR)$(SYSTEMDDIR)/$${f##*/} && \
	    chmod 644 $(DESTDIR)$(SYSTEMDDIR)/$${f##*/}; done
	for f in $(EXAMPLE_FILES); do sed 's|/usr/local/bin/|$(BINDIR)/|g' $$f >$(DESTDIR)$(EXAMPLESDIR)/$${f##*/} && \
	    chmod 644 $(DESTDIR)$(EXAMPLESDIR)/$${f##*/}; done

uninstall:
	for t in $(TOOLS) $(notdir $(SCRIPT_BINS)); do rm -f $(DESTDIR)$(BINDIR)/$$t; done
	for f in $(notdir $(SCRIPT_LIBS)); do rm -f $(DESTDIR)$(SCRIPTLIBDIR)/$$f; done
	rmdir $(DESTDIR)$(SCRIPTLIBDIR) 2>/dev/null || true
	for f in $(MANS); do s=$${f##*.}; rm -f $(DESTDIR)$(MANDIR)/man$$s/$${f##*/}; done
	for f in $(notdir $(SYSTEMD_UNITS)); do rm -f $(DESTDIR)$(SYSTEMDDIR)/$$f; done
	for f in $(notdir $(EXAMPLE_FILES)); do rm -f $(DESTDIR)$(EXAMPLESDIR)/$$f; done
	rmdir $(DESTDIR)$(EXAMPLESDIR) $(DESTDIR)$(dir $(EXAMPLESDIR)) 2>/dev/null || true

# The tools alone, as the Debian packages build them (debian/rules).
tools: $(BINS)

# make deb: the Debian packages (debian/) of HEAD, built from a clean clone
# by build-aux/deb, into $(B)/deb.  make check-packages: their whole life
# in a fresh Debian 12 root made by debootstrap (install, the quick start
# and a minute of the pipeline there, upgrade, remove, purge), as root:
# tests/packages-life.sh, a few minutes; tests/packages.t is CI's part.
deb:
	build-aux/deb $(B)/deb

# The image of HEAD from its packages (build-aux/image; README, In a container).
image:
	build-aux/image $(B)/image

check-packages:
	tests/packages-life.sh

lint:
	mandoc -Tlint -Wwarning $(MANS)
	shellcheck -S warning $(filter-out scripts/lib,$(wildcard scripts/*)) $(SCRIPT_LIBS) $(filter-out %.c,$(wildcard build-aux/*)) tests/*.sh tests/*.t tests/*/*.sh .ci/run
	clang-format --dry-run -Werror build-aux/mkrules.c build-aux/mkfold.c build-aux/mkintent.c $(wildcard lib/*.[ch] toolset/*.[ch] probe/*.[ch] aggregate/*.[ch] registry/*.[ch] alertd/*.[ch] alertd/routes/*.[ch] serve/*.[ch] otlp/*.[ch] tests/unit/*.c tests/bench/*.c)

format:
	clang-format -i build-aux/mkrules.c build-aux/mkfold.c build-aux/mkintent.c $(wildcard lib/*.[ch] toolset/*.[ch] probe/*.[ch] aggregate/*.[ch] registry/*.[ch] alertd/*.[ch] alertd/routes/*.[ch] serve/*.[ch] otlp/*.[ch] tests/unit/*.c tests/bench/*.c)

clean:
	rm -rf build build-san

.PHONY: all test check san bench install uninstall lint format clean tools deb image check-packages

-include $(shell find $(B) -name '*.d' 2>/dev/null)

# --- fuzz --------------------------------------------------------------------
# make fuzz: a libFuzzer harness for each parser that faces untrusted input
# (fuzz/fuzz_*.c), built with clang and its sanitizers into $(FB), and
# numgen, which prints doubles as mcp_json_number writes them (tests/fuzz.t
# compares them with node's).  The library and the tools' files are built
# again there with coverage; a harness that needs a tool's static functions
# includes that file, and each tool's main() is renamed so that libFuzzer's
# is the one linked.  make fuzz-run FUZZ_SECONDS=N runs each harness for N
# seconds over a copy of its corpus (fuzz/run.sh).
FB ?= $(B)-fuzz
FUZZ_CC ?= clang
FUZZ_SECONDS ?= 60
# A double cast to an int that cannot hold it (float-cast-overflow) is part of
# clang's -fsanitize=undefined, not of gcc's: named, so that it is not missed.
FUZZ_SAN = -fsanitize=address,undefined,float-cast-overflow -fno-sanitize-recover=all \
           -fno-omit-frame-pointer
FUZZ_CFLAGS = -std=c11 -D_GNU_SOURCE -Ilib -Itoolset $(VERSION_CFLAGS) $(CURL_CFLAGS) $(PKG_CFLAGS) -O1 -g $(FUZZ_SAN) \
              $(filter-out -Werror,$(WARN)) -MMD -MP
FUZZERS = $(patsubst fuzz/%.c,$(FB)/%,$(wildcard fuzz/fuzz_*.c))
FUZZ_TOOLS = probe aggregate alertd serve

fuzz: $(FUZZERS) $(FB)/numgen

# Every source is built with coverage for libFuzzer; TOOL/main.c's main
# becomes TOOL_main.  The harnesses' own warnings are errors: clang's
# warnings in the tools' files are left to gcc's -Werror build.
$(FB)/fuzz/%.o: FUZZ_WERROR = -Werror
$(FB)/%.o: %.c
	@mkdir -p $(@D)
	$(FUZZ_CC) $(FUZZ_CFLAGS) $(FUZZ_WERROR) -fsanitize=fuzzer-no-link \
	    -Dmain=$(subst /,_,$(*D))_main $(if $(filter main,$(*F)),-Wno-missing-prototypes) \
	    -c -o $@ $<

# The automata of the rules on words: those of the build the fuzzers are made beside
# (not DFA_CFLAGS: GCC's, which clang ignores with a warning).
$(FB)/toolset/scanrules.o: $(B)/toolset/rulesdfa.c $(B)/toolset/foldtab.h
$(FB)/toolset/scanrules.o: FUZZ_CFLAGS += -I$(B)/toolset
$(FB)/toolset/intent.o: $(B)/toolset/intenthash.h
$(FB)/toolset/intent.o: FUZZ_CFLAGS += -I$(B)/toolset
$(FB)/lib/text.o: $(B)/lib/ignorable.h
$(FB)/lib/text.o: FUZZ_CFLAGS += -I$(B)/lib

$(FB)/libmcp.a: $(LIB_SRC:%.c=$(FB)/%.o)
	rm -f $@
	$(AR) rcs $@ $^

# One archive per tool: a harness takes from it what it does not define.
$(FB)/probe.a: $(patsubst %.c,$(FB)/%.o,$(wildcard probe/*.c))
$(FB)/aggregate.a: $(patsubst %.c,$(FB)/%.o,$(wildcard aggregate/*.c registry/*.c))
$(FB)/alertd.a: $(patsubst %.c,$(FB)/%.o,$(wildcard alertd/*.c alertd/routes/*.c))
$(FB)/serve.a: $(patsubst %.c,$(FB)/%.o,$(wildcard serve/*.c))
$(FUZZ_TOOLS:%=$(FB)/%.a):
	rm -f $@
	$(AR) rcs $@ $^

# The tool whose files a harness reaches into.
$(FB)/fuzz_auth $(FB)/fuzz_reply $(FB)/fuzz_grant: $(FB)/probe.a
$(FB)/fuzz_reply: $(FB)/fuzz/reply_curl.o $(FB)/fuzz/reply_check.o
$(FB)/fuzz_push $(FB)/fuzz_registry $(FB)/fuzz_ingest: $(FB)/aggregate.a
$(FB)/fuzz_ingest: LDLIBS += -lz
$(FB)/fuzz_conf $(FB)/fuzz_verdict: $(FB)/alertd.a
$(FB)/fuzz_serve $(FB)/fuzz_dns: $(FB)/serve.a
$(FB)/serve/assets.o: $(wildcard serve/assets/*)
# fuzz_reply stands in for libcurl's transfers, the run loop and the clocks.
$(FB)/fuzz_reply: FUZZ_LDFLAGS = -Wl,--wrap=curl_easy_setopt,--wrap=curl_easy_getinfo \
    -Wl,--wrap=curl_easy_cleanup,--wrap=curl_multi_add_handle,--wrap=curl_multi_remove_handle \
    -Wl,--wrap=mcp_mono,--wrap=mcp_now
$(FB)/fuzz_%: $(FB)/fuzz/fuzz_%.o $(FB)/libmcp.a $(FB)/lib/curlinit.o
	$(FUZZ_CC) $(LDFLAGS) $(FUZZ_LDFLAGS) -fsanitize=fuzzer $(FUZZ_SAN) -o $@ \
	    $(filter %.o,$^) $(filter-out $(FB)/libmcp.a,$(filter %.a,$^)) $(FB)/libmcp.a $(LDLIBS)

# numgen is an ordinary program over the same library.
$(FB)/fuzz/numgen.o: fuzz/numgen.c
	@mkdir -p $(@D)
	$(FUZZ_CC) $(FUZZ_CFLAGS) -Werror -c -o $@ $<

$(FB)/numgen: $(FB)/fuzz/numgen.o $(FB)/libmcp.a
	$(FUZZ_CC) $(LDFLAGS) -fsanitize=fuzzer-no-link $(FUZZ_SAN) -o $@ $^ $(LDLIBS)

fuzz-run: fuzz
	fuzz/run.sh $(FB) $(FUZZ_SECONDS)

fuzz-clean:
	rm -rf $(FB)

clean: fuzz-clean

.PHONY: fuzz fuzz-run fuzz-clean

-include $(shell find $(FB) -name '*.d' 2>/dev/null)
