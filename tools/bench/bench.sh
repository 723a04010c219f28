#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# `make bench`, run in the lab guest (tools/lab/lab run --copy tests/vm
# tools/bench/bench.sh [RUNS]): rnfs against a plain NFSv4.2 mount of the
# same export from the same server (srv1), both read-write.
#
#   - sequential read of a 256 MiB file with a cold cache (dd bs=1M), MB/s
#   - stat() per second, and open()+close() per second, over 2,000 files
#   - sequential write of 128 MiB, fsync included, MB/s
#   - 4 KiB random writes over a 32 MiB file, fsync included, per second
#   - creates and unlinks per second, 2,000 files
#   - the failover stall: readloop's longest call when srv1 fails (stop,
#     down, blackhole) at timeo=1,retrans=3 and at the defaults
#     (timeo=10,retrans=3)
#   - the write stall: recwriter's longest write or fsync when srv1 fails
#     (stop, down, blackhole) at the defaults
#   - the mixed-workload stall: readloop's longest call when srv1 is
#     blackholed while programs run from the mount (timeo=5,retrans=2)
#   - swap to a 128 MiB file on the mount: swap-out MB/s (swapverify
#     writes 64 MiB in a 24 MiB memory cgroup) and swap-in MB/s (it reads
#     every page back, the limit lifted)
#   - the paging stall: swapverify's longest page touch when srv1 fails
#     (stop, down, blackhole) at the defaults
#
# Each is measured RUNS times (default 3), the two mounts alternating, and
# the median is shown, with the median of the runs' rnfs/plain ratios.
# Prints a table; exits 1 if a measurement could not
# be made.  The numbers are those of an emulated guest (qemu TCG, 2 vCPUs):
# compare the ratios, not the absolute values.
. /lab/files/vm/rnfs.bash
pin_nfs_clients		# see there: mounts come and go below

RUNS=${1:-3}
B=$RNFS_BACKING/bench
SECS=5			# statloop's duration per measurement
WRITEBENCH=$PROGS/writebench
RECWRITER=$PROGS/recwriter
SWAPVERIFY=$PROGS/swapverify
SWAP_LIMIT=24M		# swapverify's memory cgroup, for its 64 MiB

die() {
	echo "bench: $*"
	exit 1
}

# problem TEXT: a measurement went wrong; listed again at the end.  Also
# from $(...) subshells, hence the file.
problem() {
	echo "$*" >> problems
	echo "  ! $*" >&2
}

# The median of the numbers on stdin, one per line.
median() {
	sort -n | awk '{ v[NR] = $1 } END { if (NR) print v[int((NR + 1) / 2)] }'
}

ratio() {
	awk -v a="$1" -v b="$2" 'BEGIN { if (a != "" && b > 0) printf "%.2f", a / b; else print "-" }'
}

drop_caches() {
	sync
	echo 3 > /proc/sys/vm/drop_caches
}

# seq_read MOUNT: MB/s reading the big file from cold.
seq_read() {
	local t0 t1
	drop_caches
	t0=$(/usr/bin/date +%s.%N)
	timeout -s KILL 300 dd if="$1/bench/big" of=/dev/null bs=1M status=none ||
		return 1
	t1=$(/usr/bin/date +%s.%N)
	awk -v a="$t0" -v b="$t1" -v n=$((256 * 1048576)) \
		'BEGIN { printf "%.1f", n / 1e6 / (b - a) }'
}

# meta MOUNT [-o]: stat() (or open+close) per second over the 2,000 files.
meta() {
	local m=$1 out
	shift
	out=$(timeout -s KILL $((SECS + 60)) "$STATLOOP" "$@" "$PWD/list.$m" "$SECS") ||
		{ echo "$out" >&2; return 1; }
	echo "$out" | tail -n 1 | tr ' ' '\n' | sed -n 's/^ops_per_sec=//p'
}

