# SPDX-License-Identifier: GPL-2.0
# Programs run from an rnfs mount survive failover.  A long-running
# program started from the mount keeps running when srv1 stops, and after
# the page cache is dropped its text is faulted in again from srv2 (no
# SIGBUS).  Programs started from the mount over and over meanwhile never
# fail and none takes longer than the failover deadline + 2 s.
. "$(dirname "$0")/rnfs.bash"

dir=/mnt/r
limit=$(($(deadline_ms 10 3) + 2000))
counter=$PWD/counter

scratch
mkdir -p "$B/bin"
check "copy the programs" cp "$SPIN" "$READLOOP" /usr/bin/true "$B/bin/"
check "fill the data file" "$READLOOP" --fill "$B/small" 1 "$RANDOM"
want=$("$READLOOP" --hash "$B/small") || fail "hash $B/small"
check "mount rnfs" mount_rnfs "$dir" timeo=10,retrans=3
expect_active "$dir" "$RNFS_SRV1" "after mounting"

count() {
	cat "$counter" 2>/dev/null || echo 0
}

# spin_dead: fail saying how spin ended.
spin_dead() {
	local rc
	wait "$spin"
	rc=$?
	[ $rc -eq 135 ] && fail "spin was killed by SIGBUS $1"
	fail "spin exited with status $rc $1"
}

"$dir/$T/bin/spin" "$counter" &
spin=$!
BG+=("$spin")
end=$(($(uptime_ms) + 20000))
until [ "$(count)" -ge 2 ]; do
	kill -0 "$spin" 2>/dev/null || spin_dead "before the fault"
	[ "$(uptime_ms)" -lt "$end" ] || fail "spin did not count to 2 in 20s"
	sleep 0.5
done

# Start programs from the mount until ./stop exists; one line per run in
# runs.log: "START_MS NAME STATUS MS" (status "wrong" for a wrong output),
# and what a failed readloop printed in said.log.
exec_loop() {
	local t0 rc out
	while [ ! -e stop ]; do
		t0=$(uptime_ms)
		out=$(timeout -s KILL 30 "$dir/$T/bin/readloop" --hash "$dir/$T/small" 2>&1)
		rc=$?
		[ $rc -ne 0 ] || [ "$out" = "$want" ] || rc=wrong
		echo "$t0 readloop $rc $(($(uptime_ms) - t0))"
		[ "$rc" = 0 ] || echo "$t0 $out" >> said.log
		t0=$(uptime_ms)
		timeout -s KILL 30 "$dir/$T/bin/true"
		echo "$t0 true $? $(($(uptime_ms) - t0))"
	done
}

rm -f stop said.log
exec_loop > runs.log 2>&1 &
loop=$!
BG+=("$loop")
sleep 3
check "lab-fault 1 stop" lab-fault 1 stop
t_fault=$(uptime_ms)
wait_active "$dir" "$RNFS_SRV2" $((limit / 1000 + 5)) ||
	fail "still active=$(active_server "$dir") $((limit / 1000 + 5))s after srv1 stopped"
echo "active=$RNFS_SRV2 after $(secs $(($(uptime_ms) - t_fault)))s"
klog_has "failover from $RNFS_SRV1 to $RNFS_SRV2" ||
	fail "no \"failover from $RNFS_SRV1 to $RNFS_SRV2\" in the kernel log"

# Drop the page cache (and dentries, inodes) now and then for 10 s: every
# later exec and every page fault of spin's text reads from srv2.
t_drop=$(uptime_ms)
c1=$(count)
for _ in 1 2 3 4 5; do
	echo 3 > /proc/sys/vm/drop_caches
	sleep 2
done
c2=$(count)
touch stop
wait_for "$loop" 70 || fail "the exec loop did not stop within 70s"

kill -0 "$spin" 2>/dev/null || spin_dead "after the failover"
echo "spin counted $c1 -> $c2 while the caches were dropped"
[ $((c2 - c1)) -ge 5 ] || fail "spin counted only $c1 -> $c2 in 10s after the failover"

awk '$3 != "0"' runs.log > failed.log
awk -v f="$t_fault" -v d="$t_drop" '
	{ n++; if ($4 > max) max = $4 }
	$1 >= f { after++ } $1 >= d { dropped++ }
	END { printf "%d runs from the mount, %d after the fault, %d after dropping caches; slowest %d ms\n", n, after, dropped, max }' runs.log
if [ -s failed.log ]; then
	cat failed.log
	[ -e said.log ] && cat said.log
	fail "a program run from the mount failed"
fi
slow=$(awk -v l="$limit" '$4 >= l' runs.log)
[ -z "$slow" ] || fail "runs slower than the deadline + 2s (${limit}ms): $slow"
for p in readloop true; do
	n=$(awk -v d="$t_drop" -v p=$p '$2 == p && $1 >= d' runs.log | wc -l)
	[ "$n" -ge 2 ] || fail "$p ran only $n times after the caches were dropped"
done

kill "$spin"
wait "$spin"
check "lab-fault 1 clear" lab-fault 1 clear
check_umount "$dir" 20
