// SPDX-License-Identifier: GPL-2.0
/*
 * The mount itself, with the new mount API: fsopen() a context, fsconfig()
 * one parameter at a time, so that an error is about one known option and
 * the kernel's own words can be read back from the context; then create
 * the superblock (rnfs.ko probes the replicas here), fsmount() it with the
 * per-mount attributes and move_mount() it into place.  Only that last
 * step makes it visible: when anything before it fails, closing the
 * descriptors frees what was made and nothing stays mounted.
 *
 * mount(2) remains for what fsconfig() cannot carry (a value over 255
 * bytes) and for kernels or sandboxes without the new calls.  The
 * kernel's messages then go to the kernel log only, and -s cannot skip
 * unknown options, which only fsconfig() names one at a time.  Its
 * comma-separated data cannot carry a comma in a value either: options.c
 * lets none through but in SELinux's context options, which the LSM
 * takes quoted.
 */
#include <errno.h>
#include <fcntl.h>
#include <sched.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mount.h>
#include <sys/stat.h>
#include <sys/utsname.h>
#include <sys/wait.h>
#include <unistd.h>

#include "kmount.h"
#include "report.h"

#define FSTYPE		"rnfs"
#define DATA_MAX	4095	/* mount(2) copies a page of options */
#define LOG_MAX		8	/* messages kept per context */
#define LOG_LEN		1024

/* The kernel's messages about one context. */
struct klog {
	unsigned int nr;
	char level[LOG_MAX];		/* 'e', 'w' or 'i' */
	char text[LOG_MAX][LOG_LEN];
};

/*
 * Takes what the kernel logged on @fd ("e rnfs: text\n" each) without
 * the level, the filesystem's name and the newline, and with the user's
 * host names for the replicas' addresses.
 */
static void klog_read(int fd, const struct rnfs_mopts *mo, struct klog *log)
{
	static const char prefix[] = FSTYPE ": ";
	char buf[4096];

	log->nr = 0;
	for (;;) {
		ssize_t n = read(fd, buf, sizeof(buf) - 1);
		char level = 'e', *text = buf;

		if (n < 0 && errno == EINTR)
			continue;
		if (n <= 0)		/* ENODATA: that was all */
			return;
		buf[n] = '\0';
		if (buf[n - 1] == '\n')
			buf[n - 1] = '\0';
		if (n >= 2 && buf[1] == ' ') {
			level = buf[0];
			text += 2;
		}
		if (!strncmp(text, prefix, sizeof(prefix) - 1))
			text += sizeof(prefix) - 1;
		if (log->nr == LOG_MAX)
			continue;
		log->level[log->nr] = level;
		rnfs_mopts_name_hosts(mo, text, log->text[log->nr], LOG_LEN);
		log->nr++;
	}
}

/* Errors and warnings always, notes when @info. */
static void klog_print(const struct klog *log, bool info)
{
	unsigned int i;

	for (i = 0; i < log->nr; i++)
		if (log->level[i] != 'i' || info)
			report("%s", log->text[i]);
}

/*
 * Whether the kernel refused @key only because it does not know it.  The
 * errno (EINVAL) is the same as for a bad value: only the words of
 * fs/fs_context.c tell the two apart.
 */
static bool klog_unknown(const struct klog *log, const char *key)
{
	char want[LOG_LEN];
	unsigned int i;

	snprintf(want, sizeof(want), "Unknown parameter '%s'", key);
	for (i = 0; i < log->nr; i++)
		if (log->level[i] == 'e' && !strcmp(log->text[i], want))
			return true;
	return false;
}

/* The exit status for a system call that failed with @err. */
static int errno_status(int err)
{
	switch (err) {
	case EINTR:
		return RNFS_EX_INTR;
	case ENOMEM:
	case EMFILE:
	case ENFILE:
		return RNFS_EX_SYSERR;
	default:
		return RNFS_EX_FAIL;
	}
}

static void modprobe(bool verbose)
{
	pid_t pid;
	int st;

	if (verbose)
		chatter("loading the rnfs module: modprobe %s", FSTYPE);
	pid = fork();
	if (pid < 0)
		return;		/* the retry fails and says so */
	if (!pid) {
		execl("/sbin/modprobe", "modprobe", "-q", FSTYPE, (char *)NULL);
		execlp("modprobe", "modprobe", "-q", FSTYPE, (char *)NULL);
		_exit(127);
	}
	while (waitpid(pid, &st, 0) < 0 && errno == EINTR)
		;
}