# measure NAME CMD...: run CMD RUNS times for each mount, alternating;
# sets NAME_rnfs and NAME_plain to the medians, and NAME_ratio to the
# median of the runs' rnfs/plain ratios: the two measurements of a run
# are made one after the other, in the same state of a lab whose speed
# drifts during the benchmark.
measure() {
	local name=$1 i m v r p
	shift
	: > "$name.rnfs"
	: > "$name.plain"
	: > "$name.ratio"
	for ((i = 1; i <= RUNS; i++)); do
		r='' p=''
		for m in rnfs plain; do
			if v=$("$@" "$m"); then
				echo "$v" >> "$name.$m"
				echo "  $name $m run $i: $v"
				[ $m = rnfs ] && r=$v || p=$v
			else
				problem "$name through $m failed (run $i)"
			fi
		done
		if [ -n "$r" ] && [ -n "$p" ]; then
			echo "$(ratio "$r" "$p")" >> "$name.ratio"
		fi
	done
	printf -v "${name}_rnfs" '%s' "$(median < "$name.rnfs")"
	printf -v "${name}_plain" '%s' "$(median < "$name.plain")"
	printf -v "${name}_ratio" '%s' "$(median < "$name.ratio")"
}

# repeat CMD...: CMD RUNS times, each printing a time in ms (or nothing
# when it failed); prints "median (max)" of the times, or "-".
repeat() {
	local i v

	: > repeat.values
	for ((i = 1; i <= RUNS; i++)); do
		if v=$("$@") && [ -n "$v" ]; then
			echo "$v" >> repeat.values
			echo "  run $i: ${v} ms" >&2
		fi
	done
	if [ -s repeat.values ]; then
		echo "$(median < repeat.values) ($(sort -n repeat.values | tail -n 1))"
	else
		echo "-"
	fi
}

# row LABEL NAME: a line of the table.
row() {
	local r=${2}_rnfs p=${2}_plain q=${2}_ratio

	printf '%-30s %10s %10s %12s\n' "$1" "${!r}" "${!p}" "${!q:--}"
}

# wb_field NAME CMD...: writebench's NAME= value.
wb_field() {
	local name=$1 out
	shift
	out=$(timeout -s KILL 300 "$WRITEBENCH" "$@") || { echo "$out" >&2; return 1; }
	echo "$out" | tr ' ' '\n' | sed -n "s/^$name=//p"
}

seq_m() { seq_read "/mnt/$1"; }
wseq_m() { wb_field mb_per_sec seq "/mnt/$1/bench/w-$1" 128; }
rand_m() { wb_field iops rand "/mnt/$1/bench/r-$1" 32 "$SECS"; }
create_m() { wb_field creates_per_sec files "/mnt/$1/bench/c-$1" 2000; }
unlink_m() { wb_field unlinks_per_sec files "/mnt/$1/bench/c-$1" 2000; }
stat_m() { meta "$1"; }
open_m() { meta "$1" -o; }

# stall FAULT TIMEO RETRANS: one failover of a readloop through rnfs;
# prints readloop's max_stall_ms (a run with errors or without failover
# is also listed as a problem), nothing when there is no result.
stall() {
	local fault=$1 opts="timeo=$2,retrans=$3" out=$PWD/stall.out
	local secs=$((3 + $2 * $3 / 10 + 6)) try rl rc a

	# failback=auto,failback_delay=0: if srv1 was slow to answer the
	# mount's probe, the mount starts on srv2 and moves back to srv1 as
	# soon as it answers.
	for try in 1 2 3; do
		mount_rnfs /mnt/f "$opts,failback=auto,failback_delay=0" 2>/dev/null && break
		[ $try -lt 3 ] || { problem "$fault $opts: mount failed"; return 1; }
		sleep 2
	done
	if ! wait_active /mnt/f "$RNFS_SRV1" 30; then
		problem "$fault $opts: the mount never used srv1"
		umount_any /mnt/f
		return 1
	fi
	timeout -s KILL $((secs + 120)) "$READLOOP" /mnt/f/bench/stall "$secs" \
		"$want_stall" > "$out" 2>&1 &
	rl=$!
	sleep 3
	lab-fault 1 "$fault" >&2
	wait "$rl"
	rc=$?
	a=$(active_server /mnt/f)
	lab-fault 1 clear >&2
	timeout -s KILL 60 umount /mnt/f 2>/dev/null || umount_any /mnt/f
	if [ $rc -ne 0 ] || [ "$a" != "$RNFS_SRV2" ]; then
		problem "$fault $opts: readloop status $rc, active=$a: $(tail -n 1 "$out")"
		grep -q '^passes=' "$out" || return 1
	fi
	rl_field "$out" max_stall_ms
	sleep 2		# let srv1's client state settle before the next run
}

