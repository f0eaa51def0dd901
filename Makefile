# SPDX-License-Identifier: GPL-2.0 OR BSD-3-Clause
# osiprof build. `make` builds $(OUTPUT)/osiprof; `make test` runs the suite;
# `make test SANITIZE=1` runs it again built with AddressSanitizer and
# UBSan (in build-san/); `make fuzz` runs the libFuzzer targets for
# FUZZ_SECONDS each; `make bench` runs the overhead benchmark. OUTPUT= moves
# the build directory, V=1 prints full command lines, VMLINUX_H= supplies a
# pre-generated vmlinux.h.

ifeq ($(SANITIZE),1)
OUTPUT		?= build-san
else
OUTPUT		?= build
endif
override OUTPUT	:= $(abspath $(OUTPUT))
CC		?= cc
CLANG		?= clang
BPFTOOL		?= $(shell command -v bpftool || echo /usr/sbin/bpftool)
PKG_CONFIG	?= pkg-config
VMLINUX_BTF	?= /sys/kernel/btf/vmlinux
VMLINUX_H	?= $(OUTPUT)/vmlinux.h
VERSION		:= 0.1.0

ARCH := $(shell uname -m | sed -e 's/x86_64/x86/' -e 's/aarch64/arm64/' \
	-e 's/ppc64le/powerpc/' -e 's/riscv64/riscv/' -e 's/s390x/s390/')

# Debian's clang needs the host's multiarch include dir for BPF builds.
CLANG_BPF_SYS_INCLUDES := $(shell $(CLANG) -v -E - </dev/null 2>&1 | \
	sed -n '/<...> search starts here:/,/End of search list./{ s| \(/.*\)|-idirafter \1|p }')

WARNINGS	:= -Wall -Wextra -Werror -Wshadow -Wformat=2 -Wstrict-prototypes \
		   -Wmissing-prototypes -Wno-unused-parameter -Wno-missing-field-initializers
CFLAGS		?= -O2 -g
# Sanitizers go on osiprof and its test programs, not on the static binary
# or the (static) workloads, which cannot link them.
ifeq ($(SANITIZE),1)
SAN_FLAGS	:= -fsanitize=address,undefined -fno-sanitize-recover=all -fno-omit-frame-pointer
endif
ALL_CFLAGS	:= $(CPPFLAGS) $(CFLAGS) $(SAN_FLAGS) $(WARNINGS) -std=gnu11 -D_GNU_SOURCE \
		   -DOSIPROF_VERSION='"$(VERSION)"' -I$(OUTPUT) -Iinclude -Isrc
LIBS		:= $(shell $(PKG_CONFIG) --libs libbpf json-c libmicrohttpd libsystemd libcap 2>/dev/null || \
		     echo -lbpf -ljson-c -lmicrohttpd -lsystemd -lcap) -ldw -lelf -lz -lstdc++ -lm -lpthread
BPF_CFLAGS	:= -g -O2 -target bpf -mcpu=v3 -D__TARGET_ARCH_$(ARCH) -Wall -Werror \
		   -I$(dir $(VMLINUX_H)) -Iinclude $(CLANG_BPF_SYS_INCLUDES)

