// SPDX-License-Identifier: GPL-2.0
/*
 * mount.rnfs option handling (see options.h).  The checks of rnfs's own
 * options repeat kmod/super.c with its limits and its words, so that a
 * fake mount (-f) reports what the kernel would; the kernel checks them
 * again anyway.
 */
#include <arpa/inet.h>
#include <ctype.h>
#include <errno.h>
#include <limits.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mount.h>

#include "options.h"
#include "uapi/rnfs.h"


static __attribute__((format(printf, 3, 4)))
int fail(char *err, int status, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(err, RNFS_MOPTS_ERR_LEN, fmt, ap);
	va_end(ap);
	return status;
}

/*
 * Superblock flags.  The kernel takes these names as parameters of any
 * filesystem, so they go to it like the others, but only as what they
 * end up as ("ro,rw" becomes "rw").  "ro" also makes the mount read-only.
 */
struct sb_flag {
	const char *set;
	const char *clear;	/* NULL: no name clears it */
};

static const struct sb_flag sb_flags[] = {
	{ "ro",		"rw" },
	{ "sync",	"async" },
	{ "dirsync",	NULL },
	{ "lazytime",	"nolazytime" },
	{ "mand",	"nomand" },
};
#define NR_SB_FLAGS	(sizeof(sb_flags) / sizeof(sb_flags[0]))
#define SB_RDONLY_INDEX	0

enum { SB_UNSET, SB_SET, SB_CLEAR };

/*
 * Per-mount attributes: the kernel refuses them as parameters, they go to
 * fsmount().  "atime", "norelatime" and "nostrictatime" mean the kernel's
 * default, relatime, as they do for mount(2).
 */
struct attr_opt {
	const char *name;
	uint64_t mask;
	uint64_t value;
};

static const struct attr_opt attr_opts[] = {
	{ "nosuid",	MOUNT_ATTR_NOSUID,	MOUNT_ATTR_NOSUID },
	{ "suid",	MOUNT_ATTR_NOSUID,	0 },
	{ "nodev",	MOUNT_ATTR_NODEV,	MOUNT_ATTR_NODEV },
	{ "dev",	MOUNT_ATTR_NODEV,	0 },
	{ "noexec",	MOUNT_ATTR_NOEXEC,	MOUNT_ATTR_NOEXEC },
	{ "exec",	MOUNT_ATTR_NOEXEC,	0 },
	{ "nosymfollow", MOUNT_ATTR_NOSYMFOLLOW, MOUNT_ATTR_NOSYMFOLLOW },
	{ "symfollow",	MOUNT_ATTR_NOSYMFOLLOW,	0 },
	{ "nodiratime",	MOUNT_ATTR_NODIRATIME,  MOUNT_ATTR_NODIRATIME },
	{ "diratime",	MOUNT_ATTR_NODIRATIME,	0 },
	{ "noatime",	MOUNT_ATTR__ATIME,	MOUNT_ATTR_NOATIME },
	{ "strictatime", MOUNT_ATTR__ATIME,	MOUNT_ATTR_STRICTATIME },
	{ "relatime",	MOUNT_ATTR__ATIME,	MOUNT_ATTR_RELATIME },
	{ "atime",	MOUNT_ATTR__ATIME,	MOUNT_ATTR_RELATIME },
	{ "norelatime",	MOUNT_ATTR__ATIME,	MOUNT_ATTR_RELATIME },
	{ "nostrictatime", MOUNT_ATTR__ATIME,	MOUNT_ATTR_RELATIME },
};

/*
 * Options for mount(8), fstab and systemd, with or without a value: the
 * kernel would refuse them.  Also every "x-" and "X-" option.
 */
static const char *const dropped[] = {
	"defaults", "auto", "noauto", "_netdev", "nofail",
	"user", "nouser", "users", "owner", "noowner", "group", "nogroup",
	"comment", "silent", "loud",
};

static bool is_dropped(const char *key)
{
	size_t i;

	if (!strncmp(key, "x-", 2) || !strncmp(key, "X-", 2))
		return true;
	for (i = 0; i < sizeof(dropped) / sizeof(dropped[0]); i++)
		if (!strcmp(key, dropped[i]))
			return true;
	return false;
}

