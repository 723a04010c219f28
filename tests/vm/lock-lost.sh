# SPDX-License-Identifier: GPL-2.0
# A lock that cannot be taken again after failover is reported, and its
# file fails with EIO.  A process holds an fcntl lock through rnfs; knfsd
# on srv1 stops, which drops the lock at once, and before the mount has
# moved a process on the server side takes the lock and keeps it.  rnfs
# tries for two lease periods on srv2, then gives up: the kernel log says
# "lock not regained", nfs4cl events shows a lock-lost event, and the
# holder's writes fail with EIO (and only its file's: another file on
# the mount still works).  Until then its writes wait: none lands while
# the server side holds the lock.
. "$(dirname "$0")/rnfs.bash"

scratch
echo data > "$B/locked"
echo data > "$B/other"
check "mount rnfs read-write" mount_rnfs_rw /mnt/k timeo=10,retrans=3
d=/mnt/k/$T
nfs4cl events > "$PWD/events.out" 2>&1 &
BG+=($!)

start_holder "$d/locked" 45

check "lab-fault 1 stop" lab-fault 1 stop
# The server side waits for the lock, which srv1's knfsd let go.
"$PROGS/lockhold" hold "$B/locked" "$PWD/thief.ready" 60 --at=1 > thief.out 2>&1 &
BG+=($!)
for _ in $(seq 50); do
	[ -e thief.ready ] && break
	sleep 0.2
done
[ -e thief.ready ] || fail "the server side never got the lock srv1 dropped"
wait_active /mnt/k "$RNFS_SRV2" 20 || fail "the mount did not move to srv2"

# While rnfs tries to take the lock again, the holder's writes (at offset
# 0; the server side's are at 1) wait: the server side holds the lock.
# Only the one under way at the fault may land meanwhile.
prev=$(head -c 1 "$B/locked") changes=0
for _ in $(seq 20); do
	sleep 0.5
	c=$(head -c 1 "$B/locked")
	[ "$c" = "$prev" ] || changes=$((changes + 1))
	prev=$c
done
echo "the holder's byte changed $changes times in 10s while the server side held the lock"
[ "$changes" -le 1 ] || fail "the holder kept writing while the server side held its lock"

for _ in $(seq 60); do
	klog_has "lock not regained" && break
	sleep 1
done
klog_has "lock not regained" || fail "no \"lock not regained\" in the kernel log after 60s"
klog_since | grep "lock not regained"
wait_for "$HOLDER" 30 || fail "the holder still runs"
echo "holder: $(tail -n 1 holder.out)"
[ "$(field holder.out errors)" -gt 0 ] || fail "the holder's writes went on without error"
grep -q "Input/output error" holder.out || fail "the holder saw no EIO: $(cat holder.out)"
echo more >> "$d/other" || fail "another file of the mount does not work"
grep -q "lock lost on $RNFS_SRV2" events.out || fail "no lock-lost event: $(cat events.out)"
grep "lock lost" events.out

check "lab-fault 1 clear" lab-fault 1 clear
check_umount /mnt/k 30
