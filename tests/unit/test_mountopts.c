// SPDX-License-Identifier: GPL-2.0
/* usr/mount.rnfs/options.c: what mount.rnfs makes of a source and -o. */
#include <string.h>
#include <sys/mount.h>

#include "unit.h"
#include "../../usr/mount.rnfs/options.h"

/* A name service that knows a few hosts and fails in every way. */
static const struct fake_host {
	const char *name;
	const char *addr;	/* NULL: fails with status and why */
	int status;
	const char *why;
} fake_hosts[] = {
	{ "sn1", "10.99.1.2", 0, NULL },
	{ "sn2", "10.99.2.2", 0, NULL },
	{ "sn3.example.org", "fd00::3", 0, NULL },
	{ "sn1-alias", "10.99.1.2", 0, NULL },
	{ "sn1x", "10.99.1.23", 0, NULL },
	{ "slowdns", NULL, RNFS_EX_FAIL, "temporary failure in name resolution" },
	{ "nomem", NULL, RNFS_EX_SYSERR, "out of memory" },
	{ "liar", "sn1.example.org", 0, NULL },
	{ "sn-ll", "fe80::12", 0, NULL },
	{ "sn-ll2", "FEBF::1:2", 0, NULL },
	{ "sn-fec0", "fec0::1", 0, NULL },
};

static unsigned int lookups;

static int fake_resolve(const char *host, char *addr, size_t addrlen,
			char *why, size_t whylen)
{
	size_t i;

	lookups++;
	for (i = 0; i < sizeof(fake_hosts) / sizeof(fake_hosts[0]); i++) {
		const struct fake_host *h = &fake_hosts[i];

		if (strcmp(host, h->name))
			continue;
		if (!h->addr) {
			snprintf(why, whylen, "%s", h->why);
			return h->status;
		}
		snprintf(addr, addrlen, "%s", h->addr);
		return 0;
	}
	snprintf(why, whylen, "host not found");
	return RNFS_EX_FAIL;
}

static struct rnfs_mopts mo;
static char err[RNFS_MOPTS_ERR_LEN];
static char out[4096];

/* Parses, and on success leaves the kernel's option string in out. */
static int parse(const char *source, const char *options)
{
	int ret;

	rnfs_mopts_free(&mo);
	lookups = 0;
	ret = rnfs_mopts_parse(&mo, source, options, fake_resolve, err);
	out[0] = '\0';
	if (!ret)
		CU_ASSERT_EQUAL(rnfs_mopts_kernel_string(&mo, out,
							 sizeof(out)), 0);
	return ret;
}

#define ASSERT_KERNEL(source, options, want) do {			\
	CU_ASSERT_EQUAL_FATAL(parse(source, options), 0);		\
	CU_ASSERT_STRING_EQUAL(out, want);				\
	if (strcmp(out, want))						\
		fprintf(stderr, "    got \"%s\"\n", out);		\
} while (0)

static void replicas_option(void)
{
	ASSERT_KERNEL("sn1:/install",
		      "ro,replicas=/install@sn1:/install@sn2,_netdev",
		      "ro,replicas=/install@10.99.1.2:/install@10.99.2.2");
	CU_ASSERT_STRING_EQUAL(mo.source, "sn1:/install");
	CU_ASSERT_FALSE(mo.short_form);
	CU_ASSERT_EQUAL(mo.spec.nr, 2);
	CU_ASSERT_STRING_EQUAL(mo.spec.replica[1].host, "sn2");
	CU_ASSERT_STRING_EQUAL(mo.addr[1], "10.99.2.2");
	CU_ASSERT_EQUAL(mo.attr, MOUNT_ATTR_RDONLY);
	CU_ASSERT_EQUAL(lookups, 2);
}

static void short_form(void)
{
	ASSERT_KERNEL("sn1,sn2:/install", "ro",
		      "ro,replicas=/install@10.99.1.2:/install@10.99.2.2");
	CU_ASSERT_TRUE(mo.short_form);
	/* The source stays as written: mount -a finds the mount by it. */
	CU_ASSERT_STRING_EQUAL(mo.source, "sn1,sn2:/install");
}

