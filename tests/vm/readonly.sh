# SPDX-License-Identifier: GPL-2.0
# A read-only rnfs mount refuses every change with EROFS and changes
# nothing; extended attribute calls answer as on a plain NFS mount of the
# same export; symlinks and special files read as on the backing fs.
. "$(dirname "$0")/rnfs.bash"

scratch
echo "original" > "$B/file"
mkdir "$B/dir"
ln -s file "$B/link"
mkfifo "$B/fifo"
check "mount rnfs" mount_rnfs /mnt/r
check "mount plain NFS" mount_nfs "$RNFS_SRV1" /mnt/p ro
d=/mnt/r/$T

refused() {
	local out
	out=$(timeout -s KILL 30 "$@" 2>&1) && fail "$* succeeded on a read-only mount"
	case $out in
	*"Read-only file system"*) ;;
	*) fail "$*: want \"Read-only file system\", got \"$out\"" ;;
	esac
}

refused sh -c "echo changed > $d/file"
refused sh -c "echo new > $d/new"
refused mkdir "$d/newdir"
refused rm "$d/file"
refused rmdir "$d/dir"
refused mv "$d/file" "$d/moved"
refused ln -s x "$d/newlink"
refused chmod 600 "$d/file"
refused touch "$d/file"
[ "$(cat "$B/file")" = original ] || fail "the file changed"
[ "$(ls "$B" | sort | tr '\n' ' ')" = "dir fifo file link " ] ||
	fail "the directory changed: $(ls "$B")"

[ "$(readlink "$d/link")" = file ] || fail "readlink: $(readlink "$d/link")"
[ "$(cat "$d/link")" = original ] || fail "reading through the symlink"
[ "$(stat -c %F "$d/fifo")" = fifo ] || fail "the fifo is a $(stat -c %F "$d/fifo")"

for f in file dir link; do
	r=$(bounded 30 "$PROGS/xattrs" "$d/$f" user.rnfs) || fail "xattrs $d/$f"
	p=$(bounded 30 "$PROGS/xattrs" "/mnt/p/$T/$f" user.rnfs) || fail "xattrs plain $f"
	echo "$f: rnfs $r, plain NFS $p"
	[ "$r" = "$p" ] || fail "$f: xattr calls differ from plain NFS"
done
umount_any /mnt/p || fail "umount plain"
check_umount /mnt/r 20
