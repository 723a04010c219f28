# SPDX-License-Identifier: GPL-2.0
# Open files keep their identity across a failover, as on a plain NFSv4
# mount: rnfs finds an open file on the new replica by its filehandle,
# never by its name.  Before srv1 goes silent (down), with files held
# open by fdcmd (the lab user) and by a running program:
#   - a log open for appending is rotated by another node
#     (mv out.log out.log.1; a new out.log);
#   - a temporary file is written and unlinked while open;
#   - a file with unwritten data is made read-only (chmod a-w);
#   - a running program's binary is replaced by rename.
# After the failover, through the same descriptors: the log line lands
# in out.log.1 and out.log keeps the other node's content; the unlinked
# file reads back and grows; the read-only file's data is written; the
# program keeps running its own code after drop_caches while a new exec
# of the name runs the new binary.  Names resolve afresh on srv2.
. "$(dirname "$0")/rnfs.bash"

scratch
d=/mnt/w/$T
mkdir "$B/bin"
check "copy spin" cp "$SPIN" "$B/bin/prog"
chown 1000:1000 "$B"
check "mount rnfs read-write" mount_rnfs_rw /mnt/w timeo=5,retrans=2
expect_active /mnt/w "$RNFS_SRV1" "after mounting"

coproc FDCMD { as_labuser "$PROGS/fdcmd"; }
BG+=("$FDCMD_PID")

# fdc LINE: one fdcmd command; its answer in ANSWER.  fd_ok: it must be
# "ok".  fd_read N WANT: the whole file N must read WANT.
fdc() {
	echo "$*" >&"${FDCMD[1]}"
	read -r -t 30 -u "${FDCMD[0]}" ANSWER || ANSWER="error: no answer in 30s"
}
fd_ok() {
	fdc "$@"
	[ "${ANSWER%% *}" = ok ] || fail "fdcmd \"$*\": $ANSWER"
}
fd_read() {
	fdc read "$1" 0 4096
	[ "$ANSWER" = "ok $2" ] || fail "file $1 reads \"$ANSWER\", want \"ok $2\""
}
# content FILE WANT: FILE (on the backing fs or the mount) holds WANT.
content() {
	local have
	have=$(cat "$1" 2>&1)
	[ "$have" = "$2" ] || fail "$1 holds \"$have\", want \"$2\""
}

fd_ok open 1 "$d/out.log" a
fd_ok write 1 before
fd_ok fsync 1
fd_ok open 2 "$d/tmpfile" c
fd_ok write 2 tmpdata
fd_ok fsync 2
check "unlink the open file" as_labuser rm "$d/tmpfile"
[ ! -e "$d/tmpfile" ] || fail "$d/tmpfile still there after rm"
fd_ok open 3 "$d/readonly" c
fd_ok write 3 dirty
check "chmod a-w the open file" as_labuser chmod a-w "$d/readonly"

counter=$PWD/counter
"$d/bin/prog" "$counter" &
spin=$!
BG+=("$spin")
end=$(($(uptime_ms) + 20000))
until [ "$(cat "$counter" 2>/dev/null || echo 0)" -ge 2 ]; do
	kill -0 "$spin" 2>/dev/null || fail "the program died before the fault"
	[ "$(uptime_ms)" -lt "$end" ] || fail "the program did not count to 2 in 20s"
	sleep 0.5
done

# Another node rotates the log and replaces the binary.
mv "$B/out.log" "$B/out.log.1" && echo other > "$B/out.log" ||
	fail "rotate the log on the backing fs"
cp /usr/bin/true "$B/bin/prog.new" && mv "$B/bin/prog.new" "$B/bin/prog" ||
	fail "replace the binary on the backing fs"
echo "rotated the log, replaced the binary (on the backing fs)"

check "lab-fault 1 down" lab-fault 1 down
echo "srv1 down"

fd_ok write 1 after
fd_ok close 1
content "$B/out.log.1" beforeafter
content "$B/out.log" other
echo "the rotated log got the line; the new log kept its content"

fd_read 2 tmpdata
fd_ok pwrite 2 7 more
fd_ok fsync 2
fd_read 2 tmpdatamore
fd_ok close 2
echo "the unlinked file read back and grew"

fd_ok fsync 3
fd_ok close 3
content "$B/readonly" dirty
[ "$(stat -c %a "$B/readonly")" = 444 ] || fail "$B/readonly: mode $(stat -c %a "$B/readonly")"
echo "the read-only file's data was written"

expect_active /mnt/w "$RNFS_SRV2" "after srv1 down"
klog_has "failover from $RNFS_SRV1 to $RNFS_SRV2" ||
	fail "no \"failover from $RNFS_SRV1 to $RNFS_SRV2\" in the kernel log"

# Names resolve on srv2 as they are now.
content "$d/out.log" other
content "$d/out.log.1" beforeafter
[ ! -e "$d/tmpfile" ] || fail "$d/tmpfile is back"

n0=$(cat "$counter")
echo 3 > /proc/sys/vm/drop_caches
end=$(($(uptime_ms) + 20000))
until [ "$(cat "$counter")" -ge $((n0 + 3)) ]; do
	if ! kill -0 "$spin" 2>/dev/null; then
		wait "$spin"
		fail "the program ended with status $? after the failover"
	fi
	[ "$(uptime_ms)" -lt "$end" ] || fail "the program stopped counting after the failover"
	sleep 0.5
done
timeout -s KILL 20 "$d/bin/prog" || fail "the new binary did not run (exit status $?)"
echo "the running program kept its code (count $n0 -> $(cat "$counter")); a new exec runs the new binary"

kill "$spin"
wait "$spin" 2>/dev/null
eval "exec ${FDCMD[1]}>&-"
check "lab-fault 1 clear" lab-fault 1 clear
check_umount /mnt/w 30
