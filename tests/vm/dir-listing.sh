# SPDX-License-Identifier: GPL-2.0
# Large directories.  200 open listings of a 20,000-entry directory, each
# one getdents64 call in, take a window of the listing each (tens of KiB),
# not a copy of the whole directory.  Then a listing in small getdents64
# calls, after its first call: 100 files are created in the directory on
# the backing filesystem (on tmpfs they come first in a listing, so every
# entry moves to another position) and srv1 goes silent.  The listing
# goes on through srv2 without an error and gives every entry that was
# there before exactly once, as if nothing had happened, and the mount
# moves to srv2.
. "$(dirname "$0")/rnfs.bash"

dir=/mnt/dl
scratch
mkdir "$B/big" || fail "mkdir $B/big"
(cd "$B/big" && seq -f "entry-%034g" 20000 | xargs touch) ||
	fail "create 20000 files"
ls -f "$B/big" | grep -v '^\.\.\?$' | LC_ALL=C sort > before
[ "$(wc -l < before)" -eq 20000 ] || fail "the backing directory has $(wc -l < before) entries"

check "mount rnfs" mount_rnfs "$dir" timeo=10,retrans=3
expect_active "$dir" "$RNFS_SRV1" "after mounting"
big=$dir/$T/big

# wait_ready FILE PID SECS: until dirlist PID creates FILE or exits, at
# most SECS seconds; fails unless FILE is there.
wait_ready() {
	local i
	for ((i = 0; i < $3 * 5; i++)); do
		[ -e "$1" ] || ! kill -0 "$2" 2>/dev/null && break
		sleep 0.2
	done
	[ -e "$1" ]
}

# Memory: what the open listings hold, beyond the NFS client's own cache
# of the directory, which one full listing first fills.
mem_available() {
	awk '$1 == "MemAvailable:" { print $2 }' /proc/meminfo
}
ls -f "$big" > /dev/null || fail "ls -f $big"
m0=$(mem_available)
"$PROGS/dirlist" hold "$big" 200 "$PWD/held" 2> hold.err &
holder=$!
BG+=("$holder")
wait_ready held "$holder" 60 || fail "200 open listings not ready after 60s: $(cat hold.err)"
m1=$(mem_available)
kill "$holder"
used=$((m0 - m1))
echo "memory taken by 200 open listings of 20000 entries: $((used / 1024)) MiB"
# A copy of the listing per open directory, 1.3 MB of entries and more
# once grown, was 424 MiB.
[ "$used" -lt $((40 * 1024)) ] ||
	fail "200 open listings take $((used / 1024)) MiB: more than one window each"

# The NFS client keeps what it listed: without it, the rest of the listing
# has to come from a server.
echo 3 > /proc/sys/vm/drop_caches
"$PROGS/dirlist" list "$big" "$PWD/ready" "$PWD/go" > listed 2> list.err &
lister=$!
BG+=("$lister")
wait_ready ready "$lister" 20 || fail "no first getdents64 in 20s: $(cat list.err)"
(cd "$B/big" && seq -f "new-%036g" 100 | xargs touch) || fail "create 100 files"
check "lab-fault 1 blackhole" lab-fault 1 blackhole
touch go
wait_for "$lister" 90 || fail "the listing still runs 90s after srv1 went silent"
[ "$WAIT_STATUS" -eq 0 ] || fail "the listing failed: $(cat list.err)"
echo "listed $(wc -l < listed) names, $(grep -c '^new-' listed) of them created during the listing"
dups=$(LC_ALL=C sort listed | uniq -d | head -n 5)
[ -z "$dups" ] || fail "names listed twice: $dups"
grep -v '^new-' listed | LC_ALL=C sort > after
if ! cmp -s before after; then
	diff before after | head -n 10
	fail "the listing lost or changed names that were there before it"
fi
expect_active "$dir" "$RNFS_SRV2" "after the listing"
klog_has "failover from $RNFS_SRV1 to $RNFS_SRV2" ||
	fail "no failover in the kernel log: the listing did not need srv2"

check "lab-fault 1 clear" lab-fault 1 clear
check_umount "$dir" 20
