#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# Runs in the lab guest: every scenario of tests/vm (or those named as
# arguments), one after another, each bounded in time.  Prints
# "=== RUN vm/NAME", the scenario's output indented, then "PASS vm/NAME"
# or "FAIL vm/NAME"; tests/run reads these lines.  After each scenario the
# servers must be as they were before it: faults cleared, mounts gone.
# A scenario is killed after 120 s (VM_TEST_TIMEOUT), or after the
# seconds its own "# vm-limit: N" line names, for one whose workload is
# long by design.
dir=/lab/files/vm	# lab run --copy tests/vm
. "$dir/rnfs.bash"	# pin_nfs_clients
limit=${VM_TEST_TIMEOUT:-120}

server_state() {
	lab-fault 1 state
	lab-fault 2 state
}

# Remove what a scenario may have left behind, and say so.
cleanup() {
	local m left=0

	# /proc/mounts escapes a space in a mount point as \040.
	awk '$2 ~ "^/mnt/" { print $2 }' /proc/mounts | sed 's/\\040/ /g' |
		sort -r > /tmp/vm/left
	while IFS= read -r m; do
		echo "left mounted: $m"
		umount -f "$m" 2>/dev/null || umount -l "$m"
		left=1
	done < /tmp/vm/left
	lab-fault 1 clear
	lab-fault 2 clear
	return $left
}

names=("$@")
if [ ${#names[@]} -eq 0 ]; then
	for t in "$dir"/*.sh; do
		names+=("$(basename "$t" .sh)")
	done
fi

pin_nfs_clients
baseline=$(server_state)
failed=0
for name in "${names[@]}"; do
	echo "=== RUN vm/$name"
	t0=$(cut -d' ' -f1 /proc/uptime)
	mkdir -p "/tmp/vm/$name"
	own=$(sed -n 's/^# vm-limit: \([0-9][0-9]*\)$/\1/p' "$dir/$name.sh")
	(cd "/tmp/vm/$name" &&
		timeout -s KILL "${own:-$limit}" bash "$dir/$name.sh") 2>&1 |
		sed 's/^/    /'
	rc=${PIPESTATUS[0]}
	[ "$rc" -eq 137 ] && echo "    FAILED: killed after ${own:-$limit}s"
	cleanup > /tmp/vm/cleanup.out 2>&1
	crc=$?
	sed 's/^/    /' /tmp/vm/cleanup.out
	if [ $crc -ne 0 ]; then
		echo "    FAILED: the scenario left mounts behind"
		rc=1
	fi
	if [ "$(server_state)" != "$baseline" ]; then
		echo "    FAILED: the servers are not as they were before"
		diff <(echo "$baseline") <(server_state) | sed 's/^/    /'
		rc=1
	fi
	t=$(awk -v a="$t0" -v b="$(cut -d' ' -f1 /proc/uptime)" \
		'BEGIN { printf "%.1f", b - a }')
	if [ "$rc" -eq 0 ]; then
		echo "PASS vm/$name (${t}s)"
	else
		echo "FAIL vm/$name (${t}s)"
		failed=$((failed + 1))
	fi
done
[ $failed -eq 0 ]
