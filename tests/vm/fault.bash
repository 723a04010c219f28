# SPDX-License-Identifier: GPL-2.0
#
# Helpers for the scenarios that prove lab-fault: through a soft NFS
# mount of one server, a LOOKUP of a name never seen before must answer
# before the fault, fail during it, and answer again after it is undone;
# and the server must then be exactly as it was.
. "$(dirname "$0")/lib.bash"

# probe N: look up a fresh name through /mnt/faultN.  A working lookup
# takes well under a second; a silent server would block it for minutes.
probe() {
	local n=$1 name rc
	name=probe-$RANDOM-$(date +%s%N)
	touch "$RNFS_BACKING/$name"
	bounded 6 stat "/mnt/fault$n/$name" >/dev/null
	rc=$?
	rm -f "$RNFS_BACKING/$name"
	return $rc
}

wait_reachable() {
	local n=$1 deadline=$(($(date +%s) + $2))

	until probe "$n"; do
		[ "$(date +%s)" -lt "$deadline" ] || return 1
		sleep 1
	done
}

# fault_cycle N FAULT UNDO: the whole round trip for one fault kind.
fault_cycle() {
	local n=$1 fault=$2 undo=$3 before after t0

	mount_nfs "$(eval echo "\$RNFS_SRV$n")" "/mnt/fault$n" soft,timeo=5,retrans=1 ||
		fail "mount srv$n"
	before=$(lab-fault "$n" state)
	probe "$n" || fail "srv$n does not answer before the fault"

	check "lab-fault $n $fault" lab-fault "$n" "$fault"
	t0=$(now)
	probe "$n" && fail "srv$n still answers after lab-fault $n $fault"
	echo "srv$n $fault: lookup failed after $(awk -v a="$t0" -v b="$(now)" \
		'BEGIN { printf "%.1f", b - a }')s"

	check "lab-fault $n $undo" lab-fault "$n" "$undo"
	t0=$(now)
	wait_reachable "$n" 60 || fail "srv$n does not answer 60s after lab-fault $n $undo"
	echo "srv$n $undo: answering again after $(awk -v a="$t0" -v b="$(now)" \
		'BEGIN { printf "%.1f", b - a }')s"

	after=$(lab-fault "$n" state)
	if [ "$before" != "$after" ]; then
		diff <(echo "$before") <(echo "$after")
		fail "srv$n is not as before after lab-fault $n $undo"
	fi
	umount_any "/mnt/fault$n" || fail "umount /mnt/fault$n"
}
