# SPDX-License-Identifier: GPL-2.0
# "Already done": each namespace operation is sent to srv1 just as srv1
# goes silent.  lab-fault's blackhole drops what srv1 sends, not what it
# receives, so srv1 carries the operation out on the shared filesystem
# and its reply is lost; rnfs then retries on srv2, which finds the work
# done.  Each operation must still succeed, once, with the kernel log
# saying it was already done, and the backing filesystem must show its
# result exactly.  Between operations, srv1 comes back and the mount is
# switched back to it.
. "$(dirname "$0")/rnfs.bash"

scratch
echo one > "$B/unlink-me"
mkdir "$B/rmdir-me"
echo two > "$B/rename-me"
echo three > "$B/link-me"
check "mount rnfs read-write" mount_rnfs_rw /mnt/a timeo=5,retrans=2,failback=manual
d=/mnt/a/$T

# Back to srv1 once it answers again.
back_to_srv1() {
	local i
	for i in $(seq 100); do
		nfs4cl switch /mnt/a "$RNFS_SRV1" > /dev/null 2>&1 && return 0
		[ "$(active_server /mnt/a)" = "$RNFS_SRV1" ] && return 0
		sleep 0.2
	done
	fail "the mount did not get back to srv1: $(superopts /mnt/a)"
}

# srv1's count of NFSv4 operation number $1 (RFC 8881: OPEN 18, CREATE 6,
# LINK 11, REMOVE 28, RENAME 29), from its nfsd statistics.
srv1_ops() {
	lab-srv 1 cat /proc/net/rpc/nfsd | awk -v op="$1" '$1 == "proc4ops" { print $(op + 3) }'
}

# across OP LOGNAME NFSOP UNDO CMD...: CMD, which does OP on LOGNAME, with
# srv1 going silent just before; it must succeed and the kernel log must
# say that srv1 had done it.  The lower NFS client may first have to
# look a name up again on srv1, and that call, not the operation, is
# then the one lost: srv1's operation count (NFSOP) tells.  Then UNDO
# puts the backing fs back as it was, and it is tried again.
across() {
	local op=$1 name=$2 nfsop=$3 undo=$4 out n n0 try
	shift 4
	for try in 1 2 3 4; do
		expect_active /mnt/a "$RNFS_SRV1" "before $op"
		# Warm the caches: the operation itself is then the first call out.
		ls -la "$d" > /dev/null
		for n in "$name" new-file new-dir new-link new-fifo linked renamed; do
			stat "$d/$n" > /dev/null 2>&1
		done
		klog_mark
		n0=$(srv1_ops "$nfsop")
		check "lab-fault 1 blackhole" lab-fault 1 blackhole
		out=$(bounded 30 "$@" 2>&1) || fail "$op: $* failed: $out"
		check "lab-fault 1 clear" lab-fault 1 clear
		expect_active /mnt/a "$RNFS_SRV2" "after $op"
		[ "$(srv1_ops "$nfsop")" != "$n0" ] && break
		echo "$op $name: srv1 got no operation $nfsop (another call was lost first): again"
		back_to_srv1
		check "undo $op" sh -c "$undo"
	done
	klog_has "$op $name: already done by the failed server" ||
		fail "$op: no \"already done\" in the kernel log: $(klog_since | grep rnfs)"
	echo "$op $name: done once, by srv1; srv2 found it done"
	back_to_srv1
}

across create new-file 18 "rm $B/new-file" touch "$d/new-file"
[ -f "$B/new-file" ] || fail "create: no file"
# O_EXCL (bash's noclobber): the retry must take the file srv1 made for
# this open, not fail with EEXIST.
across create new-excl 18 "rm $B/new-excl" \
	bash -c 'set -o noclobber; : > "$1"' _ "$d/new-excl"
