# SPDX-License-Identifier: GPL-2.0
# Writeback owns what it writes with: a program that writes a file only
# through a MAP_SHARED mapping and exits (its last reference to the file
# is the unmapping at exit), 300 times, while sync(2) runs in a loop.
# sync's writeback races every last release; it must never find the
# pages without a way to write them.  Every file then holds its data on
# the backing filesystem, and the kernel logged no failed write.
. "$(dirname "$0")/rnfs.bash"

scratch
d=/mnt/w/$T
n=300
check "mount rnfs read-write" mount_rnfs_rw /mnt/w

(while :; do sync; done) &
BG+=($!)
t0=$(uptime_ms)
for i in $(seq "$n"); do
	"$PROGS/mapexit" "$d/m$i" 12 "$i" || fail "mapexit $i failed"
done
kill "${BG[0]}"
wait "${BG[0]}" 2>/dev/null
echo "$n programs wrote through mappings and exited in $(secs $(($(uptime_ms) - t0)))s, sync looping"

# What reached the servers, read on the backing fs, and through rnfs.
bad=0
for i in $(seq "$n"); do
	"$PROGS/mapexit" --check "$B/m$i" 12 "$i" 2>> bad.log || bad=$((bad + 1))
done
[ $bad -eq 0 ] || { head -n 5 bad.log; fail "$bad of $n files lost data on the backing fs"; }
echo 3 > /proc/sys/vm/drop_caches
for i in $(seq "$n"); do
	"$PROGS/mapexit" --check "$d/m$i" 12 "$i" 2>> bad.log || bad=$((bad + 1))
done
[ $bad -eq 0 ] || { head -n 5 bad.log; fail "$bad of $n files read back wrong through rnfs"; }
if klog_since | grep -E 'rnfs: .*(writing inode|no writer)'; then
	fail "the kernel logged failed writes"
fi
echo "all $n files intact on the backing fs and through rnfs"
check_umount /mnt/w 30