# write_stall FAULT: recwriter (4 KiB records, fsync after each) through a
# read-write rnfs mount at the defaults when srv1 gets FAULT; prints its
# longest call in ms.  The servers hand out delegations, as by default;
# rnfs asks for none for a file it opens to write (see failover_write in
# rnfs.bash).
write_stall() {
	local fault=$1 out=$PWD/wstall.out rw rc a

	if ! mount_rnfs_rw /mnt/f failback=auto,failback_delay=0 2>/dev/null ||
		! wait_active /mnt/f "$RNFS_SRV1" 30; then
		problem "write stall $fault: no rnfs mount on srv1"
		umount_any /mnt/f
		return 1
	fi
	timeout -s KILL 120 "$RECWRITER" /mnt/f/bench/records 12 > "$out" 2>&1 &
	rw=$!
	sleep 3
	lab-fault 1 "$fault" >&2
	wait "$rw"
	rc=$?
	a=$(active_server /mnt/f)
	lab-fault 1 clear >&2
	timeout -s KILL 60 umount /mnt/f 2>/dev/null || umount_any /mnt/f
	if [ $rc -ne 0 ] || [ "$a" != "$RNFS_SRV2" ]; then
		problem "write stall $fault: recwriter status $rc, active=$a: $(tail -n 1 "$out")"
		return 1
	fi
	rl_field "$out" max_stall_ms
	sleep 2
}

# mixed_stall: srv1 blackholed (timeo=5,retrans=2: a 1 s deadline) while
# readloop reads through rnfs dropping its cached pages every pass, a
# program from the mount is run over and over, and a long-running one
# (spin) runs from it; prints readloop's longest call in ms.
mixed_stall() {
	local out=$PWD/mixed.out rl ex sp rc a

	if ! mount_rnfs /mnt/f timeo=5,retrans=2,failback=auto,failback_delay=0 2>/dev/null ||
		! wait_active /mnt/f "$RNFS_SRV1" 30; then
		problem "mixed stall: no rnfs mount on srv1"
		umount_any /mnt/f
		return 1
	fi
	rm -f mixed.stop
	/mnt/f/bench/bin/spin "$PWD/spin.count" &
	sp=$!
	(while [ ! -e mixed.stop ]; do timeout -s KILL 30 /mnt/f/bench/bin/true; done) &
	ex=$!
	timeout -s KILL 140 "$READLOOP" /mnt/f/bench/stall 10 "$want_stall" > "$out" 2>&1 &
	rl=$!
	sleep 3
	lab-fault 1 blackhole >&2
	wait "$rl"
	rc=$?
	touch mixed.stop
	kill "$sp"
	wait "$ex" "$sp" 2>/dev/null
	a=$(active_server /mnt/f)
	lab-fault 1 clear >&2
	timeout -s KILL 60 umount /mnt/f 2>/dev/null || umount_any /mnt/f
	if [ $rc -ne 0 ] || [ "$a" != "$RNFS_SRV2" ]; then
		problem "mixed stall: readloop status $rc, active=$a: $(tail -n 1 "$out")"
		return 1
	fi
	rl_field "$out" max_stall_ms
	sleep 2
}

