// SPDX-License-Identifier: GPL-2.0
/* usr/nfs4cl/showfs.c: every byte nfs4cl prints about mounts and events. */
#include <stdlib.h>
#include <string.h>

#include "unit.h"
#include "../../usr/nfs4cl/showfs.h"

/* Mount fixtures, each with its mountinfo entry (NULL: none). */
enum { USR, HOME, DOWN, V6, LONG, HIDDEN, NR_MOUNTS };

static struct rnfsnl_mount mount[NR_MOUNTS];
static struct rnfs_mountinfo info[NR_MOUNTS];
static struct showfs_entry entry[NR_MOUNTS];

static FILE *f;

static void add_replica(struct rnfsnl_mount *m, const char *host,
			const char *path, enum rnfs_replica_health state,
			uint64_t failures)
{
	struct rnfsnl_replica *r = &m->replica[m->nr];

	r->index = m->nr++;
	strcpy(r->host, host);
	strcpy(r->path, path);
	r->state = state;
	r->failures = failures;
	r->silent_ms = -1;
}

static void init_mount(int i, uint32_t dev, const char *source,
		       uint64_t fsid_minor, const char *mountpoint,
		       const char *super_opts)
{
	struct rnfsnl_mount *m = &mount[i];

	memset(m, 0, sizeof(*m));
	m->dev = dev;
	m->id = (uint32_t)i + 1;
	strcpy(m->source, source);
	m->fsid_minor = fsid_minor;
	m->timeo = 10;
	m->retrans = 3;
	m->failback_delay = 30;
	m->failback = RNFS_FAILBACK_MANUAL;
	m->last.from = m->last.to = -1;
	m->last.age_ms = -1;
	entry[i].m = m;
	if (mountpoint) {
		info[i].dev = dev;
		info[i].mountpoint = (char *)mountpoint;
		info[i].source = (char *)source;
		info[i].mount_opts = (char *)"rw,relatime";
		info[i].super_opts = (char *)super_opts;
		entry[i].mi = &info[i];
	} else {
		entry[i].mi = NULL;
	}
}

