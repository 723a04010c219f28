# SPDX-License-Identifier: GPL-2.0
# Shared memory (a memfd, as /dev/shm and MPI segments are) paged to an
# rnfs swap file: srv1's link goes down while its pages are being written
# out, so rnfs gives up on writes there and sends them to srv2.  With srv1
# still down, every page reads back intact and none waits past the deadline:
# the kernel waits for a shared page's writeback before reading it back,
# so a write given up on must end once srv2 has it, not once srv1 is back
# or fenced (kmod/swap.c).
SWAP_MIB=256
. "$(dirname "$0")/swap.bash"

limit=$(($(deadline_ms 10 3) + 3000))
swap_setup
# 64 MiB of shared memory in 48 MiB: a quarter of it in swap.
echo 48M > "$CG/memory.max"
in_cgroup_bg sp.out "$PROGS/shmpress" 64 96 "$PWD"
SP=$BGPID
wait_line sp.out "^filled$" 60 "$SP"
used=$(swap_used_kib)
[ "$used" -gt $((8 * 1024)) ] ||
	fail "only ${used} KiB of the shared memory in swap: it does not page"
echo "64 MiB of shared memory filled, ${used} KiB in swap"

# 96 MiB more, anonymous, in 12 s or more: the shared pages go out to
# swap, to srv1, whose link goes down once 4 MiB more are out: writes
# then out there get no answer.
klog_mark
AT_EXIT+=("lab-fault 1 clear")
touch press
end=$(($(uptime_ms) + 30000))
while [ "$(swap_used_kib)" -lt $((used + 4096)) ]; do
	[ "$(uptime_ms)" -lt "$end" ] || fail "the swap file did not grow by 4 MiB in 30 s"
	sleep 0.05
done
check "lab-fault 1 down" lab-fault 1 down
echo "srv1 down with $(swap_used_kib) KiB in swap"
wait_line sp.out "^pressed " 120 "$SP"
wait_klog 30 "write batches given up on $RNFS_SRV1" \
	"rnfs gave up on no swap write on srv1 while it was down: this tests nothing ($(klog_since | grep rnfs | tail -n 8))"
echo "$(grep '^pressed ' sp.out), $(swap_used_kib) KiB in swap; $(klog_since | grep -o '[0-9]* write batches given up on .*,' | head -n 1)"
klog_has "failover from $RNFS_SRV1 to $RNFS_SRV2" || fail "no failover in the kernel log"
swap_server_is "$RNFS_SRV2" "after srv1 went down"

# Every page back, srv1 still down.
echo max > "$CG/memory.max"
touch verify
wait_line sp.out "^shmpress: " 60 "$SP"
wait_for "$SP" 10 || fail "shmpress still running after its last line"
wait "$BGCAT"
show sp.out
[ "$WAIT_STATUS" -eq 0 ] || fail "shmpress: exit status $WAIT_STATUS"
[ "$(field sp.out bad)" = 0 ] || fail "shared pages not as written"
stall=$(field sp.out max_stall_ms)
[ "$stall" -lt "$limit" ] ||
	fail "a shared page took ${stall} ms to read back with srv1 down, past the deadline + 3 s (${limit} ms)"
echo "every shared page back intact with srv1 down; longest touch ${stall} ms"

swap_srv1_back
check "swapoff" bounded 90 swapoff "$SWAPFILE"
klog_since | grep -iE 'read-error on swap|write error.*swap|swap.*failed on every' &&
	fail "swap I/O errors in the kernel log"
check_umount /mnt/s 30
