# SPDX-License-Identifier: GPL-2.0
# nfs4cl switch: the administrator moves a mount to srv2 by name, reads
# go there (the data is right, srv2's link carries them), the kernel log
# and the events say so, and automatic failback does not undo it; a
# second switch is "already using"; an unknown server is refused with
# the list of replicas; a replica that is down is refused; switching
# back to srv1 by address works.
. "$(dirname "$0")/rnfs.bash"

scratch
add_host_names
S1=$RNFS_SRV1:$RNFS_EXPORT
S2=$RNFS_SRV2:$RNFS_EXPORT
check "mount rnfs" mount_rnfs /mnt/w timeo=5,retrans=2,failback=auto,failback_delay=1
check "fill the test file" "$READLOOP" --fill "$B/data" 4 "$RANDOM"
want=$("$READLOOP" --hash "$B/data")

check "nfs4cl switch /mnt/w sn2" nfs4cl switch /mnt/w sn2
[ "$(nfs4cl showfs -f current /mnt/w)" = "$S2" ] ||
	fail "after switch: current is $(nfs4cl showfs -f current /mnt/w)"
klog_has "switch from $RNFS_SRV1 to $RNFS_SRV2" ||
	fail "no \"switch from $RNFS_SRV1 to $RNFS_SRV2\" in the kernel log"
rx0=$(rx_bytes 2)
got=$("$READLOOP" --hash "/mnt/w/$T/data") || fail "read after switch"
[ "$got" = "$want" ] || fail "data read after switch differs"
[ $(($(rx_bytes 2) - rx0)) -gt $((4 << 20)) ] ||
	fail "the read after switch did not come from srv2"
sleep 3
[ "$(nfs4cl showfs -f current /mnt/w)" = "$S2" ] ||
	fail "failback=auto undid the switch: current is $(nfs4cl showfs -f current /mnt/w)"

out=$(nfs4cl switch /mnt/w "$RNFS_SRV2" 2>&1) || fail "a second switch failed: $out"
grep -q "already using" <<< "$out" || fail "a second switch said: $out"

out=$(nfs4cl switch /mnt/w 10.99.3.3 2>&1)
rc=$?
[ $rc -eq 1 ] || fail "switch to a server not in the list exited $rc, want 1"
grep -q "$S1" <<< "$out" && grep -q "$S2" <<< "$out" ||
	fail "switch to a server not in the list does not list the replicas: $out"

check "lab-fault 1 stop" lab-fault 1 stop
wait_current /mnt/w "$S2" 100 > /dev/null
# srv1 is declared down by the mount's probes within the deadline + 1 s.
sleep 2.5
out=$(nfs4cl switch /mnt/w sn1 2>&1)
rc=$?
[ $rc -eq 1 ] || fail "switch to a dead replica exited $rc, want 1 ($out)"
grep -q "down" <<< "$out" || fail "switch to a dead replica said: $out"
[ "$(nfs4cl showfs -f current /mnt/w)" = "$S2" ] || fail "a refused switch moved the mount"
check "lab-fault 1 start" lab-fault 1 start
for i in $(seq 50); do
	nfs4cl showfs /mnt/w | grep -qE "Replica Server: $S1 +up" && break
	sleep 0.2
done
check "nfs4cl switch /mnt/w $RNFS_SRV1" nfs4cl switch /mnt/w "$RNFS_SRV1"
[ "$(nfs4cl showfs -f current /mnt/w)" = "$S1" ] || fail "switch back to srv1"
got=$("$READLOOP" --hash "/mnt/w/$T/data") || fail "read after switching back"
[ "$got" = "$want" ] || fail "data read after switching back differs"
check_umount /mnt/w 20