static void fixtures(void)
{
	struct rnfsnl_mount *m;

	/* Failed over from the primary, which is still down. */
	init_mount(USR, 42, "10.0.0.1:/install", 42949672973ULL, "/usr",
		   "ro,replicas=/install@10.0.0.1:/install@10.0.0.2,vers=4.2,"
		   "timeo=1,retrans=3,failback=manual,failback_delay=30,hard,"
		   "active=10.0.0.2");
	m = &mount[USR];
	m->timeo = 1;
	add_replica(m, "10.0.0.1", "/install", RNFS_HEALTH_DOWN, 1);
	add_replica(m, "10.0.0.2", "/install", RNFS_HEALTH_UP, 0);
	m->active = 1;
	m->failovers = 1;
	m->last.type = RNFS_EVENT_FAILOVER;
	m->last.from = 0;
	m->last.to = 1;
	strcpy(m->last.reason, "probe timed out");
	m->last.age_ms = 5120;
	m->replica[0].silent_ms = 5100;
	m->replica[1].silent_ms = 12;
	m->replica[1].inflight = 3;

	/* On its primary, three replicas, one of them suspect. */
	init_mount(HOME, 43, "sn1:/home", 7, "/home",
		   "rw,replicas=/home@10.0.0.1+10.0.0.2+10.0.0.3,vers=4.2,"
		   "timeo=10,retrans=3,failback=auto,failback_delay=30,hard,"
		   "rsize=1048576,active=10.0.0.1");
	m = &mount[HOME];
	m->failback = RNFS_FAILBACK_AUTO;
	add_replica(m, "10.0.0.1", "/home", RNFS_HEALTH_UP, 0);
	add_replica(m, "10.0.0.2", "/home", RNFS_HEALTH_SUSPECT, 2);
	add_replica(m, "10.0.0.3", "/home", RNFS_HEALTH_UP, 0);
	m->active = 0;

	/* Every replica down. */
	init_mount(DOWN, 44, "10.0.0.1:/scratch", 9, "/scratch",
		   "rw,replicas=/scratch@10.0.0.1+10.0.0.2,vers=4.2,timeo=10,"
		   "retrans=3,failback=manual,failback_delay=30,soft,"
		   "active=none");
	m = &mount[DOWN];
	m->soft = true;
	add_replica(m, "10.0.0.1", "/scratch", RNFS_HEALTH_DOWN, 3);
	add_replica(m, "10.0.0.2", "/scratch", RNFS_HEALTH_DOWN, 2);
	m->active = -1;
	m->failovers = 4;
	m->last.type = RNFS_EVENT_NOT_RESPONDING;
	m->last.age_ms = 800;

	/* IPv6. */
	init_mount(V6, 45, "[fd00::1]:/opt", 1, "/opt",
		   "ro,replicas=/opt@[fd00::1]+[fd00::2],vers=4.1,timeo=10,"
		   "retrans=3,failback=manual,failback_delay=30,hard,"
		   "active=fd00::2");
	m = &mount[V6];
	add_replica(m, "fd00::1", "/opt", RNFS_HEALTH_DOWN, 1);
	add_replica(m, "fd00::2", "/opt", RNFS_HEALTH_UP, 0);
	m->active = 1;
	m->failovers = 1;

	/* Values wider than their columns, and a blank in the mount point. */
	init_mount(LONG, 46, "[fd00:1234:5678:9abc::10]:/export/cluster/images",
		   18446744073709551615ULL, "/var/lib/cluster images",
		   "rw,replicas=/export/cluster/images@[fd00:1234:5678:9abc::10]"
		   ":/export/cluster/images@storage-node-b,vers=4.2,timeo=10,"
		   "retrans=3,failback=manual,failback_delay=30,hard,"
		   "active=fd00:1234:5678:9abc::10");
	m = &mount[LONG];
	m->fsid_major = 123456789;
	add_replica(m, "fd00:1234:5678:9abc::10", "/export/cluster/images",
		    RNFS_HEALTH_UP, 0);
	add_replica(m, "10.11.12.13", "/export/cluster/images",
		    RNFS_HEALTH_UP, 0);
	m->active = 0;

	/* Mounted in another namespace: not in our mountinfo. */
	init_mount(HIDDEN, 47, "10.0.0.5:/a\"b", 3, NULL, NULL);
	m = &mount[HIDDEN];
	m->timeo = 20;
	m->retrans = 2;
	m->failback_delay = 60;
	add_replica(m, "10.0.0.5", "/a\"b\\c\td", RNFS_HEALTH_UP, 0);
	add_replica(m, "10.0.0.5", "/mirror", RNFS_HEALTH_UP, 0);
	m->active = 0;
}

static void start(void)
{
	fixtures();
	f = unit_out_start();
}

/* Compares what was written since start() with @expected. */
static void check(const char *expected)
{
	unit_out_check(f, expected);
}

#define HEADER \
	"Server      Remote Path          fsid                 Local Path\n" \
	"--------    ---------------      ---------------      ---------------\n"

static void text_failed_over(void)
{
	start();
	showfs_text(f, &entry[USR], 1);
	check(HEADER
	      "10.0.0.1    /install             0:42949672973        /usr\n"
	      "        Current Server: 10.0.0.2:/install\n"
	      "        Replica Server: 10.0.0.1:/install  down, 1 failure\n"
	      "        Replica Server: 10.0.0.2:/install  up, 0 failures\n"
	      "options : ro,vers=4.2,timeo=1,retrans=3,failback=manual,"
	      "failback_delay=30,hard\n");
}

