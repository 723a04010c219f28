# SPDX-License-Identifier: GPL-2.0
# rnfs.ko loads and unloads cleanly: it cannot be unloaded while an rnfs
# mount exists, and after unmounting it unloads with no taint beyond an
# unsigned out-of-tree module, no slab cache or sysfs entry left behind,
# nothing logged at warning level or worse.
. "$(dirname "$0")/rnfs.bash"

TAINT_OOT_MODULE=$((1 << 12))
TAINT_UNSIGNED_MODULE=$((1 << 13))

loaded() {
	grep -q '^rnfs ' /proc/modules
}

leftovers() {
	grep '^rnfs' /proc/slabinfo
	ls /sys/kernel/slab | grep '^rnfs'
	grep -w rnfs /proc/filesystems
	[ -e /sys/module/rnfs ] && echo /sys/module/rnfs
}

check "rnfs.ko is loaded by the lab" loaded
complaints=$(kernel_complaints | wc -l)

scratch
echo "in use" > "$B/file"
check "mount rnfs" mount_rnfs /mnt/r
rmmod rnfs 2>/dev/null && fail "rmmod rnfs succeeded with rnfs mounted"
check "rnfs still loaded while mounted" loaded
[ "$(cat "/mnt/r/$T/file")" = "in use" ] || fail "reading after the refused rmmod"
check_umount /mnt/r 20
unload_rnfs 30 || fail "rmmod rnfs refused 30s after unmounting: $(rmmod rnfs 2>&1)"
check "modprobe rnfs" modprobe rnfs

for round in 1 2 3; do
	check "rmmod rnfs (round $round)" rmmod rnfs
	loaded && fail "rnfs still in /proc/modules after rmmod"
	left=$(leftovers)
	[ -z "$left" ] || fail "left behind after unloading: $left"
	check "modprobe rnfs (round $round)" modprobe rnfs
	check "rnfs in /proc/modules after modprobe" loaded
done

taint=$(cat /proc/sys/kernel/tainted)
other=$((taint & ~(TAINT_OOT_MODULE | TAINT_UNSIGNED_MODULE)))
[ "$other" -eq 0 ] || fail "kernel tainted $taint (unexpected bits $other)"
[ $((taint & TAINT_OOT_MODULE)) -ne 0 ] ||
	fail "taint $taint lacks the out-of-tree bit: is this really rnfs.ko?"

now_complaints=$(kernel_complaints | wc -l)
[ "$now_complaints" -eq "$complaints" ] ||
	fail "kernel complained: $(kernel_complaints | tail -n $((now_complaints - complaints)))"
echo "loaded and unloaded 4 times; taint $taint"
