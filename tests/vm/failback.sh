# SPDX-License-Identifier: GPL-2.0
# Failback.  Two mounts fail over to srv2 when srv1 stops.  When srv1
# starts again, the failback=auto mount returns to it once it has been
# healthy for failback_delay (5 s), within 10 s more, logs it, and stays
# there; the failback=manual mount stays on srv2 all that time.
. "$(dirname "$0")/rnfs.bash"

delay=5
window=$((delay + 10))
limit=$(($(deadline_ms 10 3) + 2000))

scratch
check "mount rnfs failback=auto" mount_rnfs /mnt/a \
	"timeo=10,retrans=3,failback=auto,failback_delay=$delay"
check "mount rnfs failback=manual" mount_rnfs /mnt/m \
	"timeo=10,retrans=3,failback=manual,failback_delay=$delay"
expect_active /mnt/a "$RNFS_SRV1" "after mounting"
expect_active /mnt/m "$RNFS_SRV1" "after mounting"

# poke: a request through each mount (a name never looked up before), so
# that failover and failback do not depend on other traffic.
poke() {
	local name=poke-$RANDOM$RANDOM p1 p2

	: > "$B/$name"
	bounded 10 stat "/mnt/a/$T/$name" > /dev/null &
	p1=$!
	bounded 10 stat "/mnt/m/$T/$name" > /dev/null &
	p2=$!
	wait $p1 $p2
}

check "lab-fault 1 stop" lab-fault 1 stop
t0=$(uptime_ms)
until [ "$(active_server /mnt/a)" = "$RNFS_SRV2" ] &&
	[ "$(active_server /mnt/m)" = "$RNFS_SRV2" ]; do
	[ $(($(uptime_ms) - t0)) -lt $((limit + 5000)) ] ||
		fail "not both on srv2 $(secs $((limit + 5000)))s after srv1 stopped:" \
			"auto active=$(active_server /mnt/a), manual active=$(active_server /mnt/m)"
	poke
done
echo "both mounts on srv2 $(secs $(($(uptime_ms) - t0)))s after srv1 stopped"
klog_has "failover from $RNFS_SRV1 to $RNFS_SRV2" ||
	fail "no \"failover from $RNFS_SRV1 to $RNFS_SRV2\" in the kernel log"

check "lab-fault 1 start" lab-fault 1 start
t_start=$(uptime_ms)
back=
while :; do
	el=$(($(uptime_ms) - t_start))
	[ $el -lt $((window * 1000)) ] || break
	poke
	a=$(active_server /mnt/a)
	m=$(active_server /mnt/m)
	el=$(($(uptime_ms) - t_start))	# failback, if seen, was before this
	[ "$m" = "$RNFS_SRV2" ] ||
		fail "the failback=manual mount moved to active=$m $(secs "$el")s after srv1 started"
	if [ -n "$back" ]; then
		[ "$a" = "$RNFS_SRV1" ] ||
			fail "the failback=auto mount left srv1 again for active=$a"
	elif [ "$a" = "$RNFS_SRV1" ]; then
		back=$el
		echo "the failback=auto mount is back on srv1 $(secs "$back")s after srv1 started"
	fi
	sleep 0.5
done
[ -n "$back" ] ||
	fail "the failback=auto mount is still on $(active_server /mnt/a) ${window}s after srv1 started"
[ "$back" -ge $((delay * 1000 - 500)) ] ||
	fail "the failback=auto mount went back after $(secs "$back")s, before srv1 had been healthy for failback_delay=${delay}s"
klog_has "failback from $RNFS_SRV2 to $RNFS_SRV1" ||
	fail "no \"failback from $RNFS_SRV2 to $RNFS_SRV1\" in the kernel log"
echo "the failback=manual mount stayed on srv2 for ${window}s"

check_umount /mnt/a 20
check_umount /mnt/m 20