/*
 * The number syntax of kstrtouint(s, 0), which the kernel's fsparam_u32
 * options use: an optional '+', then decimal, 0x-hex or 0-octal digits,
 * then at most a newline.
 */
static bool parse_u32(const char *s, unsigned int *res)
{
	unsigned long long v = 0;
	unsigned int base = 10, digits = 0;

	if (*s == '+')
		s++;
	if (s[0] == '0') {
		if ((s[1] | 0x20) == 'x' && isxdigit((unsigned char)s[2])) {
			base = 16;
			s += 2;
		} else {
			base = 8;
		}
	}
	for (;; s++, digits++) {
		unsigned int c = (unsigned char)*s, d;

		if (c >= '0' && c <= '9')
			d = c - '0';
		else if ((c | 0x20) >= 'a' && (c | 0x20) <= 'f')
			d = (c | 0x20) - 'a' + 10;
		else
			break;
		if (d >= base)
			break;
		v = v * base + d;
		if (v > UINT_MAX)
			return false;
	}
	if (!digits)
		return false;
	if (*s == '\n')
		s++;
	if (*s)
		return false;
	*res = v;
	return true;
}

/* fs_parse()'s words for a value it cannot use. */
static int bad_value(char *err, const char *key)
{
	return fail(err, RNFS_EX_FAIL, "Bad value for '%s'", key);
}

static int unexpected_value(char *err, const char *key)
{
	return fail(err, RNFS_EX_FAIL, "Unexpected value for '%s'", key);
}

/*
 * rnfs's own options, checked as kmod/super.c checks them.  Returns 0,
 * an exit status, or -ENOENT for an option that is not one of them.
 */
static int check_rnfs_opt(const char *key, const char *value, char *err)
{
	unsigned int n;

	if (!strcmp(key, "soft") || !strcmp(key, "hard"))
		return value ? unexpected_value(err, key) : 0;
	if (!strcmp(key, "replicas") || !strcmp(key, "vers")) {
		if (!value || !*value)
			return bad_value(err, key);
		if (!strcmp(key, "vers") && strcmp(value, "4.1") &&
		    strcmp(value, "4.2"))
			return fail(err, RNFS_EX_FAIL,
				    "vers=%s: only 4.1 and 4.2 are supported",
				    value);
		return 0;
	}
	if (!strcmp(key, "failback")) {
		if (!value ||
		    (strcmp(value, "auto") && strcmp(value, "manual")))
			return bad_value(err, key);
		return 0;
	}
	if (strcmp(key, "timeo") && strcmp(key, "retrans") &&
	    strcmp(key, "failback_delay"))
		return -ENOENT;

	if (!value || !parse_u32(value, &n))
		return bad_value(err, key);
	if (!strcmp(key, "timeo") && (!n || n > RNFS_MAX_TIMEO))
		return fail(err, RNFS_EX_FAIL,
			    "timeo=%u: must be 1 to %u deciseconds",
			    n, RNFS_MAX_TIMEO);
	if (!strcmp(key, "retrans") && (!n || n > RNFS_MAX_RETRANS))
		return fail(err, RNFS_EX_FAIL, "retrans=%u: must be 1 to %u",
			    n, RNFS_MAX_RETRANS);
	if (!strcmp(key, "failback_delay") && n > RNFS_MAX_FAILBACK_DELAY)
		return fail(err, RNFS_EX_FAIL,
			    "failback_delay=%u: at most %u seconds",
			    n, RNFS_MAX_FAILBACK_DELAY);
	return 0;
}

/* What the -o string says, before the replicas are looked at. */
struct parsed {
	int sb[NR_SB_FLAGS];
	const char *replicas;		/* the last replicas= value */
	struct rnfs_kparam *others;	/* for the kernel as they are */
	size_t nr_others;
};

