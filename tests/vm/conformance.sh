# SPDX-License-Identifier: GPL-2.0
# A read-write rnfs mount, no fault, behaves as a plain NFS mount of the
# same export: the POSIX behaviours of open, rename, unlink, link,
# truncate, chmod... that posixcheck tries give the same results on both
# (RENAME_NOREPLACE aside, which rnfs has and NFS does not), and an
# fsx-style run of random reads, writes, truncates, mmap writes and
# appends, checked against a model, ends with the same file on both.
# New objects get the same modes under every umask; open(O_CREAT) of a
# name that another client made meanwhile does what the VFS does; and a
# create and an unlink cost the same NFS operations as on plain NFS.
# What rnfs wrote is on the backing filesystem, byte for byte, also what
# was stored through a mapping after its file was closed.
. "$(dirname "$0")/rnfs.bash"

scratch
mkdir "$B/rnfs" "$B/plain"
check "mount rnfs" mount_rnfs_rw /mnt/r
check "mount plain NFS" mount_nfs "$RNFS_SRV1" /mnt/p
r=/mnt/r/$T/rnfs
p=/mnt/p/$T/plain

# Simple things first, each with a clear message.
echo hello > "$r/small" || fail "write a small file"
[ "$(cat "$B/rnfs/small")" = hello ] || fail "the backing file has \"$(cat "$B/rnfs/small")\""
mkdir "$r/d" && mv "$r/small" "$r/d/moved" || fail "mkdir + rename"
[ "$(cat "$B/rnfs/d/moved")" = hello ] || fail "rename did not reach the backing fs"
rm "$r/d/moved" && rmdir "$r/d" || fail "unlink + rmdir"
[ -z "$(ls -A "$B/rnfs")" ] || fail "left on the backing fs: $(ls -A "$B/rnfs")"

# Pages dirtied through a mapping after close(), written when munmap()
# drops the last reference to the file.
check "mapclose" "$PROGS/writebench" mapclose "$r/mapped"
check "mapclose, local" "$PROGS/writebench" mapclose /tmp/mapped.want
cmp "$B/rnfs/mapped" /tmp/mapped.want ||
	fail "stores through a mapping unmapped after close() did not reach the backing fs"
rm -f "$r/mapped" /tmp/mapped.want

# Extended attributes set, replaced and removed: as on plain NFS (which
# may not support them on the lab's tmpfs: then both say so alike).
echo x > "$B/rnfs/xa"
echo x > "$B/plain/xa"
a=$("$PROGS/xattrs" "$r/xa" user.rnfs value) || fail "xattrs on rnfs"
b=$("$PROGS/xattrs" "$p/xa" user.rnfs value) || fail "xattrs on plain NFS"
echo "xattrs: rnfs $a; plain NFS $b"
[ "$a" = "$b" ] || fail "xattr calls differ from plain NFS"
rm -f "$B/rnfs/xa" "$B/plain/xa"

# A write by a user who may write but does not own the file clears its
# setuid and setgid bits as on plain NFS: the server clears them, and
# rnfs then shows the mode the server has.  (The plain NFS client may
# keep showing a setgid bit without group execute that the server
# cleared: it refreshes the mode only when it expects a change.)
chmod 1777 "$B/rnfs" "$B/plain"
for mode in 4777 2777 6777 2767 0777; do
	for m in "$r" "$p"; do
		echo data > "$m/priv$mode" && chmod "$mode" "$m/priv$mode" ||
			fail "make $m/priv$mode"
		as_labuser sh -c "echo more >> '$m/priv$mode'" ||
			fail "write to $m/priv$mode as another user"
	done
	a=$(stat -c %a "$r/priv$mode")
	sync
	b=$(stat -c %a "$B/plain/priv$mode")
	c=$(stat -c %a "$B/rnfs/priv$mode")
	[ "$c" = "$b" ] ||
		fail "mode $mode after another user's write: $c on the server through rnfs, $b through plain NFS"
	[ "$a" = "$c" ] ||
		fail "mode $mode after another user's write: rnfs shows $a, the server has $c"
	echo "mode $mode after another user's write: $a, as through plain NFS"
