# SPDX-License-Identifier: GPL-2.0
# Both lab servers serve one backing filesystem: the same file has the
# same fileid and the same content through either server, and a write
# through one is read back through the other.
. "$(dirname "$0")/lib.bash"

check "mount srv1" mount_nfs "$RNFS_SRV1" /mnt/s1
check "mount srv2" mount_nfs "$RNFS_SRV2" /mnt/s2

mkdir -p "$RNFS_BACKING/dir/sub"
head -c 1048576 /dev/urandom > "$RNFS_BACKING/dir/sub/data"
want=$(sha256sum < "$RNFS_BACKING/dir/sub/data")

for f in dir dir/sub dir/sub/data; do
	id1=$(stat -c %i "/mnt/s1/$f") || fail "stat $f via srv1"
	id2=$(stat -c %i "/mnt/s2/$f") || fail "stat $f via srv2"
	idb=$(stat -c %i "$RNFS_BACKING/$f")
	echo "$f: fileid srv1=$id1 srv2=$id2 backing=$idb"
	[ "$id1" = "$id2" ] || fail "$f: fileid $id1 via srv1, $id2 via srv2"
	[ "$id1" = "$idb" ] || fail "$f: fileid $id1 via NFS, $idb on the backing fs"
done
[ "$(sha256sum < /mnt/s1/dir/sub/data)" = "$want" ] || fail "content via srv1"
[ "$(sha256sum < /mnt/s2/dir/sub/data)" = "$want" ] || fail "content via srv2"

echo "written through srv1" > /mnt/s1/dir/w1 || fail "write via srv1"
sync
[ "$(cat /mnt/s2/dir/w1)" = "written through srv1" ] || fail "srv2 does not see srv1's write"
[ "$(stat -c %i /mnt/s1/dir/w1)" = "$(stat -c %i /mnt/s2/dir/w1)" ] ||
	fail "new file has different fileids"

umount /mnt/s1 || fail "umount srv1"
umount /mnt/s2 || fail "umount srv2"
