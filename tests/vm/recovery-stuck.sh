# SPDX-License-Identifier: GPL-2.0
# A server restarts (its NFSv4 state is gone) and then never completes
# the client's recovery: its answers to EXCHANGE_ID are lost, as when its
# client-tracking storage hangs.  Calls on it then wait in the NFS
# client's state recovery, where killing RPCs cannot reach them.  The
# mount fails over and a program creating files sees no error; a
# program in a memory cgroup at its limit writes and reads 96 MiB
# through the mount meanwhile, intact, with no hang; once unmounted,
# rnfs unloads within 30 s, srv1 still in that state.
. "$(dirname "$0")/rnfs.bash"

loaded() {
	grep -q '^rnfs ' /proc/modules
}

scratch
AT_EXIT+=("lab-fault 1 clear; loaded || modprobe rnfs")
check "mount rnfs read-write" mount_rnfs_rw /mnt/r timeo=5,retrans=2
d=/mnt/r/$T
expect_active /mnt/r "$RNFS_SRV1" "at mount"

# Files created one after the other; the first failure ends the loop.
creator() {
	local i=0
	while [ ! -e "$PWD/stop" ]; do
		i=$((i + 1))
		echo "$i" > "$d/f$i" || { echo "create f$i failed"; exit 1; }
		sleep 0.05
	done
	echo "$i"
}
creator > "$PWD/creator.out" 2>&1 &
BG+=($!)
cpid=$!
sleep 1

check "lab-fault 1 replyloss 42" lab-fault 1 replyloss 42
check "lab-fault 1 stop" lab-fault 1 stop
check "lab-fault 1 start" lab-fault 1 start
echo "srv1 restarted; its answers to EXCHANGE_ID are lost"
for i in $(seq 100); do
	[ "$(active_server /mnt/r)" = "$RNFS_SRV2" ] && break
	sleep 0.1
done
expect_active /mnt/r "$RNFS_SRV2" "with srv1 stuck in recovery"

# Meanwhile the mount serves from srv2 a program in a memory cgroup at
# its limit, whose page cache is reclaimed, written back and read again
# through rnfs all along.
memory_cgroup rnfs-stuck 32M
check "fill a local copy" "$READLOOP" --fill /tmp/big 96 7
want=$("$READLOOP" --hash /tmp/big) || fail "hash /tmp/big"
rm -f /tmp/big
t0=$(uptime_ms)
check "write 96 MiB through rnfs in a 32 MiB cgroup" \
	bounded 60 "${IN_CGROUP[@]}" "$READLOOP" --fill "$d/big" 96 7
t1=$(uptime_ms)
out=$(bounded 60 "${IN_CGROUP[@]}" "$READLOOP" "$d/big" 1 "$want") ||
	fail "read it back in the cgroup: $out"
t2=$(uptime_ms)
echo "in a 32 MiB cgroup, srv1 stuck in recovery: wrote 96 MiB in $(secs $((t1 - t0)))s, read it back in $(secs $((t2 - t1)))s: $(tail -n 1 <<< "$out")"
[ "$("$READLOOP" --hash "$B/big")" = "$want" ] ||
	fail "the file on the backing filesystem is not what was written"
grep -q '^oom_kill 0$' "$CG/memory.events" ||
	fail "the cgroup had OOM kills: $(cat "$CG/memory.events")"
rm -f "$B/big"
touch "$PWD/stop"
for i in $(seq 100); do
	kill -0 "$cpid" 2> /dev/null || break
	sleep 0.1
done
kill -0 "$cpid" 2> /dev/null && fail "the creator is still blocked 10 s after being told to stop"
wait "$cpid" || fail "the creator failed: $(cat "$PWD/creator.out")"
n=$(cat "$PWD/creator.out")
for i in $(seq "$n"); do
	[ "$(cat "$B/f$i" 2> /dev/null)" = "$i" ] || fail "f$i: \"$(cat "$B/f$i" 2>&1)\""
done
echo "$n files created across the failover, each with its content"
echo "tasks waiting in NFSv4 state recovery: $(grep -l nfs4_wait_clnt_recover /proc/[0-9]*/stack 2> /dev/null | wc -l)"

check_umount /mnt/r 15
t0=$(uptime_ms)
if ! unload_rnfs 30; then
	blocked_tasks
	fail "rmmod rnfs still refused 30s after unmounting, srv1 still in recovery: $(rmmod rnfs 2>&1)"
fi
echo "rmmod rnfs succeeded $(secs $(($(uptime_ms) - t0)))s after unmounting, srv1 still in recovery"
check "modprobe rnfs" modprobe rnfs
