# SPDX-License-Identifier: GPL-2.0
# nfs4cl events: one timestamped line per event, as they happen: the
# failover when srv1 stops, srv1 up again, the failback; for any user.
. "$(dirname "$0")/rnfs.bash"

scratch
S1=$RNFS_SRV1:$RNFS_EXPORT
S2=$RNFS_SRV2:$RNFS_EXPORT
check "mount rnfs" mount_rnfs /mnt/e timeo=5,retrans=2,failback=auto,failback_delay=2
as_labuser nfs4cl events > "$PWD/events.out" 2>&1 &
BG+=($!)
sleep 1
check "lab-fault 1 stop" lab-fault 1 stop
wait_current /mnt/e "$S2" $(($(deadline_ms 5 2) + 3000)) > /dev/null ||
	fail "no failover"
check "lab-fault 1 start" lab-fault 1 start
wait_current /mnt/e "$S1" 15000 > /dev/null || fail "no failback"
sleep 0.5
echo "nfs4cl events printed:"
cat events.out
ts='^[0-9]{4}-[0-9]{2}-[0-9]{2}T[0-9]{2}:[0-9]{2}:[0-9]{2}\.[0-9]{3}[+-][0-9]{4} '
grep -qE "$ts/mnt/e failover from $RNFS_SRV1 to $RNFS_SRV2 \(.+\)\$" events.out ||
	fail "no timestamped failover line"
grep -qE "$ts/mnt/e replica $RNFS_SRV1 is up\$" events.out ||
	fail "no timestamped \"replica $RNFS_SRV1 is up\" line"
grep -qE "$ts/mnt/e failback from $RNFS_SRV2 to $RNFS_SRV1\$" events.out ||
	fail "no timestamped failback line"
check_umount /mnt/e 20
