# SPDX-License-Identifier: GPL-2.0
#
# Helpers for the swap scenarios: a swap file on a read-write rnfs mount
# (timeo=10,retrans=3: a 3 s deadline), and swapverify paging through it
# from a memory cgroup far smaller than its working set.
. "$(dirname "$0")/rnfs.bash"

SWAP_MIB=${SWAP_MIB:-128}	# the swap file
SWAP_WORKSET=64		# swapverify's anonymous memory, MiB
SWAP_CGROUP=24M		# what of it may stay in memory

# swap_setup: mount /mnt/s, make $B/swap in full on the backing
# filesystem, mkswap it, and swapon it through rnfs (SWAPFILE); the memory
# cgroup swapverify runs in (memory_cgroup).  swapoff on exit.
swap_setup() {
	scratch
	check "mount rnfs read-write" mount_rnfs_rw /mnt/s timeo=10,retrans=3
	expect_active /mnt/s "$RNFS_SRV1" "after mounting"
	swap_setup_file
}

# swap_setup_file: the same on /mnt/s, mounted already.
swap_setup_file() {
	check "allocate the swap file" dd if=/dev/zero of="$B/swap" bs=1M \
		count=$SWAP_MIB status=none
	chmod 600 "$B/swap"
	check "mkswap" mkswap -q "$B/swap"
	SWAPFILE=/mnt/s/$T/swap
	# swapoff waits for the writes given up on a server that failed
	# (kmod/swap.c): clear the faults first.
	AT_EXIT+=("lab-fault 1 clear; lab-fault 2 clear; swapoff $SWAPFILE 2>/dev/null")
	check "swapon $SWAPFILE" bounded 30 swapon "$SWAPFILE"
	grep -q "^$SWAPFILE " /proc/swaps || fail "$SWAPFILE is not in /proc/swaps"
	klog_has "swap file" || fail "rnfs did not log the swap file's activation"
	memory_cgroup "$T" $SWAP_CGROUP
}

# in_cgroup_bg OUT PROG ARGS...: PROG in the cgroup, in the background
# (BGPID), its output in OUT through cat (BGCAT), which runs outside the
# cgroup: a tmpfs page PROG wrote itself would be charged to the cgroup
# and swapped out with the rest, and a grep reading it back would wait
# for the swap I/O (or for a write held behind one given up on, see
# kmod/swap.c).
in_cgroup_bg() {
	local out=$1

	shift
	rm -f "$out.fifo"
	mkfifo "$out.fifo" || fail "mkfifo $out.fifo"
	cat "$out.fifo" > "$out" &
	BGCAT=$!
	BG+=("$BGCAT")
	"${IN_CGROUP[@]}" "$@" > "$out.fifo" 2>&1 &
	BGPID=$!
	BG+=("$BGPID")
}

# wait_line FILE REGEX SECS PID: until a line of FILE matches REGEX; fail
# after SECS, or if PID ended first.
wait_line() {
	local end=$(($(uptime_ms) + $3 * 1000))

	until grep -qE -- "$2" "$1"; do
		kill -0 "$4" 2>/dev/null ||
			{ show "$1"; fail "the program writing $1 ended before a line matching \"$2\""; }
		[ "$(uptime_ms)" -lt "$end" ] ||
			{ show "$1"; fail "no line matching \"$2\" in $1 after $3s"; }
		sleep 0.2
	done
}

# swap_start PASSES: swapverify in the cgroup, in the background (SV),
# its output in sv.out.
swap_start() {
	in_cgroup_bg sv.out "$PROGS/swapverify" $SWAP_WORKSET "$1" "$PWD"
	SV=$BGPID
	SVCAT=$BGCAT
}

# swap_server_is ADDR WHEN: nfs4cl swaps lists the swap file, paging to
# ADDR's export; WHEN is for the message.
swap_server_is() {
	local line
	line=$(nfs4cl swaps | awk -v f="$SWAPFILE" '$1 == f')
	[ "$(awk '{ print $NF }' <<< "$line")" = "$1:$RNFS_EXPORT" ] ||
		fail "$2: nfs4cl swaps says \"$line\", want $SWAPFILE paging to $1:$RNFS_EXPORT ($(nfs4cl swaps))"
}

# swap_used_kib: what the swap file holds now.
swap_used_kib() {
	awk -v f="$SWAPFILE" '$1 == f { print $4 }' /proc/swaps
}

# swap_wait_pass N SECS: until swapverify said "pass N"; fail after SECS.
swap_wait_pass() {
	wait_line sv.out "^pass $1 " "$2" "$SV"
}

