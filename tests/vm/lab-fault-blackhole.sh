# SPDX-License-Identifier: GPL-2.0
# lab-fault blackhole: everything the server sends is dropped; `clear`
# restores it.
. "$(dirname "$0")/fault.bash"
fault_cycle 1 blackhole clear