static void no_options(void)
{
	ASSERT_KERNEL("sn1,sn2:/x", NULL, "replicas=/x@10.99.1.2:/x@10.99.2.2");
	ASSERT_KERNEL("sn1,sn2:/x", "", "replicas=/x@10.99.1.2:/x@10.99.2.2");
	CU_ASSERT_EQUAL(mo.attr, 0);
}

static void ipv6(void)
{
	ASSERT_KERNEL("[fd00:0:0::1],sn3.example.org:/x", "ro",
		      "ro,replicas=/x@[fd00::1]:/x@[fd00::3]");
	CU_ASSERT_STRING_EQUAL(mo.addr[0], "fd00::1");
	CU_ASSERT_EQUAL(lookups, 1);
	ASSERT_KERNEL("[fd00::1]:/x",
		      "ro,replicas=/x@[fd00::1]:/x@[::ffff:10.0.0.2]",
		      "ro,replicas=/x@[fd00::1]:/x@[::ffff:10.0.0.2]");
	ASSERT_KERNEL("[fd00::1],[fd00::2]:/", "ro",
		      "ro,replicas=/@[fd00::1]:/@[fd00::2]");
}

static void numeric_hosts(void)
{
	ASSERT_KERNEL("10.0.0.1,10.0.0.2:/x", "ro",
		      "ro,replicas=/x@10.0.0.1:/x@10.0.0.2");
	CU_ASSERT_EQUAL(lookups, 0);
}

static void paths_and_groups(void)
{
	ASSERT_KERNEL("sn1:/a",
		      "replicas=/a@sn1+sn2:/b@sn3.example.org:/a@sn1x",
		      "replicas=/a@10.99.1.2:/a@10.99.2.2:/b@[fd00::3]:/a@10.99.1.23");
	CU_ASSERT_EQUAL(mo.spec.nr, 4);
	/* One host serving two paths is looked up once. */
	ASSERT_KERNEL("sn1:/a", "replicas=/a@sn1:/b@sn1",
		      "replicas=/a@10.99.1.2:/b@10.99.1.2");
	CU_ASSERT_EQUAL(lookups, 1);
}

/* Spelt out as mountinfo shows it, unless too long for fsconfig(). */
static void grouping(void)
{
	char path[200], source[600], want[600];

	memset(path, 'p', sizeof(path));
	path[0] = '/';
	path[100] = '\0';
	snprintf(source, sizeof(source), "sn1,sn2:%s", path);
	snprintf(want, sizeof(want), "replicas=%s@10.99.1.2:%s@10.99.2.2",
		 path, path);
	ASSERT_KERNEL(source, NULL, want);
	CU_ASSERT(strlen(mo.replicas) <= RNFS_FSCONFIG_MAX);

	path[100] = 'p';
	path[130] = '\0';
	snprintf(source, sizeof(source), "sn1,sn2:%s", path);
	snprintf(want, sizeof(want), "replicas=%s@10.99.1.2+10.99.2.2", path);
	ASSERT_KERNEL(source, NULL, want);

	/* Only neighbours with one path share an entry. */
	path[130] = 'p';
	path[199] = '\0';
	snprintf(source, sizeof(source),
		 "replicas=%s@sn1:/b@sn3.example.org:%s@sn2", path, path);
	CU_ASSERT_EQUAL_FATAL(parse("sn1:/b", source), 0);
	CU_ASSERT_EQUAL(strlen(mo.replicas), 2 * strlen(path) + 34);
	CU_ASSERT_PTR_NULL(strchr(mo.replicas, '+'));
}

static void last_replicas_wins(void)
{
	ASSERT_KERNEL("sn1:/a",
		      "replicas=/a@sn1:/a@sn2,ro,replicas=/b@sn2:/b@sn1",
		      "ro,replicas=/b@10.99.2.2:/b@10.99.1.2");
}

