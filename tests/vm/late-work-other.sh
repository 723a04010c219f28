# SPDX-License-Identifier: GPL-2.0
# A write given up on lands late on srv1, then another node writes newer
# data still: rnfs, checking what it gave up on once srv1 answers, leaves
# the other node's data alone and reads it (late_work in rnfs.bash).
. "$(dirname "$0")/rnfs.bash"
late_work delay-other
