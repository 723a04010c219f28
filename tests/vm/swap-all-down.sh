# SPDX-License-Identifier: GPL-2.0
# Swap on an rnfs file while its servers die: the standby first, which
# the paging must not feel, then both for 10 s, which the program must
# wait out, blocked, to go on with every page intact (a failed swap read
# would be a SIGBUS).
. "$(dirname "$0")/swap.bash"

limit=$(deadline_ms 10 3)
swap_setup
swap_start 6
swap_wait_pass 1 120
check "lab-fault 2 down" lab-fault 2 down
echo "pass 1 done: standby srv2 down"
swap_wait_pass 3 120
stall=$(swap_stall)
echo "passes 2 and 3 with srv2 down: longest page touch ${stall} ms"
[ "$stall" -lt "$limit" ] ||
	fail "the standby's death stalled a page touch ${stall} ms, past the deadline"
expect_active /mnt/s "$RNFS_SRV1" "with only the standby down"

check "lab-fault 1 down" lab-fault 1 down
t0=$(uptime_ms)
echo "srv1 down too: no server for 10 s"
wait_klog 30 "servers not responding, still trying" \
	"no \"not responding\" in the kernel log with both servers down"
sleep 10
kill -0 "$SV" 2>/dev/null || { show sv.out; fail "swapverify died with both servers down"; }
check "lab-fault 1 clear" lab-fault 1 clear
check "lab-fault 2 clear" lab-fault 2 clear
wait_klog 60 "servers OK" "no \"servers OK\" within 60 s of the servers' return"
echo "servers back after $(secs $(($(uptime_ms) - t0)))s"
swap_finish 6 180
check_umount /mnt/s 30
