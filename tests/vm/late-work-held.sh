# SPDX-License-Identifier: GPL-2.0
# Writes that srv1's nfsd has received and holds when srv1 goes silent
# are given up on and committed through srv2, then newer data too; srv1
# comes back, and its nfsd goes on with the writes it held.  They must
# not land, and rnfs must fence srv1 (destroy its old NFS session) before
# it checks or uses anything there.
#
# How srv1 holds them: a stand-in for `rpc.mountd --manage-gids` in srv1
# answers knfsd's group lookups (the auth.unix.gid cache), except, once
# told, those of the lab user (uid 1000), which writes the file.  An
# nfsd thread waits up to 5 s for that answer before it starts the
# compound, as for a mountd stuck on a dead LDAP server; root's calls
# (rnfs's probes, the NFS client's own) go on meanwhile.  Three ranges
# are written back at once, so that the held writes take three slots of
# the session.  A request held there is refused once its session is
# destroyed (the fence), and also once the NFS client has used its slot
# again (NFSv4.1's exactly-once rule: the client probes the slots of the
# calls it killed when the server answers), which it did in both runs of
# this test on a module without the fence.  A request that srv1's nfsd
# holds while it executes it (its slot busy, stuck in the backing
# filesystem) makes srv1 refuse the destroy, and rnfs wait a lease period
# before it checks (mount.rnfs(8)); this lab cannot hold one on srv1
# alone: srv2 shares the filesystem.
. "$(dirname "$0")/rnfs.bash"

scratch
d=/mnt/w/$T
f=$B/file
chmod 0777 "$B"
v0=$(printf '%-48s' v0-written-through-srv1-before-the-fault | tr ' ' -)
v1=$(printf '%-48s' v1-held-by-srv1s-nfsd-when-it-failed | tr ' ' -)
v2=$(printf '%-48s' v2-newer-committed-through-srv2 | tr ' ' -)
offsets=(0 1048576 2097152)	# apart: one write request each
log=$(mktemp)

# write_all V: V at every offset, through the lab user's fd 1.
write_all() {
	local off

	for off in "${offsets[@]}"; do
		fd_ok pwrite 1 "$off" "$1"
	done
}

# holds V: every range of the file on the backing fs holds V.
holds() {
	local off have

	for off in "${offsets[@]}"; do
		have=$(tail -c +$((off + 1)) "$f" | head -c 48)
		if [ "$have" != "$1" ]; then
			HAVE="\"$have\" at $off"
			return 1
		fi
	done
}

# within SECS WHAT CMD...: until CMD succeeds; fail after SECS seconds.
within() {
	local end=$(($(uptime_ms) + $1 * 1000)) secs=$1 what=$2

	shift 2
	until "$@"; do
		[ "$(uptime_ms)" -lt "$end" ] || fail "no $what in $secs s"
		sleep 0.1
	done
}

# The responder, in srv1: USR1 holds uid 1000's lookups, USR2 answers
# them.  Its answers to uid 1000 last a second until it is released, so
# that a lookup after a hold is certain to wait for it; the others, and
# every answer after the release, last 2 minutes (beyond the 30 s for
# which knfsd still counts on a listener that has gone).
responder=$(mktemp)
cat > "$responder" <<'EOF'
exec 9<> /proc/net/rpc/auth.unix.gid/channel
hold=0 held=0
trap "hold=1" USR1
trap "hold=0" USR2
answer() { echo "$1 $(($(date +%s) + $2)) 1 $1" >&9; echo "answered $1"; }
echo ready
while :; do
	if IFS= read -r uid <&9; then
		if [ "$uid" = 1000 ] && [ $hold = 1 ]; then
			echo "held $uid"
			held=1
		elif [ "$uid" = 1000 ] && [ $held = 0 ]; then
			answer "$uid" 1
		else
			answer "$uid" 120
		fi
	elif [ $held = 1 ] && [ $hold = 0 ]; then
		answer 1000 120
		held=0
	else
		sleep 0.05
	fi
