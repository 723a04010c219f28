# SPDX-License-Identifier: GPL-2.0
#
# Sourced by every VM scenario.  A scenario is a bash script that exits 0
# when every check passed; `fail` ends it with a message.

set -u

fail() {
	echo "FAILED: $*"
	exit 1
}

# check DESCRIPTION CMD [ARGS...]: CMD must succeed.
check() {
	local what=$1
	shift
	"$@" || fail "$what (command: $*)"
}

# Seconds since boot, with fractions: for measuring stalls.
now() {
	cut -d' ' -f1 /proc/uptime
}

# bounded SECS CMD [ARGS...]: CMD, killed after SECS seconds (exit status
# 137).  Its stderr is dropped, and with it bash's "Killed" notice.
bounded() {
	timeout -s KILL "$@"
} 2>/dev/null

# Kernel log lines at warning level or worse.
kernel_complaints() {
	dmesg --level=emerg,alert,crit,err,warn
}

# mount_nfs SERVER DIR [OPTIONS]: a plain NFSv4.2 mount of the lab export.
mount_nfs() {
	mkdir -p "$2"
	timeout -s KILL 30 mount -t nfs4 -o "vers=4.2${3:+,$3}" \
		"$1:$RNFS_EXPORT" "$2"
}

# Unmount even when the server is unreachable.
umount_any() {
	umount "$1" 2>/dev/null || umount -f "$1" 2>/dev/null || umount -l "$1"
}
