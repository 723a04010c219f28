# SPDX-License-Identifier: GPL-2.0
# tools/postscripts/nfsv4mkps gives the node swap on rnfs only: with a
# swap file on a plain NFS mount on, it makes two swap files on the rnfs
# mount (in a directory whose name has a space), turns them on with the
# priority asked, turns the plain NFS one off, and logs each change, to
# syslog too.  Run again, it changes nothing and says so.  A directory on
# the plain NFS mount is refused, and when a file of its own cannot be
# made, it turns nothing off.
. "$(dirname "$0")/rnfs.bash"

scratch
script=/lab/files/postscripts/nfsv4mkps
dir="/mnt/s/$T/page space"
plain="/mnt/plain/$T/plain swap"
args=(-d "$dir" -n 2 -s 32 -p 7)

# /proc/swaps writes a space in a name as \040.
swapname() {
	printf '%s\n' "${1// /\\040}"
}

# The active swap areas, "NAME PRIORITY" a line, sorted.
active_swaps() {
	awk 'NR > 1 { print $1, $5 }' /proc/swaps | sort
}

# run WHAT ARGS...: the postscript with ARGS, bounded; its output (the
# log lines) in OUT and printed, its exit status in RC.
run() {
	local what=$1
	shift
	echo "--- $what: nfsv4mkps $*"
	OUT=$(timeout -s KILL 90 "$script" "$@" 2>&1)
	RC=$?
	echo "$OUT"
	[ $RC -ne 137 ] || fail "$what: nfsv4mkps hung: killed after 90s"
}

swapoff_ours() {
	local f
	for f in "$dir/swap1" "$dir/swap2" "$plain"; do
		grep -qF "$(swapname "$f") " /proc/swaps && swapoff "$f"
	done
}
# On exit, what it turned on goes off before the mounts go.
AT_EXIT+=(swapoff_ours)
check "mount rnfs read-write /mnt/s" mount_rnfs_rw /mnt/s
AT_EXIT+=("mountpoint -q /mnt/s && umount_any /mnt/s")
check "mount nfs /mnt/plain" mount_nfs "$RNFS_SRV1" /mnt/plain
AT_EXIT+=("mountpoint -q /mnt/plain && umount_any /mnt/plain")

check "allocate the plain NFS swap file" dd if=/dev/zero of="$B/plain swap" \
	bs=1M count=16 status=none
chmod 600 "$B/plain swap"
check "mkswap" mkswap -q "$B/plain swap"
check "swapon $plain" bounded 30 swapon "$plain"
echo "on before: $(active_swaps | tr '\n' ' ')"

run "first run" "${args[@]}"
[ $RC -eq 0 ] || fail "first run: exit status $RC"
want=$(printf '%s 7\n' "$(swapname "$dir/swap1")" "$(swapname "$dir/swap2")" | sort)
[ "$(active_swaps)" = "$want" ] ||
	fail "after the first run /proc/swaps has $(active_swaps | tr '\n' ' '), want only swap1 and swap2 of $dir at priority 7"
for f in swap1 swap2; do
	read -r size mode blocks < <(stat -c '%s %a %b' "$B/page space/$f")
	[ "$size $mode" = "33554432 600" ] || fail "$f: size $size, mode $mode"
	[ $((blocks * 512)) -ge "$size" ] || fail "$f has holes: $blocks blocks"
	grep -qF "$dir/$f: created" <<< "$OUT" || fail "no log line for making $f"
	grep -qF "$dir/$f: swapon, priority 7" <<< "$OUT" ||
		fail "no log line for turning $f on"
done
grep -qF "$plain: swapoff" <<< "$OUT" || fail "no log line for turning $plain off"
for i in $(seq 20); do
	grep -qF "nfsv4mkps: $plain: swapoff" /var/log/messages && break
	[ "$i" -lt 20 ] || fail "the swapoff is not in syslog: $(grep nfsv4mkps /var/log/messages)"
	sleep 0.1
done
echo "swap1 and swap2 on at priority 7, $plain off, each change logged"

swaps=$(cat /proc/swaps)
files=$(stat -c '%n %i %Y' "$B/page space"/*)
run "second run" "${args[@]}"
[ $RC -eq 0 ] || fail "second run: exit status $RC"
[ "$(cat /proc/swaps)" = "$swaps" ] ||
	fail "the second run changed /proc/swaps: $(cat /proc/swaps)"
[ "$(stat -c '%n %i %Y' "$B/page space"/*)" = "$files" ] ||
	fail "the second run changed the swap files"
grep -q 'nothing to do' <<< "$OUT" || fail "the second run did not say it had nothing to do"
[ "$(wc -l <<< "$OUT")" -eq 1 ] || fail "the second run said more than nothing to do"

run "on plain NFS" -d "/mnt/plain/$T/paging" -n 1 -s 32
[ $RC -eq 2 ] || fail "a directory on plain NFS: exit status $RC, want 2"
grep -q 'on a nfs4 mount (/mnt/plain), not rnfs' <<< "$OUT" ||
	fail "a directory on plain NFS: no clear message"
[ ! -e "$B/paging" ] || fail "a directory on plain NFS was made"
[ "$(cat /proc/swaps)" = "$swaps" ] || fail "a refused run changed /proc/swaps"

# swap1 a directory: it cannot be made, so the plain NFS file stays on.
check "swapon $plain again" bounded 30 swapon "$plain"
mkdir -p "$B/broken/swap1"
swaps=$(cat /proc/swaps)
run "a file that cannot be made" -d "/mnt/s/$T/broken" -n 1 -s 32 -p 7
[ $RC -eq 1 ] || fail "a file that cannot be made: exit status $RC, want 1"
[ "$(cat /proc/swaps)" = "$swaps" ] ||
	fail "with a file that cannot be made, /proc/swaps changed: $(cat /proc/swaps)"
grep -qF "$plain: not turned off" <<< "$OUT" || fail "no log line for leaving $plain on"

for f in "$dir/swap1" "$dir/swap2" "$plain"; do
	check "swapoff $f" bounded 30 swapoff "$f"
done
check_umount /mnt/s 30
umount_any /mnt/plain
