# SPDX-License-Identifier: GPL-2.0
# Swap on an rnfs file fails over when srv1 gets "down" while a program in
# a memory cgroup pages through it (see swap_failover in swap.bash).
. "$(dirname "$0")/swap.bash"
swap_failover down