# The page size in bytes (the guest has no getconf).
page_size() {
	awk '/^KernelPageSize:/ { print $2 * 1024; exit }' /proc/self/smaps
}

vmstat() {
	awk -v k="$1" '$1 == k { print $2 }' /proc/vmstat
}

# swap_rates MOUNT: swapverify (64 MiB, one pass) in the memory cgroup,
# paging to the swap file on MOUNT (rnfs or plain): the pass pushes what
# does not fit out to swap, then, the limit lifted, it reads every page
# back.  Prints the two rates, MB/s: "OUT IN".
swap_rates() {
	local f=/mnt/$1/bench/swap-$1 d=$PWD/sv-$1 sv rc o0 o1 i1 i2 t0 t1 t2

	rm -rf "$d"
	mkdir -p "$d"
	timeout -s KILL 30 swapon "$f" || { problem "swapon $f failed"; return 1; }
	echo "$SWAP_LIMIT" > "$CG/memory.max"
	o0=$(vmstat pswpout)
	t0=$(uptime_ms)
	"${IN_CGROUP[@]}" "$SWAPVERIFY" 64 1 "$d" > "$d/out" 2>&1 &
	sv=$!
	while [ ! -e "$d/passed" ] && kill -0 "$sv" 2>/dev/null; do
		sleep 0.05
	done
	t1=$(uptime_ms)
	o1=$(vmstat pswpout)
	echo max > "$CG/memory.max"
	i1=$(vmstat pswpin)
	touch "$d/verify"
	wait "$sv"
	rc=$?
	t2=$(uptime_ms)
	i2=$(vmstat pswpin)
	timeout -s KILL 120 swapoff "$f" || problem "swapoff $f failed"
	if [ $rc -ne 0 ]; then
		problem "swap through $1: swapverify status $rc: $(tail -n 1 "$d/out")"
		return 1
	fi
	awk -v o=$((o1 - o0)) -v i=$((i2 - i1)) -v a=$((t1 - t0)) \
		-v b=$((t2 - t1)) -v p="$(page_size)" \
		'BEGIN { printf "%.1f %.1f\n", o * p / 1e6 / (a / 1000), i * p / 1e6 / (b / 1000) }'
}

# swap_stall FAULT: swapverify (64 MiB, 4 passes) paging to the swap
# file through a read-write rnfs mount at the defaults; srv1 gets FAULT
# after the first pass.  Prints its longest page touch in ms.
swap_stall() {
	local fault=$1 f=/mnt/f/bench/swap-rnfs d=$PWD/svf sv rc a

	rm -rf "$d"
	mkdir -p "$d"
	if ! mount_rnfs_rw /mnt/f failback=auto,failback_delay=0 2>/dev/null ||
		! wait_active /mnt/f "$RNFS_SRV1" 30 ||
		! timeout -s KILL 30 swapon "$f"; then
		problem "paging stall $fault: no swap on an rnfs mount on srv1"
		umount_any /mnt/f
		return 1
	fi
	echo "$SWAP_LIMIT" > "$CG/memory.max"
	"${IN_CGROUP[@]}" "$SWAPVERIFY" 64 4 "$d" > "$d/out" 2>&1 &
	sv=$!
	until grep -q '^pass 1 ' "$d/out" || ! kill -0 "$sv" 2>/dev/null; do
		sleep 0.1
	done
	lab-fault 1 "$fault" >&2
	while [ ! -e "$d/passed" ] && kill -0 "$sv" 2>/dev/null; do
		sleep 0.2
	done
	echo max > "$CG/memory.max"
	touch "$d/verify"
	wait "$sv"
	rc=$?
	a=$(active_server /mnt/f)
	# swapoff waits for the writes given up on srv1 to settle (swap.c):
	# srv1 back and fenced.
	lab-fault 1 clear >&2
	timeout -s KILL 120 swapoff "$f" || problem "paging stall $fault: swapoff failed"
	timeout -s KILL 60 umount /mnt/f 2>/dev/null || umount_any /mnt/f
	if [ $rc -ne 0 ] || [ "$a" != "$RNFS_SRV2" ]; then
		problem "paging stall $fault: swapverify status $rc, active=$a: $(tail -n 1 "$d/out")"
		return 1
	fi
	field "$d/out" max_stall_ms
	sleep 2
}