static void pass_and_drop(void)
{
	ASSERT_KERNEL("sn1,sn2:/i",
		      "ro,_netdev,nofail,noauto,auto,defaults,user,users,owner,"
		      "group,nouser,comment=x,silent,x-systemd.automount,"
		      "X-mount.mkdir=0755,timeo=5,retrans=2,rsize=65536,"
		      "sec=krb5,noac,soft,hard,failback=auto,failback_delay=60,"
		      "vers=4.1,bogus,bogus2=x",
		      "ro,replicas=/i@10.99.1.2:/i@10.99.2.2,timeo=5,retrans=2,"
		      "rsize=65536,sec=krb5,noac,soft,hard,failback=auto,"
		      "failback_delay=60,vers=4.1,bogus,bogus2=x");
}

static void quoted_values(void)
{
	/* SELinux's MLS ranges need their commas; the LSM unquotes them. */
	ASSERT_KERNEL("sn1,sn2:/i", "context=\"u:r:t:s0:c1,c2\",ro",
		      "ro,replicas=/i@10.99.1.2:/i@10.99.2.2,context=\"u:r:t:s0:c1,c2\"");
	CU_ASSERT_STRING_EQUAL(mo.params[2].value, "u:r:t:s0:c1,c2");
	ASSERT_KERNEL("sn1,sn2:/i", "rootcontext=\"s0:c1,c2\",fscontext=x",
		      "replicas=/i@10.99.1.2:/i@10.99.2.2,rootcontext=\"s0:c1,c2\",fscontext=x");
	/* Quotes without a comma change nothing. */
	ASSERT_KERNEL("sn1,sn2:/i", "sec=\"krb5p\"",
		      "replicas=/i@10.99.1.2:/i@10.99.2.2,sec=krb5p");
	/* Options for mount(8) only never reach the kernel. */
	ASSERT_KERNEL("sn1,sn2:/i", "comment=\"a,b=c\",x-systemd.x=\"1,2\"",
		      "replicas=/i@10.99.1.2:/i@10.99.2.2");
	/* replicas= may have '=' in a path. */
	ASSERT_KERNEL("sn1:/a=b", "replicas=/a=b@sn1:/a=b@sn2",
		      "replicas=/a=b@10.99.1.2:/a=b@10.99.2.2");
}

/* An IPv6 link-local address is not taken from a resolver either. */
static void link_local(void)
{
	/* Site-local (deprecated) is not link-local. */
	ASSERT_KERNEL("sn-fec0,sn2:/x", NULL,
		      "replicas=/x@[fec0::1]:/x@10.99.2.2");
	CU_ASSERT_EQUAL(parse("sn1,sn-ll:/x", NULL), RNFS_EX_FAIL);
	CU_ASSERT_STRING_EQUAL(err, "replica 2 \"sn-ll:/x\": resolves to fe80::12, an IPv6 link-local address: those need an interface, which rnfs cannot take; use a global or unique local address");
	/* The whole of fe80::/10, in canonical form. */
	CU_ASSERT_EQUAL(parse("sn1:/x", "replicas=/x@sn1:/x@sn-ll2"),
			RNFS_EX_FAIL);
	CU_ASSERT_STRING_EQUAL(err, "replica 2 \"sn-ll2:/x\": resolves to febf::1:2, an IPv6 link-local address: those need an interface, which rnfs cannot take; use a global or unique local address");
	CU_ASSERT_EQUAL(parse("[FE80::1],sn2:/x", NULL), RNFS_EX_FAIL);
	CU_ASSERT_STRING_EQUAL(err, "replica 1 \"[FE80::1]:/x\": fe80::1 is an IPv6 link-local address: those need an interface, which rnfs cannot take; use a global or unique local address");
	rnfs_mopts_free(&mo);
}

