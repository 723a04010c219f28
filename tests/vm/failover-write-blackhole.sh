# SPDX-License-Identifier: GPL-2.0
# Write path failover when srv1 goes silent (packets dropped), servers
# without delegations (see failover_write in rnfs.bash).
# Its writers and mdstorm's 5000 files take 70-90 s in the TCG lab,
# up to twice that while the host is busy: not a stall (failover_write
# bounds each call), so a longer limit than the suite's.
# vm-limit: 200
. "$(dirname "$0")/rnfs.bash"
failover_write blackhole off
