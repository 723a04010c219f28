# SPDX-License-Identifier: GPL-2.0
# Bad mount invocations fail with a message a person can act on and the
# exit status mount(8) documents (32, mount failure), and leave no mount
# and no lower NFS mount behind.
. "$(dirname "$0")/rnfs.bash"

scratch
add_host_names
mkdir -p /mnt/x
R="$RNFS_EXPORT@sn1:$RNFS_EXPORT@sn2"

# bad_mount MESSAGE OPTIONS SOURCE: mount fails, saying MESSAGE.
bad_mount() {
	local want=$1 out rc
	out=$(timeout -s KILL 40 mount -t rnfs -o "$2" "$3" /mnt/x 2>&1)
	rc=$?
	echo "mount -o $2 $3: $out (exit $rc)"
	[ $rc -eq 32 ] || fail "exit status $rc, want 32"
	grep -qF -- "$want" <<< "$out" || fail "the message does not say: $want"
	! grep -q ' /mnt/x ' /proc/self/mountinfo || fail "/mnt/x is mounted"
	[ "$(nfs_volumes)" -eq 0 ] || fail "lower NFS mounts left: $(cat /proc/fs/nfsfs/volumes)"
}

bad_mount 'replica 2 "nosuchhost:/export": host not found' \
	"ro,replicas=$RNFS_EXPORT@sn1:$RNFS_EXPORT@nosuchhost" "sn1:$RNFS_EXPORT"
bad_mount 'host not found' ro "sn1,nosuchhost:$RNFS_EXPORT"
bad_mount "timeo=0: must be 1 to 6000 deciseconds" "ro,replicas=$R,timeo=0" "sn1:$RNFS_EXPORT"
bad_mount "failback" "ro,replicas=$R,failback=sometimes" "sn1:$RNFS_EXPORT"
bad_mount "no server after '@'" "ro,replicas=$RNFS_EXPORT@" "sn1:$RNFS_EXPORT"
bad_mount "vers=3" "ro,replicas=$R,vers=3" "sn1:$RNFS_EXPORT"
bad_mount "consistency" "replicas=$R,consistency=loose" "sn1:$RNFS_EXPORT"
bad_mount "no ',' allowed in a value" "ro,replicas=$R,sec=\"sys,soft\"" "sn1:$RNFS_EXPORT"
bad_mount "link-local" "ro,replicas=$RNFS_EXPORT@[fe80::1]:$RNFS_EXPORT@sn2" "[fe80::1]:$RNFS_EXPORT"

check "lab-fault 1 stop" lab-fault 1 stop
check "lab-fault 2 stop" lab-fault 2 stop
AT_EXIT+=("lab-fault 1 start" "lab-fault 2 start")
bad_mount "no replica answered: sn1 (" "ro,replicas=$R,timeo=5,retrans=2" "sn1:$RNFS_EXPORT"
check "lab-fault 1 start" lab-fault 1 start
check "lab-fault 2 start" lab-fault 2 start

out=$(as_labuser mount -t rnfs -o "ro,replicas=$R" "sn1:$RNFS_EXPORT" /mnt/x 2>&1)
rc=$?
echo "mount as labuser: $out (exit $rc)"
[ $rc -ne 0 ] || fail "an unprivileged mount succeeded"
! grep -q ' /mnt/x ' /proc/self/mountinfo || fail "/mnt/x is mounted"
