# SPDX-License-Identifier: GPL-2.0
# Locks when the mount comes back on another replica after every replica
# was down.  A process holds an fcntl lock through rnfs, writing all
# along.  srv2 goes down, then srv1, the one in use: no replica is up.
# srv2 comes back first: the mount uses it, takes the lock again there
# once srv1's lease has run out, and the server side finds the lock held
# from then on.  The holder sees no error.
. "$(dirname "$0")/rnfs.bash"

scratch
AT_EXIT+=("lab-fault 1 clear; lab-fault 2 clear")
echo data > "$B/locked"
check "mount rnfs read-write" mount_rnfs_rw /mnt/a timeo=10,retrans=3
d=/mnt/a/$T

start_holder "$d/locked" 60
out=$(bounded 10 "$PROGS/lockhold" probe "$B/locked") ||
	fail "before the fault, the server side got the lock ($out)"

check "lab-fault 2 down" lab-fault 2 down
for _ in $(seq 100); do
	klog_has "replica $RNFS_SRV2 is down" && break
	sleep 0.2
done
klog_has "replica $RNFS_SRV2 is down" || fail "srv2 not seen down in 20s"
check "lab-fault 1 down" lab-fault 1 down
# rnfs's own line, not the NFS client's "server ... not responding".
for _ in $(seq 100); do
	klog_has "rnfs: /mnt/a: servers not responding" && break
	sleep 0.2
done
klog_has "rnfs: /mnt/a: servers not responding" ||
	fail "rnfs did not say in 20s that no server answers"
check "lab-fault 2 up" lab-fault 2 up
wait_active /mnt/a "$RNFS_SRV2" 30 || fail "the mount did not come back on srv2"
echo "back on srv2 at $(secs "$(uptime_ms)")s"

# srv1, cut off, keeps the lock for its lease (10 s); rnfs takes it on
# srv2 then.  From 15 s on, the server side must find it held.
sleep 15
for i in $(seq 10); do
	out=$(bounded 10 "$PROGS/lockhold" probe "$B/locked") ||
		fail "the server side got the lock, probe $i after srv2 came back ($out)"
	sleep 0.5
done
echo "the server side found the lock held 10 times from 15s on"

wait_for "$HOLDER" 60 || fail "the holder still runs"
echo "holder: $(tail -n 1 holder.out)"
[ "$WAIT_STATUS" -eq 0 ] && [ "$(field holder.out errors)" = 0 ] ||
	fail "the holder saw errors: $(cat holder.out)"
klog_has "lock not regained" && fail "the lock was lost: $(klog_since | grep rnfs)"
# A lower file closed with a lock of it still recorded (fs/locks.c).
klog_has "Leaked" && fail "a lock outlived its file: $(klog_since | grep -A1 Leaked)"
check "lab-fault 1 clear" lab-fault 1 clear
check "lab-fault 2 clear" lab-fault 2 clear
check_umount /mnt/a 30
