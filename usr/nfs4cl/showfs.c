// SPDX-License-Identifier: GPL-2.0
/*
 * nfs4cl's output formats (see showfs.h and nfs4cl(8)).  The showfs
 * layout copies AIX's byte for byte where AIX has an equivalent, because
 * cluster scripts (xdsh ... | xcoll) compare it across nodes.
 *
 * Every string that reaches the output comes from the kernel or from
 * mountinfo and may hold any byte but NUL: escape.c writes them.
 */
#include <inttypes.h>
#include <stdbool.h>
#include <string.h>

#include "escape.h"
#include "showfs.h"

/* AIX's column widths: Server, Remote Path, fsid, then Local Path. */
#define COL_SERVER	12
#define COL_REMOTE	21
#define COL_FSID	21
#define INDENT		"        "

static const struct rnfsnl_replica *replica(const struct rnfsnl_mount *m,
					    int index)
{
	unsigned int i;

	for (i = 0; i < m->nr && i < RNFS_MAX_REPLICAS; i++)
		if ((int)m->replica[i].index == index)
			return &m->replica[i];
	return NULL;
}

static const struct rnfsnl_replica *primary(const struct rnfsnl_mount *m)
{
	return m->nr ? &m->replica[0] : NULL;
}

const struct rnfsnl_replica *showfs_current(const struct rnfsnl_mount *m)
{
	return m->active < 0 ? NULL : replica(m, m->active);
}

/* "host:/path", with an IPv6 host in brackets as in a mount source. */
static void put_server(FILE *f, enum esc mode, const struct rnfsnl_replica *r)
{
	bool ipv6 = strchr(r->host, ':');

	if (ipv6)
		fputc('[', f);
	esc_put(f, mode, r->host);
	fputs(ipv6 ? "]:" : ":", f);
	esc_put(f, mode, r->path);
}

static void put_fsid(FILE *f, const struct rnfsnl_mount *m)
{
	fprintf(f, "%" PRIu64 ":%" PRIu64, m->fsid_major, m->fsid_minor);
}

static const char *failback_name(enum rnfs_failback fb)
{
	return fb == RNFS_FAILBACK_AUTO ? "auto" : "manual";
}

/* Options shown elsewhere in the block; the kernel always adds them. */
static bool shown_elsewhere(const char *opt, size_t len)
{
	static const char *const skip[] = { "replicas=", "active=" };
	size_t i, n;

	for (i = 0; i < sizeof(skip) / sizeof(skip[0]); i++) {
		n = strlen(skip[i]);
		if (len >= n && !memcmp(opt, skip[i], n))
			return true;
	}
	return false;
}

/*
 * The filesystem's options as mountinfo shows them, less replicas= and
 * active=.  Without a mountinfo entry (another mount namespace), the
 * tunables the kernel reported stand in for them.
 */
static void put_options(FILE *f, enum esc mode, const struct showfs_entry *e)
{
	const char *opt, *end;
	bool first = true;
	size_t len;

	if (!e->mi) {
		fprintf(f, "timeo=%u,retrans=%u,failback=%s,"
			"failback_delay=%u,%s", e->m->timeo, e->m->retrans,
			failback_name(e->m->failback), e->m->failback_delay,
			e->m->soft ? "soft" : "hard");
		return;
	}
	for (opt = e->mi->super_opts; *opt; opt = *end ? end + 1 : end) {
		end = strchrnul(opt, ',');
		len = (size_t)(end - opt);
		if (!len || shown_elsewhere(opt, len))
			continue;
		if (!first)
			fputc(',', f);
		esc_put_bytes(f, mode, opt, len);
		first = false;
	}
}

static const char *local_path(const struct showfs_entry *e)
{
	return e->mi ? e->mi->mountpoint : "-";
}

