# SPDX-License-Identifier: GPL-2.0
#
# Helpers for the scenarios that mount rnfs, also sourced by the
# benchmark (tools/bench/bench.sh): an rnfs mount of both lab servers
# (srv1 preferred), which server a mount uses (mountinfo's active=), the
# kernel log since a mark, the guest programs of prog/build, and a
# scratch directory on the backing filesystem that goes away on exit
# together with the scenario's background processes.
_rnfs_dir=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
. "$_rnfs_dir/lib.bash"

PROGS=$_rnfs_dir/prog/build
READLOOP=$PROGS/readloop
SPIN=$PROGS/spin
STATLOOP=$PROGS/statloop
REPLICAS=$RNFS_EXPORT@$RNFS_SRV1:$RNFS_EXPORT@$RNFS_SRV2
BG=()		# background processes to kill on exit: BG+=($!)
AT_EXIT=()	# commands to run on exit, before the scratch goes

# mount_rnfs DIR [OPTIONS]: srv1 then srv2 as replicas, read-only.
# Bounded; mount's own errors are shown.
mount_rnfs() {
	_mount_rnfs "$1" "ro,replicas=$REPLICAS${2:+,$2}"
}

# mount_rnfs_rw DIR [OPTIONS]: the same, read-write.
mount_rnfs_rw() {
	_mount_rnfs "$1" "rw,replicas=$REPLICAS${2:+,$2}"
}

_mount_rnfs() {
	mkdir -p "$1"
	timeout -s KILL 30 mount -t rnfs -o "$2" "$RNFS_SRV1:$RNFS_EXPORT" "$1" &&
		return 0
	blocked_tasks
	return 1
}

# What the kernel's blocked tasks are waiting for, and the NFS clients it
# has: for the log of a scenario that failed.
blocked_tasks() {
	local mark="lab: blocked tasks $RANDOM"
	echo "<6>$mark" > /dev/kmsg
	echo w > /proc/sysrq-trigger
	echo "--- blocked tasks:"
	dmesg | awk -v m="$mark" 'seen { print } index($0, m) { seen = 1 }' |
		grep -v '^\s*$' | head -n 200
	echo "--- /proc/fs/nfsfs/servers:"
	cat /proc/fs/nfsfs/servers
}

# The super options (mountinfo's last field) of the mount on DIR.
superopts() {
	awk -v d="$1" '$5 == d {
		for (i = 7; i <= NF && $i != "-"; i++)
			;
		o = $(i + 3)
	} END { print o }' /proc/self/mountinfo
}

# mount_opt DIR NAME: the value of super option NAME= of DIR's mount.
mount_opt() {
	superopts "$1" | tr , '\n' | sed -n "s/^$2=//p" | head -n 1
}

# The address of the server DIR's rnfs mount uses now.
active_server() {
	mount_opt "$1" active
}

