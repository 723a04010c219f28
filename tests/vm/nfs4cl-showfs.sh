# SPDX-License-Identifier: GPL-2.0
# nfs4cl showfs: AIX's layout names the primary, the server in use and
# every replica with its state; -f prints one field, for a path on the
# mount too (a file: what a swap file would be); --json is parseable.
# srv1 stops: with nothing touching the mount (and no rnfsd), showfs shows
# srv2 in use and srv1 down within the deadline + 3 s (the kernel probes
# each replica once a second, and the deadline runs from the probe); srv1
# starts again: showfs shows failback (failback_delay=2).  A path off rnfs
# is an error.
. "$(dirname "$0")/rnfs.bash"

scratch
S1=$RNFS_SRV1:$RNFS_EXPORT
S2=$RNFS_SRV2:$RNFS_EXPORT
check "mount rnfs" mount_rnfs /mnt/s timeo=5,retrans=2,failback=auto,failback_delay=2
echo data > "$B/file"

out=$(nfs4cl showfs) || fail "nfs4cl showfs exited $?"
echo "$out"
grep -qE '^Server +Remote Path +fsid +Local Path$' <<< "$out" ||
	fail "no AIX header line"
grep -qE "^$RNFS_SRV1 +$RNFS_EXPORT +[0-9]+:[0-9]+ +/mnt/s\$" <<< "$out" ||
	fail "no line for the mount: primary, remote path, fsid, local path"
grep -qE "^ +Current Server: $S1\$" <<< "$out" || fail "Current Server is not $S1"
grep -qE "^ +Replica Server: $S1 +up, 0 failures\$" <<< "$out" ||
	fail "no \"Replica Server: $S1  up, 0 failures\""
grep -qE "^ +Replica Server: $S2 +up, 0 failures\$" <<< "$out" ||
	fail "no \"Replica Server: $S2  up, 0 failures\""
grep -qE '^options : .*timeo=5,retrans=2' <<< "$out" || fail "no options line"

[ "$(nfs4cl showfs -f current /mnt/s)" = "$S1" ] || fail "-f current /mnt/s"
[ "$(nfs4cl showfs -f local "/mnt/s/$T/file")" = /mnt/s ] ||
	fail "-f local of a file on the mount: $(nfs4cl showfs -f local "/mnt/s/$T/file")"
[ "$(nfs4cl showfs -f replicas /mnt/s)" = "$S1,$S2" ] || fail "-f replicas"
json=$(nfs4cl showfs --json) || fail "--json exited $?"
grep -q '"mountpoint": *"/mnt/s"' <<< "$json" || fail "--json has no mountpoint: $json"
grep -q '"current": *"'"$S1"'"' <<< "$json" || fail "--json has no current: $json"

err=$(nfs4cl showfs /tmp 2>&1)
rc=$?
[ $rc -eq 1 ] || fail "showfs /tmp exited $rc, want 1"
grep -q "not an rnfs mount" <<< "$err" || fail "showfs /tmp said: $err"
nfs4cl showfs -f nosuchfield > /dev/null 2>&1
[ $? -eq 2 ] || fail "an unknown field is not a usage error"

check "lab-fault 1 stop" lab-fault 1 stop
ms=$(wait_current /mnt/s "$S2" $(($(deadline_ms 5 2) + 3000))) ||
	fail "showfs does not show $S2 in use $(($(deadline_ms 5 2) + 3000)) ms after srv1 stopped: $(nfs4cl showfs)"
echo "showfs shows $S2 in use ${ms} ms after srv1 stopped, the mount idle"
out=$(nfs4cl showfs /mnt/s)
echo "$out"
grep -qE "^ +Current Server: $S2\$" <<< "$out" || fail "Current Server is not $S2"
grep -qE "^ +Replica Server: $S1 +down, 1 failure\$" <<< "$out" ||
	fail "no \"Replica Server: $S1  down, 1 failure\""
[ "$(nfs4cl showfs -f failovers /mnt/s)" = 1 ] || fail "-f failovers is not 1"

check "lab-fault 1 start" lab-fault 1 start
ms=$(wait_current /mnt/s "$S1" 15000) ||
	fail "showfs does not show failback to $S1 15 s after srv1 started: $(nfs4cl showfs)"
echo "showfs shows failback to $S1 ${ms} ms after srv1 started"
nfs4cl showfs /mnt/s | grep -qE "^ +Replica Server: $S1 +up, 1 failure\$" ||
	fail "srv1 not shown up with 1 failure: $(nfs4cl showfs /mnt/s)"
[ "$(cat "/mnt/s/$T/file")" = data ] || fail "the file reads wrong after failback"
check_umount /mnt/s 20
[ -z "$(nfs4cl showfs)" ] || fail "showfs shows mounts after umount: $(nfs4cl showfs)"
