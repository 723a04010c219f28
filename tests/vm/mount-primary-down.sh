# SPDX-License-Identifier: GPL-2.0
# Mounting while the preferred replica is down: with srv1 silent, the
# mount succeeds within the failover deadline + 5 s, uses srv2, and reads
# the right data, before and after srv1 comes back; srv1 is mounted when
# it comes back, and a failback=auto mount moves to it.
. "$(dirname "$0")/rnfs.bash"

limit=$(($(deadline_ms 10 3) + 5000))

scratch
check "fill the data file" "$READLOOP" --fill "$B/data" 4 "$RANDOM"
want=$("$READLOOP" --hash "$B/data") || fail "hash $B/data"

check "lab-fault 1 down" lab-fault 1 down
t0=$(uptime_ms)
mount_rnfs /mnt/r timeo=10,retrans=3
rc=$?
took=$(($(uptime_ms) - t0))
echo "mount with srv1 down: status $rc after $(secs $took)s"
[ $rc -ne 137 ] || fail "the mount still blocked after 30s"
[ $rc -eq 0 ] || fail "the mount failed with srv1 down: $(klog_since | grep rnfs)"
[ $took -le $limit ] || fail "the mount took more than $(secs $limit)s"
expect_active /mnt/r "$RNFS_SRV2" "after mounting with srv1 down"

got=$(bounded 30 "$READLOOP" --hash "/mnt/r/$T/data")
[ "$got" = "$want" ] || fail "reading the data file through rnfs: got \"$got\", want $want"
[ "$(bounded 30 ls "/mnt/r/$T")" = data ] || fail "ls /mnt/r/$T does not show just the data file"

check "lab-fault 1 clear" lab-fault 1 clear
got=$(bounded 30 "$READLOOP" --hash "/mnt/r/$T/data")
[ "$got" = "$want" ] || fail "reading the data file after srv1 came back: got \"$got\""
check_umount /mnt/r 20

# srv1, down at mount time, is mounted when it comes back: with
# failback=auto the mount then moves to it.
check "lab-fault 1 down" lab-fault 1 down
check "mount rnfs, failback=auto" mount_rnfs /mnt/r timeo=10,retrans=3,failback=auto,failback_delay=2
expect_active /mnt/r "$RNFS_SRV2" "after mounting with srv1 down"
check "lab-fault 1 clear" lab-fault 1 clear
wait_active /mnt/r "$RNFS_SRV1" 30 ||
	fail "srv1 not in use 30s after it came back: $(superopts /mnt/r)"
got=$(bounded 30 "$READLOOP" --hash "/mnt/r/$T/data")
[ "$got" = "$want" ] || fail "reading the data file from srv1: got \"$got\""
check_umount /mnt/r 20
