# SPDX-License-Identifier: GPL-2.0
# Write path failover when srv1's link goes down while its knfsd still
# holds delegations on the shared backing files (see failover_write in
# rnfs.bash).
. "$(dirname "$0")/rnfs.bash"
failover_write down on