static void text_several(void)
{
	start();
	showfs_text(f, &entry[USR], 3);
	check(HEADER
	      "10.0.0.1    /install             0:42949672973        /usr\n"
	      "        Current Server: 10.0.0.2:/install\n"
	      "        Replica Server: 10.0.0.1:/install  down, 1 failure\n"
	      "        Replica Server: 10.0.0.2:/install  up, 0 failures\n"
	      "options : ro,vers=4.2,timeo=1,retrans=3,failback=manual,"
	      "failback_delay=30,hard\n"
	      "\n"
	      "10.0.0.1    /home                0:7                  /home\n"
	      "        Current Server: 10.0.0.1:/home\n"
	      "        Replica Server: 10.0.0.1:/home  up, 0 failures\n"
	      "        Replica Server: 10.0.0.2:/home  suspect, 2 failures\n"
	      "        Replica Server: 10.0.0.3:/home  up, 0 failures\n"
	      "options : rw,vers=4.2,timeo=10,retrans=3,failback=auto,"
	      "failback_delay=30,hard,rsize=1048576\n"
	      "\n"
	      "10.0.0.1    /scratch             0:9                  /scratch\n"
	      "        Current Server: none (servers not responding)\n"
	      "        Replica Server: 10.0.0.1:/scratch  down, 3 failures\n"
	      "        Replica Server: 10.0.0.2:/scratch  down, 2 failures\n"
	      "options : rw,vers=4.2,timeo=10,retrans=3,failback=manual,"
	      "failback_delay=30,soft\n");
}

static void text_ipv6(void)
{
	start();
	showfs_text(f, &entry[V6], 1);
	check(HEADER
	      "fd00::1     /opt                 0:1                  /opt\n"
	      "        Current Server: [fd00::2]:/opt\n"
	      "        Replica Server: [fd00::1]:/opt  down, 1 failure\n"
	      "        Replica Server: [fd00::2]:/opt  up, 0 failures\n"
	      "options : ro,vers=4.1,timeo=10,retrans=3,failback=manual,"
	      "failback_delay=30,hard\n");
}

static void text_long_values(void)
{
	start();
	showfs_text(f, &entry[LONG], 1);
	check(HEADER
	      "fd00:1234:5678:9abc::10 /export/cluster/images "
	      "123456789:18446744073709551615 /var/lib/cluster images\n"
	      "        Current Server: [fd00:1234:5678:9abc::10]:"
	      "/export/cluster/images\n"
	      "        Replica Server: [fd00:1234:5678:9abc::10]:"
	      "/export/cluster/images  up, 0 failures\n"
	      "        Replica Server: 10.11.12.13:/export/cluster/images"
	      "  up, 0 failures\n"
	      "options : rw,vers=4.2,timeo=10,retrans=3,failback=manual,"
	      "failback_delay=30,hard\n");
}

/* Exactly as wide as a column still leaves one blank before the next. */
static void text_exact_width(void)
{
	static const char exact[] =
		"10.100.200.1 /twenty-one-chars-abc 0:7                  /home\n";
	char *out;

	start();
	strcpy(mount[HOME].replica[0].host, "10.100.200.1");
	strcpy(mount[HOME].replica[0].path, "/twenty-one-chars-ab");
	strcat(mount[HOME].replica[0].path, "c");
	showfs_text(f, &entry[HOME], 1);
	out = unit_out_end(f);
	CU_ASSERT_EQUAL(strncmp(out + strlen(HEADER), exact, strlen(exact)),
			0);
	free(out);
}

static void text_not_in_mountinfo(void)
{
	start();
	showfs_text(f, &entry[HIDDEN], 1);
	check(HEADER
	      "10.0.0.5    /a\"b\\c\\011d          0:3                  -\n"
	      "        Current Server: 10.0.0.5:/a\"b\\c\\011d\n"
	      "        Replica Server: 10.0.0.5:/a\"b\\c\\011d  up, 0 failures\n"
	      "        Replica Server: 10.0.0.5:/mirror  up, 0 failures\n"
	      "options : timeo=20,retrans=2,failback=manual,"
	      "failback_delay=60,hard\n");
}

static void text_no_mounts(void)
{
	start();
	showfs_text(f, entry, 0);
	check("");
}

static void field_names(void)
{
	CU_ASSERT_EQUAL(showfs_field_parse("server"), SHOWFS_SERVER);
	CU_ASSERT_EQUAL(showfs_field_parse("current_host"),
			SHOWFS_CURRENT_HOST);
	CU_ASSERT_EQUAL(showfs_field_parse("replicas"), SHOWFS_REPLICAS);
	CU_ASSERT_EQUAL(showfs_field_parse("Server"), -1);
	CU_ASSERT_EQUAL(showfs_field_parse(""), -1);
	CU_ASSERT_EQUAL(showfs_field_parse("current-host"), -1);
}