/* The kernel's number syntax, kstrtouint(s, 0). */
static void numbers(void)
{
	static const char *const good[] = {
		"timeo=1", "timeo=6000", "timeo=0x10", "timeo=0X1f",
		"timeo=010", "timeo=+5", "retrans=100", "retrans=1",
		"failback_delay=0", "failback_delay=86400", "failback=manual",
		"vers=4.2",
	};
	size_t i;

	for (i = 0; i < sizeof(good) / sizeof(good[0]); i++) {
		CU_ASSERT_EQUAL(parse("sn1,sn2:/x", good[i]), 0);
		if (err[0])
			fprintf(stderr, "    %s: %s\n", good[i], err);
	}
}

static void flags(void)
{
	ASSERT_KERNEL("sn1,sn2:/x", "rw,nosuid,nodev,noexec,noatime,"
		      "nodiratime,sync,dirsync,lazytime",
		      "rw,sync,dirsync,lazytime,replicas=/x@10.99.1.2:/x@10.99.2.2");
	CU_ASSERT_EQUAL(mo.attr, MOUNT_ATTR_NOSUID | MOUNT_ATTR_NODEV |
			MOUNT_ATTR_NOEXEC | MOUNT_ATTR_NOATIME |
			MOUNT_ATTR_NODIRATIME);

	/* The last word counts, as with mount(8). */
	ASSERT_KERNEL("sn1,sn2:/x",
		      "ro,rw,sync,async,noatime,relatime,nosuid,suid",
		      "rw,async,replicas=/x@10.99.1.2:/x@10.99.2.2");
	CU_ASSERT_EQUAL(mo.attr, 0);
	ASSERT_KERNEL("sn1,sn2:/x", "rw,ro,strictatime,noexec,exec,nosymfollow",
		      "ro,replicas=/x@10.99.1.2:/x@10.99.2.2");
	CU_ASSERT_EQUAL(mo.attr, MOUNT_ATTR_RDONLY | MOUNT_ATTR_STRICTATIME |
			MOUNT_ATTR_NOSYMFOLLOW);
	ASSERT_KERNEL("sn1,sn2:/x", "noatime,atime",
		      "replicas=/x@10.99.1.2:/x@10.99.2.2");
	CU_ASSERT_EQUAL(mo.attr, MOUNT_ATTR_RELATIME);
}

static void attr_string(void)
{
	char buf[128];

	CU_ASSERT_EQUAL(rnfs_mopts_attr_string(0, buf, sizeof(buf)), 0);
	CU_ASSERT_STRING_EQUAL(buf, "rw,relatime");
	CU_ASSERT_EQUAL(rnfs_mopts_attr_string(MOUNT_ATTR_RDONLY |
		MOUNT_ATTR_NOSUID | MOUNT_ATTR_NODEV | MOUNT_ATTR_NOEXEC |
		MOUNT_ATTR_NOATIME | MOUNT_ATTR_NODIRATIME, buf, sizeof(buf)),
		0);
	CU_ASSERT_STRING_EQUAL(buf, "ro,nosuid,nodev,noexec,nodiratime,noatime");
	CU_ASSERT_EQUAL(rnfs_mopts_attr_string(MOUNT_ATTR_STRICTATIME, buf,
					       sizeof(buf)), 0);
	CU_ASSERT_STRING_EQUAL(buf, "rw,strictatime");
	CU_ASSERT_EQUAL(rnfs_mopts_attr_string(0, buf, 5), -ENOSPC);
}

static void kernel_string_space(void)
{
	CU_ASSERT_EQUAL_FATAL(parse("sn1,sn2:/x", "ro"), 0);
	CU_ASSERT_EQUAL(rnfs_mopts_kernel_string(&mo, out, 10), -ENOSPC);
	CU_ASSERT_EQUAL(rnfs_mopts_kernel_string(&mo, out, 0), -ENOSPC);
}

