// SPDX-License-Identifier: GPL-2.0
/*
 * Replica list parsing (see spec.h).  Also compiled into the userspace
 * programs and unit tests, against usr/lib/kshim: keep to the kernel
 * headers that the shim provides.
 */
#include <linux/ctype.h>
#include <linux/errno.h>
#include <linux/kernel.h>
#include <linux/string.h>

#include "spec.h"

#define DNS_NAME_MAX	253
#define DNS_LABEL_MAX	63
#define IPV6_TEXT_MAX	45	/* INET6_ADDRSTRLEN - 1 */
#define CTX_LEN		80

/* Error messages name the part of the input they are about. */
struct parse_ctx {
	char what[CTX_LEN];
	char *err;
};

static __printf(2, 3) int parse_error(const struct parse_ctx *ctx, const char *fmt, ...)
{
	va_list ap;
	int n = 0;

	/* The context is shorter than the buffer, so n stays in range. */
	if (ctx->what[0])
		n = snprintf(ctx->err, RNFS_SPEC_ERR_LEN, "%s: ", ctx->what);
	va_start(ap, fmt);
	vsnprintf(ctx->err + n, RNFS_SPEC_ERR_LEN - n, fmt, ap);
	va_end(ap);
	return -EINVAL;
}

static int check_ipv6(const struct parse_ctx *ctx, const char *s, size_t len)
{
	size_t i, colons = 0;

	if (len == 0)
		return parse_error(ctx, "empty IPv6 address in []");
	for (i = 0; i < len; i++) {
		if (s[i] == ':')
			colons++;
		else if (!isxdigit((unsigned char)s[i]) && s[i] != '.')
			break;
	}
	if (i < len || colons < 2 || len > IPV6_TEXT_MAX)
		return parse_error(ctx, "invalid IPv6 address \"%.*s\"",
				   (int)len, s);
	return 0;
}

/* A DNS name or IPv4 address: labels of letters, digits and '-'. */
static int check_name(const struct parse_ctx *ctx, const char *s, size_t len)
{
	size_t i, label = 0;

	if (len > DNS_NAME_MAX)
		return parse_error(ctx, "server name longer than %d characters",
				   DNS_NAME_MAX);
	for (i = 0; i < len; i++) {
		unsigned char c = s[i];

		if (c == '.') {
			if (label == 0 || s[i - 1] == '-')
				goto bad;
			label = 0;
		} else if (isalnum(c) || c == '-') {
			if ((label == 0 && c == '-') || ++label > DNS_LABEL_MAX)
				goto bad;
		} else if (isprint(c)) {
			return parse_error(ctx,
					   "invalid character '%c' in server name",
					   c);
		} else {
			return parse_error(ctx,
					   "invalid character 0x%02x in server name",
					   c);
		}
	}
	/* A trailing dot (a fully qualified name) is fine. */
	if (label > 0 && s[len - 1] == '-')
		goto bad;
	return 0;
bad:
	return parse_error(ctx, "invalid server name \"%.*s\"", (int)len, s);
}

static int copy_host(const struct parse_ctx *ctx, struct rnfs_spec_replica *r,
		     const char *s, size_t len)
{
	int ret;

	if (len == 0)
		return parse_error(ctx, "empty server name");
	if (s[0] == '[') {
		if (s[len - 1] != ']')
			return parse_error(ctx, "unterminated '[' in server");
		ret = check_ipv6(ctx, s + 1, len - 2);
		if (ret)
			return ret;
		memcpy(r->host, s + 1, len - 2);
		r->host[len - 2] = '\0';
		r->host_is_ipv6 = 1;
		return 0;
	}
	ret = check_name(ctx, s, len);
	if (ret)
		return ret;
	memcpy(r->host, s, len);
	r->host[len] = '\0';
	r->host_is_ipv6 = 0;
	return 0;
}

static int check_path(const struct parse_ctx *ctx, const char *s, size_t len)
{
	size_t i;

	if (len == 0)
		return parse_error(ctx, "no path");
	if (s[0] != '/')
		return parse_error(ctx, "path \"%.*s\" is not absolute",
				   (int)len, s);
	if (len >= RNFS_PATH_LEN)
		return parse_error(ctx, "path longer than %d characters",
				   RNFS_PATH_LEN - 1);
	for (i = 0; i < len; i++)
		if (iscntrl((unsigned char)s[i]))
			return parse_error(ctx, "control character in path");
	return 0;
}

