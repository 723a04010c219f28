# SPDX-License-Identifier: GPL-2.0
# Write path failover when srv1 goes silent (packets dropped), servers
# without delegations (see failover_write in rnfs.bash).
. "$(dirname "$0")/rnfs.bash"
failover_write blackhole off
