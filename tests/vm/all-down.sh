# SPDX-License-Identifier: GPL-2.0
# Every replica down.  On a hard mount (the default) readers wait instead
# of failing, the kernel logs that the servers are not responding, and as
# soon as one server is back the readers finish with the right data.  On
# a soft mount a read fails with ETIMEDOUT within a bounded time instead
# of hanging, and reads work again once the servers are back.
. "$(dirname "$0")/rnfs.bash"

deadline=$(deadline_ms 10 3)
# With every server silent, a soft read may wait one deadline per replica.
soft_limit=$((2 * deadline + 4000))

scratch
AT_EXIT+=("lab-fault 1 clear; lab-fault 2 clear")

# Hard mount.  "known" is looked up before the fault (its dentry and
# attributes are cached, its data is not); "new" is created during it.
check "fill known" "$READLOOP" --fill "$B/known" 1 "$RANDOM"
check "mount rnfs" mount_rnfs /mnt/r timeo=10,retrans=3
expect_active /mnt/r "$RNFS_SRV1" "after mounting"
bounded 20 stat "/mnt/r/$T/known" > /dev/null || fail "stat known"

check "lab-fault 1 down" lab-fault 1 down
check "lab-fault 2 down" lab-fault 2 down
check "fill new" "$READLOOP" --fill "$B/new" 1 "$RANDOM"
declare -A reader
for f in known new; do
	timeout -s KILL 100 cat "/mnt/r/$T/$f" > "read.$f" 2> "err.$f" &
	reader[$f]=$!
	BG+=($!)
done
sleep 20
for f in known new; do
	if wait_for "${reader[$f]}" 0; then
		fail "reading $f ended with status $WAIT_STATUS while every server was down: $(cat "err.$f")"
	fi
done
echo "both readers still waiting after 20s with every server down"
klog_has "servers not responding" ||
	fail "no \"servers not responding\" in the kernel log: $(klog_since | grep rnfs)"

check "lab-fault 2 up" lab-fault 2 up
t_up=$(uptime_ms)
for f in known new; do
	wait_for "${reader[$f]}" 40 || fail "reading $f still blocked 40s after srv2 came back"
	echo "reader of $f done $(secs $(($(uptime_ms) - t_up)))s after srv2 came back"
	[ "$WAIT_STATUS" -eq 0 ] || fail "reading $f failed with status $WAIT_STATUS: $(cat "err.$f")"
	[ ! -s "err.$f" ] || fail "reading $f printed: $(cat "err.$f")"
	cmp -s "read.$f" "$B/$f" || fail "reading $f gave wrong data"
done
expect_active /mnt/r "$RNFS_SRV2" "after srv2 came back"
klog_has "servers OK" || fail "no \"servers OK\" in the kernel log: $(klog_since | grep rnfs)"
check "lab-fault 1 clear" lab-fault 1 clear
check "lab-fault 2 clear" lab-fault 2 clear
check_umount /mnt/r 20

# Soft mount.
check "fill soft" "$READLOOP" --fill "$B/soft" 1 "$RANDOM"
# srv1 was down long enough for its NFSv4 lease to expire: this mount may
# start on srv2.  Either way, both go down next.
check "mount rnfs soft" mount_rnfs /mnt/s timeo=10,retrans=3,soft
echo "soft mount: active=$(active_server /mnt/s)"
check "read known through the soft mount" cmp "/mnt/s/$T/known" "$B/known"
check "lab-fault 1 down" lab-fault 1 down
check "lab-fault 2 down" lab-fault 2 down
t0=$(uptime_ms)
timeout -s KILL 30 cat "/mnt/s/$T/soft" > read.soft 2> err.soft
rc=$?
took=$(($(uptime_ms) - t0))
echo "soft read with every server down: status $rc after $(secs $took)s: $(cat err.soft)"
[ $rc -ne 137 ] || fail "the soft read still blocked after 30s"
[ $rc -ne 0 ] || fail "the soft read succeeded with every server down"
grep -q "Connection timed out" err.soft || fail "the soft read did not fail with ETIMEDOUT"
[ $took -le $soft_limit ] ||
	fail "the soft read took $(secs $took)s to fail, more than $(secs $soft_limit)s"

check "lab-fault 1 clear" lab-fault 1 clear
check "lab-fault 2 clear" lab-fault 2 clear
end=$(($(uptime_ms) + 30000))
until bounded 10 cat "/mnt/s/$T/soft" > read.soft && cmp -s read.soft "$B/soft"; do
	[ "$(uptime_ms)" -lt "$end" ] ||
		fail "the soft mount does not read soft correctly 30s after the servers came back"
	sleep 1
done
echo "the soft mount reads again after the servers came back"
check_umount /mnt/s 20
