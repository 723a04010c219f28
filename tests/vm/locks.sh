# SPDX-License-Identifier: GPL-2.0
# Locks across failover.  A process on the client holds an fcntl lock on
# one file and another holds a flock lock on a second, both through a
# read-write rnfs mount, writing to their files all along; srv1 then goes
# silent.  Before the fault, and once the mount has moved to srv2 and srv1
# has let its locks go (its lease ran out: the lab's is 10 s), another
# process on the client finds both locks held, and so does a process on
# the server side (on the backing filesystem, where the servers' locks
# live).  In between, srv1 holds them, then rnfs on srv2: how often the
# server side found them free shows the gap, which must stay rare.  The
# holders never see an error, and no lock is reported lost.  Once srv1
# is back (rnfs says so) and the mount is gone, srv1 holds no state of it.
. "$(dirname "$0")/rnfs.bash"

scratch
echo data > "$B/posix"
echo data > "$B/flock"
check "mount rnfs read-write" mount_rnfs_rw /mnt/l timeo=10,retrans=3
d=/mnt/l/$T

"$PROGS/lockhold" hold "$d/posix" "$PWD/posix.ready" 40 > posix.out 2>&1 &
hp=$!
"$PROGS/lockhold" hold "$d/flock" "$PWD/flock.ready" 40 --flock > flock.out 2>&1 &
hf=$!
BG+=("$hp" "$hf")
for f in posix flock; do
	for _ in $(seq 50); do
		[ -e "$f.ready" ] && break
		sleep 0.2
	done
	[ -e "$f.ready" ] || { cat "$f.out"; fail "the $f holder got no lock in 10s"; }
done

# held WHEN: both locks are held, for the client and the server side.
# The server side tests with fcntl: NFS servers keep flock locks as POSIX
# locks.
held() {
	local out
	out=$(bounded 30 "$PROGS/lockhold" probe "$d/posix") ||
		fail "$1: a second process on the client got the fcntl lock ($out)"
	out=$(bounded 30 "$PROGS/lockhold" probe "$d/flock" --flock) ||
		fail "$1: a second process on the client got the flock lock ($out)"
	for f in posix flock; do
		out=$(bounded 10 "$PROGS/lockhold" probe "$B/$f") ||
			fail "$1: the server side got the lock of $f ($out)"
	done
}

held "before the fault"
check "lab-fault 1 blackhole" lab-fault 1 blackhole
t0=$(uptime_ms)
free=0 probes=0
while [ $(($(uptime_ms) - t0)) -lt 25000 ]; do
	for f in posix flock; do
		probes=$((probes + 1))
		bounded 10 "$PROGS/lockhold" probe "$B/$f" > /dev/null ||
			free=$((free + 1))
	done
	sleep 0.2
done
echo "while moving: the server side found a lock free $free times in $probes"
[ $((free * 10)) -le "$probes" ] || fail "the locks were free too often"
expect_active /mnt/l "$RNFS_SRV2" "after srv1 went silent"
for i in 1 2 3; do
	held "on srv2, check $i"
	sleep 1
done

for p in "$hp" "$hf"; do
	wait_for "$p" 60 || fail "a holder is still running"
	[ "$WAIT_STATUS" -eq 0 ] || { cat posix.out flock.out; fail "a holder failed"; }
done
echo "posix holder: $(tail -n 1 posix.out)"
echo "flock holder: $(tail -n 1 flock.out)"
for f in posix flock; do
	[ "$(field $f.out errors)" = 0 ] || fail "the $f holder saw errors"
done
klog_has "lock not regained" && fail "a lock was lost: $(klog_since | grep rnfs)"
check "lab-fault 1 clear" lab-fault 1 clear
end=$(($(uptime_ms) + 30000))
until klog_has "replica $RNFS_SRV1 is up"; do
	[ "$(uptime_ms)" -lt "$end" ] || fail "srv1 not up again 30s after its link came back"
	sleep 0.2
done
check_umount /mnt/l 30

# srv1 is back: the opens and locks it held for the mount must not stay
# (nfsd lists each client's state under /proc/fs/nfsd/clients): the
# closes of the files let go of while it was silent waited for it.
srv_states_gone 1 30 "srv1 back, the mount gone"
echo "srv1, back: no open, lock or delegation left"
