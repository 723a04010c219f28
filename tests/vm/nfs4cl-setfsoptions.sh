# SPDX-License-Identifier: GPL-2.0
# nfs4cl setfsoptions takes effect at once: a reader's stall at failover
# (srv1 blackholed) is about the 3 s deadline of timeo=10,retrans=3; after
# `setfsoptions timeo=2,retrans=2` (0.4 s) on the same mount, with no
# remount, and a switch back to srv1, the next failover stalls it far less.  mountinfo and showfs
# show the new values; bad values are refused and change nothing.
. "$(dirname "$0")/rnfs.bash"

scratch
dir=/mnt/o
check "fill the test file" "$READLOOP" --fill "$B/data" 16 "$RANDOM"
want=$("$READLOOP" --hash "$B/data") || fail "hash $B/data"
check "mount rnfs" mount_rnfs "$dir" timeo=10,retrans=3,failback=manual

# stall FAULT-SERVER: readloop through the mount, drop caches each pass,
# blackhole server N after 3 s, wait for the reader, clear the fault;
# sets STALL to readloop's longest call in ms.
stall() {
	local out=$PWD/readloop.$1.out pid n0
	n0=$(nfs4cl showfs -f failovers "$dir")
	[ "$(nfs4cl showfs -f current_host "$dir")" = "$(eval echo "\$RNFS_SRV$1")" ] ||
		fail "the mount is not on srv$1 before the fault"
	"$READLOOP" "$dir/$T/data" 12 "$want" > "$out" 2>&1 &
	pid=$!
	BG+=($pid)
	sleep 3
	lab-fault "$1" blackhole
	wait_for "$pid" 30 || fail "readloop still running"
	[ "$WAIT_STATUS" -eq 0 ] || { show "$out"; fail "readloop failed"; }
	lab-fault "$1" clear
	[ "$(nfs4cl showfs -f failovers "$dir")" -eq $((n0 + 1)) ] ||
		fail "the fault on srv$1 did not make exactly one failover"
	STALL=$(rl_field "$out" max_stall_ms)
}

stall 1
s1=$STALL
echo "stall with timeo=10,retrans=3: ${s1} ms"
[ "$(nfs4cl showfs -f current_host "$dir")" = "$RNFS_SRV2" ] || fail "no failover to srv2"

check "setfsoptions timeo=2,retrans=2" nfs4cl setfsoptions "$dir" timeo=2,retrans=2
[ "$(mount_opt "$dir" timeo)" = 2 ] && [ "$(mount_opt "$dir" retrans)" = 2 ] ||
	fail "mountinfo does not show timeo=2,retrans=2: $(superopts "$dir")"
nfs4cl showfs "$dir" | grep -q '^options : .*timeo=2,retrans=2' ||
	fail "showfs does not show timeo=2,retrans=2"

# Back to srv1 by hand once it answers again, and read through it until
# a pass stays there: the NFS client must first recover its state with
# srv1 (the blackhole outlived the lease), which may itself outlast the
# new 0.4 s deadline and send the mount back to srv2.  The second stall
# then measures rnfs's deadline, not that recovery.
for i in $(seq 10); do
	for j in $(seq 50); do
		nfs4cl switch "$dir" "$RNFS_SRV1" > /dev/null 2>&1 && break
		sleep 0.2
	done
	timeout -s KILL 60 "$READLOOP" "$dir/$T/data" 1 "$want" > readloop.srv1.out 2>&1 ||
		{ show readloop.srv1.out; fail "read through srv1"; }
	[ "$(nfs4cl showfs -f current_host "$dir")" = "$RNFS_SRV1" ] && break
done
stall 1
s2=$STALL
echo "stall with timeo=2,retrans=2: ${s2} ms"
[ "$(nfs4cl showfs -f current_host "$dir")" = "$RNFS_SRV2" ] || fail "no second failover to srv2"
[ "$s1" -ge 2500 ] || fail "the first stall (${s1} ms) is shorter than the 3 s deadline allows"
[ "$s2" -lt 1500 ] || fail "the second stall (${s2} ms) does not reflect the 0.4 s deadline"

for bad in timeo=0 timeo=6001 retrans=0 retrans=101 failback=sometimes \
	failback_delay=86401 rsize=4096 timeo=x; do
	out=$(nfs4cl setfsoptions "$dir" "$bad" 2>&1) && fail "setfsoptions $bad succeeded"
	echo "setfsoptions $bad: $out"
done
[ "$(mount_opt "$dir" timeo)" = 2 ] && [ "$(mount_opt "$dir" failback)" = manual ] ||
	fail "a refused setfsoptions changed the mount: $(superopts "$dir")"
check_umount "$dir" 20