echo "== setting up"
mkdir -p /tmp/bench
cd /tmp/bench || die "no /tmp/bench"
rm -f problems
rm -rf "$B"
mkdir -p "$B" || die "mkdir $B"
"$READLOOP" --fill "$B/big" 256 1 || die "cannot write the 256 MiB file"
"$READLOOP" --fill "$B/stall" 64 2 || die "cannot write the 64 MiB file"
want_stall=$("$READLOOP" --hash "$B/stall") || die "hash"
mkdir -p "$B/bin" && cp "$SPIN" /usr/bin/true "$B/bin/" || die "copy the programs"
for m in rnfs plain; do
	dd if=/dev/zero of="$B/swap-$m" bs=1M count=128 status=none &&
		chmod 600 "$B/swap-$m" && mkswap -q "$B/swap-$m" ||
		die "cannot make the swap file for $m"
done
memory_cgroup bench-swap max
# One tree per mount: both mounts share srv1's NFS client, and the server
# gives a file's delegation to the first to open it; the other would then
# pay an OPEN and a CLOSE for every open.
for m in rnfs plain; do
	for d in {00..19}; do
		mkdir -p "$B/files-$m/d$d"
		for f in {000..099}; do
			echo "$d$f" > "$B/files-$m/d$d/f$f"
		done
	done
done
mount_nfs "$RNFS_SRV1" /mnt/plain || die "plain NFS mount failed"
mount_rnfs_rw /mnt/rnfs || die "rnfs mount failed"
[ "$(active_server /mnt/rnfs)" = "$RNFS_SRV1" ] || die "rnfs does not use srv1"
for m in rnfs plain; do
	(cd "$B/files-$m" && find . -type f | sort) |
		sed "s|^\\.|/mnt/$m/bench/files-$m|" > "list.$m"
	# Read every file once: both measure warm metadata caches.
	xargs -d '\n' cat < "list.$m" > /dev/null || die "reading the files through $m"
done
echo "superblock options: $(superopts /mnt/rnfs)"

echo "== sequential read, 256 MiB, cold cache"
measure seq seq_m
echo "== stat, ${SECS}s each"
measure stat stat_m
echo "== open+close, ${SECS}s each"
measure open open_m
for m in rnfs plain; do
	mkdir -p "$B/c-$m"
done
echo "== sequential write, 128 MiB, fsync included"
measure wseq wseq_m
echo "== 4 KiB random writes, ${SECS}s each, fsync included"
measure rand rand_m
echo "== create, 2,000 files"
measure create create_m
echo "== unlink, 2,000 files"
measure unlink unlink_m

echo "== swap: out and in"
: > swapout.ratio
: > swapin.ratio
for m in rnfs plain; do
	: > "swapout.$m"
	: > "swapin.$m"
done
for ((i = 1; i <= RUNS; i++)); do
	declare -A so=() si=()
	for m in rnfs plain; do
		if v=$(swap_rates "$m"); then
			read -r so[$m] si[$m] <<< "$v"
			echo "${so[$m]}" >> "swapout.$m"
			echo "${si[$m]}" >> "swapin.$m"
			echo "  swap $m run $i: out ${so[$m]} MB/s, in ${si[$m]} MB/s"
		fi
	done
	if [ -n "${so[rnfs]:-}" ] && [ -n "${so[plain]:-}" ]; then
		echo "$(ratio "${so[rnfs]}" "${so[plain]}")" >> swapout.ratio
		echo "$(ratio "${si[rnfs]}" "${si[plain]}")" >> swapin.ratio
	fi
