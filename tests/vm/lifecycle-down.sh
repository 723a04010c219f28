# SPDX-License-Identifier: GPL-2.0
# Open files keep their identity across a failover: srv1 goes silent (link down).  See
# lifecycle in rnfs.bash.
. "$(dirname "$0")/rnfs.bash"

lifecycle down
