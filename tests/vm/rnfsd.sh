# SPDX-License-Identifier: GPL-2.0
# rnfsd: with nothing touching the mount, it fails over within the probe
# deadline (timeo=5,retrans=2: 1 s) + 1 s of srv1 stopping, and rnfsd logs
# srv1 down, then up when it starts again; an export withdrawn on srv1
# (exportfs -u, nfsd still answering) is caught and the mount fails over;
# rnfsd follows mounts that come and go; SIGTERM stops it cleanly.
. "$(dirname "$0")/rnfs.bash"

scratch
S1=$RNFS_SRV1:$RNFS_EXPORT
S2=$RNFS_SRV2:$RNFS_EXPORT
deadline=$(deadline_ms 5 2)
start_rnfsd -i 0.5
check "mount rnfs" mount_rnfs /mnt/d timeo=5,retrans=2,failback=manual
sleep 2		# rnfsd finds the new mount and probes it

check "lab-fault 1 stop" lab-fault 1 stop
ms=$(wait_current /mnt/d "$S2" $((deadline + 1000 + 300))) ||
	fail "the idle mount is not on $S2 $((deadline + 1000)) ms after srv1 stopped"
echo "the idle mount failed over ${ms} ms after srv1 stopped"
sleep 1
grep -q "replica $S1 is down" rnfsd.log ||
	{ cat rnfsd.log; fail "rnfsd did not log srv1 down"; }
check "lab-fault 1 start" lab-fault 1 start
for i in $(seq 50); do
	grep -q "replica $S1 is up" rnfsd.log && break
	sleep 0.2
done
grep -q "replica $S1 is up" rnfsd.log ||
	{ cat rnfsd.log; fail "rnfsd did not log srv1 up again"; }

# Back to srv1, then withdraw its export: nfsd still answers NULL.
for i in $(seq 50); do
	nfs4cl switch /mnt/d "$RNFS_SRV1" > /dev/null 2>&1 && break
	sleep 0.2
done
[ "$(nfs4cl showfs -f current /mnt/d)" = "$S1" ] || fail "could not switch back to srv1"
check "exportfs -u on srv1" lab-srv 1 exportfs -u "10.99.0.0/16:/srv/nfs4root/export"
AT_EXIT+=("lab-srv 1 exportfs -r")
ms=$(wait_current /mnt/d "$S2" $((deadline + 3000))) ||
	{ cat rnfsd.log; fail "no failover $((deadline + 3000)) ms after the export went"; }
echo "failed over ${ms} ms after srv1's export was withdrawn"
lab-srv 1 cat /proc/fs/nfsd/threads | grep -qv '^0$' || fail "nfsd on srv1 stopped"
for i in $(seq 20); do
	grep -qE "replica $S1 is down \(export (not found|gone)" rnfsd.log && break
	sleep 0.2
done
grep -qE "replica $S1 is down \(export (not found|gone)" rnfsd.log ||
	{ cat rnfsd.log; fail "rnfsd did not see the export go (nfsd still up)"; }
check "exportfs -r on srv1" lab-srv 1 exportfs -r
echo "--- rnfsd.log"
cat rnfsd.log

# A mount made while rnfsd runs is probed too; one unmounted is dropped.
check_umount /mnt/d 20
check "mount rnfs again" mount_rnfs /mnt/d2 timeo=5,retrans=2
sleep 2
check "lab-fault 2 stop" lab-fault 2 stop
for i in $(seq 40); do
	grep -q "/mnt/d2: replica $S2 is down" rnfsd.log && break
	sleep 0.2
done
grep -q "/mnt/d2: replica $S2 is down" rnfsd.log ||
	{ cat rnfsd.log; fail "rnfsd did not probe the new mount"; }
check "lab-fault 2 start" lab-fault 2 start
check_umount /mnt/d2 20
stop_rnfsd
