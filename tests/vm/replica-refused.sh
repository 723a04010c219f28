# SPDX-License-Identifier: GPL-2.0
# A replica that serves another filesystem is refused, never used: srv2
# exports the directory with another fsid (so other filehandles), as a
# wrong export on a service node would.  The mount comes up on srv1; the
# kernel log and nfs4cl events name srv2 as refused; nfs4cl cannot switch
# to it; with srv1 stopped, a soft mount fails rather than read through
# srv2; srv1 back, the mount resumes on it, never on srv2.
. "$(dirname "$0")/rnfs.bash"

scratch
echo "the right data" > "$B/f"
AT_EXIT+=("lab-srv 2 exportfs -ra")
check "srv2 exports the directory with fsid=2" lab-srv 2 exportfs \
	-o rw,sync,no_subtree_check,no_root_squash,insecure,fsid=2 \
	"10.99.0.0/16:/srv/nfs4root$RNFS_EXPORT"
nfs4cl events > "$PWD/events.out" 2>&1 &
BG+=($!)
check "mount rnfs" mount_rnfs /mnt/r timeo=5,retrans=2,soft
expect_active /mnt/r "$RNFS_SRV1" "after mounting"

end=$(($(uptime_ms) + 10000))
until klog_has "replica $RNFS_SRV2 refused"; do
	[ "$(uptime_ms)" -lt "$end" ] ||
		fail "no \"replica $RNFS_SRV2 refused\" in the kernel log 10s after mounting: $(klog_since | grep rnfs)"
	sleep 0.2
done
klog_since | grep "refused"
grep -q "replica $RNFS_SRV2 refused" events.out ||
	fail "nfs4cl events did not report it: $(cat events.out)"
nfs4cl showfs /mnt/r | grep "Replica Server: $RNFS_SRV2:$RNFS_EXPORT *down" ||
	fail "showfs does not show srv2 down: $(nfs4cl showfs /mnt/r)"
nfs4cl switch /mnt/r "$RNFS_SRV2" 2> switch.err &&
	fail "nfs4cl switch to the refused replica succeeded"
echo "switch refused: $(cat switch.err)"

check "lab-fault 1 stop" lab-fault 1 stop
out=$(timeout -s KILL 20 cat "/mnt/r/$T/f" 2>&1) &&
	fail "a read with srv1 stopped succeeded through the refused srv2: $out"
echo "with srv1 stopped: $out"
[ "$(active_server /mnt/r)" != "$RNFS_SRV2" ] || fail "the mount uses the refused srv2"

# Fixing the export does not bring srv2 back into this mount (its lower
# mount holds the wrong root); srv1 does.
check "srv2 exports the right filesystem again" lab-srv 2 exportfs -ra
check "lab-fault 1 start" lab-fault 1 start
wait_active /mnt/r "$RNFS_SRV1" 15 ||
	fail "the mount did not resume on srv1 (active=$(active_server /mnt/r))"
out=$(timeout -s KILL 20 cat "/mnt/r/$T/f" 2>&1) || fail "read through srv1 failed: $out"
[ "$out" = "the right data" ] || fail "read \"$out\" through srv1"
sleep 2
[ "$(active_server /mnt/r)" = "$RNFS_SRV1" ] || fail "the mount moved to $(active_server /mnt/r)"
echo "resumed on srv1, read \"$out\"; srv2 still unused"

check "lab-fault 1 clear" lab-fault 1 clear
check_umount /mnt/r 20