static void no_module(void)
{
	struct utsname u;

	if (uname(&u))
		strcpy(u.release, "?");
	report("the kernel has no rnfs filesystem and modprobe %s did not load it: is rnfs.ko installed for kernel %s?",
	       FSTYPE, u.release);
}

/*
 * -N: mount in another mount namespace.  mount(8) passes a file
 * (/proc/PID/fd/N) it holds open for us; a PID is taken too.  Entered
 * late, after name lookup and modprobe, which need this namespace's files.
 */
static int enter_namespace(const char *ns)
{
	char path[64];
	int fd, err;

	if (!ns)
		return 0;
	if (*ns && !ns[strspn(ns, "0123456789")]) {
		snprintf(path, sizeof(path), "/proc/%.20s/ns/mnt", ns);
		ns = path;
	}
	fd = open(ns, O_RDONLY | O_CLOEXEC);
	if (fd >= 0 && !setns(fd, CLONE_NEWNS)) {
		close(fd);
		return 0;
	}
	err = errno;
	if (fd >= 0)
		close(fd);
	report("cannot enter the mount namespace %s: %s", ns, strerror(err));
	return RNFS_EX_SYSERR;
}

/* Before the replicas are probed, which can take a while. */
static int check_dir(const char *dir)
{
	struct stat st;
	int err;

	if (stat(dir, &st)) {
		err = errno;
		if (err == ENOENT)
			report("mount point %s does not exist", dir);
		else
			report("mount point %s: %s", dir, strerror(err));
		return err == ENOMEM ? RNFS_EX_SYSERR : RNFS_EX_FAIL;
	}
	if (!S_ISDIR(st.st_mode)) {
		report("mount point %s is not a directory", dir);
		return RNFS_EX_FAIL;
	}
	return 0;
}

static int set_param(int fd, const struct rnfs_mopts *mo,
		     const struct rnfs_kparam *kp,
		     const struct rnfs_kmount_cfg *cfg, struct klog *log)
{
	int ret, err;

	if (kp->value)
		ret = fsconfig(fd, FSCONFIG_SET_STRING, kp->key, kp->value, 0);
	else
		ret = fsconfig(fd, FSCONFIG_SET_FLAG, kp->key, NULL, 0);
	if (!ret)
		return 0;
	err = errno;
	klog_read(fd, mo, log);
	if (cfg->sloppy && err == EINVAL && klog_unknown(log, kp->key)) {
		if (cfg->verbose)
			chatter("ignoring option %s, which the kernel does not know (-s)",
				kp->key);
		return 0;
	}
	if (log->nr)
		klog_print(log, true);
	else
		report("option %s: %s", kp->key, strerror(err));
	return errno_status(err);
}

/* The kernel said why, or we say what failed. */
static int failed(int fd, const struct rnfs_mopts *mo, struct klog *log,
		  const char *what)
{
	int err = errno;

	klog_read(fd, mo, log);
	if (log->nr)
		klog_print(log, true);
	else if (err == EINTR)
		report("mounting %s was interrupted", mo->source);
	else
		report("cannot mount %s: %s%s", mo->source, what,
		       strerror(err));
	return errno_status(err);
}

static int mount_new(int fd, const struct rnfs_mopts *mo,
		     const struct rnfs_kmount_cfg *cfg)
{
	/* 8 KiB: not on the stack. */
	static struct klog log;
	size_t i;
	int mfd, ret, err;

	for (i = 0; i < mo->nr_params; i++) {
		ret = set_param(fd, mo, &mo->params[i], cfg, &log);
		if (ret)
			return ret;
	}
	if (fsconfig(fd, FSCONFIG_SET_STRING, "source", mo->source, 0))
		return failed(fd, mo, &log, "source: ");
	ret = enter_namespace(cfg->ns);
	if (!ret)
		ret = check_dir(cfg->dir);
	if (ret)
		return ret;

	if (fsconfig(fd, FSCONFIG_CMD_CREATE, NULL, NULL, 0))
		return failed(fd, mo, &log, "");
	mfd = fsmount(fd, FSMOUNT_CLOEXEC, mo->attr);
	if (mfd < 0)
		return failed(fd, mo, &log, "fsmount: ");
	if (move_mount(mfd, "", AT_FDCWD, cfg->dir, MOVE_MOUNT_F_EMPTY_PATH)) {
		err = errno;
		/* Closing the only reference unmounts the detached tree. */
		close(mfd);
		report("cannot mount %s on %s: %s", mo->source, cfg->dir,
		       strerror(err));
		return errno_status(err);
	}
	close(mfd);
	klog_read(fd, mo, &log);
	klog_print(&log, cfg->verbose);
	return RNFS_EX_OK;
}

