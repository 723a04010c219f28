# SPDX-License-Identifier: GPL-2.0
# Write path failover when srv1's link goes down, servers handing out
# delegations: srv1's knfsd still holds those it gave on the shared
# backing files, none of them to rnfs's writers (see failover_write in
# rnfs.bash).
. "$(dirname "$0")/rnfs.bash"
failover_write down on
