# SPDX-License-Identifier: GPL-2.0
# rnfsd: with nothing touching the mount, it fails over within the probe
# deadline (timeo=5,retrans=2: 1 s) + 1 s of srv1 stopping, and rnfsd logs
# srv1 down, then up when it starts again; an export withdrawn on srv1
# (exportfs -u, nfsd still answering) is caught and the mount fails over;
# rnfsd follows mounts that come and go; SIGTERM stops it cleanly.
. "$(dirname "$0")/rnfs.bash"

# expect_log REGEX SECS WHAT: rnfsd logs a line matching REGEX within SECS.
expect_log() {
	local i
	for ((i = 0; i < $2 * 5; i++)); do
		grep -qE "$1" rnfsd.log && return 0
		sleep 0.2
	done
	cat rnfsd.log
	fail "rnfsd did not log $3 within $2 s"
}

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
expect_log "replica $S1 is down" 2 "srv1 down"
check "lab-fault 1 start" lab-fault 1 start
expect_log "replica $S1 is up" 10 "srv1 up again"

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
expect_log "replica $S1 is down \(export (not found|gone)" 4 \
	"the export gone from srv1 (nfsd still up)"
check "exportfs -r on srv1" lab-srv 1 exportfs -r
echo "--- rnfsd.log"
cat rnfsd.log

# A mount made while rnfsd runs is probed too; one unmounted is dropped.
check_umount /mnt/d 20
check "mount rnfs again" mount_rnfs /mnt/d2 timeo=5,retrans=2
sleep 2
check "lab-fault 2 stop" lab-fault 2 stop
expect_log "/mnt/d2: replica $S2 is down" 8 "srv2 down for the new mount"
check "lab-fault 2 start" lab-fault 2 start
check_umount /mnt/d2 20
# Both mounts are gone: their 4 replicas are no longer probed.
for i in $(seq 40); do
	[ "$(grep -c 'is no longer watched' rnfsd.log)" -ge 4 ] && break
	sleep 0.2
done
[ "$(grep -c 'is no longer watched' rnfsd.log)" -eq 4 ] ||
	{ cat rnfsd.log; fail "rnfsd still watches replicas of unmounted mounts"; }
stop_rnfsd