/* Every field of @e, one per line, in enum order. */
static void all_fields(int i, const char *expected)
{
	int field;

	start();
	for (field = 0; field < SHOWFS_NR_FIELDS; field++)
		showfs_field(f, &entry[i], field);
	check(expected);
}

static void fields_failed_over(void)
{
	all_fields(USR,
		   "10.0.0.1\n"
		   "/install\n"
		   "0:42949672973\n"
		   "/usr\n"
		   "10.0.0.2:/install\n"
		   "10.0.0.2\n"
		   "up\n"
		   "1\n"
		   "ro,vers=4.2,timeo=1,retrans=3,failback=manual,"
		   "failback_delay=30,hard\n"
		   "10.0.0.1:/install,10.0.0.2:/install\n");
}

static void fields_all_down(void)
{
	all_fields(DOWN,
		   "10.0.0.1\n"
		   "/scratch\n"
		   "0:9\n"
		   "/scratch\n"
		   "none\n"
		   "none\n"
		   "none\n"
		   "4\n"
		   "rw,vers=4.2,timeo=10,retrans=3,failback=manual,"
		   "failback_delay=30,soft\n"
		   "10.0.0.1:/scratch,10.0.0.2:/scratch\n");
}

static void fields_ipv6_suspect_hidden(void)
{
	start();
	showfs_field(f, &entry[V6], SHOWFS_SERVER);
	showfs_field(f, &entry[V6], SHOWFS_CURRENT);
	showfs_field(f, &entry[V6], SHOWFS_CURRENT_HOST);
	showfs_field(f, &entry[V6], SHOWFS_REPLICAS);
	mount[HOME].active = 1;
	showfs_field(f, &entry[HOME], SHOWFS_STATE);
	showfs_field(f, &entry[HIDDEN], SHOWFS_LOCAL);
	showfs_field(f, &entry[HIDDEN], SHOWFS_OPTIONS);
	check("fd00::1\n"
	      "[fd00::2]:/opt\n"
	      "fd00::2\n"
	      "[fd00::1]:/opt,[fd00::2]:/opt\n"
	      "suspect\n"
	      "-\n"
	      "timeo=20,retrans=2,failback=manual,failback_delay=60,hard\n");
}

static void json_empty(void)
{
	start();
	showfs_json(f, entry, 0);
	check("[]\n");
}

