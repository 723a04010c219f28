# SPDX-License-Identifier: GPL-2.0
# The kernel's mount option checks (mount -i: no mount helper, so the
# kernel sees exactly what is given).  Valid mounts show their replicas,
# timeo and retrans in mountinfo, the short form "a,b:/path" included.
# Each invalid mount fails, leaves no mount behind, and the kernel log
# names what was wrong.
. "$(dirname "$0")/rnfs.bash"

dir=/mnt/opt
src=$RNFS_SRV1:$RNFS_EXPORT

scratch
mkdir -p "$dir"
echo data > "$B/file"

rnfs_mounts() {
	awk '$3 == "rnfs"' /proc/mounts | wc -l
}

# good_mount WHAT SOURCE OPTIONS TIMEO RETRANS: the mount works, reads,
# and shows active=srv1, both replicas, TIMEO and RETRANS.
good_mount() {
	local what=$1 r

	timeout -s KILL 30 mount -i -t rnfs -o "$3" "$2" "$dir" ||
		fail "$what: mount failed: $(klog_since | grep rnfs)"
	expect_active "$dir" "$RNFS_SRV1" "$what"
	r=$(mount_opt "$dir" replicas)
	[[ $r == *"$RNFS_SRV1"*"$RNFS_SRV2"* ]] ||
		fail "$what: replicas=$r does not list $RNFS_SRV1 then $RNFS_SRV2"
	[ "$(mount_opt "$dir" timeo)" = "$4" ] ||
		fail "$what: timeo=$(mount_opt "$dir" timeo), want $4"
	[ "$(mount_opt "$dir" retrans)" = "$5" ] ||
		fail "$what: retrans=$(mount_opt "$dir" retrans), want $5"
	[ "$(bounded 20 cat "$dir/$T/file")" = data ] || fail "$what: cannot read a file"
	echo "$what: mounted: $(superopts "$dir")"
	check_umount "$dir" 20
}

# bad_mount WHAT KEYWORD SOURCE OPTIONS: the mount fails, no rnfs mount
# appears, and a kernel log line from rnfs matches KEYWORD (an ERE).
bad_mount() {
	local what=$1 n rc line

	n=$(rnfs_mounts)
	klog_mark
	timeout -s KILL 30 mount -i -t rnfs -o "$4" "$3" "$dir" > mount.out 2>&1
	rc=$?
	[ $rc -ne 137 ] || fail "$what: the mount still blocked after 30s"
	if [ $rc -eq 0 ]; then
		umount "$dir"
		fail "$what: the mount succeeded (-o $4 $3)"
	fi
	[ "$(rnfs_mounts)" -eq "$n" ] || fail "$what: an rnfs mount was left behind"
	mountpoint -q "$dir" && fail "$what: $dir is a mount point after a failed mount"
	line=$(klog_since | grep rnfs | grep -E -- "$2" | head -n 1)
	[ -n "$line" ] ||
		fail "$what: no kernel log line from rnfs about \"$2\": $(klog_since)"
	echo "$what: refused: ${line#*] }"
}

good_mount "defaults" "$src" "ro,replicas=$REPLICAS" 10 3
good_mount "timeo=5,retrans=2" "$src" "ro,replicas=$REPLICAS,timeo=5,retrans=2" 5 2
good_mount "short form" "$RNFS_SRV1,$RNFS_SRV2:$RNFS_EXPORT" ro 10 3

bad_mount "one replica" replica "$src" "ro,replicas=$RNFS_EXPORT@$RNFS_SRV1"
bad_mount "not an address" '999\.1\.1\.1' "$src" \
	"ro,replicas=$RNFS_EXPORT@999.1.1.1:$RNFS_EXPORT@$RNFS_SRV2"
bad_mount "a host name" 'srv1' "$src" \
	"ro,replicas=$RNFS_EXPORT@srv1:$RNFS_EXPORT@$RNFS_SRV2"
bad_mount "timeo=0" timeo "$src" "ro,replicas=$REPLICAS,timeo=0"
bad_mount "retrans=0" retrans "$src" "ro,replicas=$REPLICAS,retrans=0"
bad_mount "failback=sometimes" failback "$src" "ro,replicas=$REPLICAS,failback=sometimes"
bad_mount "vers=3" vers "$src" "ro,replicas=$REPLICAS,vers=3"
bad_mount "unknown option" bogus "$src" "ro,replicas=$REPLICAS,bogus=1"
bad_mount "one server, no replicas=" "replica|$RNFS_SRV1:$RNFS_EXPORT" "$src" ro