/* One option: @key, and @value or NULL. */
static int take_option(struct rnfs_mopts *mo, struct parsed *p,
		       const char *key, const char *value, char *err)
{
	size_t i;
	int ret;

	if (is_dropped(key))
		return 0;
	if (!strcmp(key, "remount"))
		return fail(err, RNFS_EX_FAIL,
			    "remount is not supported: unmount and mount again (nfs4cl setfsoptions changes timeo, retrans and failback of a mounted rnfs)");
	for (i = 0; i < NR_SB_FLAGS; i++) {
		if (strcmp(key, sb_flags[i].set) &&
		    (!sb_flags[i].clear || strcmp(key, sb_flags[i].clear)))
			continue;
		if (value)
			return unexpected_value(err, key);
		p->sb[i] = strcmp(key, sb_flags[i].set) ? SB_CLEAR : SB_SET;
		return 0;
	}
	for (i = 0; i < sizeof(attr_opts) / sizeof(attr_opts[0]); i++) {
		if (strcmp(key, attr_opts[i].name))
			continue;
		if (value)
			return unexpected_value(err, key);
		mo->attr = (mo->attr & ~attr_opts[i].mask) | attr_opts[i].value;
		return 0;
	}
	ret = check_rnfs_opt(key, value, err);
	if (ret != -ENOENT && ret)
		return ret;
	if (!strcmp(key, "replicas")) {
		/* As in the kernel, the last one counts. */
		p->replicas = value;
		return 0;
	}
	p->others[p->nr_others].key = key;
	p->others[p->nr_others].value = value;
	p->nr_others++;
	return 0;
}

/*
 * SELinux's mount options.  The LSM takes them before the filesystem
 * sees them, with fsconfig() and mount(2) alike (it unquotes the latter
 * itself), and an MLS range such as "s0:c1,c2" needs its comma.
 */
static const char *const lsm_context_opts[] = {
	"context", "fscontext", "defcontext", "rootcontext",
};

static bool is_lsm_context(const char *key)
{
	size_t i;

	for (i = 0; i < sizeof(lsm_context_opts) / sizeof(lsm_context_opts[0]);
	     i++)
		if (!strcmp(key, lsm_context_opts[i]))
			return true;
	return false;
}

/*
 * @value is what the kernel would get for @key, unquoted (@quoted) as
 * mount(8) does.  rnfs.ko keeps the options it hands to the replicas'
 * NFS mounts as one "a=b,c" string, and refuses a ',' or '=' in their
 * values: sec="sys,soft" would slip "soft" in as an option of its own.
 * No value the kernel takes from us has a use for a comma (paths in
 * replicas= neither, see check_paths()), and none but replicas= for a
 * '=', so both are refused here, before any name is looked up, in words
 * that say where.  Options that never reach the kernel, and SELinux's,
 * keep theirs.
 */
static int check_value(const char *key, const char *value, bool quoted,
		       char *err)
{
	const char *q = quoted ? "\"" : "";
	char c;

	if (is_dropped(key) || is_lsm_context(key))
		return 0;
	if (strchr(value, ','))
		c = ',';
	else if (strchr(value, '=') && strcmp(key, "replicas"))
		c = '=';
	else
		return 0;
	return fail(err, RNFS_EX_FAIL, "%s=%s%s%s: no '%c' allowed in a value",
		    key, q, value, q, c);
}

/* Drops one pair of double quotes around a value, as mount(8) does. */
static char *unquote(char *value)
{
	size_t len = strlen(value);

	if (len >= 2 && value[0] == '"' && value[len - 1] == '"') {
		value[len - 1] = '\0';
		return value + 1;
	}
	return value;
}

/*
 * Splits mo->buf (a copy of @options) in place at every comma that is not
 * inside double quotes, as mount(8) does.
 */
