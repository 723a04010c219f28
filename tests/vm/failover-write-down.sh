# SPDX-License-Identifier: GPL-2.0
# Write path failover when srv1's link goes down, servers handing out
# delegations: srv1's knfsd still holds those it gave on the shared
# backing files, none of them to rnfs's writers (see failover_write in
# rnfs.bash).
# Its writers and mdstorm's 5000 files take 70-90 s in the TCG lab,
# up to twice that while the host is busy: not a stall (failover_write
# bounds each call), so a longer limit than the suite's.
# vm-limit: 200
. "$(dirname "$0")/rnfs.bash"
failover_write down on