static void json_mounts(void)
{
	start();
	entry[V6] = entry[HIDDEN];	/* USR, HOME, DOWN, HIDDEN */
	showfs_json(f, &entry[USR], 4);
	check("[\n"
	      "  {\n"
	      "    \"mountpoint\": \"/usr\",\n"
	      "    \"source\": \"10.0.0.1:/install\",\n"
	      "    \"dev\": 42,\n"
      "    \"id\": 1,\n"
	      "    \"fsid\": \"0:42949672973\",\n"
	      "    \"active\": 1,\n"
	      "    \"current\": \"10.0.0.2:/install\",\n"
	      "    \"timeo\": 1,\n"
	      "    \"retrans\": 3,\n"
	      "    \"failback\": \"manual\",\n"
	      "    \"failback_delay\": 30,\n"
	      "    \"soft\": false,\n"
	      "    \"failovers\": 1,\n"
	      "    \"last_event\": {\"type\": \"failover\", \"from\": 0, "
	      "\"to\": 1, \"reason\": \"probe timed out\", \"age_ms\": 5120},\n"
	      "    \"replicas\": [\n"
	      "      {\"index\": 0, \"host\": \"10.0.0.1\", \"path\": "
	      "\"/install\", \"state\": \"down\", \"failures\": 1, "
	      "\"inflight\": 0, \"silent_ms\": 5100},\n"
	      "      {\"index\": 1, \"host\": \"10.0.0.2\", \"path\": "
	      "\"/install\", \"state\": \"up\", \"failures\": 0, "
	      "\"inflight\": 3, \"silent_ms\": 12}\n"
	      "    ],\n"
	      "    \"options\": \"ro,vers=4.2,timeo=1,retrans=3,"
	      "failback=manual,failback_delay=30,hard\"\n"
	      "  },\n"
	      "  {\n"
	      "    \"mountpoint\": \"/home\",\n"
	      "    \"source\": \"sn1:/home\",\n"
	      "    \"dev\": 43,\n"
      "    \"id\": 2,\n"
	      "    \"fsid\": \"0:7\",\n"
	      "    \"active\": 0,\n"
	      "    \"current\": \"10.0.0.1:/home\",\n"
	      "    \"timeo\": 10,\n"
	      "    \"retrans\": 3,\n"
	      "    \"failback\": \"auto\",\n"
	      "    \"failback_delay\": 30,\n"
	      "    \"soft\": false,\n"
	      "    \"failovers\": 0,\n"
	      "    \"last_event\": null,\n"
	      "    \"replicas\": [\n"
	      "      {\"index\": 0, \"host\": \"10.0.0.1\", \"path\": "
	      "\"/home\", \"state\": \"up\", \"failures\": 0, "
	      "\"inflight\": 0, \"silent_ms\": null},\n"
	      "      {\"index\": 1, \"host\": \"10.0.0.2\", \"path\": "
	      "\"/home\", \"state\": \"suspect\", \"failures\": 2, "
	      "\"inflight\": 0, \"silent_ms\": null},\n"
	      "      {\"index\": 2, \"host\": \"10.0.0.3\", \"path\": "
	      "\"/home\", \"state\": \"up\", \"failures\": 0, "
	      "\"inflight\": 0, \"silent_ms\": null}\n"
	      "    ],\n"
	      "    \"options\": \"rw,vers=4.2,timeo=10,retrans=3,"
	      "failback=auto,failback_delay=30,hard,rsize=1048576\"\n"
	      "  },\n"
	      "  {\n"
	      "    \"mountpoint\": \"/scratch\",\n"
	      "    \"source\": \"10.0.0.1:/scratch\",\n"
	      "    \"dev\": 44,\n"
      "    \"id\": 3,\n"
	      "    \"fsid\": \"0:9\",\n"
	      "    \"active\": null,\n"
	      "    \"current\": null,\n"
	      "    \"timeo\": 10,\n"
	      "    \"retrans\": 3,\n"
	      "    \"failback\": \"manual\",\n"
	      "    \"failback_delay\": 30,\n"
	      "    \"soft\": true,\n"
	      "    \"failovers\": 4,\n"
	      "    \"last_event\": {\"type\": \"not-responding\", "
	      "\"from\": null, \"to\": null, \"reason\": null, "
	      "\"age_ms\": 800},\n"
	      "    \"replicas\": [\n"
	      "      {\"index\": 0, \"host\": \"10.0.0.1\", \"path\": "
	      "\"/scratch\", \"state\": \"down\", \"failures\": 3, "
	      "\"inflight\": 0, \"silent_ms\": null},\n"
	      "      {\"index\": 1, \"host\": \"10.0.0.2\", \"path\": "
	      "\"/scratch\", \"state\": \"down\", \"failures\": 2, "
	      "\"inflight\": 0, \"silent_ms\": null}\n"
	      "    ],\n"
	      "    \"options\": \"rw,vers=4.2,timeo=10,retrans=3,"
	      "failback=manual,failback_delay=30,soft\"\n"
	      "  },\n"
	      "  {\n"
	      "    \"mountpoint\": null,\n"
	      "    \"source\": \"10.0.0.5:/a\\\"b\",\n"
	      "    \"dev\": 47,\n"
      "    \"id\": 6,\n"
	      "    \"fsid\": \"0:3\",\n"
	      "    \"active\": 0,\n"
	      "    \"current\": \"10.0.0.5:/a\\\"b\\\\c\\u0009d\",\n"
	      "    \"timeo\": 20,\n"
	      "    \"retrans\": 2,\n"
	      "    \"failback\": \"manual\",\n"
	      "    \"failback_delay\": 60,\n"
	      "    \"soft\": false,\n"
	      "    \"failovers\": 0,\n"
	      "    \"last_event\": null,\n"
	      "    \"replicas\": [\n"
	      "      {\"index\": 0, \"host\": \"10.0.0.5\", \"path\": "
	      "\"/a\\\"b\\\\c\\u0009d\", \"state\": \"up\", \"failures\": 0, "
	      "\"inflight\": 0, \"silent_ms\": null},\n"
	      "      {\"index\": 1, \"host\": \"10.0.0.5\", \"path\": "
	      "\"/mirror\", \"state\": \"up\", \"failures\": 0, "
	      "\"inflight\": 0, \"silent_ms\": null}\n"
	      "    ],\n"
	      "    \"options\": \"timeo=20,retrans=2,failback=manual,"
	      "failback_delay=60,hard\"\n"
	      "  }\n"
	      "]\n");
}