static int split_options(struct rnfs_mopts *mo, struct parsed *p,
			 const char *options, char *err)
{
	char *item = mo->buf, *s, *value;
	bool quoted = false;
	int ret;

	if (!*item)
		return 0;
	for (s = item;; s++) {
		bool last = !*s;
		char *eq;

		if (*s == '"')
			quoted = !quoted;
		if (!last && (*s != ',' || quoted))
			continue;
		if (s == item)
			return fail(err, RNFS_EX_FAIL, "empty option in \"%s\"",
				    options);
		eq = memchr(item, '=', s - item);
		if (eq == item)
			return fail(err, RNFS_EX_FAIL,
				    "option \"%.*s\" has no name",
				    (int)(s - item), item);
		*s = '\0';
		value = NULL;
		if (eq) {
			*eq = '\0';
			value = unquote(eq + 1);
			ret = check_value(item, value, value != eq + 1, err);
			if (ret)
				return ret;
		}
		ret = take_option(mo, p, item, value, err);
		if (ret || last)
			return ret;
		item = s + 1;
	}
}

/*
 * With replicas= the source is only a label, but one that reads like an
 * NFS source ("sn1:/install"): mount -a finds the mount by it.
 */
static bool source_looks_right(const char *source)
{
	const char *s;
	bool bracket = false;

	for (s = source; *s; s++) {
		if (*s == '[')
			bracket = true;
		else if (*s == ']')
			bracket = false;
		else if (*s == ':' && !bracket)
			break;
	}
	return *s == ':' && s != source && s[1] == '/';
}

/*
 * The replicas go to the kernel as the value of replicas=, where a comma
 * cannot be told from the next option by mount(2) nor by whoever reads
 * the option back from /proc/self/mountinfo.  A replica given as an
 * option had its comma refused already, with the option; this is for the
 * short form, whose paths come from the source.
 */
static int check_paths(const struct rnfs_mopts *mo, char *err)
{
	char name[RNFS_HOST_LEN + RNFS_PATH_LEN + 4];
	unsigned int i;

	for (i = 0; i < mo->spec.nr; i++) {
		if (!strchr(mo->spec.replica[i].path, ','))
			continue;
		rnfs_mopts_replica_name(mo, i, name, sizeof(name));
		return fail(err, RNFS_EX_FAIL,
			    "replica %u \"%s\": no ',' allowed in a path",
			    i + 1, name);
	}
	return 0;
}

static int get_replicas(struct rnfs_mopts *mo, const struct parsed *p,
			char *err)
{
	char why[RNFS_SPEC_ERR_LEN];

	if (p->replicas) {
		if (rnfs_spec_parse_replicas(&mo->spec, p->replicas, why))
			return fail(err, RNFS_EX_FAIL, "replicas: %s", why);
		if (!source_looks_right(mo->source))
			return fail(err, RNFS_EX_FAIL,
				    "source \"%s\": expected server:/path",
				    mo->source);
		return 0;
	}
	mo->short_form = true;
	if (!rnfs_spec_parse_short(&mo->spec, mo->source, why))
		return 0;
	/* Some of spec.c's messages quote the source already. */
	if (why[0] == '"')
		return fail(err, RNFS_EX_FAIL, "source %s", why);
	return fail(err, RNFS_EX_FAIL, "source \"%s\": %s", mo->source, why);
}

void rnfs_mopts_replica_name(const struct rnfs_mopts *mo, unsigned int i,
			     char *buf, size_t len)
{
	const struct rnfs_spec_replica *r = &mo->spec.replica[i];

	snprintf(buf, len, r->host_is_ipv6 ? "[%s]:%s" : "%s:%s", r->host,
		 r->path);
}

/* A numeric address in its canonical form, or false. */
static bool numeric_address(const char *host, int family, char *addr)
{
	unsigned char bin[sizeof(struct in6_addr)];

	return inet_pton(family, host, bin) == 1 &&
	       inet_ntop(family, bin, addr, RNFS_ADDR_LEN);
}

/*
 * An IPv6 link-local address (fe80::/10) means something only with the
 * interface it is on ("fe80::1%eth0"), and rnfs.ko takes no scope: the
 * mount would reach no server, or the wrong one, and say only that no
 * replica answered.
 */
static bool link_local(const char *addr)
{
	struct in6_addr a;

	return inet_pton(AF_INET6, addr, &a) == 1 &&
	       IN6_IS_ADDR_LINKLOCAL(&a);
}

