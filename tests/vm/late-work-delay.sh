# SPDX-License-Identifier: GPL-2.0
# A write sent to srv1 that waits in the client's own queue while rnfs
# fails over, and lands on srv1 after newer data was committed through
# srv2, does not stay: rnfs writes the newer data again once srv1
# answers (late_work in rnfs.bash).
. "$(dirname "$0")/rnfs.bash"
late_work delay
