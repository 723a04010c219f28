# SPDX-License-Identifier: GPL-2.0
# consistency=strict and consistency=shared, when a file changes on the
# servers' filesystem while the mount moves to another replica.  One
# mount of each kind has the file open (the shared one has its pages
# cached too); srv1 stops, the file is rewritten on the backing fs, and
# both mounts move to srv2.  The strict mount's open file then fails with
# EIO, and keeps failing, until it is opened again, which reads the new
# content; the shared mount's open file reads the new content at once.
# A change the strict mount made itself is no one else's: a file it
# wrote and closed before the failover, open read-only across it, reads
# what was written, with no EIO.
. "$(dirname "$0")/rnfs.bash"

scratch
echo "old content" > "$B/file"
echo "own, first" > "$B/own"
check "mount rnfs strict" mount_rnfs_rw /mnt/t consistency=strict,timeo=5,retrans=2
check "mount rnfs shared" mount_rnfs /mnt/s timeo=5,retrans=2
grep -q 'consistency=strict' <<< "$(superopts /mnt/t)" || fail "/mnt/t: $(superopts /mnt/t)"
grep -q 'consistency=shared' <<< "$(superopts /mnt/s)" || fail "/mnt/s: $(superopts /mnt/s)"
[ "$(cat /mnt/s/$T/file)" = "old content" ] || fail "shared: first read"

exec 3< "/mnt/t/$T/file" 4< "/mnt/s/$T/file" 5< "/mnt/t/$T/own"
echo "own, written through the strict mount" > "/mnt/t/$T/own" ||
	fail "strict: write own"
check "lab-fault 1 stop" lab-fault 1 stop
echo "new content, longer" > "$B/file"
wait_active /mnt/t "$RNFS_SRV2" 20 || fail "/mnt/t did not move to srv2"
wait_active /mnt/s "$RNFS_SRV2" 20 || fail "/mnt/s did not move to srv2"

out=$(cat <&3 2>&1) && fail "strict: the open file read \"$out\" after the change"
echo "strict, the file open across the failover: $out"
grep -q "Input/output error" <<< "$out" || fail "strict: want EIO, got: $out"
out=$(cat <&3 2>&1) && fail "strict: the second read succeeded: \"$out\""
[ "$(cat "/mnt/t/$T/file")" = "new content, longer" ] ||
	fail "strict: opened again: $(cat "/mnt/t/$T/file")"
klog_has "changed on the servers across a failover" ||
	fail "strict: nothing in the kernel log: $(klog_since | grep rnfs)"

out=$(cat <&5 2>&1) || fail "strict: the file it wrote itself failed after the failover: $out"
[ "$out" = "own, written through the strict mount" ] ||
	fail "strict: the file it wrote itself read \"$out\""
echo "strict, a file it wrote itself, open across the failover: $out"

out=$(cat <&4 2>&1) || fail "shared: the open file failed: $out"
[ "$out" = "new content, longer" ] || fail "shared: the open file read \"$out\""
echo "shared, the file open across the failover: $out"
exec 3<&- 4<&- 5<&-

check "lab-fault 1 clear" lab-fault 1 clear
check_umount /mnt/t 20
check_umount /mnt/s 20
