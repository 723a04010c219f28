# SPDX-License-Identifier: GPL-2.0
# Read path failover when srv1's link goes down (silence): a program
# reading a file in a loop through rnfs sees no error and no wrong byte,
# no call stalls past the failover deadline + 2 s, and the mount moves to
# srv2.
. "$(dirname "$0")/rnfs.bash"
failover_read down