[ -f "$B/new-excl" ] || fail "O_EXCL create: no file"
across mkdir new-dir 6 "rmdir $B/new-dir" mkdir "$d/new-dir"
[ -d "$B/new-dir" ] || fail "mkdir: no directory"
across symlink new-link 6 "rm $B/new-link" ln -s target "$d/new-link"
[ "$(readlink "$B/new-link")" = target ] || fail "symlink: $(readlink "$B/new-link")"
across mknod new-fifo 6 "rm $B/new-fifo" mkfifo "$d/new-fifo"
[ -p "$B/new-fifo" ] || fail "mknod: no fifo"
across link linked 11 "rm $B/linked" ln "$d/link-me" "$d/linked"
[ "$(stat -c %h "$B/link-me")" = 2 ] || fail "link: link count $(stat -c %h "$B/link-me")"
across unlink unlink-me 28 "echo one > $B/unlink-me" rm "$d/unlink-me"
[ ! -e "$B/unlink-me" ] || fail "unlink: still there"
across rmdir rmdir-me 28 "mkdir $B/rmdir-me" rmdir "$d/rmdir-me"
[ ! -e "$B/rmdir-me" ] || fail "rmdir: still there"
across rename rename-me 29 "mv $B/renamed $B/rename-me" mv "$d/rename-me" "$d/renamed"
[ ! -e "$B/rename-me" ] && [ "$(cat "$B/renamed")" = two ] || fail "rename: $(ls "$B")"

# O_EXCL where another node made the name meanwhile, while rnfs had it
# cached as absent: srv1 refuses the exclusive create, its answer is
# lost, and the retry through srv2 finds an empty file of the same owner
# made a moment ago.  Only a file this client's own exclusive create
# made (the server keeps the create's verifier in its times) is taken:
# EEXIST, never two nodes that both think they made the file.
stat "$d/other-excl" > /dev/null 2>&1 && fail "other-excl exists before the test"
: > "$B/other-excl"
check "lab-fault 1 blackhole" lab-fault 1 blackhole
out=$(bounded 30 bash -c 'set -o noclobber; { : > "$1"; } 2>&1' _ "$d/other-excl") &&
	fail "O_EXCL create of another node's new file succeeded"
check "lab-fault 1 clear" lab-fault 1 clear
grep -q "cannot overwrite existing file" <<< "$out" ||
	fail "O_EXCL create of another node's new file: want EEXIST, got: $out"
echo "O_EXCL create of a name another node made meanwhile: EEXIST"
back_to_srv1

# O_EXCL where srv1 answers the OPEN, then carries out the SETATTR the
# NFS client sends next (it sets both times, where the server kept the
# create's verifier) but that answer is lost, and srv1 goes silent.  The
# retry through srv2 finds the file with no verifier left; what srv1's
# NFS client learnt from the OPEN still proves the file this open's own.
stat "$d/setattr-excl" > /dev/null 2>&1 && fail "setattr-excl exists before the test"
ls -la "$d" > /dev/null
klog_mark
n0=$(srv1_ops 34)
check "lab-fault 1 replyloss 34" lab-fault 1 replyloss 34
bash -c 'set -o noclobber; { : > "$1"; } 2>&1' _ "$d/setattr-excl" > "$PWD/excl.out" &
pid=$!
BG+=("$pid")
for i in $(seq 100); do
	[ "$(srv1_ops 34)" != "$n0" ] && break
	sleep 0.1
done
[ "$(srv1_ops 34)" != "$n0" ] || fail "srv1 got no SETATTR within 10 s"
check "lab-fault 1 blackhole" lab-fault 1 blackhole
for i in $(seq 300); do
	kill -0 "$pid" 2> /dev/null || break
	sleep 0.1
done
kill -0 "$pid" 2> /dev/null && fail "O_EXCL create still blocked 30 s after srv1 went silent"
wait "$pid" || fail "O_EXCL create whose SETATTR answer was lost: $(cat "$PWD/excl.out")"
check "lab-fault 1 clear" lab-fault 1 clear
expect_active /mnt/a "$RNFS_SRV2" "after the O_EXCL create"
klog_has "create setattr-excl: already done by the failed server" ||
	fail "O_EXCL create: no \"already done\" in the kernel log: $(klog_since | grep rnfs)"
[ -f "$B/setattr-excl" ] || fail "O_EXCL create: no file"
echo "O_EXCL create whose SETATTR answer was lost: the file is this open's"
back_to_srv1

# What the mount shows is what the backing filesystem has.
diff <(cd "$B" && ls -la --time-style=+ | awk '{ print $1, $2, $5, $NF }' | sort) \
	<(cd "$d" && ls -la --time-style=+ | awk '{ print $1, $2, $5, $NF }' | sort) ||
	fail "the mount and the backing fs differ (above)"
check_umount /mnt/a 20