# Milliseconds since boot (/proc/uptime has hundredths).
uptime_ms() {
	local u
	read -r u _ < /proc/uptime
	u=${u/./}
	echo $((10#$u * 10))
}

# Milliseconds as seconds with one decimal, for messages.
secs() {
	printf '%d.%d' $(($1 / 1000)) $(($1 % 1000 / 100))
}

# wait_active DIR ADDR SECS: until DIR's mount uses ADDR; 1 after SECS.
wait_active() {
	local end=$(($(uptime_ms) + $3 * 1000))

	until [ "$(active_server "$1")" = "$2" ]; do
		[ "$(uptime_ms)" -lt "$end" ] || return 1
		sleep 0.2
	done
}

# expect_active DIR ADDR WHEN: fail unless DIR's mount uses ADDR now;
# WHEN says when, for the message.
expect_active() {
	local a
	a=$(active_server "$1")
	[ "$a" = "$2" ] ||
		fail "$3: $1 has active=${a:-(none)}, want $2 (super options: $(superopts "$1"))"
}

# The failover deadline in ms of timeo (deciseconds) x retrans.
deadline_ms() {
	echo $(($1 * $2 * 100))
}

# Bytes received by the client from server N (its veth, c1 or c2).
rx_bytes() {
	cat "/sys/class/net/c$1/statistics/rx_bytes"
}

# Kernel log lines since klog_mark (a line written to the log, at info
# level so that nothing counts it as a complaint).
klog_mark() {
	KLOG_MARK="lab: mark $$-$RANDOM-$(uptime_ms)"
	echo "<6>$KLOG_MARK" > /dev/kmsg
}

klog_since() {
	dmesg | awk -v m="$KLOG_MARK" 'seen { print } index($0, m) { seen = 1 }'
}

# blocked_tasks: the kernel's stacks of every task in uninterruptible
# sleep (sysrq w), for a failure's message: what a hang waits for.
blocked_tasks() {
	local mark="lab: blocked tasks $$-$RANDOM"

	echo "<6>$mark" > /dev/kmsg
	echo w > /proc/sysrq-trigger
	sleep 1
	dmesg | awk -v m="$mark" 'seen { print } index($0, m) { seen = 1 }' |
		grep -vE '^\[[ 0-9.]+\] +(\? |R[A-Z0-9]+:|</?TASK>)' | head -n 150
}

# rpc_state: the kernel's RPC transports and the calls each RPC client
# has out (sunrpc's debugfs), for a failure's message: what waits, and
# on which connection.
rpc_state() {
	local d

	for d in /sys/kernel/debug/sunrpc/rpc_xprt/*; do
		[ -e "$d/info" ] || continue
		echo "rpc_xprt $(basename "$d"): $(tr '\n' ' ' < "$d/info")"
	done
	for d in /sys/kernel/debug/sunrpc/rpc_clnt/*; do
		[ -s "$d/tasks" ] || continue
		echo "rpc_clnt $(basename "$d") tasks:"
		head -n 20 "$d/tasks"
	done
}

# klog_has STRING: a kernel log line since the mark contains STRING.
klog_has() {
	klog_since | grep -qF -- "$1"
}

# wait_klog SECS STRING WHY: until klog_has STRING; after SECS seconds,
# fail with WHY.
wait_klog() {
	local end=$(($(uptime_ms) + $1 * 1000))

	until klog_has "$2"; do
		[ "$(uptime_ms)" -lt "$end" ] || fail "$3"
		sleep 0.2
	done
}

# check_umount DIR SECS: a plain umount of DIR succeeds within SECS.
check_umount() {
	local t0 rc
	t0=$(uptime_ms)
	timeout -s KILL "$2" umount "$1"
	rc=$?
	[ $rc -ne 137 ] || fail "umount $1 still blocked after $2s"
	[ $rc -eq 0 ] || fail "umount $1 failed (exit status $rc)"
	echo "umount $1: $(secs $(($(uptime_ms) - t0)))s"
}

# srv_states N: how many opens, locks and delegations server N's nfsd
# holds for its clients (knfsd lists them under /proc/fs/nfsd/clients).
srv_states() {
	lab-srv "$1" sh -c 'cat /proc/fs/nfsd/clients/*/states 2>/dev/null' |
		grep -cE 'type: (open|lock|deleg)'
}

# srv_states_gone N SECS WHAT: server N holds no open, lock or delegation
# within SECS seconds; else fail, saying WHAT and listing them.
srv_states_gone() {
	local end=$(($(uptime_ms) + $2 * 1000))

	while [ "$(srv_states "$1")" -gt 0 ]; do
		[ "$(uptime_ms)" -lt "$end" ] && { sleep 0.2; continue; }
		fail "$3: srv$1 still holds $(srv_states "$1") opens, locks or delegations after $2s: $(lab-srv "$1" sh -c 'cat /proc/fs/nfsd/clients/*/states')"
	done
}

# memory_cgroup NAME LIMIT: a cgroup v2 memory cgroup NAME limited to
# LIMIT (32M), removed on exit; sets CG to its directory and IN_CGROUP to
# a command prefix that runs a program in it.  Its memory.events has the
# OOM kills.
memory_cgroup() {
	local top=/sys/fs/cgroup

	[ -e $top/cgroup.controllers ] || mount -t cgroup2 cgroup2 $top ||
		fail "mount cgroup2"
	echo +memory > $top/cgroup.subtree_control ||
		fail "enable the memory controller"
	CG=$top/$1
	mkdir -p "$CG" || fail "mkdir $CG"
	AT_EXIT+=("rmdir $CG")
	echo "$2" > "$CG/memory.max" || fail "limit $CG to $2"
	# shellcheck disable=SC2016
	IN_CGROUP=(bash -c 'echo $$ > "$0/cgroup.procs" && exec "$@"' "$CG")
}

# Debian's 6.1 NFS client can deadlock when the last mount of a server
# goes while its callback thread handles a call from that server: the
# thread drops the last reference to the client and then waits for itself
# to stop (nfs4_callback_compound -> nfs4_free_client -> nfs_callback_down
# -> kthread_stop), holding nfs_callback_mutex, so that no NFSv4 mount can
# be made any more.  Scenarios unmount everything they mount, so the suite
# keeps an idle plain NFS mount of each server, outside /mnt, for its whole
# run; the helpers below count NFS mounts and clients beyond these.  The
# benchmark does the same.
pin_nfs_clients() {
	local n srv

	for n in 1 2; do
		srv=RNFS_SRV$n
		mkdir -p "/run/lab/pin/srv$n"
		timeout -s KILL 30 mount -t nfs4 -o vers=4.2 \
			"${!srv}:$RNFS_EXPORT" "/run/lab/pin/srv$n" ||
			echo "suite: cannot pin srv$n's NFS client" >&2
	done
	NFS_PINNED_VOLUMES=$(tail -n +2 /proc/fs/nfsfs/volumes | wc -l)
	NFS_PINNED_CLIENTS=$(tail -n +2 /proc/fs/nfsfs/servers | wc -l)
	export NFS_PINNED_VOLUMES NFS_PINNED_CLIENTS
}

# The NFS mounts of the client, rnfs's private lower mounts included,
# beyond those pin_nfs_clients keeps.
nfs_volumes() {
	echo $(($(tail -n +2 /proc/fs/nfsfs/volumes | wc -l) - ${NFS_PINNED_VOLUMES:-0}))
}

# The NFS clients (one per server) the kernel has beyond the suite's:
# they outlive the last mount of their server while they say goodbye.
nfs_clients() {
	echo $(($(tail -n +2 /proc/fs/nfsfs/servers | wc -l) - ${NFS_PINNED_CLIENTS:-0}))
}

# unload_rnfs SECS: rmmod rnfs, retried for up to SECS seconds, since
# after unmounting, lower mounts and files are let go in the background
# (and, on dead servers, only once their calls are reaped).
unload_rnfs() {
	local end=$(($(uptime_ms) + $1 * 1000))

	until rmmod rnfs 2>/dev/null; do
		[ "$(uptime_ms)" -lt "$end" ] || return 1
		sleep 0.5
	done
}

# scratch: sets T (the scenario's name) and B, an empty directory of the
# backing filesystem seen as MOUNT/$T through any mount of the export;
# marks the kernel log; on exit, kills $BG, runs $AT_EXIT, removes $B.
#
# rnfs tears lower mounts down in the background, and a lower mount of a
# server that was down may take seconds to go (NFSv4 state cleanup).  A
# new mount would share that server's NFS client and could wait for it;
# worse, a new NFS client waits for any other being set up (the NFS
# client's nfs_clid_init_mutex), so one stuck saying hello to a server
# that still cleans up after the old one holds up mounts of every server.
# The scenario starts once the earlier scenarios' mounts and NFS clients
# are gone.
scratch() {
	local end=$(($(uptime_ms) + 30000))

	T=$(basename "$0" .sh)
	B=$RNFS_BACKING/$T
	rm -rf "$B"
	mkdir -p "$B" || fail "mkdir $B"
	trap _rnfs_exit EXIT
	while [ "$(nfs_volumes)" -gt 0 ] || [ "$(nfs_clients)" -gt 0 ]; do
		if [ "$(uptime_ms)" -ge "$end" ]; then
			echo "note: NFS mounts or clients left from before, after waiting 30s:"
			cat /proc/fs/nfsfs/volumes /proc/fs/nfsfs/servers
			break
		fi
		sleep 0.5
	done
	klog_mark
}

# No wait for the killed processes: one blocked on a dead server could
# hold the exit; the suite unmounts with -f or -l after the scenario.
_rnfs_exit() {
	local p c
	for p in "${BG[@]}"; do
		pkill -KILL -P "$p" 2>/dev/null
		kill -KILL "$p" 2>/dev/null
	done
	for c in "${AT_EXIT[@]}"; do
		eval "$c"
	done
	rm -rf "$B"
}

# wait_for PID SECS: wait for background process PID, at most SECS
# seconds.  0 with its exit status in WAIT_STATUS, or 1 if still running.
wait_for() {
	local end=$(($(uptime_ms) + $2 * 1000))

	while kill -0 "$1" 2>/dev/null; do
		[ "$(uptime_ms)" -lt "$end" ] || return 1
		sleep 0.2
	done
	wait "$1"
	WAIT_STATUS=$?
	return 0
}

# show FILE: FILE, or its first and last lines when it is long.
show() {
	if [ "$(wc -l < "$1")" -le 30 ]; then
		cat "$1"
	else
		head -n 15 "$1"
		echo "[... $(($(wc -l < "$1") - 25)) lines ...]"
		tail -n 10 "$1"
	fi
}

# rl_field FILE NAME: NAME=value from readloop's last line in FILE.
rl_field() {
	tail -n 1 "$1" | tr ' ' '\n' | sed -n "s/^$2=//p"
}

# failover_read FAULT: readloop reads a 64 MiB file through rnfs
# (timeo=10,retrans=3: a 3 s deadline) in a loop for 25 s, dropping its
# cached pages before each pass, and srv1 gets FAULT 5 s in.  Every read
# succeeds with the right data, no call stalls longer than the deadline +
# 2 s, the mount now uses srv2 and says so in the kernel log, the data
# read after the fault came from srv2, and the mount unmounts.
failover_read() {
	local fault=$1 dir=/mnt/r out=$PWD/readloop.out
	local want rl rc rx0 rx t0 t_fault passes stall limit

	scratch
	limit=$(($(deadline_ms 10 3) + 2000))
	check "fill the test file" "$READLOOP" --fill "$B/data" 64 "$RANDOM"
	want=$("$READLOOP" --hash "$B/data") || fail "hash $B/data"
	check "mount rnfs" mount_rnfs "$dir" timeo=10,retrans=3
	expect_active "$dir" "$RNFS_SRV1" "after mounting"

	rx0=$(rx_bytes 2)
	t0=$(uptime_ms)
	timeout -s KILL 90 "$READLOOP" -v "$dir/$T/data" 25 "$want" > "$out" 2>&1 &
	rl=$!
	BG+=("$rl")
	sleep 5
	kill -0 "$rl" 2>/dev/null || { show "$out"; fail "readloop ended before the fault"; }
	t_fault=$(uptime_ms)
	check "lab-fault 1 $fault" lab-fault 1 "$fault"
	echo "srv1 $fault at $(secs $((t_fault - t0)))s"
	wait "$rl"
	rc=$?
	rx=$(($(rx_bytes 2) - rx0))
	show "$out"
	echo "received from srv2 meanwhile: $((rx / 1048576)) MiB"

	[ $rc -ne 137 ] || fail "readloop hung: killed after 90s"
	grep -q '^passes=' "$out" || fail "readloop printed no summary (exit status $rc)"
	[ $rc -eq 0 ] || fail "readloop saw read errors or wrong data (exit status $rc)"
	passes=$(rl_field "$out" passes)
	stall=$(rl_field "$out" max_stall_ms)
	[ "$passes" -ge 2 ] || fail "only $passes passes in 25s"
	[ "$stall" -lt "$limit" ] ||
		fail "a call stalled ${stall}ms, more than the deadline + 2s (${limit}ms)"
	expect_active "$dir" "$RNFS_SRV2" "after srv1 $fault"
	klog_has "failover from $RNFS_SRV1 to $RNFS_SRV2" ||
		fail "no \"failover from $RNFS_SRV1 to $RNFS_SRV2\" in the kernel log: $(klog_since | grep rnfs)"
	# Every pass drops its cached pages: the passes after the fault read
	# from srv2, not from the page cache.
	[ "$rx" -ge $((16 * 1048576)) ] ||
		fail "only $rx bytes came from srv2 after the fault: the reads did not reach it"

	check "lab-fault 1 clear" lab-fault 1 clear
	check_umount "$dir" 20
}

# The names an administrator would give the lab servers, for mount.rnfs
# and nfs4cl to resolve (/etc/hosts, as nsswitch.conf says "files").
add_host_names() {
	grep -q '[[:space:]]sn1$' /etc/hosts 2>/dev/null ||
		printf '%s sn1\n%s sn2\n' "$RNFS_SRV1" "$RNFS_SRV2" >> /etc/hosts
}

# as_labuser CMD...: CMD as the unprivileged lab user (uid 1000), with
# no capabilities (runuser needs PAM, which the guest does not have).
as_labuser() {
	setpriv --reuid=1000 --regid=1000 --clear-groups -- "$@"
}

# showfs_field DIR FIELD: nfs4cl showfs -f FIELD for DIR's mount, picked
# from the list of every mount, so that it touches no file on it (an
# idle mount stays idle).
showfs_field() {
	paste -d ' ' <(nfs4cl showfs -f local) <(nfs4cl showfs -f "$2") |
		awk -v d="$1" '$1 == d { print $2 }'
}

# wait_current DIR HOST:PATH MS: until nfs4cl shows DIR's mount using
# HOST:PATH, touching nothing on it; prints the ms it took, or returns 1
# after MS.
wait_current() {
	local t0 now
	t0=$(uptime_ms)
	until [ "$(showfs_field "$1" current)" = "$2" ]; do
		now=$(uptime_ms)
		[ $((now - t0)) -lt "$3" ] || return 1
		sleep 0.1
	done
	echo $(($(uptime_ms) - t0))
}

# start_rnfsd ARGS...: rnfsd in the foreground, its log in $PWD/rnfsd.log.
start_rnfsd() {
	rnfsd -f "$@" > "$PWD/rnfsd.log" 2>&1 &
	RNFSD_PID=$!
	BG+=($RNFSD_PID)
}

# stop_rnfsd: SIGTERM; it must exit 0 within 5 s.
stop_rnfsd() {
	kill -TERM "$RNFSD_PID"
	wait_for "$RNFSD_PID" 5 || fail "rnfsd still running 5s after SIGTERM"
	[ "$WAIT_STATUS" -eq 0 ] || fail "rnfsd exited $WAIT_STATUS after SIGTERM"
}

# start_holder FILE SECS: lockhold holding a lock on FILE for SECS
# seconds in the background (HOLDER: its pid; its output in holder.out),
# once it has the lock.
start_holder() {
	"$PROGS/lockhold" hold "$1" "$PWD/ready" "$2" > holder.out 2>&1 &
	HOLDER=$!
	BG+=("$HOLDER")
	for _ in $(seq 50); do
		[ -e ready ] && return 0
		sleep 0.2
	done
	cat holder.out
	fail "the holder got no lock in 10s"
}

# field FILE NAME: NAME=value from the last line of FILE.
field() {
	tail -n 1 "$1" | tr ' ' '\n' | sed -n "s/^$2=//p"
}

# failover_write FAULT: four writers at once on a read-write rnfs mount
# (a 3 s deadline), and srv1 gets FAULT 2 s into rwverify's random writes:
#   recwriter   appends checksummed 4 KiB records, fsync after each
#   rwverify    random 4 KiB writes over a 128 MiB file, fsync every 64
#   mmapwriter  MAP_SHARED stores into a 16 MiB file, msync each round
#   mdstorm     5,000 files in nested directories, renamed, linked, unlinked
# None sees an error; afterwards the backing filesystem has every record
# whose fsync returned, intact and once, every block and page as last
# written, and exactly the tree mdstorm expects; the mount uses srv2.
#
# No call may stall past the deadline + 3 s, whether the servers hand
# out delegations or not (LEASES, "on" or "off": /proc/sys/fs/leases-enable,
# which knfsd's delegations need).  The lab's servers share one kernel,
# so a delegation srv1 gave is a lease on the backing file that srv2
# sees, as on a cluster filesystem with cluster-wide leases: opening that
# file for writing through srv2 would wait (NFS4ERR_DELAY) until srv1,
# silent but alive, revoked it, a lease period later.  rnfs asks for no
# delegation when it opens a file for writing, so none of these writers
# has one to wait for.
failover_write() {
	local fault=$1 leases=$2 d out limit pids=() names=() i rc acked end

	scratch
	d=/mnt/w/$T
	limit=$(($(deadline_ms 10 3) + 3000))
	if [ "$leases" = off ]; then
		echo 0 > /proc/sys/fs/leases-enable
		AT_EXIT+=("echo 1 > /proc/sys/fs/leases-enable")
	fi
	echo "server delegations $leases: no call may stall past ${limit}ms"
	mkdir "$B/tree"
	check "mount rnfs read-write" mount_rnfs_rw /mnt/w timeo=10,retrans=3
	expect_active /mnt/w "$RNFS_SRV1" "after mounting"

	"$PROGS/recwriter" "$d/records" 25 > rec.out 2>&1 &
	pids+=($!) names+=(rec)
	"$PROGS/rwverify" "$d/random" 128 20 "$PWD/random.state" > rw.out 2>&1 &
	pids+=($!) names+=(rw)
	"$PROGS/mmapwriter" "$d/mapped" 16 20 "$PWD/mapped.state" > mm.out 2>&1 &
	pids+=($!) names+=(mm)
	"$PROGS/mdstorm" run "$d/tree" "$RANDOM" "$PWD/tree.want" > md.out 2>&1 &
	pids+=($!) names+=(md)
	BG+=("${pids[@]}")
	# The fault strikes once rwverify writes at random: its fill (128 MiB
	# and one fsync, seconds long in the lab) is one long call, whose
	# time is the data's and not a stall.
	end=$(($(uptime_ms) + 60000))
	until grep -q '^rwverify: filled' rw.out; do
		kill -0 "${pids[1]}" 2>/dev/null ||
			{ show rw.out; fail "rwverify ended before its random writes"; }
		[ "$(uptime_ms)" -lt "$end" ] ||
			{ show rw.out; fail "rwverify did not fill its file in 60s"; }
		sleep 0.2
	done
	sleep 2
	check "lab-fault 1 $fault" lab-fault 1 "$fault"
	echo "srv1 $fault 2s into rwverify's random writes"

	rc=0
	for i in "${!pids[@]}"; do
		if ! wait_for "${pids[$i]}" 150; then
			echo "${names[$i]}: still running after 150s"
			rc=1
		elif [ "$WAIT_STATUS" -ne 0 ]; then
			echo "${names[$i]}: exit status $WAIT_STATUS"
			rc=1
		fi
		out=${names[$i]}.out
		echo "${names[$i]}: $(tail -n 1 "$out")"
	done
	if [ $rc -ne 0 ]; then
		for out in rec.out rw.out mm.out md.out; do
			echo "--- $out"
			show "$out"
		done
		fail "a writer failed"
	fi
	for out in rec.out rw.out mm.out md.out; do
		[ "$(field "$out" max_stall_ms)" -lt "$limit" ] ||
			fail "$out: a call stalled $(field "$out" max_stall_ms)ms, more than the deadline + 3s"
	done
	expect_active /mnt/w "$RNFS_SRV2" "after srv1 $fault"

	# What the servers' shared filesystem holds, read there directly.
	acked=$(field rec.out acked)
	check "records on the backing fs" "$PROGS/recwriter" --check "$B/records" "$acked"
	check "random writes on the backing fs" "$PROGS/rwverify" --check "$B/random" random.state
	check "mapped writes on the backing fs" "$PROGS/mmapwriter" --check "$B/mapped" mapped.state
	check "scan the tree" "$PROGS/mdstorm" scan "$B/tree" "$PWD/tree.have"
	if ! cmp -s tree.want tree.have; then
		diff tree.want tree.have | head -n 20
		fail "the tree on the backing fs is not what mdstorm made"
	fi
	echo "backing fs: $acked records, 128 MiB of random writes, the mapped file and $(wc -l < tree.have) tree entries all as written"

	check "lab-fault 1 clear" lab-fault 1 clear
	check_umount /mnt/w 30
}

# fdcmd (tests/vm/prog/fdcmd.c) as a coprocess, FDCMD, for lifecycle.
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

# lifecycle FAULT: open files keep their identity across a failover, as
# on a plain NFSv4 mount: rnfs finds an open file on the new replica by
# its filehandle, never by its name.  Before srv1 gets FAULT, with files
# held open by fdcmd (the lab user) and by a running program:
#   - a log open for appending is rotated by another node
#     (mv out.log out.log.1; a new out.log);
#   - a temporary file is written and unlinked while open;
#   - a file with unwritten data is made read-only (chmod a-w);
#   - a running program's binary is replaced by rename.
# After the failover, through the same descriptors: the log line lands
# in out.log.1 and out.log keeps the other node's content; the unlinked
# file reads back and grows; the read-only file's data is written; a new
# exec of the name runs the new binary, and, unless srv1's nfsd stopped
# (see below), the program keeps running its own code after drop_caches.
# Names resolve afresh on srv2.
lifecycle() {
	local fault=$1 d counter spin end n0

	scratch
	d=/mnt/w/$T
	mkdir "$B/bin"
	check "copy spin" cp "$SPIN" "$B/bin/prog"
	chown 1000:1000 "$B"
	check "mount rnfs read-write" mount_rnfs_rw /mnt/w timeo=5,retrans=2
	expect_active /mnt/w "$RNFS_SRV1" "after mounting"

	coproc FDCMD { as_labuser "$PROGS/fdcmd"; }
	BG+=("$FDCMD_PID")

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

	check "lab-fault 1 $fault" lab-fault 1 "$fault"
	echo "srv1 $fault"

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

	expect_active /mnt/w "$RNFS_SRV2" "after srv1 $fault"
	klog_has "failover from $RNFS_SRV1 to $RNFS_SRV2" ||
		fail "no \"failover from $RNFS_SRV1 to $RNFS_SRV2\" in the kernel log"

	# Names resolve on srv2 as they are now.
	content "$d/out.log" other
	content "$d/out.log.1" beforeafter
	[ ! -e "$d/tmpfile" ] || fail "$d/tmpfile is back"

	timeout -s KILL 20 "$d/bin/prog" || fail "the new binary did not run (exit status $?)"
	echo "a new exec runs the new binary"
	# The replaced binary lives on while a server has it open.  srv1's
	# nfsd, stopped, let go of it: it is gone from the backing fs, and its
	# pages cannot be read again from anywhere, as with plain NFS (ESTALE).
	if [ "$fault" != stop ]; then
		n0=$(cat "$counter")
		echo 3 > /proc/sys/vm/drop_caches
		end=$(($(uptime_ms) + 20000))
		until [ "$(cat "$counter")" -ge $((n0 + 3)) ]; do
			if ! kill -0 "$spin" 2>/dev/null; then
				wait "$spin"
				fail "the program ended with status $? after the failover"
			fi
			[ "$(uptime_ms)" -lt "$end" ] ||
				fail "the program stopped counting after the failover"
			sleep 0.5
		done
		echo "the running program kept its code after drop_caches (count $n0 -> $(cat "$counter"))"
	fi

	kill "$spin"
	wait "$spin" 2>/dev/null
	eval "exec ${FDCMD[1]}>&-"
	check "lab-fault 1 clear" lab-fault 1 clear
	check_umount /mnt/w 30
}

# late_work FAULT: work rnfs gave up on when srv1 failed never wins over
# newer work committed through srv2, nor over what another node wrote
# since.  A file is written and synced through srv1; srv1 gets FAULT; a
# write and fsync of the same bytes is sent to srv1, times out, fails
# over and commits through srv2; newer data for the same bytes is
# committed through srv2; then the fault is undone and srv1 may deliver
# what it was sent.  Once rnfs has checked what it gave up on (the
# kernel log says so), the backing fs must hold the newest data, every
# time it is looked at, for 30 s, and rnfs must read it.
#   down:   srv1's link goes down; TCP keeps the first write queued for
#           the old connection, whose timeout is the suite's pinned
#           mount's (minutes), and sends it once the link is back: the
#           reset of that connection must drop it.
#   delay:  what the client sends to srv1 waits 10 s in the client's own
#           queue (netem on c1), out of reach of any reset: the old
#           write must land on the backing fs (else the scenario did not
#           happen), and rnfs must write the newer data again once srv1
#           answers.
#   delay-other: the same, and after the old write landed another node
#           writes newer data still: rnfs must leave that alone.
late_work() {
	local fault=$1 d f v0 v1 v2 v3 want end have t0
	local -a inject=(lab-fault 1 "$fault")

	[[ $fault = delay* ]] && inject=(lab-fault 1 clientnetem delay 10s)
	scratch
	d=/mnt/w/$T
	f=$B/file
	# Versions of the same 48 bytes.
	v0=$(printf '%-48s' v0-written-through-srv1-before-the-fault | tr ' ' -)
	v1=$(printf '%-48s' v1-in-flight-to-srv1-when-it-failed | tr ' ' -)
	v2=$(printf '%-48s' v2-newer-committed-through-srv2 | tr ' ' -)
	v3=$(printf '%-48s' v3-written-by-another-node-later | tr ' ' -)
	want=$v2
	check "mount rnfs read-write" mount_rnfs_rw /mnt/w timeo=10,retrans=2
	expect_active /mnt/w "$RNFS_SRV1" "after mounting"
	coproc FDCMD { "$PROGS/fdcmd"; }
	BG+=("$FDCMD_PID")
	fd_ok open 1 "$d/file" c
	fd_ok pwrite 1 0 "$v0"
	fd_ok fsync 1
	content "$f" "$v0"

	klog_mark
	t0=$(uptime_ms)
	check "${inject[*]}" "${inject[@]}"
	AT_EXIT+=("lab-fault 1 clear")
	fd_ok pwrite 1 0 "$v1"
	fd_ok fsync 1
	expect_active /mnt/w "$RNFS_SRV2" "after srv1 $fault"
	content "$f" "$v1"
	fd_ok pwrite 1 0 "$v2"
	fd_ok fsync 1
	content "$f" "$v2"
	echo "srv1 $fault: the write sent to srv1 was committed through srv2, then newer data"

	if [[ $fault = delay* ]]; then
		end=$((t0 + 20000))
		until [ "$(cat "$f")" = "$v1" ]; do
			[ "$(uptime_ms)" -lt "$end" ] ||
				fail "the write sent to srv1 never landed: the scenario did not happen"
			sleep 0.1
		done
		echo "the write given up on landed on srv1 $(secs $(($(uptime_ms) - t0)))s after the fault"
	fi
	if [ "$fault" = delay-other ]; then
		printf %s "$v3" > "$f" || fail "write as another node"
		want=$v3
		echo "another node wrote newer data still"
	fi
	check "lab-fault 1 clear" lab-fault 1 clear
	wait_klog 30 "writes given up on:" \
		"30s after srv1 came back, rnfs has not checked what it gave up on"
	klog_since | grep -F "writes given up on:" | sed 's/^/    /'
	end=$(($(uptime_ms) + 30000))
	while [ "$(uptime_ms)" -lt "$end" ]; do
		have=$(cat "$f")
		[ "$have" = "$want" ] ||
			fail "$(secs $((30000 - end + $(uptime_ms))))s after rnfs checked, the backing fs holds \"$have\", want \"$want\""
		sleep 0.2
	done
	echo "30s after rnfs checked, the backing fs still holds the newest data"
	fd_read 1 "$want"
	fd_ok close 1
	eval "exec ${FDCMD[1]}>&-"
	check_umount /mnt/w 30
}
