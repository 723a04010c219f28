# SPDX-License-Identifier: GPL-2.0
# An unmount closes on the servers what the mount had open there.  Files
# just read through the mount stay open on srv1 for a moment after their
# last close (idle.c keeps read-only lower files for reuse); an unmount
# right then sends their CLOSEs as the mount goes away, and they must
# reach srv1, not be killed along with calls stuck on dead servers: srv1
# then holds no open, lock or delegation.  A CLOSE that never reached it
# would leave the file open there for as long as the client lives.
. "$(dirname "$0")/rnfs.bash"

n=300
scratch
for i in $(seq $n); do
	echo "file $i" > "$B/f$i"
done
check "mount rnfs" mount_rnfs /mnt/u timeo=10,retrans=3
for i in $(seq $n); do
	line=$(< "/mnt/u/$T/f$i") || fail "reading f$i"
	[ "$line" = "file $i" ] || fail "f$i reads \"$line\""
done
held=$(srv_states 1)
[ "$held" -gt 0 ] || fail "srv1 holds no open for the $n files just read"
echo "srv1 holds $held opens or delegations for the files just read"
check_umount /mnt/u 30
srv_states_gone 1 10 "after unmounting"
echo "10s after unmounting, srv1 holds nothing for the mount"
