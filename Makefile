# SPDX-License-Identifier: GPL-2.0
#
# make            rnfs.ko and the userspace programs
# make deps       install every Debian package needed (run by the others)
# make check      unit tests, then every VM scenario; "N passed, N failed"
# make demo       a narrated failover in the VM lab
# make bench      benchmarks against a plain NFS mount, in the VM lab
# make shell      an interactive lab guest
# make install    rnfs.ko, the programs, man pages, the rnfsd unit
#
# KVER=/KDIR= build against another kernel than the one linux-image-amd64
# depends on today; for make check, KVER= tests that kernel alone, where
# by default it tests each of tools/kver --check (6.1 and the newest 6.12).

# Discovered once, on first use (tools/kver may need apt-get update).
KVER ?= $(eval KVER := $$(shell tools/kver))$(KVER)
KDIR ?= /usr/src/linux-headers-$(KVER)
export KVER KDIR

.PHONY: all deps module usr unit vmprogs check demo bench shell install clean

all: module usr

deps:
	@tools/deps

module: deps
	$(MAKE) -C $(KDIR) M=$(CURDIR) modules

usr: deps
	$(MAKE) -C usr

unit: deps
	$(MAKE) -C tests/unit

# Programs the VM scenarios and the benchmark run in the guest.
vmprogs: usr
	$(MAKE) -C tests/vm/prog

# The kernels make check builds for and boots: KVER alone if given.
ifneq ($(filter command line environment,$(origin KVER)),)
KVERS := $(KVER)
else
KVERS = $(shell tools/kver --check)
endif

check: usr unit vmprogs
	@tools/deps $(KVERS)
	@KVERS="$(KVERS)" tests/run

bench: all vmprogs
	@tools/lab/lab run --copy tests/vm tools/bench/bench.sh

demo: all
	@tools/lab/lab run tools/demo/demo

shell: all
	@tools/lab/lab shell

install: all
	$(MAKE) -C $(KDIR) M=$(CURDIR) modules_install
	depmod -a $(KVER)
	$(MAKE) -C usr install

clean:
	-$(MAKE) -C $(KDIR) M=$(CURDIR) clean
	$(MAKE) -C usr clean
	$(MAKE) -C tests/unit clean
	$(MAKE) -C tests/vm/prog clean
