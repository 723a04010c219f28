# SPDX-License-Identifier: GPL-2.0
# tools/postscripts/setupnfsv4replication sets timeo=1,retrans=3 (its
# NFSTIMEO and NFSRETRIES) on every rnfs mount, including one whose mount
# point has a space, leaves other mounts alone, and logs each change.
. "$(dirname "$0")/rnfs.bash"

scratch
script=/lab/files/postscripts/setupnfsv4replication
check "mount rnfs /mnt/p1" mount_rnfs /mnt/p1 timeo=10,retrans=5
check "mount rnfs '/mnt/p 2'" mount_rnfs "/mnt/p 2" timeo=20,retrans=2
check "mount nfs /mnt/plain" mount_nfs "$RNFS_SRV1" /mnt/plain
AT_EXIT+=("umount_any /mnt/plain")

out=$("$script" 2>&1) || fail "setupnfsv4replication exited $?: $out"
echo "$out"
for d in /mnt/p1 "/mnt/p 2"; do
	o=$(nfs4cl showfs "$d" | sed -n 's/^options : //p')
	grep -q 'timeo=1,retrans=3' <<< "$o" || fail "$d: options $o"
	grep -qF "$d: timeo=1 retrans=3" <<< "$out" || fail "no log line for $d"
done
grep -q 'timeo=600' <<< "$(awk '$5 == "/mnt/plain"' /proc/self/mountinfo)" ||
	fail "the plain NFS mount changed"
check_umount /mnt/p1 20
check_umount "/mnt/p 2" 20
umount_any /mnt/plain
