// SPDX-License-Identifier: GPL-2.0
/* kmod/spec.c: the replicas= and short-form parsers. */
#include <errno.h>
#include <string.h>

#include "unit.h"
#include "spec.h"

static struct rnfs_spec spec;
static char err[RNFS_SPEC_ERR_LEN];

#define ASSERT_REPLICA(i, h, p) do {					\
	CU_ASSERT_STRING_EQUAL(spec.replica[i].host, h);		\
	CU_ASSERT_STRING_EQUAL(spec.replica[i].path, p);		\
} while (0)

static void replicas_two_paths(void)
{
	CU_ASSERT_EQUAL_FATAL(rnfs_spec_parse_replicas(&spec,
		"/install@sn1:/install@sn2", err), 0);
	CU_ASSERT_EQUAL(spec.nr, 2);
	ASSERT_REPLICA(0, "sn1", "/install");
	ASSERT_REPLICA(1, "sn2", "/install");
}

static void replicas_plus_hosts(void)
{
	CU_ASSERT_EQUAL_FATAL(rnfs_spec_parse_replicas(&spec,
		"/a@h1+h2+10.0.0.3:/b/c@h4", err), 0);
	CU_ASSERT_EQUAL(spec.nr, 4);
	ASSERT_REPLICA(0, "h1", "/a");
	ASSERT_REPLICA(1, "h2", "/a");
	ASSERT_REPLICA(2, "10.0.0.3", "/a");
	ASSERT_REPLICA(3, "h4", "/b/c");
}

static void replicas_ipv6(void)
{
	CU_ASSERT_EQUAL_FATAL(rnfs_spec_parse_replicas(&spec,
		"/x@[fd00::1]:/x@[::ffff:10.0.0.2]+sn2.example.org.", err), 0);
	CU_ASSERT_EQUAL(spec.nr, 3);
	ASSERT_REPLICA(0, "fd00::1", "/x");
	CU_ASSERT_TRUE(spec.replica[0].host_is_ipv6);
	ASSERT_REPLICA(1, "::ffff:10.0.0.2", "/x");
	ASSERT_REPLICA(2, "sn2.example.org.", "/x");
	CU_ASSERT_FALSE(spec.replica[2].host_is_ipv6);
}

static void replicas_eight(void)
{
	CU_ASSERT_EQUAL_FATAL(rnfs_spec_parse_replicas(&spec,
		"/p@a+b+c+d:/p@e+f+g+h", err), 0);
	CU_ASSERT_EQUAL(spec.nr, 8);
	ASSERT_REPLICA(7, "h", "/p");
}

static void replicas_same_host_other_path(void)
{
	CU_ASSERT_EQUAL(rnfs_spec_parse_replicas(&spec,
		"/a@sn1:/b@sn1", err), 0);
	CU_ASSERT_EQUAL(spec.nr, 2);
}

static void short_form(void)
{
	CU_ASSERT_EQUAL_FATAL(rnfs_spec_parse_short(&spec,
		"sn1,sn2:/install", err), 0);
	CU_ASSERT_EQUAL(spec.nr, 2);
	ASSERT_REPLICA(0, "sn1", "/install");
	ASSERT_REPLICA(1, "sn2", "/install");
}

static void short_form_ipv6(void)
{
	CU_ASSERT_EQUAL_FATAL(rnfs_spec_parse_short(&spec,
		"[fd00::1],[fd00::2]:/", err), 0);
	ASSERT_REPLICA(0, "fd00::1", "/");
	ASSERT_REPLICA(1, "fd00::2", "/");
}

struct bad_case {
	int short_form;
	const char *text;
	const char *message;
};

