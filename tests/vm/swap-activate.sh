# SPDX-License-Identifier: GPL-2.0
# swapon of an rnfs file: one with holes is refused, with the reason in
# the kernel log, and changes nothing; with srv2 down, the file is
# activated on srv1 alone, then on srv2 once it is back; paging then
# fails over to srv2 when srv1 stops, every page intact.
. "$(dirname "$0")/swap.bash"

scratch
check "mount rnfs read-write" mount_rnfs_rw /mnt/s timeo=10,retrans=3
truncate -s 32M "$B/sparse" && chmod 600 "$B/sparse" && mkswap -q "$B/sparse" ||
	fail "make a sparse swap file"
AT_EXIT+=("swapoff /mnt/s/$T/sparse 2>/dev/null")
if timeout -s KILL 30 "$PROGS/sysswapon" "/mnt/s/$T/sparse" 2> swapon.err; then
	fail "swapon of a file with holes succeeded"
fi
echo "$(cat swapon.err)"
grep -q "^/mnt/s/$T/sparse " /proc/swaps && fail "the sparse file is in /proc/swaps"
wait_klog 5 "has holes" "no \"has holes\" in the kernel log: $(klog_since | tail -n 5)"

check "lab-fault 2 down" lab-fault 2 down
AT_EXIT+=("lab-fault 2 clear")
wait_klog 30 "replica $RNFS_SRV2 is down" "srv2 not seen down in 30 s"
klog_mark
swap_setup_file
klog_has "activated on 1 of 2 replicas" ||
	fail "swapon with srv2 down: not \"activated on 1 of 2 replicas\""
check "lab-fault 2 clear" lab-fault 2 clear
wait_klog 60 "activated on $RNFS_SRV2" "srv2 back, but the swap file not activated there in 60 s"
echo "srv2 back: $(klog_since | grep -F "activated on $RNFS_SRV2" | sed 's/^\[[^]]*\] //')"

swap_start 4
swap_wait_pass 1 120
check "lab-fault 1 stop" lab-fault 1 stop
AT_EXIT+=("lab-fault 1 clear")
swap_wait_pass 4 180
klog_has "failover from $RNFS_SRV1 to $RNFS_SRV2" || fail "no failover in the kernel log"
swap_server_is "$RNFS_SRV2" "after srv1 stopped"
swap_srv1_back
swap_finish 4 60
check_umount /mnt/s 30
