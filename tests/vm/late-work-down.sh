# SPDX-License-Identifier: GPL-2.0
# A write in flight to srv1 when its link went down, given up on and
# committed through srv2, does not land on srv1 once the link is back
# (late_work in rnfs.bash).
. "$(dirname "$0")/rnfs.bash"
late_work down
