# SPDX-License-Identifier: GPL-2.0
# Files let go of while their server was down are closed there once it
# answers again, as plain NFS (hard) would: the server keeps no open
# state for them, and a file removed meanwhile leaves the backing
# filesystem.  Two files are open and written through srv1; srv1's link
# goes down; a write to each fails over to srv2; both are closed, and one
# is removed (by another node, on the backing fs); srv1 comes back.
. "$(dirname "$0")/rnfs.bash"

# srv1's NFSv4 open state for inode $1 (knfsd's clients/*/states).
srv1_opens() {
	lab-srv 1 sh -c 'cat /proc/fs/nfsd/clients/*/states' 2>/dev/null |
		grep "type: open" | grep -c ":$1\""
}

scratch
d=/mnt/w/$T
check "mount rnfs read-write" mount_rnfs_rw /mnt/w timeo=10,retrans=2
expect_active /mnt/w "$RNFS_SRV1" "after mounting"
coproc FDCMD { "$PROGS/fdcmd"; }
BG+=("$FDCMD_PID")
fd_ok open 1 "$d/kept" c
fd_ok write 1 kept-data
fd_ok fsync 1
fd_ok open 2 "$d/removed" c
fd_ok write 2 removed-data
fd_ok fsync 2
kept=$(stat -c %i "$B/kept")
removed=$(stat -c %i "$B/removed")
[ "$(srv1_opens "$kept")" -ge 1 ] && [ "$(srv1_opens "$removed")" -ge 1 ] ||
	fail "srv1 has no open state for the files before the fault"

check "lab-fault 1 down" lab-fault 1 down
AT_EXIT+=("lab-fault 1 clear")
fd_ok pwrite 1 0 KEPT
fd_ok fsync 1
fd_ok pwrite 2 0 REMOVED
fd_ok fsync 2
expect_active /mnt/w "$RNFS_SRV2" "after srv1 down"
fd_ok close 1
fd_ok close 2
check "remove a file on the backing fs" rm "$B/removed"
content "$B/kept" KEPT-data
echo "srv1 down: both files written through srv2 and closed; one removed"

check "lab-fault 1 clear" lab-fault 1 clear
end=$(($(uptime_ms) + 30000))
until klog_has "replica $RNFS_SRV1 is up"; do
	[ "$(uptime_ms)" -lt "$end" ] || fail "srv1 not up again 30s after its link came back"
	sleep 0.2
done
end=$(($(uptime_ms) + 10000))
while [ "$(srv1_opens "$kept")" -gt 0 ] || [ "$(srv1_opens "$removed")" -gt 0 ]; do
	if [ "$(uptime_ms)" -ge "$end" ]; then
		lab-srv 1 sh -c 'cat /proc/fs/nfsd/clients/*/states'
		fail "10s after srv1 came back it still holds the files open (kept: $(srv1_opens "$kept"), removed: $(srv1_opens "$removed"))"
	fi
	sleep 0.2
done
echo "srv1 back: it holds neither file open any more"
eval "exec ${FDCMD[1]}>&-"
check_umount /mnt/w 30