static unsigned long attr_to_ms(uint64_t attr)
{
	unsigned long flags = 0;

	if (attr & MOUNT_ATTR_RDONLY)
		flags |= MS_RDONLY;
	if (attr & MOUNT_ATTR_NOSUID)
		flags |= MS_NOSUID;
	if (attr & MOUNT_ATTR_NODEV)
		flags |= MS_NODEV;
	if (attr & MOUNT_ATTR_NOEXEC)
		flags |= MS_NOEXEC;
	if (attr & MOUNT_ATTR_NODIRATIME)
		flags |= MS_NODIRATIME;
	if (attr & MOUNT_ATTR_NOSYMFOLLOW)
		flags |= MS_NOSYMFOLLOW;
	if ((attr & MOUNT_ATTR__ATIME) == MOUNT_ATTR_NOATIME)
		flags |= MS_NOATIME;
	else if ((attr & MOUNT_ATTR__ATIME) == MOUNT_ATTR_STRICTATIME)
		flags |= MS_STRICTATIME;
	else
		flags |= MS_RELATIME;
	return flags;
}

static int mount_legacy(const struct rnfs_mopts *mo,
			const struct rnfs_kmount_cfg *cfg, const char *why)
{
	char *data = malloc(DATA_MAX + 1);
	int ret, err;

	if (!data) {
		report("out of memory");
		return RNFS_EX_SYSERR;
	}
	if (rnfs_mopts_kernel_string(mo, data, DATA_MAX + 1)) {
		report("the options are longer than the kernel takes (%d bytes)",
		       DATA_MAX);
		ret = RNFS_EX_FAIL;
		goto out;
	}
	if (cfg->verbose)
		chatter("using mount(2): %s", why);
	/*
	 * mount(2) hands the kernel all options at once, and fails the
	 * mount on the first it does not know: what was unknown, and so
	 * what -s could drop, only the kernel log tells.
	 */
	if (cfg->sloppy && cfg->verbose)
		chatter("-s skips nothing with mount(2): an option the kernel does not know fails the mount");
	ret = enter_namespace(cfg->ns);
	if (!ret)
		ret = check_dir(cfg->dir);
	if (ret)
		goto out;
	if (!mount(mo->source, cfg->dir, FSTYPE, attr_to_ms(mo->attr), data))
		goto out;
	err = errno;
	if (err == ENODEV)
		no_module();
	else if (err == EINTR)
		report("mounting %s was interrupted", mo->source);
	else
		report("cannot mount %s: %s (the kernel log says why: dmesg)",
		       mo->source, strerror(err));
	ret = errno_status(err);
out:
	free(data);
	return ret;
}

/* Whether something is too long for fsconfig(). */
static bool too_long(const struct rnfs_mopts *mo)
{
	size_t i;

	if (strlen(mo->source) > RNFS_FSCONFIG_MAX)
		return true;
	for (i = 0; i < mo->nr_params; i++)
		if (strlen(mo->params[i].key) > RNFS_FSCONFIG_MAX ||
		    (mo->params[i].value &&
		     strlen(mo->params[i].value) > RNFS_FSCONFIG_MAX))
			return true;
	return false;
}

int rnfs_kmount(const struct rnfs_mopts *mo, const struct rnfs_kmount_cfg *cfg)
{
	int fd, ret, err;

	fd = fsopen(FSTYPE, FSOPEN_CLOEXEC);
	if (fd < 0 && errno == ENODEV) {
		modprobe(cfg->verbose);
		fd = fsopen(FSTYPE, FSOPEN_CLOEXEC);
	}
	if (fd < 0) {
		err = errno;
		switch (err) {
		case ENOSYS:
			/* Whether or not the module is loaded: cheap. */
			modprobe(cfg->verbose);
			return mount_legacy(mo, cfg, "no fsopen() here");
		case ENODEV:
			no_module();
			return RNFS_EX_FAIL;
		case EPERM:
			report("only root can mount rnfs filesystems");
			return RNFS_EX_USAGE;
		default:
			report("cannot mount %s: fsopen: %s", mo->source,
			       strerror(err));
			return errno_status(err);
		}
	}
	if (too_long(mo)) {
		close(fd);
		return mount_legacy(mo, cfg,
				    "a value is too long for fsconfig()");
	}
	ret = mount_new(fd, mo, cfg);
	close(fd);
	return ret;
}