static int refuse_link_local(unsigned int i, const char *name,
			     const char *addr, bool resolved, char *err)
{
	return fail(err, RNFS_EX_FAIL,
		    "replica %u \"%s\": %s%s%s an IPv6 link-local address: those need an interface, which rnfs cannot take; use a global or unique local address",
		    i + 1, name, resolved ? "resolves to " : "", addr,
		    resolved ? "," : " is");
}

static int resolve_one(struct rnfs_mopts *mo, unsigned int i,
		       rnfs_resolve_fn resolve, char *err)
{
	const struct rnfs_spec_replica *r = &mo->spec.replica[i];
	char name[RNFS_HOST_LEN + RNFS_PATH_LEN + 4];
	char why[256], addr[RNFS_ADDR_LEN];
	unsigned int j;
	int ret;

	for (j = 0; j < i; j++) {
		if (!strcmp(mo->spec.replica[j].host, r->host)) {
			memcpy(mo->addr[i], mo->addr[j], RNFS_ADDR_LEN);
			return 0;
		}
	}
	rnfs_mopts_replica_name(mo, i, name, sizeof(name));
	if (r->host_is_ipv6) {
		if (!numeric_address(r->host, AF_INET6, mo->addr[i]))
			return fail(err, RNFS_EX_FAIL,
				    "replica %u \"%s\": invalid IPv6 address",
				    i + 1, name);
		if (link_local(mo->addr[i]))
			return refuse_link_local(i, name, mo->addr[i], false,
						 err);
		return 0;
	}
	if (numeric_address(r->host, AF_INET, mo->addr[i]))
		return 0;

	why[0] = '\0';
	ret = resolve(r->host, addr, sizeof(addr), why, sizeof(why));
	if (ret)
		return fail(err, ret, "replica %u \"%s\": %s", i + 1, name,
			    why[0] ? why : "cannot resolve the name");
	/* The kernel takes numeric addresses only. */
	if (!numeric_address(addr, AF_INET, mo->addr[i]) &&
	    !numeric_address(addr, AF_INET6, mo->addr[i]))
		return fail(err, RNFS_EX_BUG,
			    "replica %u \"%s\": the resolver gave \"%.*s\", not an address",
			    i + 1, name, (int)sizeof(addr), addr);
	if (link_local(mo->addr[i]))
		return refuse_link_local(i, name, mo->addr[i], true, err);
	return 0;
}

/* Two names for one server and path would be one replica twice. */
static int check_distinct(const struct rnfs_mopts *mo, char *err)
{
	char a[RNFS_HOST_LEN + RNFS_PATH_LEN + 4];
	char b[RNFS_HOST_LEN + RNFS_PATH_LEN + 4];
	unsigned int i, j;

	for (i = 1; i < mo->spec.nr; i++) {
		for (j = 0; j < i; j++) {
			if (strcmp(mo->addr[i], mo->addr[j]) ||
			    strcmp(mo->spec.replica[i].path,
				   mo->spec.replica[j].path))
				continue;
			rnfs_mopts_replica_name(mo, i, a, sizeof(a));
			rnfs_mopts_replica_name(mo, j, b, sizeof(b));
			return fail(err, RNFS_EX_FAIL,
				    "replica %u \"%s\" is the same server as replica %u \"%s\" (both are %s)",
				    i + 1, a, j + 1, b, mo->addr[i]);
		}
	}
	return 0;
}

/*
 * Writes the replicas= value for the kernel into mo->replicas (@len
 * bytes): addresses for names, each replica as path@address, or with
 * @group, replicas that follow one another with the same path joined
 * with '+'.  Returns its length.
 */
static size_t write_replicas(struct rnfs_mopts *mo, size_t len, bool group)
{
	size_t n = 0;
	unsigned int i;

	for (i = 0; i < mo->spec.nr && n < len; i++) {
		const char *path = mo->spec.replica[i].path;
		const char *addr = mo->addr[i];
		const char *fmt = strchr(addr, ':') ? "[%s]" : "%s";

		if (group && i && !strcmp(path, mo->spec.replica[i - 1].path))
			n += snprintf(mo->replicas + n, len - n, "+");
		else
			n += snprintf(mo->replicas + n, len - n, "%s%s@",
				      i ? ":" : "", path);
		if (n < len)
			n += snprintf(mo->replicas + n, len - n, fmt, addr);
	}
	return n;
}