static void text_block(FILE *f, const struct showfs_entry *e)
{
	const struct rnfsnl_mount *m = e->m;
	const struct rnfsnl_replica *p = primary(m), *a = showfs_current(m);
	char fsid[48];
	unsigned int i;

	snprintf(fsid, sizeof(fsid), "%" PRIu64 ":%" PRIu64, m->fsid_major,
		 m->fsid_minor);
	esc_put_column(f, p ? p->host : "-", COL_SERVER);
	esc_put_column(f, p ? p->path : "-", COL_REMOTE);
	esc_put_column(f, fsid, COL_FSID);
	esc_put(f, ESC_TEXT, local_path(e));
	fputc('\n', f);

	fputs(INDENT "Current Server: ", f);
	if (a)
		put_server(f, ESC_TEXT, a);
	else
		fputs("none (servers not responding)", f);
	fputc('\n', f);

	for (i = 0; i < m->nr && i < RNFS_MAX_REPLICAS; i++) {
		const struct rnfsnl_replica *r = &m->replica[i];

		fputs(INDENT "Replica Server: ", f);
		put_server(f, ESC_TEXT, r);
		fprintf(f, "  %s, %" PRIu64 " failure%s\n",
			rnfsnl_health_name(r->state), r->failures,
			r->failures == 1 ? "" : "s");
	}

	fputs("options : ", f);
	put_options(f, ESC_TEXT, e);
	fputc('\n', f);
}

void showfs_text(FILE *f, const struct showfs_entry *v, size_t n)
{
	size_t i;

	if (!n)
		return;
	fputs("Server      Remote Path          fsid                 "
	      "Local Path\n"
	      "--------    ---------------      ---------------      "
	      "---------------\n", f);
	for (i = 0; i < n; i++) {
		if (i)
			fputc('\n', f);
		text_block(f, &v[i]);
	}
}

static const char *const field_name[SHOWFS_NR_FIELDS] = {
	[SHOWFS_SERVER]		= "server",
	[SHOWFS_REMOTE]		= "remote",
	[SHOWFS_FSID]		= "fsid",
	[SHOWFS_LOCAL]		= "local",
	[SHOWFS_CURRENT]	= "current",
	[SHOWFS_CURRENT_HOST]	= "current_host",
	[SHOWFS_STATE]		= "state",
	[SHOWFS_FAILOVERS]	= "failovers",
	[SHOWFS_OPTIONS]	= "options",
	[SHOWFS_REPLICAS]	= "replicas",
};

const char showfs_field_list[] = "server, remote, fsid, local, current, "
	"current_host, state, failovers, options, replicas";

int showfs_field_parse(const char *name)
{
	int i;

	for (i = 0; i < SHOWFS_NR_FIELDS; i++)
		if (!strcmp(name, field_name[i]))
			return i;
	return -1;
}

void showfs_field(FILE *f, const struct showfs_entry *e,
		  enum showfs_field field)
{
	const struct rnfsnl_mount *m = e->m;
	const struct rnfsnl_replica *p = primary(m), *a = showfs_current(m);
	unsigned int i;

	switch (field) {
	case SHOWFS_SERVER:
		esc_put(f, ESC_TEXT, p ? p->host : "-");
		break;
	case SHOWFS_REMOTE:
		esc_put(f, ESC_TEXT, p ? p->path : "-");
		break;
	case SHOWFS_FSID:
		put_fsid(f, m);
		break;
	case SHOWFS_LOCAL:
		esc_put(f, ESC_TEXT, local_path(e));
		break;
	case SHOWFS_CURRENT:
		if (a)
			put_server(f, ESC_TEXT, a);
		else
			fputs("none", f);
		break;
	case SHOWFS_CURRENT_HOST:
		esc_put(f, ESC_TEXT, a ? a->host : "none");
		break;
	case SHOWFS_STATE:
		fputs(a ? rnfsnl_health_name(a->state) : "none", f);
		break;
	case SHOWFS_FAILOVERS:
		fprintf(f, "%" PRIu64, m->failovers);
		break;
	case SHOWFS_OPTIONS:
		put_options(f, ESC_TEXT, e);
		break;
	case SHOWFS_REPLICAS:
		for (i = 0; i < m->nr && i < RNFS_MAX_REPLICAS; i++) {
			if (i)
				fputc(',', f);
			put_server(f, ESC_TEXT, &m->replica[i]);
		}
		break;
	case SHOWFS_NR_FIELDS:
		break;
	}
	fputc('\n', f);
}

static void json_last_event(FILE *f, const struct rnfsnl_event *ev)
{
	if (ev->type == RNFS_EVENT_NONE) {
		fputs("null", f);
		return;
	}
	fputs("{\"type\": ", f);
	esc_json_string(f, rnfsnl_event_name(ev->type));
	fputs(", \"from\": ", f);
	if (ev->from >= 0)
		fprintf(f, "%d", ev->from);
	else
		fputs("null", f);
	fputs(", \"to\": ", f);
	if (ev->to >= 0)
		fprintf(f, "%d", ev->to);
	else
		fputs("null", f);
	fputs(", \"reason\": ", f);
	esc_json_string_or_null(f, ev->reason);
	fputs(", \"age_ms\": ", f);
	if (ev->age_ms >= 0)
		fprintf(f, "%" PRId64 "}", ev->age_ms);
	else
		fputs("null}", f);
}

