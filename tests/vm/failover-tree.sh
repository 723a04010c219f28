# SPDX-License-Identifier: GPL-2.0
# Namespace failover: a tree of 2,000 files (directories, varied sizes and
# modes, symbolic links) is walked through rnfs with find, ls -lR and stat,
# with cold dentry and inode caches, over and over while srv1 is down.
# Every walk succeeds without an error message and gives exactly the
# listing taken before the fault (which matches the backing filesystem),
# inode numbers included, and the mount moves to srv2.
. "$(dirname "$0")/rnfs.bash"

dir=/mnt/r

scratch
# 10 x 10 directories of 20 files, 1 to 1,000 bytes each.
mkdir -p "$B"/tree/d{0..9}/s{0..9} || fail "mkdir the tree"
for d in {0..9}; do
	for s in {0..9}; do
		for f in {0..19}; do
			printf '%*s\n' $((d * 100 + s * 10 + f)) "$d/$s/$f" \
				> "$B/tree/d$d/s$s/f$f"
		done
	done
	ln -s "s0/f$d" "$B/tree/d$d/link-file"
	ln -s "../d$(((d + 1) % 10))/s$d" "$B/tree/d$d/link-dir"
	ln -s "/nonexistent/$d" "$B/tree/d$d/link-dangling"
	ln -s "$B/tree/d$d/s1/f1" "$B/tree/d$d/link-absolute"
done
chmod 600 "$B"/tree/d1/s*/f1*
chmod 755 "$B"/tree/d2/s*/f2*
chmod 700 "$B"/tree/d3/s5
chmod 1777 "$B"/tree/d4/s4
[ "$(find "$B/tree" -type f | wc -l)" -eq 2000 ] || fail "the tree does not have 2000 files"

check "mount rnfs" mount_rnfs "$dir" timeo=10,retrans=3
expect_active "$dir" "$RNFS_SRV1" "after mounting"

# walk OUT: the tree through rnfs, after dropping dentries and inodes:
# OUT.find (find's listing, sorted), OUT.ls (ls -lnR without "total"
# lines), OUT.stat (stat of every path in $paths), OUT.err (every
# error message).  Fails if a command failed or printed an error.
walk() {
	local out=$PWD/$1 rc=0

	echo 2 > /proc/sys/vm/drop_caches
	(
		cd "$dir/$T/tree" || exit 1
		timeout -s KILL 40 find . -printf '%p %s %m %y %l\n' \
			> "$out.find.raw" 2> "$out.err" || rc=1
		timeout -s KILL 40 ls -lnR --time-style=+%s . \
			> "$out.ls.raw" 2>> "$out.err" || rc=1
		timeout -s KILL 40 xargs -d '\n' stat -c '%n %s %i %h %a %F %Y %d' \
			< "$paths" > "$out.stat" 2>> "$out.err" || rc=1
		exit $rc
	) || rc=1
	LC_ALL=C sort "$out.find.raw" > "$out.find"
	grep -v '^total ' "$out.ls.raw" > "$out.ls"
	[ $rc -eq 0 ] && [ ! -s "$out.err" ]
}

# The backing filesystem's own listing: what rnfs must show.
(cd "$B/tree" && find . -printf '%p %s %m %y %l\n') | LC_ALL=C sort > backing.find
cut -d' ' -f1 backing.find > paths
paths=$PWD/paths
walk before || { cat before.err; fail "walking the tree before the fault failed"; }
if ! cmp -s backing.find before.find; then
	diff backing.find before.find | head -20
	fail "find through rnfs differs from find on the backing filesystem"
fi
echo "before the fault: $(wc -l < before.find) entries, $(wc -l < before.stat) stat lines"

check "lab-fault 1 down" lab-fault 1 down
t_fault=$(uptime_ms)
i=0
on_srv2=0
while :; do
	i=$((i + 1))
	t0=$(uptime_ms)
	walk "walk$i" || { cat "walk$i.err"; fail "walk $i failed during the fault"; }
	for k in find ls stat; do
		if ! cmp -s "before.$k" "walk$i.$k"; then
			diff "before.$k" "walk$i.$k" | head -20
			fail "walk $i: the $k listing differs from before the fault"
		fi
	done
	a=$(active_server "$dir")
	echo "walk $i: $(secs $(($(uptime_ms) - t0)))s, identical, active=$a"
	[ "$a" = "$RNFS_SRV2" ] && on_srv2=$((on_srv2 + 1))
	el=$(($(uptime_ms) - t_fault))
	[ $el -ge 15000 ] && [ $on_srv2 -ge 2 ] && break
	[ $el -lt 50000 ] ||
		fail "only $on_srv2 walks ended on srv2 in 50s of srv1 down (active=$a)"
done
klog_has "failover from $RNFS_SRV1 to $RNFS_SRV2" ||
	fail "no \"failover from $RNFS_SRV1 to $RNFS_SRV2\" in the kernel log"

check "lab-fault 1 clear" lab-fault 1 clear
check_umount "$dir" 20