static const struct bad_case bad_cases[] = {
	{ 0, "", "empty replica list" },
	{ 0, "/install@sn1", "at least 2 replicas are needed, got 1" },
	{ 0, "/install", "replica 1 \"/install\": no server (expected path@server)" },
	{ 0, "@sn1:/x@sn2", "replica 1 \"@sn1\": no path" },
	{ 0, "install@sn1:/x@sn2", "replica 1 \"install@sn1\": path \"install\" is not absolute" },
	{ 0, "/install@:/x@sn2", "replica 1 \"/install@\": no server after '@'" },
	{ 0, "/x@sn1+:/x@sn2", "replica 1 \"/x@sn1+\": empty server name" },
	{ 0, "/x@+sn1:/x@sn2", "replica 1 \"/x@+sn1\": empty server name" },
	{ 0, "/x@sn1::/x@sn2", "entry 2 of the replica list is empty" },
	{ 0, "/x@sn1:/x@sn2:", "entry 3 of the replica list is empty" },
	{ 0, "/x@sn1:/x@sn1", "replica 2 (sn1:/x) is the same as replica 1" },
	{ 0, "/x@a+b+c+d+e:/x@f+g+h+i", "replica 6 \"/x@f+g+h+i\": more than 8 replicas" },
	{ 0, "/x@[fd00::1:/x@sn2", "replica 1 \"/x@[fd00::1:/x@sn2\": unterminated '[' in server" },
	{ 0, "/x@[]:/x@sn2", "replica 1 \"/x@[]\": empty IPv6 address in []" },
	{ 0, "/x@[fz00::1]:/x@sn2", "replica 1 \"/x@[fz00::1]\": invalid IPv6 address \"fz00::1\"" },
	{ 0, "/x@[10.0.0.1]:/x@sn2", "replica 1 \"/x@[10.0.0.1]\": invalid IPv6 address \"10.0.0.1\"" },
	{ 0, "/x@sn_1:/x@sn2", "replica 1 \"/x@sn_1\": invalid character '_' in server name" },
	{ 0, "/x@sn\t1:/x@sn2", "replica 1 \"/x@sn\t1\": invalid character 0x09 in server name" },
	{ 0, "/x@sn1..org:/x@sn2", "replica 1 \"/x@sn1..org\": invalid server name \"sn1..org\"" },
	{ 0, "/x@-sn1:/x@sn2", "replica 1 \"/x@-sn1\": invalid server name \"-sn1\"" },
	{ 0, "/x@sn1-:/x@sn2", "replica 1 \"/x@sn1-\": invalid server name \"sn1-\"" },
	{ 0, "/x@sn1@sn2:/x@sn3", "replica 1 \"/x@sn1@sn2\": invalid character '@' in server name" },
	{ 0, "/x\x01y@sn1:/x@sn2", "replica 1 \"/x\x01y@sn1\": control character in path" },
	{ 1, "sn1,sn2", "\"sn1,sn2\": expected server[,server...]:/path" },
	{ 1, ":/install", "\":/install\": expected server[,server...]:/path" },
	{ 1, "sn1,,sn2:/x", "\"sn1,,sn2:/x\": empty server name" },
	{ 1, "sn1,sn2:install", "\"sn1,sn2:install\": path \"install\" is not absolute" },
	{ 1, "sn1:/x", "at least 2 replicas are needed, got 1" },
	{ 1, "sn1,sn1:/x", "replica 2 (sn1:/x) is the same as replica 1" },
	{ 1, "fd00::1,sn2:/x", "\"fd00::1,sn2:/x\": path \":1,sn2:/x\" is not absolute" },
};

static void invalid_forms(void)
{
	unsigned int i;
	int ret;

	for (i = 0; i < sizeof(bad_cases) / sizeof(bad_cases[0]); i++) {
		const struct bad_case *c = &bad_cases[i];

		memset(err, 0, sizeof(err));
		if (c->short_form)
			ret = rnfs_spec_parse_short(&spec, c->text, err);
		else
			ret = rnfs_spec_parse_replicas(&spec, c->text, err);
		CU_ASSERT_EQUAL(ret, -EINVAL);
		CU_ASSERT_STRING_EQUAL(err, c->message);
		if (ret != -EINVAL || strcmp(err, c->message))
			fprintf(stderr, "    case %u \"%s\": got %d \"%s\"\n",
				i, c->text, ret, err);
	}
}

static void long_names(void)
{
	char text[2 * RNFS_PATH_LEN + 600];
	char host[300];

	memset(host, 'a', sizeof(host));
	host[60] = '.';		/* labels of at most 63 characters */
	host[120] = '.';
	host[180] = '.';
	host[240] = '.';
	host[254] = '\0';
	snprintf(text, sizeof(text), "/x@%s:/x@sn2", host);
	CU_ASSERT_EQUAL(rnfs_spec_parse_replicas(&spec, text, err), -EINVAL);
	CU_ASSERT_PTR_NOT_NULL(strstr(err, "server name longer than 253 characters"));

	host[253] = '\0';
	snprintf(text, sizeof(text), "/x@%s:/x@sn2", host);
	CU_ASSERT_EQUAL(rnfs_spec_parse_replicas(&spec, text, err), 0);

	host[0] = 'b';
	memset(host + 1, 'a', 64);
	host[65] = '\0';
	snprintf(text, sizeof(text), "/x@%s:/x@sn2", host);
	CU_ASSERT_EQUAL(rnfs_spec_parse_replicas(&spec, text, err), -EINVAL);
	CU_ASSERT_PTR_NOT_NULL(strstr(err, "invalid server name"));

	text[0] = '/';
	memset(text + 1, 'p', RNFS_PATH_LEN - 1);
	snprintf(text + RNFS_PATH_LEN, sizeof(text) - RNFS_PATH_LEN, "@a:/x@b");
	CU_ASSERT_EQUAL(rnfs_spec_parse_replicas(&spec, text, err), -EINVAL);
	CU_ASSERT_PTR_NOT_NULL(strstr(err, "path longer than 1023 characters"));

	snprintf(text + RNFS_PATH_LEN - 1, sizeof(text) - RNFS_PATH_LEN + 1,
		 "@a:/x@b");
	CU_ASSERT_EQUAL(rnfs_spec_parse_replicas(&spec, text, err), 0);
	CU_ASSERT_EQUAL(strlen(spec.replica[0].path), RNFS_PATH_LEN - 1);
}

static const struct unit_test tests[] = {
	{ "replicas_two_paths", replicas_two_paths },
	{ "replicas_plus_hosts", replicas_plus_hosts },
	{ "replicas_ipv6", replicas_ipv6 },
	{ "replicas_eight", replicas_eight },
	{ "replicas_same_host_other_path", replicas_same_host_other_path },
	{ "short_form", short_form },
	{ "short_form_ipv6", short_form_ipv6 },
	{ "invalid_forms", invalid_forms },
	{ "long_names", long_names },
	{ NULL, NULL },
};

const struct unit_suite spec_suite = { "spec", tests };