static void replica_names(void)
{
	char buf[64];

	CU_ASSERT_EQUAL_FATAL(parse("[fd00::1],sn2:/x", "ro"), 0);
	rnfs_mopts_replica_name(&mo, 0, buf, sizeof(buf));
	CU_ASSERT_STRING_EQUAL(buf, "[fd00::1]:/x");
	rnfs_mopts_replica_name(&mo, 1, buf, sizeof(buf));
	CU_ASSERT_STRING_EQUAL(buf, "sn2:/x");
}

struct named {
	const char *kernel;
	const char *user;
};

static void kernel_messages(void)
{
	static const struct named cases[] = {
		{ "no replica answered: 10.99.1.2 (connection refused), 10.99.2.2 (timed out)",
		  "no replica answered: sn1 (connection refused), sn2 (timed out)" },
		{ "no replica answered: 10.99.1.23 (error -2), fd00::3 (timed out)",
		  "no replica answered: sn1x (error -2), sn3.example.org (timed out)" },
		{ "replica 1 \"10.99.1.2\": not an IP address.",
		  "replica 1 \"sn1\": not an IP address." },
		{ "at 10.99.1.2:/install and 10.99.2.2.",
		  "at sn1:/install and sn2." },
		{ "110.99.1.2 10.99.1.2.5 10.99.2.22 fd00::31 a10.99.1.2",
		  "110.99.1.2 10.99.1.2.5 10.99.2.22 fd00::31 a10.99.1.2" },
		{ "", "" },
	};
	char buf[256];
	size_t i;

	CU_ASSERT_EQUAL_FATAL(parse("sn1:/install",
		"ro,replicas=/install@sn1+sn2+sn3.example.org+sn1x"), 0);
	for (i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		rnfs_mopts_name_hosts(&mo, cases[i].kernel, buf, sizeof(buf));
		CU_ASSERT_STRING_EQUAL(buf, cases[i].user);
		if (strcmp(buf, cases[i].user))
			fprintf(stderr, "    case %zu: got \"%s\"\n", i, buf);
	}
	/* A short buffer truncates, still terminated. */
	rnfs_mopts_name_hosts(&mo, cases[0].kernel, buf, 25);
	CU_ASSERT_STRING_EQUAL(buf, "no replica answered: sn1");
	rnfs_mopts_name_hosts(&mo, cases[0].kernel, buf, 24);
	CU_ASSERT_STRING_EQUAL(buf, "no replica answered: sn");
}

struct bad_case {
	const char *source;
	const char *options;
	int status;
	const char *message;
};