/* Append one replica: @host (len @hlen) serving @path (len @plen). */
static int add_replica(const struct parse_ctx *ctx, struct rnfs_spec *spec,
		       const char *host, size_t hlen,
		       const char *path, size_t plen)
{
	struct rnfs_spec_replica *r;
	int ret;

	if (spec->nr == RNFS_MAX_REPLICAS)
		return parse_error(ctx, "more than %d replicas",
				   RNFS_MAX_REPLICAS);
	r = &spec->replica[spec->nr];
	ret = copy_host(ctx, r, host, hlen);
	if (ret)
		return ret;
	memcpy(r->path, path, plen);
	r->path[plen] = '\0';
	spec->nr++;
	return 0;
}

/* Split @s (len @len) at every @sep and add each piece as a host. */
static int add_hosts(const struct parse_ctx *ctx, struct rnfs_spec *spec,
		     const char *s, size_t len, char sep,
		     const char *path, size_t plen)
{
	const char *end = s + len;
	int ret;

	for (;;) {
		const char *next = memchr(s, sep, end - s);
		size_t hlen = next ? (size_t)(next - s) : (size_t)(end - s);

		ret = add_replica(ctx, spec, s, hlen, path, plen);
		if (ret || !next)
			return ret;
		s = next + 1;
	}
}

/* The whole list: enough replicas, none listed twice. */
static int check_list(struct parse_ctx *ctx, const struct rnfs_spec *spec)
{
	unsigned int i, j;

	ctx->what[0] = '\0';
	if (spec->nr < RNFS_MIN_REPLICAS)
		return parse_error(ctx, "at least %d replicas are needed, got %u",
				   RNFS_MIN_REPLICAS, spec->nr);
	for (i = 1; i < spec->nr; i++)
		for (j = 0; j < i; j++)
			if (!strcmp(spec->replica[i].host, spec->replica[j].host) &&
			    !strcmp(spec->replica[i].path, spec->replica[j].path))
				return parse_error(ctx,
						   "replica %u (%s:%s) is the same as replica %u",
						   i + 1, spec->replica[i].host,
						   spec->replica[i].path, j + 1);
	return 0;
}

/* One "path@host[+host]" entry of a replicas= list. */
static int parse_entry(const struct parse_ctx *ctx, struct rnfs_spec *spec,
		       const char *s, size_t len)
{
	const char *at = memchr(s, '@', len);
	size_t plen;
	int ret;

	if (!at)
		return parse_error(ctx, "no server (expected path@server)");
	plen = at - s;
	ret = check_path(ctx, s, plen);
	if (ret)
		return ret;
	if (at + 1 == s + len)
		return parse_error(ctx, "no server after '@'");
	return add_hosts(ctx, spec, at + 1, s + len - at - 1, '+', s, plen);
}

/* Where an entry ends: at ':' or NUL, not counting ':' in "[...]" after '@'. */
static const char *entry_end(const char *s)
{
	bool host = false, bracket = false;

	for (; *s; s++) {
		if (*s == '@')
			host = true;
		else if (host && *s == '[')
			bracket = true;
		else if (*s == ']')
			bracket = false;
		else if (*s == ':' && !bracket)
			break;
	}
	return s;
}

int rnfs_spec_parse_replicas(struct rnfs_spec *spec, const char *text,
			     char *err)
{
	struct parse_ctx ctx = { .err = err };
	unsigned int n = 0;
	int ret;

	spec->nr = 0;
	if (!text[0])
		return parse_error(&ctx, "empty replica list");
	for (;;) {
		const char *end = entry_end(text);
		size_t len = end - text;

		n++;
		snprintf(ctx.what, sizeof(ctx.what), "replica %u \"%.*s\"",
			 spec->nr + 1, (int)(len > 40 ? 40 : len), text);
		if (len == 0) {
			ctx.what[0] = '\0';
			return parse_error(&ctx, "entry %u of the replica list is empty",
					   n);
		}
		ret = parse_entry(&ctx, spec, text, len);
		if (ret)
			return ret;
		if (!*end)
			break;
		text = end + 1;
	}
	return check_list(&ctx, spec);
}

int rnfs_spec_parse_short(struct rnfs_spec *spec, const char *text,
			  char *err)
{
	struct parse_ctx ctx = { .err = err };
	const char *colon = text;
	bool bracket = false;
	int ret;

	spec->nr = 0;
	snprintf(ctx.what, sizeof(ctx.what), "\"%.40s\"", text);
	for (; *colon; colon++) {
		if (*colon == '[')
			bracket = true;
		else if (*colon == ']')
			bracket = false;
		else if (*colon == ':' && !bracket)
			break;
	}
	if (!*colon || colon == text)
		return parse_error(&ctx, "expected server[,server...]:/path");
	ret = check_path(&ctx, colon + 1, strlen(colon + 1));
	if (ret)
		return ret;
	ret = add_hosts(&ctx, spec, text, colon - text, ',',
			colon + 1, strlen(colon + 1));
	if (ret)
		return ret;
	return check_list(&ctx, spec);
}
