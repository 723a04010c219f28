# SPDX-License-Identifier: GPL-2.0
# mount.rnfs, run by mount(8): host names resolved (replicas= and the
# short form), -v shows what the kernel is given, an fstab entry with
# _netdev mounts with `mount -a`, and an IPv6 replica list works.
. "$(dirname "$0")/rnfs.bash"

scratch
add_host_names
S1=$RNFS_SRV1:$RNFS_EXPORT
echo hello > "$B/file"
mkdir -p /mnt/n /mnt/v6

out=$(timeout -s KILL 30 mount -v -t rnfs \
	-o "ro,replicas=$RNFS_EXPORT@sn1:$RNFS_EXPORT@sn2,timeo=5" \
	"sn1:$RNFS_EXPORT" /mnt/n 2>&1) || fail "mount by host names: $out"
echo "$out"
grep -q "replicas=$RNFS_EXPORT@$RNFS_SRV1:$RNFS_EXPORT@$RNFS_SRV2" <<< "$out" ||
	fail "-v does not show the resolved replicas"
[ "$(nfs4cl showfs -f replicas /mnt/n)" = "$S1,$RNFS_SRV2:$RNFS_EXPORT" ] ||
	fail "replicas: $(nfs4cl showfs -f replicas /mnt/n)"
[ "$(cat "/mnt/n/$T/file")" = hello ] || fail "read through /mnt/n"
check_umount /mnt/n 20

mkdir -p /mnt/short
check "mount the short form sn1,sn2:$RNFS_EXPORT" timeout -s KILL 30 \
	mount -t rnfs -o ro "sn1,sn2:$RNFS_EXPORT" /mnt/short
[ "$(nfs4cl showfs -f current /mnt/short)" = "$S1" ] || fail "short form: current"
check_umount /mnt/short 20

cp /etc/fstab fstab.saved 2>/dev/null || : > fstab.saved
AT_EXIT+=("cp $PWD/fstab.saved /etc/fstab")
mkdir -p /mnt/f1 /mnt/f2
cat >> /etc/fstab <<FSTAB
sn1:$RNFS_EXPORT /mnt/f1 rnfs ro,replicas=$RNFS_EXPORT@sn1:$RNFS_EXPORT@sn2,_netdev 0 0
sn2,sn1:$RNFS_EXPORT /mnt/f2 rnfs ro,_netdev,timeo=5,retrans=2 0 0
FSTAB
check "mount -a -t rnfs" timeout -s KILL 60 mount -a -t rnfs
[ "$(nfs4cl showfs -f current /mnt/f1)" = "$S1" ] || fail "fstab /mnt/f1 not mounted on srv1"
[ "$(nfs4cl showfs -f current /mnt/f2)" = "$RNFS_SRV2:$RNFS_EXPORT" ] ||
	fail "fstab /mnt/f2 (sn2 first) not mounted on srv2"
[ "$(cat "/mnt/f2/$T/file")" = hello ] || fail "read through /mnt/f2"
check_umount /mnt/f1 20
check_umount /mnt/f2 20

# IPv6: the servers get addresses of fd00:99:N::/64 for this scenario.
for n in 1 2; do
	ip -6 addr add "fd00:99:$n::1/64" dev "c$n" nodad
	lab-srv "$n" ip -6 addr add "fd00:99:$n::2/64" dev eth0 nodad
	AT_EXIT+=("ip -6 addr del fd00:99:$n::1/64 dev c$n" \
		"lab-srv $n ip -6 addr del fd00:99:$n::2/64 dev eth0")
done
check "mount by IPv6 addresses" timeout -s KILL 30 mount -t rnfs \
	-o "ro,replicas=$RNFS_EXPORT@[fd00:99:1::2]:$RNFS_EXPORT@[fd00:99:2::2]" \
	"[fd00:99:1::2]:$RNFS_EXPORT" /mnt/v6
[ "$(nfs4cl showfs -f current /mnt/v6)" = "[fd00:99:1::2]:$RNFS_EXPORT" ] ||
	fail "IPv6: current is $(nfs4cl showfs -f current /mnt/v6)"
[ "$(cat "/mnt/v6/$T/file")" = hello ] || fail "read through /mnt/v6"
check_umount /mnt/v6 20