static const struct bad_case bad_cases[] = {
	/* The replica list, as spec.c says it. */
	{ "sn1:/i", "replicas=", RNFS_EX_FAIL, "Bad value for 'replicas'" },
	{ "sn1:/i", "replicas", RNFS_EX_FAIL, "Bad value for 'replicas'" },
	{ "sn1:/i", "replicas=/i@sn1", RNFS_EX_FAIL,
	  "replicas: at least 2 replicas are needed, got 1" },
	{ "sn1:/i", "replicas=/i@sn1:/i@", RNFS_EX_FAIL,
	  "replicas: replica 2 \"/i@\": no server after '@'" },
	{ "sn1:/i", "replicas=i@sn1:/i@sn2", RNFS_EX_FAIL,
	  "replicas: replica 1 \"i@sn1\": path \"i\" is not absolute" },
	{ "sn1:/i", "replicas=/x@a+b+c+d+e:/x@f+g+h+i", RNFS_EX_FAIL,
	  "replicas: replica 6 \"/x@f+g+h+i\": more than 8 replicas" },
	{ "sn1:/i", "replicas=/x@sn_1:/x@sn2", RNFS_EX_FAIL,
	  "replicas: replica 1 \"/x@sn_1\": invalid character '_' in server name" },
	{ "sn1:/i", "replicas=/x@sn1:/x@sn1", RNFS_EX_FAIL,
	  "replicas: replica 2 (sn1:/x) is the same as replica 1" },
	/* The source. */
	{ "sn1:/install", "ro", RNFS_EX_FAIL,
	  "source \"sn1:/install\": at least 2 replicas are needed, got 1" },
	{ "sn1,sn2", "ro", RNFS_EX_FAIL,
	  "source \"sn1,sn2\": expected server[,server...]:/path" },
	{ "sn1,sn2:install", "ro", RNFS_EX_FAIL,
	  "source \"sn1,sn2:install\": path \"install\" is not absolute" },
	{ "sn1,,sn2:/x", NULL, RNFS_EX_FAIL,
	  "source \"sn1,,sn2:/x\": empty server name" },
	{ "sn1,sn2,sn3,sn4,sn5,sn6,sn7,sn8,sn9:/x", NULL, RNFS_EX_FAIL,
	  "source \"sn1,sn2,sn3,sn4,sn5,sn6,sn7,sn8,sn9:/x\": more than 8 replicas" },
	{ "sn1", "replicas=/i@sn1:/i@sn2", RNFS_EX_FAIL,
	  "source \"sn1\": expected server:/path" },
	{ "sn1:install", "replicas=/i@sn1:/i@sn2", RNFS_EX_FAIL,
	  "source \"sn1:install\": expected server:/path" },
	{ ":/install", "replicas=/i@sn1:/i@sn2", RNFS_EX_FAIL,
	  "source \":/install\": expected server:/path" },
	{ "", NULL, RNFS_EX_FAIL,
	  "source \"\": expected server[,server...]:/path" },
	/* Names and addresses. */
	{ "sn1:/install", "replicas=/install@sn1:/install@sn9", RNFS_EX_FAIL,
	  "replica 2 \"sn9:/install\": host not found" },
	{ "slowdns,sn2:/x", NULL, RNFS_EX_FAIL,
	  "replica 1 \"slowdns:/x\": temporary failure in name resolution" },
	{ "sn1,nomem:/x", NULL, RNFS_EX_SYSERR,
	  "replica 2 \"nomem:/x\": out of memory" },
	{ "sn1,liar:/x", NULL, RNFS_EX_BUG,
	  "replica 2 \"liar:/x\": the resolver gave \"sn1.example.org\", not an address" },
	{ "[fd00::1::2],sn2:/x", NULL, RNFS_EX_FAIL,
	  "replica 1 \"[fd00::1::2]:/x\": invalid IPv6 address" },
	{ "sn1,sn1-alias:/install", NULL, RNFS_EX_FAIL,
	  "replica 2 \"sn1-alias:/install\" is the same server as replica 1 \"sn1:/install\" (both are 10.99.1.2)" },
	{ "[fe80::1],sn2:/x", NULL, RNFS_EX_FAIL,
	  "replica 1 \"[fe80::1]:/x\": fe80::1 is an IPv6 link-local address: those need an interface, which rnfs cannot take; use a global or unique local address" },
	/* Commas and '=' in values: they would be options of their own. */
	{ "sn1,sn2:/x", "ro,sec=\"sys,soft\"", RNFS_EX_FAIL,
	  "sec=\"sys,soft\": no ',' allowed in a value" },
	{ "sn1,sn2:/x", "sec=sys\",\"soft", RNFS_EX_FAIL,
	  "sec=sys\",\"soft: no ',' allowed in a value" },
	{ "sn1,sn2:/x", "lookupcache=\"none,noac\"", RNFS_EX_FAIL,
	  "lookupcache=\"none,noac\": no ',' allowed in a value" },
	{ "sn1,sn2:/x", "bogus=\",\"", RNFS_EX_FAIL,
	  "bogus=\",\": no ',' allowed in a value" },
	{ "sn1,sn2:/x", "sec=krb5=x", RNFS_EX_FAIL,
	  "sec=krb5=x: no '=' allowed in a value" },
	{ "sn1,sn2:/x", "sec=\"sys,port=1\"", RNFS_EX_FAIL,
	  "sec=\"sys,port=1\": no ',' allowed in a value" },
	{ "sn1:/x", "replicas=\"/x@sn1:/a,b@sn2\"", RNFS_EX_FAIL,
	  "replicas=\"/x@sn1:/a,b@sn2\": no ',' allowed in a value" },
	{ "sn1,sn2:/a,b", "ro", RNFS_EX_FAIL,
	  "replica 1 \"sn1:/a,b\": no ',' allowed in a path" },
	/* Checked before any name is looked up. */
	{ "sn9,sn2:/x", "sec=\"a,b\"", RNFS_EX_FAIL,
	  "sec=\"a,b\": no ',' allowed in a value" },
	/* rnfs's options, in kmod/super.c's words. */
	{ "sn1,sn2:/x", "timeo=0", RNFS_EX_FAIL,
	  "timeo=0: must be 1 to 6000 deciseconds" },
	{ "sn1,sn2:/x", "timeo=6001", RNFS_EX_FAIL,
	  "timeo=6001: must be 1 to 6000 deciseconds" },
	{ "sn1,sn2:/x", "timeo=0x0", RNFS_EX_FAIL,
	  "timeo=0: must be 1 to 6000 deciseconds" },
	{ "sn1,sn2:/x", "timeo=abc", RNFS_EX_FAIL, "Bad value for 'timeo'" },
	{ "sn1,sn2:/x", "timeo=", RNFS_EX_FAIL, "Bad value for 'timeo'" },
	{ "sn1,sn2:/x", "timeo", RNFS_EX_FAIL, "Bad value for 'timeo'" },
	{ "sn1,sn2:/x", "timeo=-1", RNFS_EX_FAIL, "Bad value for 'timeo'" },
	{ "sn1,sn2:/x", "timeo=08", RNFS_EX_FAIL, "Bad value for 'timeo'" },
	{ "sn1,sn2:/x", "timeo=0x", RNFS_EX_FAIL, "Bad value for 'timeo'" },
	{ "sn1,sn2:/x", "timeo=5s", RNFS_EX_FAIL, "Bad value for 'timeo'" },
	{ "sn1,sn2:/x", "timeo=4294967296", RNFS_EX_FAIL,
	  "Bad value for 'timeo'" },
	{ "sn1,sn2:/x", "retrans=0", RNFS_EX_FAIL, "retrans=0: must be 1 to 100" },
	{ "sn1,sn2:/x", "retrans=101", RNFS_EX_FAIL,
	  "retrans=101: must be 1 to 100" },
	{ "sn1,sn2:/x", "failback=sometimes", RNFS_EX_FAIL,
	  "Bad value for 'failback'" },
	{ "sn1,sn2:/x", "failback", RNFS_EX_FAIL, "Bad value for 'failback'" },
	{ "sn1,sn2:/x", "failback=Auto", RNFS_EX_FAIL,
	  "Bad value for 'failback'" },
	{ "sn1,sn2:/x", "failback_delay=86401", RNFS_EX_FAIL,
	  "failback_delay=86401: at most 86400 seconds" },
	{ "sn1,sn2:/x", "failback_delay=1e3", RNFS_EX_FAIL,
	  "Bad value for 'failback_delay'" },
	{ "sn1,sn2:/x", "vers=4.0", RNFS_EX_FAIL,
	  "vers=4.0: only 4.1 and 4.2 are supported" },
	{ "sn1,sn2:/x", "vers=3", RNFS_EX_FAIL,
	  "vers=3: only 4.1 and 4.2 are supported" },
	{ "sn1,sn2:/x", "vers=", RNFS_EX_FAIL, "Bad value for 'vers'" },
	{ "sn1,sn2:/x", "soft=1", RNFS_EX_FAIL, "Unexpected value for 'soft'" },
	{ "sn1,sn2:/x", "hard=", RNFS_EX_FAIL, "Unexpected value for 'hard'" },
	/* Generic options and the option string itself. */
	{ "sn1,sn2:/x", "ro=1", RNFS_EX_FAIL, "Unexpected value for 'ro'" },
	{ "sn1,sn2:/x", "nosuid=yes", RNFS_EX_FAIL,
	  "Unexpected value for 'nosuid'" },
	{ "sn1,sn2:/x", "ro,,timeo=1", RNFS_EX_FAIL,
	  "empty option in \"ro,,timeo=1\"" },
	{ "sn1,sn2:/x", ",ro", RNFS_EX_FAIL, "empty option in \",ro\"" },
	{ "sn1,sn2:/x", "ro,", RNFS_EX_FAIL, "empty option in \"ro,\"" },
	{ "sn1,sn2:/x", ",", RNFS_EX_FAIL, "empty option in \",\"" },
	{ "sn1,sn2:/x", "ro,=5", RNFS_EX_FAIL, "option \"=5\" has no name" },
	{ "sn1,sn2:/x", "remount,ro", RNFS_EX_FAIL,
	  "remount is not supported: unmount and mount again (nfs4cl setfsoptions changes timeo, retrans and failback of a mounted rnfs)" },
	/* Options are checked before any name is looked up. */
	{ "sn9,sn2:/x", "timeo=0", RNFS_EX_FAIL,
	  "timeo=0: must be 1 to 6000 deciseconds" },
};

