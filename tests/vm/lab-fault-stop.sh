# SPDX-License-Identifier: GPL-2.0
# lab-fault stop/start: knfsd stopped (connection refused) and restarted;
# `clear` also restarts it.
. "$(dirname "$0")/fault.bash"
fault_cycle 1 stop start
fault_cycle 2 stop clear