# src/ is one folder per stage of the data flow (README: "How the code is
# laid out"); objects mirror it under $(OUTPUT)/obj/.
SRCS		:= $(wildcard src/*/*.c)
OBJS		:= $(patsubst src/%.c,$(OUTPUT)/obj/%.o,$(SRCS))
BPF_SRCS	:= $(wildcard bpf/*.bpf.c)
SKELS		:= $(patsubst bpf/%.bpf.c,$(OUTPUT)/%.skel.h,$(BPF_SRCS))
GEN_HDRS	:= $(SKELS) $(OUTPUT)/syscall_table.h $(OUTPUT)/syscall_table_i386.h \
		   $(OUTPUT)/default_categories.h

# tests/unit: the pure stages (model, base, the text sink, the per-CPU fold), no libbpf, no
# libmicrohttpd; tests/kern: the real binary against the real kernel.
TEST_UNIT_SRCS	:= $(wildcard tests/unit/*.c)
TEST_KERN_SRCS	:= $(wildcard tests/kern/*.c)
TEST_BINS	:= $(patsubst tests/%.c,$(OUTPUT)/tests/%,$(TEST_UNIT_SRCS) $(TEST_KERN_SRCS))
UNIT_OBJS	:= $(filter $(OUTPUT)/obj/model/% $(OUTPUT)/obj/base/%,$(OBJS)) $(OUTPUT)/obj/sink/text.o \
		   $(OUTPUT)/obj/collect/fold.o $(OUTPUT)/obj/collect/proc_maps.o
WORKLOADS	:= $(patsubst tests/workloads/%.c,$(OUTPUT)/tests/%,$(wildcard tests/workloads/*.c))
LIB_OBJS	:= $(filter-out $(OUTPUT)/obj/cmd/main.o,$(OBJS))

ifeq ($(V),1)
	Q =
	msg =
else
	Q = @
	msg = @printf '  %-8s %s\n' "$(1)" "$(patsubst $(OUTPUT)/%,%,$(2))";
endif

.PHONY: all clean test bench static example fuzz install deb image check-layout
.DELETE_ON_ERROR:
.SECONDARY:

all: $(OUTPUT)/osiprof

$(OUTPUT) $(OUTPUT)/tests:
	$(Q)mkdir -p $@

ifeq ($(VMLINUX_H),$(OUTPUT)/vmlinux.h)
$(OUTPUT)/vmlinux.h: | $(OUTPUT)
	$(call msg,GEN,$@)
	$(Q)test -r $(VMLINUX_BTF) || { echo "no kernel BTF at $(VMLINUX_BTF); pass VMLINUX_H=" >&2; exit 1; }
	$(Q)$(BPFTOOL) btf dump file $(VMLINUX_BTF) format c > $@
endif

$(OUTPUT)/%.tmp.bpf.o: bpf/%.bpf.c $(VMLINUX_H) | $(OUTPUT)
	$(call msg,BPF,$@)
	$(Q)$(CLANG) $(BPF_CFLAGS) -MMD -MP -c $< -o $@

$(OUTPUT)/%.bpf.o: $(OUTPUT)/%.tmp.bpf.o
	$(call msg,GEN-OBJ,$@)
	$(Q)$(BPFTOOL) gen object $@ $<

$(OUTPUT)/%.skel.h: $(OUTPUT)/%.bpf.o
	$(call msg,GEN-SKEL,$@)
	$(Q)$(BPFTOOL) gen skeleton $< name $(subst -,_,$(notdir $*))_bpf > $@

# Syscall number -> name, from the system headers of the build host.
$(OUTPUT)/syscall_table.h: | $(OUTPUT)
	$(call msg,GEN,$@)
	$(Q)echo '#include <sys/syscall.h>' | $(CC) -dM -E - | \
		sed -n 's/^#define __NR_\([a-z0-9_]*\) .*/\1/p' | sort -u | \
		awk '{ printf "#ifdef __NR_%s\n\t{ __NR_%s, \"%s\" },\n#endif\n", $$1, $$1, $$1 }' > $@

# The i386 numbering, for 32-bit calls on x86-64 (empty elsewhere).
$(OUTPUT)/syscall_table_i386.h: | $(OUTPUT)
	$(call msg,GEN,$@)
	$(Q){ echo '#include <asm/unistd_32.h>' | $(CC) -dM -E - 2>/dev/null || true; } | \
		sed -n 's/^#define __NR_\([a-z0-9_]*\) \([0-9]*\)$$/\1 \2/p' | sort -u | \
		awk '{ printf "\t{ %s, \"%s\" },\n", $$2, $$1 }' > $@

# The default taxonomy is data: src/default.categories, embedded as a string.
$(OUTPUT)/default_categories.h: src/model/default.categories | $(OUTPUT)
	$(call msg,GEN,$@)
	$(Q)sed -e 's/\\/\\\\/g' -e 's/"/\\"/g' -e 's/^/"/' -e 's/$$/\\n"/' $< > $@

$(OUTPUT)/obj/%.o: src/%.c | $(GEN_HDRS)
	$(call msg,CC,$@)
	$(Q)mkdir -p $(dir $@)
	$(Q)$(CC) $(ALL_CFLAGS) -MMD -MP -c $< -o $@

$(OUTPUT)/osiprof: $(OBJS)
	$(call msg,LINK,$@)
	$(Q)$(CC) $(CFLAGS) $(LDFLAGS) $(SAN_FLAGS) $^ $(LIBS) -o $@

# One self-contained binary for hosts without libbpf, json-c, libelf, zlib or libcap.
STATIC_LIBS	:= -l:libbpf.a -l:libjson-c.a -l:libdw.a -l:libelf.a -l:liblzma.a -l:libbz2.a -l:libz.a \
		   -l:libcap.a -l:libstdc++.a -lm
# It leaves the HTTP server (libmicrohttpd and its TLS stack) out: --textfile.
# OSP_STATIC leaves out what has no static library in Debian: the HTTP
# server (libmicrohttpd's TLS stack) and sd_notify (libsystemd).
STATIC_OBJS	:= $(patsubst src/%.c,$(OUTPUT)/static/%.o,$(SRCS))
static: $(OUTPUT)/osiprof-static
$(OUTPUT)/static/%.o: src/%.c | $(GEN_HDRS)
	$(call msg,CC,$@)
	$(Q)mkdir -p $(dir $@)
	$(Q)$(CC) $(filter-out $(SAN_FLAGS),$(ALL_CFLAGS)) -DOSP_STATIC -MMD -MP -c $< -o $@
$(OUTPUT)/osiprof-static: $(STATIC_OBJS)
	$(call msg,LINK,$@)
	$(Q)$(CC) $(CFLAGS) -static $^ $(STATIC_LIBS) -lpthread -o $@

# Tests: unit tests link the pure stages only; kernel tests drive the binary.
$(OUTPUT)/tests/unit/%: tests/unit/%.c tests/testlib.h $(UNIT_OBJS) | $(GEN_HDRS)
	$(call msg,CC,$@)
	$(Q)mkdir -p $(dir $@)
	$(Q)$(CC) $(ALL_CFLAGS) -Wno-format-truncation -Itests $< $(UNIT_OBJS) -ljson-c -lm -lcmocka -o $@

$(OUTPUT)/tests/kern/%: tests/kern/%.c tests/testlib.h $(LIB_OBJS) | $(GEN_HDRS)
	$(call msg,CC,$@)
	$(Q)mkdir -p $(dir $@)
	$(Q)$(CC) $(ALL_CFLAGS) -Wno-format-truncation -Itests $< $(LIB_OBJS) $(LIBS) -lcmocka -o $@

$(OUTPUT)/tests/%: tests/workloads/%.c | $(OUTPUT)/tests
	$(call msg,CC,$@)
	$(Q)$(CC) $(CFLAGS) $(WARNINGS) -std=gnu11 -D_GNU_SOURCE -Iinclude -static $< -lpthread -o $@

# The --stacks test program: no frame pointers, the shared C library, and a
# stripped copy (tests/kern/stacks.c).
$(OUTPUT)/tests/stackwork: tests/stacks/stackwork.c | $(OUTPUT)/tests
	$(call msg,CC,$@)
	$(Q)$(CC) -O2 -g -fomit-frame-pointer $(WARNINGS) -std=gnu11 -D_GNU_SOURCE $< -lpthread -o $@
$(OUTPUT)/tests/stackwork-stripped: $(OUTPUT)/tests/stackwork
	$(Q)strip -o $@ $<
$(OUTPUT)/tests/stackwork-cxx: tests/stacks/stackwork_cxx.cc | $(OUTPUT)/tests
	$(call msg,CXX,$@)
	$(Q)$(CXX) -O2 -g -fomit-frame-pointer -Wall -Wextra -Werror $< -o $@
WORKLOADS	+= $(OUTPUT)/tests/stackwork $(OUTPUT)/tests/stackwork-stripped $(OUTPUT)/tests/stackwork-cxx

# The bundled example workload, profiled: the README's first command.
$(OUTPUT)/footprint: tools/example/footprint.c | $(OUTPUT)
	$(call msg,CC,$@)
	$(Q)$(CC) $(CFLAGS) $(WARNINGS) -std=gnu11 -D_GNU_SOURCE $< -lpthread -o $@

EXAMPLE_ARGS ?= --bytes 1000000 --iterations 1000
example: $(OUTPUT)/osiprof $(OUTPUT)/footprint
	$(Q)$(OUTPUT)/osiprof record --format table --tag bytes=1000000 --tag iterations=1000 \
		-- $(OUTPUT)/footprint $(EXAMPLE_ARGS)

# Sanitizer reports end the process with an error: any one fails the suite.
SAN_ENV := ASAN_OPTIONS=detect_leaks=1:abort_on_error=0:exitcode=99 \
	   UBSAN_OPTIONS=print_stacktrace=1:halt_on_error=1:exitcode=99
# Arrows point down the data flow: no include up, no include or call cycle,
# no computing in sinks (tools/check_layout.py, itself tested first).
check-layout: $(OUTPUT)/osiprof
	$(Q)/usr/bin/python3 tests/check_layout_test.py
	$(Q)/usr/bin/python3 tools/check_layout.py src --objects $(OUTPUT)/obj

test: check-layout $(OUTPUT)/osiprof $(OUTPUT)/osiprof-static $(TEST_BINS) $(WORKLOADS)
	$(Q)$(SAN_ENV) OUTPUT=$(OUTPUT) tests/run.sh $(TEST_BINS)

# libFuzzer targets (clang), each run for FUZZ_SECONDS from its seed corpus
# in tests/fuzz/corpus/NAME; new inputs go to a scratch copy, not to git.
FUZZ_SECONDS	?= 30
FUZZ_DIR	:= $(OUTPUT)/fuzz
FUZZ_TARGETS	:= $(patsubst tests/fuzz/%.c,$(FUZZ_DIR)/%,$(wildcard tests/fuzz/fuzz_*.c))
FUZZ_CFLAGS	:= -g -O1 -fsanitize=fuzzer,address,undefined -fno-sanitize-recover=all \
		   -std=gnu11 -D_GNU_SOURCE -I$(OUTPUT) -Iinclude -Isrc
FUZZ_SRCS_fuzz_taxonomy	:= src/model/categories.c src/model/syscalls.c src/base/log.c
FUZZ_SRCS_fuzz_tags	:= src/model/tags.c src/base/log.c
FUZZ_SRCS_fuzz_report	:= src/cmd/report.c src/cmd/options.c src/cmd/cli.c src/model/tags.c \
			   src/offline/table.c src/offline/by.c src/offline/diff.c src/offline/jread.c src/sink/text.c src/base/log.c
$(FUZZ_DIR):
	$(Q)mkdir -p $@
$(FUZZ_DIR)/%: tests/fuzz/%.c $(GEN_HDRS) | $(FUZZ_DIR)
	$(call msg,FUZZ-CC,$@)
	$(Q)$(CLANG) $(FUZZ_CFLAGS) $< $(FUZZ_SRCS_$*) -ljson-c -lm -o $@
fuzz: $(FUZZ_TARGETS)
	$(Q)for t in $(FUZZ_TARGETS); do n=$$(basename $$t); c=$(FUZZ_DIR)/corpus-$$n; \
		rm -rf $$c && cp -r tests/fuzz/corpus/$${n#fuzz_} $$c && \
		echo "== $$n ($(FUZZ_SECONDS) s)" && \
		$$t -max_total_time=$(FUZZ_SECONDS) -max_len=65536 -timeout=10 -rss_limit_mb=2048 \
			-print_final_stats=1 $$c 2>$(FUZZ_DIR)/$$n.log || \
		{ tail -40 $(FUZZ_DIR)/$$n.log; echo "fuzz: $$n found a crash"; exit 1; }; \
		grep -E '^stat::number_of_executed_units' $(FUZZ_DIR)/$$n.log; done

# Benchmark: empty floor programs from tools/bench's own BPF source, the
# workload driver, and the orchestrator that compares with peer tools.
BENCH_DIR := $(OUTPUT)/bench

$(BENCH_DIR):
	$(Q)mkdir -p $@

$(BENCH_DIR)/%.tmp.bpf.o: tools/bench/%.bpf.c $(VMLINUX_H) | $(BENCH_DIR)
	$(call msg,BPF,$@)
	$(Q)$(CLANG) $(BPF_CFLAGS) -MMD -MP -c $< -o $@

$(BENCH_DIR)/bench-floor: tools/bench/floor.c $(BENCH_DIR)/floor.skel.h
	$(call msg,CC,$@)
	$(Q)$(CC) $(ALL_CFLAGS) -I$(BENCH_DIR) $< $(LIBS) -o $@

$(BENCH_DIR)/bench-load: tools/bench/load.c | $(BENCH_DIR)
	$(call msg,CC,$@)
	$(Q)$(CC) $(CFLAGS) $(WARNINGS) -std=gnu11 -D_GNU_SOURCE $< -lpthread -o $@

$(BENCH_DIR)/bench-collect-cost: tools/bench/collect_cost.c src/collect/fold.c | $(BENCH_DIR)
	$(call msg,CC,$@)
	$(Q)$(CC) $(ALL_CFLAGS) $^ -o $@

BENCH_ARGS ?=
bench: $(OUTPUT)/osiprof $(BENCH_DIR)/bench-floor $(BENCH_DIR)/bench-load $(BENCH_DIR)/bench-collect-cost
	$(Q)/usr/bin/python3 tools/bench/bench.py --osiprof $(OUTPUT)/osiprof --bin $(BENCH_DIR) $(BENCH_ARGS)

# Installs the binary, the man page and bash completion under PREFIX
# (the Debian package uses PREFIX=/usr; tools/*.service expect /usr/bin).
PREFIX	?= /usr/local
install: $(OUTPUT)/osiprof
	$(Q)install -D -m 0755 $(OUTPUT)/osiprof $(DESTDIR)$(PREFIX)/bin/osiprof
	$(Q)install -D -m 0644 tools/osiprof.1 $(DESTDIR)$(PREFIX)/share/man/man1/osiprof.1
	$(Q)install -D -m 0644 tools/osiprof.bash-completion \
		$(DESTDIR)$(PREFIX)/share/bash-completion/completions/osiprof

# The Debian package, built by dpkg-buildpackage from a copy of the tree
# with tools/debian/ as its debian/ (the top level of the tree stays fixed),
# then checked by lintian.
DEB_DIR := $(OUTPUT)/deb
deb:
	$(Q)rm -rf $(DEB_DIR) && mkdir -p $(DEB_DIR)/osiprof-$(VERSION)
	$(Q)cp -r bpf src include tools Makefile README.md $(DEB_DIR)/osiprof-$(VERSION)/
	$(Q)cp -r tools/debian $(DEB_DIR)/osiprof-$(VERSION)/debian
	$(Q)cp tools/osiprof.service $(DEB_DIR)/osiprof-$(VERSION)/debian/osiprof.service
	$(Q)cp tools/osiprof-metrics.service \
		$(DEB_DIR)/osiprof-$(VERSION)/debian/osiprof.osiprof-metrics.service
	$(Q)cd $(DEB_DIR)/osiprof-$(VERSION) && dpkg-buildpackage -us -uc -b >../build.log 2>&1 || \
		{ tail -30 ../build.log; exit 1; }
	$(Q)lintian --fail-on error $(DEB_DIR)/osiprof_$(VERSION)*.deb
	@ls $(DEB_DIR)/*.deb

# The container image (FROM scratch, the static binary): podman build.
image: $(OUTPUT)/osiprof-static
	$(Q)podman build -f tools/Containerfile -t osiprof:$(VERSION) $(OUTPUT)

clean:
	$(call msg,CLEAN,$(OUTPUT))
	$(Q)rm -rf $(OUTPUT)

-include $(wildcard $(OUTPUT)/*.d $(OUTPUT)/obj/*/*.d $(OUTPUT)/static/*/*.d $(OUTPUT)/tests/*/*.d \
	   $(BENCH_DIR)/*.d)
