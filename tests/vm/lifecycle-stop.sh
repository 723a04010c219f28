# SPDX-License-Identifier: GPL-2.0
# Open files keep their identity across a failover: srv1 stops (nfsd, connection refused).  See
# lifecycle in rnfs.bash.
. "$(dirname "$0")/rnfs.bash"

lifecycle stop