/*
 * The replicas= value: spelt out, as the kernel shows it in mountinfo,
 * unless that is too long for fsconfig(); grouped, it fits more often.
 */
static int build_replicas(struct rnfs_mopts *mo, char *err)
{
	/* Big, but only for the duration of one check. */
	static struct rnfs_spec check;
	char why[RNFS_SPEC_ERR_LEN];
	size_t len = 1, n;
	unsigned int i;

	for (i = 0; i < mo->spec.nr; i++)
		len += strlen(mo->spec.replica[i].path) + RNFS_ADDR_LEN + 4;
	mo->replicas = malloc(len);
	if (!mo->replicas)
		return fail(err, RNFS_EX_SYSERR, "out of memory");
	n = write_replicas(mo, len, false);
	if (n > RNFS_FSCONFIG_MAX && n < len)
		n = write_replicas(mo, len, true);
	/* What the kernel will parse must parse here too. */
	if (n >= len || rnfs_spec_parse_replicas(&check, mo->replicas, why) ||
	    check.nr != mo->spec.nr)
		return fail(err, RNFS_EX_BUG,
			    "internal error: rewrote the replicas as \"%s\", which does not parse",
			    mo->replicas);
	return 0;
}

/* The kernel's parameters: flags, then replicas=, then the rest. */
static void build_params(struct rnfs_mopts *mo, const struct parsed *p)
{
	size_t i;

	for (i = 0; i < NR_SB_FLAGS; i++) {
		if (p->sb[i] == SB_SET)
			mo->params[mo->nr_params++].key = sb_flags[i].set;
		else if (p->sb[i] == SB_CLEAR)
			mo->params[mo->nr_params++].key = sb_flags[i].clear;
	}
	if (p->sb[SB_RDONLY_INDEX] == SB_SET)
		mo->attr |= MOUNT_ATTR_RDONLY;
	mo->params[mo->nr_params].key = "replicas";
	mo->params[mo->nr_params].value = mo->replicas;
	mo->nr_params++;
	for (i = 0; i < p->nr_others; i++)
		mo->params[mo->nr_params++] = p->others[i];
}

int rnfs_mopts_parse(struct rnfs_mopts *mo, const char *source,
		     const char *options, rnfs_resolve_fn resolve, char *err)
{
	struct parsed p = { .replicas = NULL };
	size_t items = 1;
	unsigned int i;
	const char *s;
	int ret;

	memset(mo, 0, sizeof(*mo));
	err[0] = '\0';
	mo->source = source;
	if (!options)
		options = "";
	for (s = options; *s; s++)
		items += *s == ',';
	mo->buf = strdup(options);
	/* Every option but ro/rw & co. could be passed on, plus replicas=. */
	mo->params = calloc(items + NR_SB_FLAGS + 1, sizeof(*mo->params));
	p.others = calloc(items, sizeof(*p.others));
	if (!mo->buf || !mo->params || !p.others) {
		ret = fail(err, RNFS_EX_SYSERR, "out of memory");
		goto out;
	}

	ret = split_options(mo, &p, options, err);
	if (!ret)
		ret = get_replicas(mo, &p, err);
	if (!ret)
		ret = check_paths(mo, err);
	for (i = 0; !ret && i < mo->spec.nr; i++)
		ret = resolve_one(mo, i, resolve, err);
	if (!ret)
		ret = check_distinct(mo, err);
	if (!ret)
		ret = build_replicas(mo, err);
	if (!ret)
		build_params(mo, &p);
out:
	free(p.others);
	return ret;
}

void rnfs_mopts_free(struct rnfs_mopts *mo)
{
	free(mo->buf);
	free(mo->params);
	free(mo->replicas);
	mo->buf = NULL;
	mo->params = NULL;
	mo->replicas = NULL;
	mo->nr_params = 0;
}