static void json_replica(FILE *f, const struct rnfsnl_replica *r)
{
	fprintf(f, "{\"index\": %u, \"host\": ", r->index);
	esc_json_string(f, r->host);
	fputs(", \"path\": ", f);
	esc_json_string(f, r->path);
	fputs(", \"state\": ", f);
	esc_json_string(f, rnfsnl_health_name(r->state));
	fprintf(f, ", \"failures\": %" PRIu64 ", \"inflight\": %" PRIu32
		", \"silent_ms\": ", r->failures, r->inflight);
	if (r->silent_ms >= 0)
		fprintf(f, "%" PRId64 "}", r->silent_ms);
	else
		fputs("null}", f);
}

static void json_mount(FILE *f, const struct showfs_entry *e)
{
	const struct rnfsnl_mount *m = e->m;
	const struct rnfsnl_replica *a = showfs_current(m);
	unsigned int i;

	fputs("  {\n    \"mountpoint\": ", f);
	esc_json_string_or_null(f, e->mi ? e->mi->mountpoint : NULL);
	fputs(",\n    \"source\": ", f);
	esc_json_string(f, m->source);
	fprintf(f, ",\n    \"dev\": %" PRIu32 ",\n    \"id\": %" PRIu32
		",\n    \"fsid\": \"", m->dev, m->id);
	put_fsid(f, m);
	fputs("\",\n    \"active\": ", f);
	if (a)
		fprintf(f, "%u", a->index);
	else
		fputs("null", f);
	fputs(",\n    \"current\": ", f);
	if (a) {
		fputc('"', f);
		put_server(f, ESC_JSON, a);
		fputc('"', f);
	} else {
		fputs("null", f);
	}
	fprintf(f, ",\n    \"timeo\": %" PRIu32 ",\n    \"retrans\": %" PRIu32
		",\n    \"failback\": \"%s\",\n    \"failback_delay\": %"
		PRIu32 ",\n    \"soft\": %s,\n    \"failovers\": %" PRIu64
		",\n    \"last_event\": ", m->timeo, m->retrans,
		failback_name(m->failback), m->failback_delay,
		m->soft ? "true" : "false", m->failovers);
	json_last_event(f, &m->last);
	fputs(",\n    \"replicas\": [", f);
	for (i = 0; i < m->nr && i < RNFS_MAX_REPLICAS; i++) {
		fputs(i ? ",\n      " : "\n      ", f);
		json_replica(f, &m->replica[i]);
	}
	fputs(i ? "\n    ],\n    \"options\": \"" : "],\n    \"options\": \"",
	      f);
	put_options(f, ESC_JSON, e);
	fputs("\"\n  }", f);
}

void showfs_json(FILE *f, const struct showfs_entry *v, size_t n)
{
	size_t i;

	fputc('[', f);
	for (i = 0; i < n; i++) {
		fputs(i ? ",\n" : "\n", f);
		json_mount(f, &v[i]);
	}
	fputs(n ? "\n]\n" : "]\n", f);
}

/* ISO 8601 local time to the millisecond: 2026-11-22T10:15:02.347+0000 */
static void put_time(FILE *f, const struct timespec *when)
{
	char date[32], zone[8];
	struct tm tm;

	localtime_r(&when->tv_sec, &tm);
	strftime(date, sizeof(date), "%Y-%m-%dT%H:%M:%S", &tm);
	strftime(zone, sizeof(zone), "%z", &tm);
	fprintf(f, "%s.%03ld%s", date, when->tv_nsec / 1000000, zone);
}

/* Another replica of @m on the same host as @r (with another path)? */
static bool host_shared(const struct rnfsnl_mount *m,
			const struct rnfsnl_replica *r)
{
	unsigned int i;

	for (i = 0; i < m->nr && i < RNFS_MAX_REPLICAS; i++)
		if (&m->replica[i] != r && !strcmp(m->replica[i].host, r->host))
			return true;
	return false;
}