done
[ "$(stat -c %a "$r/priv4777")" = 777 ] || fail "the setuid bit survived a write"
rm -f "$B"/rnfs/priv* "$B"/plain/priv*

# An open file unlinked, then closed: its directory can be removed, on
# both (the NFS client's .nfsXXXX file goes with the last close).
for m in "$r" "$p"; do
	mkdir "$m/held" && echo x > "$m/held/f" || fail "make $m/held/f"
	( exec 5< "$m/held/f" && rm "$m/held/f" ) || fail "unlink the open $m/held/f"
	rmdir "$m/held" || fail "rmdir $m/held after its open file was unlinked and closed: $(ls -A "$m/held")"
done
echo "unlink of an open file, close, rmdir: as on plain NFS"

# Modes under each umask: the lower NFS client applies (or sends) the
# caller's umask, as plain NFS does, not the umask of rnfs's workers.
for t in rnfs plain; do
	m=$r
	[ $t = plain ] && m=$p
	for u in 000 002 022 077; do
		(
			umask $u
			: > "$m/f$u" && mkdir "$m/d$u" && mkfifo "$m/p$u" &&
				set -o noclobber && : > "$m/x$u"
		) || fail "creates under umask $u through $t"
	done
	(cd "$B/$t" && find . -printf '%P %M\n' | sort) > "modes.$t"
done
diff -u modes.plain modes.rnfs || fail "modes differ from plain NFS (- plain, + rnfs)"
grep -qx 'f002 -rw-rw-r--' modes.rnfs || fail "umask 002: $(grep '^f002' modes.rnfs)"
echo "modes under umasks 000 002 022 077: as on plain NFS"
rm -rf "${B:?}"/rnfs/* "${B:?}"/plain/*

# open(O_CREAT) of names rnfs has cached as absent, made meanwhile by
# another client (here: on the backing filesystem): what is there now is
# opened, followed, or refused, as the VFS would.
for n in fifo link dir file; do
	[ ! -e "$r/$n" ] || fail "$n exists already"
done
mkfifo "$B/rnfs/fifo"
echo target > "$B/rnfs/target"
ln -s target "$B/rnfs/link"
mkdir "$B/rnfs/dir"
echo old > "$B/rnfs/file"
( exec 3<> "$r/fifo" ) || fail "open(O_CREAT) of a FIFO made elsewhere"
[ "$(stat -c %F "$r/fifo")" = fifo ] || fail "the FIFO is a $(stat -c %F "$r/fifo")"
echo more >> "$r/link" || fail "append through a symlink made elsewhere"
[ "$(cat "$B/rnfs/target")" = "$(printf 'target\nmore')" ] ||
	fail "the symlink's target has \"$(cat "$B/rnfs/target")\""
err=$( { : > "$r/dir"; } 2>&1) && fail "open(O_CREAT) of a directory succeeded"
[[ $err == *"Is a directory"* ]] || fail "open(O_CREAT) of a directory: $err"
err=$( { set -o noclobber; : > "$r/file"; } 2>&1) && fail "O_EXCL over a file made elsewhere succeeded"
[[ $err == *"cannot overwrite"* ]] || fail "O_EXCL over a file made elsewhere: $err"
[ "$(cat "$r/file")" = old ] || fail "the file made elsewhere reads \"$(cat "$r/file")\""
echo "open(O_CREAT) over a FIFO, a symlink, a directory and a file made elsewhere: as the VFS does"
# Through rnfs, which closes at once the lower files it keeps idle after
# reads (cat above), so that no late CLOSE falls into the count below.
rm -rf "${r:?}"/* || fail "remove through rnfs"

# On the wire: creating (open O_CREAT|O_EXCL, close) and removing files
# costs rnfs the NFS operations it costs plain NFS: one OPEN, no LOOKUP
# before it, no second OPEN, and no DELEGRETURN before the REMOVE.
ops() {
	awk '$1 == "proc4" { print $7, $11, $22, $24, $34 }' /proc/net/rpc/nfs
}
# The counters are the whole client's: on a difference, the NFS client's
# trace events say which task sent what.
T=/sys/kernel/tracing
[ -d $T/events/nfs4 ] || mount -t tracefs tracefs $T
trace_ops() {
	local e
	for e in nfs4_open_file nfs4_close nfs4_remove nfs4_lookup nfs4_delegreturn; do
		echo "$1" > $T/events/nfs4/$e/enable
	done
}
for t in rnfs plain; do
	m=$r
	[ $t = plain ] && m=$p
	mkdir "$m/ops"
	echo > $T/trace
	trace_ops 1
	before=$(ops)
	check "create and remove 100 files through $t" "$PROGS/writebench" files "$m/ops" 100 > /dev/null
	read -r -a a <<< "$before"
	read -r -a b <<< "$(ops)"
	trace_ops 0
	printf -v "ops_$t" 'open=%d close=%d lookup=%d remove=%d delegreturn=%d' \
		$((b[0] - a[0])) $((b[1] - a[1])) $((b[2] - a[2])) $((b[3] - a[3])) $((b[4] - a[4]))
	grep -v '^#' $T/trace | grep -v 'writebench-.*name=.*/f[0-9]' > "trace.$t" || :