static void invalid_invocations(void)
{
	size_t i;
	int ret;

	for (i = 0; i < sizeof(bad_cases) / sizeof(bad_cases[0]); i++) {
		const struct bad_case *c = &bad_cases[i];

		ret = parse(c->source, c->options);
		CU_ASSERT_EQUAL(ret, c->status);
		CU_ASSERT_STRING_EQUAL(err, c->message);
		if (ret != c->status || strcmp(err, c->message))
			fprintf(stderr,
				"    case %zu \"%s\" -o \"%s\": got %d \"%s\"\n",
				i, c->source,
				c->options ? c->options : "(none)", ret, err);
	}
	rnfs_mopts_free(&mo);
}

/* Long paths: messages stay whole, values may exceed fsconfig()'s 255. */
static void long_paths(void)
{
	char path[RNFS_PATH_LEN], source[RNFS_PATH_LEN + 16];
	char options[2 * RNFS_PATH_LEN + 64];

	path[0] = '/';
	memset(path + 1, 'p', sizeof(path) - 2);
	path[sizeof(path) - 1] = '\0';
	snprintf(source, sizeof(source), "sn1,sn9:%s", path);
	CU_ASSERT_EQUAL(parse(source, NULL), RNFS_EX_FAIL);
	CU_ASSERT_EQUAL(strlen(err),
			strlen("replica 2 \"sn9:\": host not found") +
			strlen(path));

	snprintf(options, sizeof(options), "replicas=%s@sn1:%s@[fd00::1]",
		 path, path);
	CU_ASSERT_EQUAL_FATAL(parse("sn1:/p", options), 0);
	/* "<path>@10.99.1.2+[fd00::1]": one path for both. */
	CU_ASSERT_EQUAL(strlen(mo.params[0].value), strlen(path) + 20);
	rnfs_mopts_free(&mo);
}

static const struct unit_test tests[] = {
	{ "replicas_option", replicas_option },
	{ "short_form", short_form },
	{ "no_options", no_options },
	{ "ipv6", ipv6 },
	{ "numeric_hosts", numeric_hosts },
	{ "paths_and_groups", paths_and_groups },
	{ "grouping", grouping },
	{ "last_replicas_wins", last_replicas_wins },
	{ "pass_and_drop", pass_and_drop },
	{ "quoted_values", quoted_values },
	{ "link_local", link_local },
	{ "numbers", numbers },
	{ "flags", flags },
	{ "attr_string", attr_string },
	{ "kernel_string_space", kernel_string_space },
	{ "replica_names", replica_names },
	{ "kernel_messages", kernel_messages },
	{ "invalid_invocations", invalid_invocations },
	{ "long_paths", long_paths },
	{ NULL, NULL },
};

const struct unit_suite mountopts_suite = { "mountopts", tests };