/*
 * A replica in an event line: its host, or host:/path when the host
 * alone is ambiguous, or "#index" when the mount is gone already.
 */
static void put_replica_name(FILE *f, const struct rnfsnl_mount *m, int index)
{
	const struct rnfsnl_replica *r = m ? replica(m, index) : NULL;

	if (index < 0)
		fputs("unknown", f);
	else if (!r)
		fprintf(f, "#%d", index);
	else if (host_shared(m, r))
		put_server(f, ESC_TEXT, r);
	else
		esc_put(f, ESC_TEXT, r->host);
}

static void put_reason(FILE *f, const struct rnfsnl_event *ev)
{
	if (!ev->reason[0])
		return;
	fputs(" (", f);
	esc_put(f, ESC_TEXT, ev->reason);
	fputc(')', f);
}

static void put_move(FILE *f, const char *what, const struct rnfsnl_event *ev,
		     const struct rnfsnl_mount *m)
{
	fprintf(f, "%s from ", what);
	put_replica_name(f, m, ev->from);
	fputs(" to ", f);
	put_replica_name(f, m, ev->to);
}

void showfs_event_text(FILE *f, const struct timespec *when,
		       const char *where, const struct rnfsnl_event *ev,
		       const struct rnfsnl_mount *m)
{
	put_time(f, when);
	fputc(' ', f);
	esc_put(f, ESC_TEXT, where);
	fputc(' ', f);
	switch (ev->type) {
	case RNFS_EVENT_FAILOVER:
		put_move(f, "failover", ev, m);
		put_reason(f, ev);
		break;
	case RNFS_EVENT_FAILBACK:
		put_move(f, "failback", ev, m);
		break;
	case RNFS_EVENT_SWITCH:
		put_move(f, "switch", ev, m);
		break;
	case RNFS_EVENT_REPLICA_DOWN:
		fputs("replica ", f);
		put_replica_name(f, m, ev->from);
		fputs(" is down", f);
		put_reason(f, ev);
		break;
	case RNFS_EVENT_REPLICA_UP:
		fputs("replica ", f);
		put_replica_name(f, m, ev->from);
		fputs(" is up", f);
		break;
	case RNFS_EVENT_NOT_RESPONDING:
		fputs("servers not responding, still trying", f);
		break;
	case RNFS_EVENT_RESUMED:
		fputs("servers OK, using ", f);
		put_replica_name(f, m, ev->to);
		break;
	case RNFS_EVENT_LOCK_LOST:
		fputs("lock lost on ", f);
		put_replica_name(f, m, ev->to);
		put_reason(f, ev);
		break;
	case RNFS_EVENT_REPLICA_REFUSED:
		fputs("replica ", f);
		put_replica_name(f, m, ev->from);
		fputs(" refused", f);
		put_reason(f, ev);
		break;
	default:
		/* A newer rnfs.ko than this nfs4cl. */
		fprintf(f, "event %d", (int)ev->type);
		put_reason(f, ev);
		break;
	}
	fputc('\n', f);
}

static void json_event_replica(FILE *f, const struct rnfsnl_mount *m,
			       int index)
{
	const struct rnfsnl_replica *r = m ? replica(m, index) : NULL;

	if (index < 0) {
		fputs("null", f);
		return;
	}
	fprintf(f, "{\"index\": %d, \"host\": ", index);
	esc_json_string_or_null(f, r ? r->host : NULL);
	fputs(", \"path\": ", f);
	esc_json_string_or_null(f, r ? r->path : NULL);
	fputc('}', f);
}

void showfs_event_json(FILE *f, const struct timespec *when,
		       const char *mountpoint, const struct rnfsnl_event *ev,
		       const struct rnfsnl_mount *m)
{
	fputs("{\"time\": \"", f);
	put_time(f, when);
	fputs("\", \"mountpoint\": ", f);
	esc_json_string_or_null(f, mountpoint);
	fputs(", \"source\": ", f);
	esc_json_string(f, ev->source);
	fprintf(f, ", \"dev\": %" PRIu32 ", \"type\": ", ev->dev);
	esc_json_string(f, rnfsnl_event_name(ev->type));
	fputs(", \"from\": ", f);
	json_event_replica(f, m, ev->from);
	fputs(", \"to\": ", f);
	json_event_replica(f, m, ev->to);
	fputs(", \"reason\": ", f);
	esc_json_string_or_null(f, ev->reason);
	fputs("}\n", f);
}
