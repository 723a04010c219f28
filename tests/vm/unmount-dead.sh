# SPDX-License-Identifier: GPL-2.0
# Unmounting with every server dead: a plain umount returns within 15 s.
# Once the servers are back, the dead lower mounts are reaped in the
# background: rnfs can be unloaded within 60 s, leaving no slab cache and
# no NFS mount behind, and loaded again.
. "$(dirname "$0")/rnfs.bash"

loaded() {
	grep -q '^rnfs ' /proc/modules
}

scratch
AT_EXIT+=("lab-fault 1 clear; lab-fault 2 clear; loaded || modprobe rnfs")
check "rnfs.ko is loaded" loaded
vols=$(nfs_volumes)
check "fill the data file" "$READLOOP" --fill "$B/data" 4 "$RANDOM"
want=$("$READLOOP" --hash "$B/data") || fail "hash $B/data"
check "mount rnfs" mount_rnfs /mnt/r timeo=10,retrans=3
[ "$(bounded 30 "$READLOOP" --hash "/mnt/r/$T/data")" = "$want" ] ||
	fail "reading the data file through rnfs"
[ "$(nfs_volumes)" -gt "$vols" ] ||
	fail "no lower NFS mount in /proc/fs/nfsfs/volumes while rnfs is mounted"

check "lab-fault 1 down" lab-fault 1 down
check "lab-fault 2 down" lab-fault 2 down
check_umount /mnt/r 15
[ "$(awk '$3 == "rnfs"' /proc/mounts | wc -l)" -eq 0 ] || fail "an rnfs mount is left"

check "lab-fault 1 clear" lab-fault 1 clear
check "lab-fault 2 clear" lab-fault 2 clear
t0=$(uptime_ms)
unload_rnfs 60 ||
	fail "rmmod rnfs still refused 60s after the servers came back: $(rmmod rnfs 2>&1)"
echo "rmmod rnfs succeeded $(secs $(($(uptime_ms) - t0)))s after the servers came back"
loaded && fail "rnfs still in /proc/modules after rmmod"
left=$(grep '^rnfs' /proc/slabinfo; compgen -G '/sys/kernel/slab/rnfs*')
[ -z "$left" ] || fail "slab caches left after rmmod: $left"
end=$(($(uptime_ms) + 30000))
until [ "$(nfs_volumes)" -le "$vols" ]; do
	[ "$(uptime_ms)" -lt "$end" ] ||
		fail "lower NFS mounts left 30s after rmmod: $(cat /proc/fs/nfsfs/volumes)"
	sleep 1
done
check "modprobe rnfs" modprobe rnfs
check "rnfs in /proc/modules after modprobe" loaded