# swap_stall: the longest page touch so far, in ms (swapverify's lines).
swap_stall() {
	tail -n 1 sv.out | tr ' ' '\n' | sed -n 's/^max_stall_ms=//p'
}

# swap_finish PASSES SECS: swapverify makes its PASSES passes within SECS
# with every page intact; then swapoff (the cgroup's limit lifted first,
# so that the pages coming back are not an OOM) must bring every page
# back intact; no OOM kill, no swap I/O error in the kernel log.  Writes
# given up on a failed server wait for it (swap.c): call it once any
# fault is cleared.
swap_finish() {
	swap_wait_pass "$1" "$2"
	wait_for_file passed 30 || { show sv.out; fail "swapverify did not say it passed"; }
	echo max > "$CG/memory.max"
	check "swapoff after the fault" bounded 90 swapoff "$SWAPFILE"
	grep -q "^$SWAPFILE " /proc/swaps && fail "$SWAPFILE still in /proc/swaps after swapoff"
	klog_has "swap file" || fail "no deactivation in the kernel log"
	touch verify
	wait_for "$SV" 60 || { show sv.out; fail "swapverify still running 60s after swapoff"; }
	wait "$SVCAT"	# the last lines in sv.out
	show sv.out
	[ "$WAIT_STATUS" -eq 0 ] || fail "swapverify: exit status $WAIT_STATUS"
	[ "$(field sv.out bad)" = 0 ] || fail "swapverify found pages not as written"
	grep -q '^oom_kill 0$' "$CG/memory.events" ||
		fail "OOM kill in $CG: $(tr '\n' ' ' < "$CG/memory.events")"
	if klog_since | grep -iE 'read-error on swap|write error.*swap|swap.*failed on every'; then
		fail "swap I/O errors in the kernel log"
	fi
}

# swap_srv1_back: clear srv1's fault and wait until rnfs uses it again
# (fenced): writes given up on there end then, and swapoff waits for them.
swap_srv1_back() {
	check "lab-fault 1 clear" lab-fault 1 clear
	wait_klog 60 "replica $RNFS_SRV1 is up" \
		"srv1 not up again 60 s after its fault was cleared"
}

# wait_for_file NAME SECS: until $PWD/NAME exists; 1 after SECS.
wait_for_file() {
	local end=$(($(uptime_ms) + $2 * 1000))

	until [ -e "$1" ]; do
		[ "$(uptime_ms)" -lt "$end" ] || return 1
		sleep 0.2
	done
}

# swap_failover FAULT: srv1 gets FAULT once swapverify's first pass is
# done (its whole working set made, the swap file in use); every later
# pass and the final check find every page intact, no page touch stalls
# past the deadline + 3 s, the kernel log shows the failover, the mount
# and nfs4cl show srv2, and srv2 carried the paging after the fault.
swap_failover() {
	local fault=$1 limit rx0 rx stall used

	limit=$(($(deadline_ms 10 3) + 3000))
	swap_setup
	swap_server_is "$RNFS_SRV1" "before the fault"
	swap_start 5
	swap_wait_pass 1 120
	used=$(swap_used_kib)
	[ "$used" -gt $((16 * 1024)) ] ||
		fail "swapverify's first pass put only ${used} KiB in swap: it does not page"
	echo "pass 1 done, ${used} KiB in swap: srv1 $fault"
	rx0=$(rx_bytes 2)
	check "lab-fault 1 $fault" lab-fault 1 "$fault"

	swap_wait_pass 5 180
	stall=$(swap_stall)
	rx=$(($(rx_bytes 2) - rx0))
	echo "after srv1 $fault: srv2 sent $((rx / 1024)) KiB; longest page touch ${stall} ms"
	klog_has "failover from $RNFS_SRV1 to $RNFS_SRV2" ||
		fail "no failover in the kernel log"
	expect_active /mnt/s "$RNFS_SRV2" "after srv1 $fault"
	[ "$(showfs_field /mnt/s current)" = "$RNFS_SRV2:$RNFS_EXPORT" ] ||
		fail "nfs4cl showfs: current is $(showfs_field /mnt/s current), want $RNFS_SRV2:$RNFS_EXPORT"
	swap_server_is "$RNFS_SRV2" "after srv1 $fault"
	[ "$rx" -gt $((8 * 1024 * 1024)) ] ||
		fail "srv2 sent only $rx bytes after the fault: the paging did not move there"
	[ "$stall" -lt "$limit" ] ||
		fail "a page touch stalled ${stall} ms, more than the deadline + 3 s"
	swap_wait_pass 5 60
	swap_srv1_back
	swap_finish 5 60
	check_umount /mnt/s 30
}
