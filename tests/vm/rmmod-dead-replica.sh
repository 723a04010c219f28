# SPDX-License-Identifier: GPL-2.0
# A replica dead for good does not keep rnfs loaded.  srv2 goes silent
# (down) while the mount works through srv1, and stays silent past its
# lease, so that calls to it wait in NFSv4 state recovery, where killing
# RPCs cannot free them; the mount keeps working; it is unmounted, and
# rnfs unloads within 30 s with srv2 still down.
. "$(dirname "$0")/rnfs.bash"

loaded() {
	grep -q '^rnfs ' /proc/modules
}

scratch
AT_EXIT+=("lab-fault 2 clear; loaded || modprobe rnfs")
check "fill the data file" "$READLOOP" --fill "$B/data" 1 "$RANDOM"
want=$("$READLOOP" --hash "$B/data") || fail "hash $B/data"
check "mount rnfs" mount_rnfs /mnt/r timeo=5,retrans=2
check "lab-fault 2 down" lab-fault 2 down
echo "srv2 down; waiting 25 s, past its lease"
sleep 25
echo 3 > /proc/sys/vm/drop_caches
[ "$(bounded 30 "$READLOOP" --hash "/mnt/r/$T/data")" = "$want" ] ||
	fail "reading through srv1 with srv2 dead"
expect_active /mnt/r "$RNFS_SRV1" "with srv2 dead"
check_umount /mnt/r 15
t0=$(uptime_ms)
if ! unload_rnfs 30; then
	blocked_tasks
	fail "rmmod rnfs still refused 30s after unmounting, srv2 still down: $(rmmod rnfs 2>&1)"
fi
echo "rmmod rnfs succeeded $(secs $(($(uptime_ms) - t0)))s after unmounting, srv2 still down"
check "modprobe rnfs" modprobe rnfs
