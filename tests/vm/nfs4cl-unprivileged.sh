# SPDX-License-Identifier: GPL-2.0
# An unprivileged user runs nfs4cl showfs (and sees the mount), but gets
# "permission denied" (EPERM from the kernel) from setfsoptions and
# switch, and the mount is unchanged.
. "$(dirname "$0")/rnfs.bash"

scratch
check "mount rnfs" mount_rnfs /mnt/u timeo=10,retrans=3
before=$(superopts /mnt/u)

out=$(as_labuser nfs4cl showfs 2>&1) || fail "showfs as labuser exited $?: $out"
grep -q "Current Server: $RNFS_SRV1:$RNFS_EXPORT" <<< "$out" ||
	fail "showfs as labuser: $out"
out=$(as_labuser nfs4cl setfsoptions /mnt/u timeo=1 2>&1)
rc=$?
echo "setfsoptions as labuser: $out"
[ $rc -eq 1 ] || fail "setfsoptions as labuser exited $rc, want 1"
grep -q "permission denied" <<< "$out" || fail "setfsoptions as labuser said: $out"
out=$(as_labuser nfs4cl switch /mnt/u "$RNFS_SRV2" 2>&1)
rc=$?
echo "switch as labuser: $out"
[ $rc -eq 1 ] || fail "switch as labuser exited $rc, want 1"
grep -q "permission denied" <<< "$out" || fail "switch as labuser said: $out"
[ "$(superopts /mnt/u)" = "$before" ] ||
	fail "the mount changed: $before -> $(superopts /mnt/u)"
check_umount /mnt/u 20