done
echo "NFS operations for 100 files: rnfs $ops_rnfs; plain NFS $ops_plain"
if [ "$ops_rnfs" != "$ops_plain" ]; then
	echo "NFS calls other than writebench's on its own files:"
	cat trace.rnfs trace.plain
	fail "rnfs sends other NFS operations than plain NFS"
fi
rm -rf "${B:?}"/rnfs/* "${B:?}"/plain/*

check "posixcheck on rnfs" "$PROGS/posixcheck" "$r" > rnfs.out
check "posixcheck on plain NFS" "$PROGS/posixcheck" "$p" > plain.out
# NFS has no RENAME_NOREPLACE (EINVAL): rnfs does it, as local
# filesystems do.
grep '^noreplace_' rnfs.out
grep -v '^noreplace_' rnfs.out > rnfs.cmp
grep -v '^noreplace_' plain.out > plain.cmp
if ! diff -u plain.cmp rnfs.cmp; then
	fail "posixcheck: rnfs differs from plain NFS (above: - plain, + rnfs)"
fi
grep -qx 'noreplace_existing: EEXIST a=A b=B' rnfs.out ||
	fail "RENAME_NOREPLACE onto an existing name: $(grep noreplace_existing rnfs.out)"
grep -qx 'noreplace_free: ok a=ENOENT c=A' rnfs.out ||
	fail "RENAME_NOREPLACE onto a free name: $(grep noreplace_free rnfs.out)"
echo "posixcheck: $(wc -l < rnfs.out) checks, as on plain NFS"

for seed in 1 2; do
	a=$(bounded 300 "$PROGS/fsxlite" "$r/fsx$seed" 3000 "$seed") ||
		fail "fsxlite on rnfs, seed $seed: $a"
	b=$(bounded 300 "$PROGS/fsxlite" "$p/fsx$seed" 3000 "$seed") ||
		fail "fsxlite on plain NFS, seed $seed: $b"
	echo "fsxlite seed $seed: rnfs $a; plain NFS $b"
	[ "$a" = "$b" ] || fail "fsxlite seed $seed ends differently"
	cmp "$B/rnfs/fsx$seed" "$B/plain/fsx$seed" ||
		fail "fsxlite seed $seed: the backing files differ"
done

umount_any /mnt/p || fail "umount plain"
check_umount /mnt/r 20