done
for n in swapout swapin; do
	printf -v "${n}_rnfs" '%s' "$(median < "$n.rnfs")"
	printf -v "${n}_plain" '%s' "$(median < "$n.plain")"
	printf -v "${n}_ratio" '%s' "$(median < "$n.ratio")"
done

declare -A ps ws st
for fault in stop down blackhole; do
	echo "== paging stall: srv1 $fault, timeo=10,retrans=3"
	ps[$fault]=$(repeat swap_stall "$fault")
done
for fault in stop down blackhole; do
	echo "== write stall: srv1 $fault, timeo=10,retrans=3"
	ws[$fault]=$(repeat write_stall "$fault")
done
for fault in stop down blackhole; do
	for tr in "1 3" "10 3"; do
		# shellcheck disable=SC2086
		set -- $tr
		echo "== failover stall: srv1 $fault, timeo=$1,retrans=$2"
		st[$fault,$1]=$(repeat stall "$fault" "$1" "$2")
	done
done
echo "== mixed-workload stall: srv1 blackhole, timeo=5,retrans=2"
mixed=$(repeat mixed_stall)

for m in rnfs plain; do
	timeout -s KILL 60 umount "/mnt/$m" || umount_any "/mnt/$m"
done
rm -rf "$B"

echo
echo "rnfs benchmark: rnfs and a plain NFSv4.2 mount of the same export on"
echo "srv1, both rw; qemu TCG guest, $(nproc) vCPUs; medians of $RUNS runs"
echo "(the ratio: the median of the runs' ratios)"
echo
printf '%-30s %10s %10s %12s\n' "" rnfs "plain nfs" rnfs/plain
row "sequential read, MB/s" seq
row "stat, ops/s" stat
row "open+close, ops/s" open
row "sequential write, MB/s" wseq
row "4 KiB random write, IOPS" rand
row "create, files/s" create
row "unlink, files/s" unlink
row "swap-out, MB/s" swapout
row "swap-in, MB/s" swapin
echo
echo "failover stall: readloop's longest call, ms, when srv1 fails;"
echo "median (max) of $RUNS runs"
echo
printf '%-12s %-28s %-28s\n' fault "timeo=1,retrans=3 (0.3 s)" "timeo=10,retrans=3 (3 s)"
for fault in stop down blackhole; do
	printf '%-12s %-28s %-28s\n' "$fault" "${st[$fault,1]}" "${st[$fault,10]}"
done
echo
echo "write stall: recwriter's longest write or fsync, ms, when srv1 fails"
echo "(timeo=10,retrans=3: a 3 s deadline); median (max) of $RUNS runs"
echo
printf '%-12s %s\n' stop "${ws[stop]}"
printf '%-12s %s\n' down "${ws[down]}"
printf '%-12s %s\n' blackhole "${ws[blackhole]}"
echo
echo "mixed-workload stall: readloop's longest call, ms, when srv1 is"
echo "blackholed while a program is exec'd from the mount in a loop and"
echo "another runs from it (timeo=5,retrans=2: a 1 s deadline); median"
echo "(max) of $RUNS runs"
echo
printf '%-12s %s\n' blackhole "$mixed"
echo
echo "paging stall: swapverify's longest page touch, ms, when srv1 fails"
echo "while it pages (timeo=10,retrans=3: a 3 s deadline); median (max) of"
echo "$RUNS runs"
echo
printf '%-12s %s\n' stop "${ps[stop]}"
printf '%-12s %s\n' down "${ps[down]}"
printf '%-12s %s\n' blackhole "${ps[blackhole]}"
if [ -s problems ]; then
	echo
	echo "problems:"
	sed 's/^/  /' problems
	exit 1
fi
