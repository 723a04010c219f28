# SPDX-License-Identifier: GPL-2.0
# Writeback from its reserve, as when the slab has no memory for write
# requests: with rnfs's wb_reserve_only parameter, every request comes
# from the reserve (write.c), 16 pages at most, and so do the copies
# sent again after a failover.  A program in a 32 MiB memory cgroup
# writes 96 MiB through the mount, its page cache reclaimed and written
# back all along: intact, no OOM kill.  Then 160 MiB are written while
# srv1's link goes down for a moment: the writer sees no error, and the file
# on the backing filesystem is byte for byte what it wrote, and the
# writes given up on (from the reserve) are kept in doubt and checked
# once srv1 is back.
. "$(dirname "$0")/rnfs.bash"

param=/sys/module/rnfs/parameters/wb_reserve_only
[ -w "$param" ] || fail "rnfs has no wb_reserve_only parameter"
scratch
AT_EXIT+=("echo N > $param; lab-fault 1 clear")
check "take write requests from the reserve only" sh -c "echo Y > $param"
check "mount rnfs read-write" mount_rnfs_rw /mnt/v timeo=10,retrans=3
d=/mnt/v/$T
expect_active /mnt/v "$RNFS_SRV1" "at mount"

memory_cgroup rnfs-reserve 32M
check "fill a local copy" "$READLOOP" --fill /tmp/reserve 96 11
want=$("$READLOOP" --hash /tmp/reserve) || fail "hash /tmp/reserve"
rm -f /tmp/reserve
"${IN_CGROUP[@]}" "$READLOOP" --fill "$d/cg" 96 11 > cg.out 2>&1 &
wpid=$!
BG+=("$wpid")
if ! wait_for "$wpid" 90; then
	blocked_tasks
	fail "writing 96 MiB through rnfs in a 32 MiB cgroup: not done in 90 s"
fi
[ "$WAIT_STATUS" -eq 0 ] ||
	{ cat cg.out; fail "writing 96 MiB through rnfs in a 32 MiB cgroup: exit status $WAIT_STATUS"; }
[ "$("$READLOOP" --hash "$B/cg")" = "$want" ] ||
	fail "the file written in the cgroup is not on the backing filesystem as written"
grep -q '^oom_kill 0$' "$CG/memory.events" ||
	fail "the cgroup had OOM kills: $(cat "$CG/memory.events")"
echo "96 MiB written from a 32 MiB cgroup, every request from the reserve: intact, no OOM kill"

check "fill a local copy" "$READLOOP" --fill /tmp/reserve 160 12
want=$("$READLOOP" --hash /tmp/reserve) || fail "hash /tmp/reserve"
rm -f /tmp/reserve
# 160 MiB: srv1 goes down 16 MiB in, at the earliest, and writeback must
# still have writes out there then (it had none, once in ten runs, with
# 64 MiB: the fault came at 59 MiB, and nothing was given up on).
"$READLOOP" --fill "$d/big" 160 12 > writer.out 2>&1 &
wpid=$!
BG+=("$wpid")
end=$(($(uptime_ms) + 60000))
until [ "$(stat -c %s "$B/big" 2>/dev/null || echo 0)" -ge $((16 << 20)) ]; do
	kill -0 "$wpid" 2>/dev/null || { cat writer.out; fail "the writer ended before 16 MiB reached the server"; }
	[ "$(uptime_ms)" -lt "$end" ] || fail "16 MiB not on the server after 60s"
	sleep 0.1
done
klog_mark
check "lab-fault 1 down" lab-fault 1 down
echo "srv1 down with $(($(stat -c %s "$B/big") >> 20)) MiB on the backing filesystem"
# srv1 comes back as soon as the mount has left it.
wait_klog 30 "failover from $RNFS_SRV1" "no failover 30s after srv1 went down"
check "lab-fault 1 clear" lab-fault 1 clear
wait_for "$wpid" 180 || { blocked_tasks; fail "the writer still runs 180s after the fault"; }
[ "$WAIT_STATUS" -eq 0 ] || { cat writer.out; fail "the writer failed (exit status $WAIT_STATUS)"; }
expect_active /mnt/v "$RNFS_SRV2" "after srv1 went down"
[ "$("$READLOOP" --hash "$B/big")" = "$want" ] ||
	fail "the file written across the failover is not on the backing filesystem as written"
echo "160 MiB written across the failover, every request from the reserve: intact"
# The writes given up on came from the reserve too: they are kept in
# doubt all the same (as copies), and checked once srv1 is back.
end=$(($(uptime_ms) + 30000))
# (A write whose pages were busy or gone when it was given up on cannot
# be checked, and is logged as such.)
until klog_has "writes given up on:" || klog_has "is not checked"; do
	if [ "$(uptime_ms)" -ge "$end" ]; then
		# What rnfs did after the fault, and anything stuck:
		klog_since | grep rnfs | tail -n 8
		blocked_tasks
		rpc_state
		fail "30s after srv1 came back, rnfs has checked no write given up on"
	fi
	sleep 0.2
done
klog_since | grep -E "fenced|writes given up on|not kept in doubt" | sed 's/^/    /'
! klog_has "not kept in doubt" || fail "a write given up on was not kept in doubt"
check_umount /mnt/v 30