/* Appends to @buf at *@n, or returns -ENOSPC. */
static __attribute__((format(printf, 4, 5)))
int append(char *buf, size_t len, size_t *n, const char *fmt, ...)
{
	va_list ap;
	int ret;

	va_start(ap, fmt);
	ret = vsnprintf(buf + *n, len - *n, fmt, ap);
	va_end(ap);
	if (ret < 0 || (size_t)ret >= len - *n)
		return -ENOSPC;
	*n += ret;
	return 0;
}

int rnfs_mopts_kernel_string(const struct rnfs_mopts *mo, char *buf,
			     size_t len)
{
	size_t i, n = 0;
	int ret = 0;

	if (!len)
		return -ENOSPC;
	buf[0] = '\0';
	for (i = 0; !ret && i < mo->nr_params; i++) {
		const struct rnfs_kparam *kp = &mo->params[i];
		const char *sep = i ? "," : "";

		if (!kp->value)
			ret = append(buf, len, &n, "%s%s", sep, kp->key);
		else if (strchr(kp->value, ','))
			ret = append(buf, len, &n, "%s%s=\"%s\"", sep, kp->key,
				     kp->value);
		else
			ret = append(buf, len, &n, "%s%s=%s", sep, kp->key,
				     kp->value);
	}
	return ret;
}

int rnfs_mopts_attr_string(uint64_t attr, char *buf, size_t len)
{
	static const struct {
		uint64_t bit;
		const char *name;
	} bits[] = {
		{ MOUNT_ATTR_NOSUID,		"nosuid" },
		{ MOUNT_ATTR_NODEV,		"nodev" },
		{ MOUNT_ATTR_NOEXEC,		"noexec" },
		{ MOUNT_ATTR_NOSYMFOLLOW,	"nosymfollow" },
		{ MOUNT_ATTR_NODIRATIME,	"nodiratime" },
	};
	const char *atime = "relatime";
	size_t i, n = 0;
	int ret;

	if (!len)
		return -ENOSPC;
	ret = append(buf, len, &n, "%s",
		     attr & MOUNT_ATTR_RDONLY ? "ro" : "rw");
	for (i = 0; !ret && i < sizeof(bits) / sizeof(bits[0]); i++)
		if (attr & bits[i].bit)
			ret = append(buf, len, &n, ",%s", bits[i].name);
	if ((attr & MOUNT_ATTR__ATIME) == MOUNT_ATTR_NOATIME)
		atime = "noatime";
	else if ((attr & MOUNT_ATTR__ATIME) == MOUNT_ATTR_STRICTATIME)
		atime = "strictatime";
	if (!ret)
		ret = append(buf, len, &n, ",%s", atime);
	return ret;
}

/* Characters that continue an address, so that 10.0.0.1 is not 10.0.0.12. */
static bool addr_char(char c)
{
	return isalnum((unsigned char)c) || c == '.' || c == ':';
}

/* Whether an address ends at @s: '.' or ':' before a non-address is fine. */
static bool addr_ends(const char *s)
{
	if (!addr_char(s[0]))
		return true;
	return (s[0] == '.' || s[0] == ':') && !addr_char(s[1]);
}

void rnfs_mopts_name_hosts(const struct rnfs_mopts *mo, const char *msg,
			   char *out, size_t len)
{
	size_t n = 0;
	const char *s;

	if (!len)
		return;
	for (s = msg; *s && n + 1 < len;) {
		const char *name = NULL;
		size_t alen = 0;
		unsigned int i;

		if (s == msg || !addr_char(s[-1])) {
			for (i = 0; i < mo->spec.nr; i++) {
				alen = strlen(mo->addr[i]);
				if (alen && !strncmp(s, mo->addr[i], alen) &&
				    addr_ends(s + alen)) {
					name = mo->spec.replica[i].host;
					break;
				}
			}
		}
		if (!name) {
			out[n++] = *s++;
			continue;
		}
		while (*name && n + 1 < len)
			out[n++] = *name++;
		s += alen;
	}
	out[n] = '\0';
}