done
EOF
lab-srv 1 bash < "$responder" > "$log" 2>&1 &
responder_pid=$!
BG+=("$responder_pid")
within 10 "group lookup responder in srv1" grep -q ready "$log"
# Threads to spare for root's calls while three are held.
threads=$(lab-srv 1 cat /proc/fs/nfsd/threads)
check "srv1: 12 nfsd threads" lab-srv 1 rpc.nfsd 12
AT_EXIT+=("lab-srv 1 rpc.nfsd $threads")

check "mount rnfs read-write" mount_rnfs_rw /mnt/w timeo=5,retrans=2
expect_active /mnt/w "$RNFS_SRV1" "after mounting"
coproc FDCMD { as_labuser "$PROGS/fdcmd"; }
BG+=("$FDCMD_PID")
fd_ok open 1 "$d/file" c
write_all "$v0"
fd_ok fsync 1
holds "$v0" || fail "after the first fsync: $HAVE"
grep -q "answered 1000" "$log" ||
	fail "srv1 looked up no group of uid 1000: the responder is not in its path"

klog_mark
kill -USR1 "$responder_pid"
sleep 2.5		# the last answer for uid 1000 expires
write_all "$v1"
echo "fsync 1" >&"${FDCMD[1]}"
within 10 "write held by srv1 (a lookup for uid 1000)" grep -q "held 1000" "$log"
held=$(uptime_ms)
sleep 0.5		# the other two writes reach srv1 too
t0=$(uptime_ms)
check "lab-fault 1 down" lab-fault 1 down
AT_EXIT+=("lab-fault 1 clear")
read -r -t 30 -u "${FDCMD[0]}" ANSWER || ANSWER="error: no answer in 30s"
[ "$ANSWER" = ok ] || fail "fsync of the held write: $ANSWER"
expect_active /mnt/w "$RNFS_SRV2" "after srv1 went down"
holds "$v1" || fail "after the fsync that failed over: $HAVE"
write_all "$v2"
fd_ok fsync 1
holds "$v2" || fail "after the newer fsync: $HAVE"
check "lab-fault 1 up" lab-fault 1 up
echo "srv1 down $(secs $(($(uptime_ms) - t0)))s, holding the write; v1 then v2 committed through srv2"

# srv1's nfsd waits 5 s for the lookup: answer within them, as late as
# rnfs allows (once it has checked what it gave up on), so that the held
# writes go on while srv1 is in use again.
until klog_has "writes given up on:" ||
	[ "$(uptime_ms)" -ge $((held + 4300)) ]; do
	sleep 0.1
done
kill -USR2 "$responder_pid"
released() { sed -n '/held 1000/,$p' "$log" | grep -q "answered 1000"; }
within 5 "answer to srv1's lookup for uid 1000" released
echo "srv1's lookup answered $(secs $(($(uptime_ms) - held)))s after it began"

end=$(($(uptime_ms) + 20000))
while [ "$(uptime_ms)" -lt "$end" ]; do
	holds "$v2" ||
		fail "$(secs $(($(uptime_ms) - t0)))s after the fault, the backing fs holds $HAVE, want \"$v2\""
	sleep 0.2
done
echo "20s later, the backing fs still holds the newest data"
within 30 "check by rnfs of what it gave up on" klog_has "writes given up on:"
klog_since | grep -E "fenced|session|given up" | sed 's/^/    /'
# srv1 fenced before rnfs checked what it gave up on, or used srv1 again.
klog_since | grep -F -e "$RNFS_SRV1 fenced" -e "writes given up on:" \
	-e "replica $RNFS_SRV1 is up" | head -n 1 | grep -qF "$RNFS_SRV1 fenced" ||
	fail "rnfs did not fence srv1 before it checked what it gave up on, or used srv1 again"
fd_read 1 "$v2"		# at offset 0
fd_ok close 1
eval "exec ${FDCMD[1]}>&-"
check_umount /mnt/w 30
