# SPDX-License-Identifier: GPL-2.0
# Write path failover when knfsd on srv1 stops, with delegations (see
# failover_write in rnfs.bash).
. "$(dirname "$0")/rnfs.bash"
failover_write stop on
