# SPDX-License-Identifier: GPL-2.0
# lab-fault netem: a delay slows the server without cutting it off, and
# `clear` removes it; bad invocations are refused and change nothing.
. "$(dirname "$0")/fault.bash"

mount_nfs "$RNFS_SRV2" /mnt/fault2 soft,timeo=50,retrans=2 || fail "mount srv2"
before=$(lab-fault 2 state)

check "lab-fault 2 netem delay 400ms" lab-fault 2 netem delay 400ms
t0=$(now)
probe 2 || fail "srv2 does not answer with 400ms delay"
took=$(awk -v a="$t0" -v b="$(now)" 'BEGIN { printf "%.2f", b - a }')
echo "lookup with 400ms delay took ${took}s"
awk -v t="$took" 'BEGIN { exit !(t >= 0.4) }' || fail "the delay was not applied"

check "lab-fault 2 clear" lab-fault 2 clear
probe 2 || fail "srv2 does not answer after clear"
[ "$(lab-fault 2 state)" = "$before" ] || fail "srv2 is not as before after clear"

for bad in "3 stop" "1 explode" "1 netem" "1" ""; do
	# shellcheck disable=SC2086
	lab-fault $bad 2>/dev/null
	[ $? -eq 2 ] || fail "lab-fault $bad: want exit status 2"
done
[ "$(lab-fault 2 state)" = "$before" ] || fail "a refused lab-fault changed srv2"
umount_any /mnt/fault2 || fail "umount"
