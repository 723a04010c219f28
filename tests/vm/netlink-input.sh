# SPDX-License-Identifier: GPL-2.0
# The kernel checks every netlink command itself (nlpoke sends them raw,
# without nfs4cl's checks): out-of-range tunables, a replica index past
# the list, an unknown state, a path off rnfs, the id of a mount that is
# gone are all refused and change nothing; state-changing commands need
# CAP_SYS_ADMIN.
# rnfsd's verdicts: DOWN on the active replica fails the idle mount over
# at once and holds that replica down while the server itself is fine;
# DOWN on the last replica up only makes it suspect; UP lifts a DOWN and
# the replica is up again within 2 s.
. "$(dirname "$0")/rnfs.bash"

NLPOKE=$PROGS/nlpoke
scratch
S1=$RNFS_SRV1:$RNFS_EXPORT
S2=$RNFS_SRV2:$RNFS_EXPORT
check "mount rnfs" mount_rnfs /mnt/k timeo=10,retrans=3,failback=manual
before=$(superopts /mnt/k)

# refused WANT CMD...: nlpoke CMD is refused with errno name WANT.
refused() {
	local want=$1 out
	shift
	out=$("$NLPOKE" "$@" 2>&1) && fail "nlpoke $* was accepted"
	[ "$out" = "$want" ] || fail "nlpoke $*: $out, want $want"
	echo "nlpoke $*: $out"
}

refused EINVAL set-mount /mnt/k timeo=0
refused EINVAL set-mount /mnt/k timeo=6001
refused EINVAL set-mount /mnt/k retrans=0
refused EINVAL set-mount /mnt/k retrans=101
refused ERANGE set-mount /mnt/k failback=2	# the attribute policy
refused EINVAL set-mount /mnt/k failback_delay=86401
# One bad value refuses the whole command: timeo=3 is not applied.
refused EINVAL set-mount /mnt/k timeo=3 retrans=0
refused EINVAL switch /mnt/k 2
refused EINVAL switch /mnt/k 4294967295
refused ERANGE verdict /mnt/k 0 3
refused EINVAL verdict /mnt/k 5 0
refused ENODEV set-mount /tmp timeo=5
refused ENODEV switch /tmp 0
# The id of another mount: the device number was reused since.
id=$(nfs4cl showfs --json /mnt/k | sed -n 's/^ *"id": *\([0-9]*\).*/\1/p')
refused ESTALE -i $((id + 1000)) set-mount /mnt/k timeo=5
check "set-mount with the right id" "$NLPOKE" -i "$id" set-mount /mnt/k timeo=10
[ "$(superopts /mnt/k)" = "$before" ] ||
	fail "refused commands changed the mount: $before -> $(superopts /mnt/k)"

out=$(as_labuser "$NLPOKE" set-mount /mnt/k timeo=5)
[ "$out" = EPERM ] || fail "set-mount as labuser: $out"
out=$(as_labuser "$NLPOKE" verdict /mnt/k 0 0)
[ "$out" = EPERM ] || fail "verdict as labuser: $out"
out=$(as_labuser "$NLPOKE" switch /mnt/k 1)
[ "$out" = EPERM ] || fail "switch as labuser: $out"
[ "$(superopts /mnt/k)" = "$before" ] || fail "labuser changed the mount"
[ "$(showfs_field /mnt/k current)" = "$S1" ] || fail "labuser moved the mount"

check "a DOWN verdict on srv1" "$NLPOKE" verdict /mnt/k 0 0 "test verdict"
[ "$(showfs_field /mnt/k current)" = "$S2" ] ||
	fail "a DOWN verdict on the active replica did not fail over at once"
klog_has "failover from $RNFS_SRV1 to $RNFS_SRV2 (rnfsd: test verdict)" ||
	fail "no failover line naming the verdict in the kernel log"
sleep 4
nfs4cl showfs /mnt/k | grep -qE "Replica Server: $S1 +down" ||
	fail "srv1 is not held down by the verdict: $(nfs4cl showfs /mnt/k)"
# srv2 is the only replica up: a DOWN verdict may not take it away.
check "a DOWN verdict on srv2, the last replica up" "$NLPOKE" verdict /mnt/k 1 0
[ "$(showfs_field /mnt/k current)" = "$S2" ] ||
	fail "a DOWN verdict took the last replica away: $(nfs4cl showfs /mnt/k)"
nfs4cl showfs /mnt/k | grep -qE "Replica Server: $S2 +suspect" ||
	fail "srv2 is not shown suspect: $(nfs4cl showfs /mnt/k)"
check "an UP verdict on srv1" "$NLPOKE" verdict /mnt/k 0 1
for i in $(seq 20); do
	nfs4cl showfs /mnt/k | grep -qE "Replica Server: $S1 +up" && break
	sleep 0.1
done
nfs4cl showfs /mnt/k | grep -qE "Replica Server: $S1 +up" ||
	fail "srv1 not up 2 s after an UP verdict: $(nfs4cl showfs /mnt/k)"
check_umount /mnt/k 20
