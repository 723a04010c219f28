# SPDX-License-Identifier: GPL-2.0
# lab-fault down/up: the server's link goes down (silence) and comes back;
# `clear` also brings it back.
. "$(dirname "$0")/fault.bash"
fault_cycle 1 down up
fault_cycle 2 down clear
