# SPDX-License-Identifier: GPL-2.0
# A server that restarted is recovered by the NFS client before anything
# else goes on there: it reclaims the files the client had open.  rnfs
# kills the calls left on a replica declared down, every second, until a
# probe finds it answering; those kills must spare the client's recovery.
# Forty files are held open on srv1; srv1 stops (its nfsd loses its
# state), the mount fails over, and srv1 starts again behind a 250 ms
# delay, so that reclaiming the opens takes seconds of rnfs's kills.  No
# reclaim may fail ("state recovery failed" in the kernel log: the client
# would lose those opens, and srv1 keep them), srv1 is used again, and
# once the files are closed and the mount is gone, srv1 holds nothing.
. "$(dirname "$0")/rnfs.bash"

n=40
scratch
for i in $(seq $n); do
	echo "file $i" > "$B/f$i"
done
check "mount rnfs read-write" mount_rnfs_rw /mnt/r timeo=10,retrans=3
expect_active /mnt/r "$RNFS_SRV1" "after mounting"
# One process holds every file open, read-write: NFSv4 opens on srv1.
(
	for i in $(seq $n); do
		eval "exec $((i + 10))<>\"/mnt/r/$T/f$i\"" || exit 1
	done
	echo holding > held
	exec sleep 600
) &
holder=$!
BG+=("$holder")
wait_for_held() {
	local end=$(($(uptime_ms) + 30000))

	until [ -e held ]; do
		kill -0 "$holder" 2>/dev/null || fail "opening the $n files failed"
		[ "$(uptime_ms)" -lt "$end" ] || fail "the $n files not open after 30s"
		sleep 0.1
	done
}
wait_for_held
opens=$(srv_states 1)
[ "$opens" -ge "$n" ] || fail "srv1 holds $opens opens for the $n open files"
echo "srv1 holds $opens opens"

klog_mark
AT_EXIT+=("lab-fault 1 clear")
check "lab-fault 1 stop" lab-fault 1 stop
wait_klog 30 "failover from $RNFS_SRV1 to $RNFS_SRV2" "no failover 30s after srv1 stopped"
check "lab-fault 1 netem delay 250ms" lab-fault 1 netem delay 250ms
t0=$(uptime_ms)
check "lab-fault 1 start" lab-fault 1 start
wait_klog 120 "replica $RNFS_SRV1 is up" "srv1 not up 120 s after it started again"
echo "srv1 up again $(secs $(($(uptime_ms) - t0)))s after it started behind a 250 ms delay"
klog_since | grep -E "reset the connection|answers again|fenced" | sed 's/^/    /'
if klog_since | grep -E "state recovery failed|nfs4_reclaim_open_state"; then
	fail "the NFS client failed to reclaim opens on srv1 while rnfs killed its calls"
fi
check "lab-fault 1 clear" lab-fault 1 clear

# srv1 serves the files again: read them there.
check "nfs4cl switch to srv1" nfs4cl switch /mnt/r "$RNFS_SRV1"
for i in 1 $n; do
	line=$(< "/mnt/r/$T/f$i") || fail "reading f$i on srv1"
	[ "$line" = "file $i" ] || fail "f$i reads \"$line\" on srv1"
done
kill -KILL "$holder"
wait "$holder" 2>/dev/null
check_umount /mnt/r 30
srv_states_gone 1 30 "after closing the files and unmounting"
echo "srv1 holds nothing 30s after the unmount"