static void json_ipv6_control_chars(void)
{
	char *out;

	start();
	info[V6].mountpoint = (char *)"/o\npt\x1f";
	showfs_json(f, &entry[V6], 1);
	out = unit_out_end(f);
	CU_ASSERT_PTR_NOT_NULL(strstr(out,
		"\"mountpoint\": \"/o\\u000apt\\u001f\",\n"));
	CU_ASSERT_PTR_NOT_NULL(strstr(out,
		"\"current\": \"[fd00::2]:/opt\",\n"));
	CU_ASSERT_PTR_NOT_NULL(strstr(out, "\"host\": \"fd00::1\""));
	free(out);
}

/* 2026-11-22 10:15:02.347 UTC */
static const struct timespec when = { 1795342502, 347000000 };

static void event_start(void)
{
	setenv("TZ", "UTC0", 1);
	tzset();
	start();
}

static void event(enum rnfs_event type, int from, int to,
		  const char *reason, const struct rnfsnl_mount *m)
{
	struct rnfsnl_event ev;

	memset(&ev, 0, sizeof(ev));
	ev.type = type;
	ev.dev = 42;
	strcpy(ev.source, "10.0.0.1:/install");
	ev.from = from;
	ev.to = to;
	strcpy(ev.reason, reason);
	ev.age_ms = -1;
	showfs_event_text(f, &when, "/usr", &ev, m);
}

static void event_lines(void)
{
	const struct rnfsnl_mount *m = &mount[USR];

	event_start();
	event(RNFS_EVENT_FAILOVER, 0, 1, "probe timed out", m);
	event(RNFS_EVENT_FAILOVER, 0, 1, "", m);
	event(RNFS_EVENT_FAILBACK, 1, 0, "healthy for 30 s", m);
	event(RNFS_EVENT_SWITCH, 0, 1, "", m);
	event(RNFS_EVENT_REPLICA_DOWN, 0, -1, "NULL probe failed", m);
	event(RNFS_EVENT_REPLICA_UP, 0, -1, "", m);
	event(RNFS_EVENT_NOT_RESPONDING, 1, -1, "", m);
	event(RNFS_EVENT_RESUMED, -1, 0, "", m);
	event(RNFS_EVENT_RESUMED, -1, 0, "", NULL);
	event(RNFS_EVENT_FAILOVER, 0, 5, "x", m);
	event(99, 0, -1, "future", m);
	check("2026-11-22T10:15:02.347+0000 /usr failover from 10.0.0.1 "
	      "to 10.0.0.2 (probe timed out)\n"
	      "2026-11-22T10:15:02.347+0000 /usr failover from 10.0.0.1 "
	      "to 10.0.0.2\n"
	      "2026-11-22T10:15:02.347+0000 /usr failback from 10.0.0.2 "
	      "to 10.0.0.1\n"
	      "2026-11-22T10:15:02.347+0000 /usr switch from 10.0.0.1 "
	      "to 10.0.0.2\n"
	      "2026-11-22T10:15:02.347+0000 /usr replica 10.0.0.1 is down "
	      "(NULL probe failed)\n"
	      "2026-11-22T10:15:02.347+0000 /usr replica 10.0.0.1 is up\n"
	      "2026-11-22T10:15:02.347+0000 /usr servers not responding, "
	      "still trying\n"
	      "2026-11-22T10:15:02.347+0000 /usr servers OK, using 10.0.0.1\n"
	      "2026-11-22T10:15:02.347+0000 /usr servers OK, using #0\n"
	      "2026-11-22T10:15:02.347+0000 /usr failover from 10.0.0.1 "
	      "to #5 (x)\n"
	      "2026-11-22T10:15:02.347+0000 /usr event 99 (future)\n");
}

/* One host serving two paths: the host alone would not say which. */
static void event_shared_host_ipv6_zone(void)
{
	event_start();
	event(RNFS_EVENT_SWITCH, 0, 1, "", &mount[HIDDEN]);
	event(RNFS_EVENT_FAILOVER, 0, 1, "a\nb", &mount[V6]);
	setenv("TZ", "CET-1", 1);
	tzset();
	event(RNFS_EVENT_REPLICA_UP, 1, -1, "", &mount[V6]);
	check("2026-11-22T10:15:02.347+0000 /usr switch from "
	      "10.0.0.5:/a\"b\\c\\011d to 10.0.0.5:/mirror\n"
	      "2026-11-22T10:15:02.347+0000 /usr failover from fd00::1 "
	      "to fd00::2 (a\\012b)\n"
	      "2026-11-22T11:15:02.347+0100 /usr replica fd00::2 is up\n");
}

static void event_json(void)
{
	struct rnfsnl_event ev;

	event_start();
	memset(&ev, 0, sizeof(ev));
	ev.type = RNFS_EVENT_FAILOVER;
	ev.dev = 42;
	strcpy(ev.source, "10.0.0.1:/install");
	ev.from = 0;
	ev.to = 1;
	strcpy(ev.reason, "probe \"NULL\" timed out");
	showfs_event_json(f, &when, "/usr", &ev, &mount[USR]);
	ev.type = RNFS_EVENT_NOT_RESPONDING;
	ev.from = ev.to = -1;
	ev.reason[0] = '\0';
	showfs_event_json(f, &when, NULL, &ev, NULL);
	ev.type = RNFS_EVENT_REPLICA_UP;
	ev.from = 1;
	showfs_event_json(f, &when, NULL, &ev, NULL);
	check("{\"time\": \"2026-11-22T10:15:02.347+0000\", "
	      "\"mountpoint\": \"/usr\", \"source\": \"10.0.0.1:/install\", "
	      "\"dev\": 42, \"type\": \"failover\", "
	      "\"from\": {\"index\": 0, \"host\": \"10.0.0.1\", "
	      "\"path\": \"/install\"}, "
	      "\"to\": {\"index\": 1, \"host\": \"10.0.0.2\", "
	      "\"path\": \"/install\"}, "
	      "\"reason\": \"probe \\\"NULL\\\" timed out\"}\n"
	      "{\"time\": \"2026-11-22T10:15:02.347+0000\", "
	      "\"mountpoint\": null, \"source\": \"10.0.0.1:/install\", "
	      "\"dev\": 42, \"type\": \"not-responding\", "
	      "\"from\": null, \"to\": null, \"reason\": null}\n"
	      "{\"time\": \"2026-11-22T10:15:02.347+0000\", "
	      "\"mountpoint\": null, \"source\": \"10.0.0.1:/install\", "
	      "\"dev\": 42, \"type\": \"replica-up\", "
	      "\"from\": {\"index\": 1, \"host\": null, \"path\": null}, "
	      "\"to\": null, \"reason\": null}\n");
}

static const struct unit_test tests[] = {
	{ "text_failed_over", text_failed_over },
	{ "text_several", text_several },
	{ "text_ipv6", text_ipv6 },
	{ "text_long_values", text_long_values },
	{ "text_exact_width", text_exact_width },
	{ "text_not_in_mountinfo", text_not_in_mountinfo },
	{ "text_no_mounts", text_no_mounts },
	{ "field_names", field_names },
	{ "fields_failed_over", fields_failed_over },
	{ "fields_all_down", fields_all_down },
	{ "fields_ipv6_suspect_hidden", fields_ipv6_suspect_hidden },
	{ "json_empty", json_empty },
	{ "json_mounts", json_mounts },
	{ "json_ipv6_control_chars", json_ipv6_control_chars },
	{ "event_lines", event_lines },
	{ "event_shared_host_ipv6_zone", event_shared_host_ipv6_zone },
	{ "event_json", event_json },
	{ NULL, NULL }
};

const struct unit_suite showfs_suite = {
	.name = "showfs",
	.tests = tests,
};
