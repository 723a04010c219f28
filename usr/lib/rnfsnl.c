// SPDX-License-Identifier: GPL-2.0
/*
 * The rnfs generic netlink family from userspace (see rnfsnl.h), over
 * libnl-3 genl.  Requests go on one socket and wait for the kernel's
 * answer: its ACK, its error (a negative errno, passed on as is), or the
 * end of a dump.  Events arrive on a second socket, so that they never
 * mix with answers.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <netlink/genl/ctrl.h>
#include <netlink/genl/genl.h>
#include <netlink/netlink.h>

#include "rnfsnl.h"

struct rnfsnl {
	struct nl_sock *sk;		/* requests */
	struct nl_sock *ev_sk;		/* events, once subscribed */
	int family;
};

/* What the kernel may send; anything else is ignored. */
static struct nla_policy policy[RNFS_A_MAX + 1] = {
	[RNFS_A_MOUNT_DEV]		= { .type = NLA_U32 },
	[RNFS_A_MOUNT_ID]		= { .type = NLA_U32 },
	[RNFS_A_MOUNT_SOURCE]		= { .type = NLA_STRING },
	[RNFS_A_MOUNT_FSID_MAJOR]	= { .type = NLA_U64 },
	[RNFS_A_MOUNT_FSID_MINOR]	= { .type = NLA_U64 },
	[RNFS_A_MOUNT_ACTIVE]		= { .type = NLA_U32 },
	[RNFS_A_MOUNT_TIMEO]		= { .type = NLA_U32 },
	[RNFS_A_MOUNT_RETRANS]		= { .type = NLA_U32 },
	[RNFS_A_MOUNT_FAILBACK]		= { .type = NLA_U8 },
	[RNFS_A_MOUNT_FAILBACK_DELAY]	= { .type = NLA_U32 },
	[RNFS_A_MOUNT_SOFT]		= { .type = NLA_U8 },
	[RNFS_A_MOUNT_FAILOVERS]	= { .type = NLA_U64 },
	[RNFS_A_MOUNT_LAST_EVENT]	= { .type = NLA_NESTED },
	[RNFS_A_MOUNT_REPLICAS]		= { .type = NLA_NESTED },
	[RNFS_A_REPLICA]		= { .type = NLA_NESTED },
	[RNFS_A_REPLICA_INDEX]		= { .type = NLA_U32 },
	[RNFS_A_REPLICA_HOST]		= { .type = NLA_STRING },
	[RNFS_A_REPLICA_PATH]		= { .type = NLA_STRING },
	[RNFS_A_REPLICA_STATE]		= { .type = NLA_U8 },
	[RNFS_A_REPLICA_FAILURES]	= { .type = NLA_U64 },
	[RNFS_A_REPLICA_INFLIGHT]	= { .type = NLA_U32 },
	[RNFS_A_REPLICA_SILENT_MS]	= { .type = NLA_U32 },
	[RNFS_A_EVENT_TYPE]		= { .type = NLA_U8 },
	[RNFS_A_EVENT_FROM]		= { .type = NLA_U32 },
	[RNFS_A_EVENT_TO]		= { .type = NLA_U32 },
	[RNFS_A_EVENT_REASON]		= { .type = NLA_STRING },
	[RNFS_A_EVENT_AGE_MS]		= { .type = NLA_U64 },
};

/* libnl's own error codes, for failures before the kernel answered. */
static int nl_to_errno(int nlerr)
{
	switch (-nlerr) {
	case NLE_NOMEM:
		return -ENOMEM;
	case NLE_PERM:
		return -EPERM;
	case NLE_OBJ_NOTFOUND:
		return -EPROTONOSUPPORT;
	case NLE_AGAIN:
		return -EAGAIN;
	case NLE_INTR:
		return -EINTR;
	case NLE_MSGSIZE:
		return -EMSGSIZE;
	default:
		return -EIO;
	}
}

static void copy_string(char *dst, size_t size, const struct nlattr *a)
{
	if (a)
		snprintf(dst, size, "%.*s", nla_len(a), (const char *)nla_data(a));
	else
		dst[0] = '\0';
}

/* The RNFS_A_EVENT_* attributes in @tb (an event, or a mount's last). */
static void parse_event(struct nlattr **tb, struct rnfsnl_event *ev)
{
	ev->type = tb[RNFS_A_EVENT_TYPE] ? nla_get_u8(tb[RNFS_A_EVENT_TYPE]) :
					   RNFS_EVENT_NONE;
	ev->from = tb[RNFS_A_EVENT_FROM] ?
		   (int)nla_get_u32(tb[RNFS_A_EVENT_FROM]) : -1;
	ev->to = tb[RNFS_A_EVENT_TO] ? (int)nla_get_u32(tb[RNFS_A_EVENT_TO]) : -1;
	copy_string(ev->reason, sizeof(ev->reason), tb[RNFS_A_EVENT_REASON]);
	ev->age_ms = tb[RNFS_A_EVENT_AGE_MS] ?
		     (int64_t)nla_get_u64(tb[RNFS_A_EVENT_AGE_MS]) : -1;
}

static int parse_replica(struct nlattr *nest, struct rnfsnl_replica *r)
{
	struct nlattr *tb[RNFS_A_MAX + 1];

	if (nla_parse_nested(tb, RNFS_A_MAX, nest, policy) ||
	    !tb[RNFS_A_REPLICA_INDEX] || !tb[RNFS_A_REPLICA_HOST] ||
	    !tb[RNFS_A_REPLICA_PATH] || !tb[RNFS_A_REPLICA_STATE])
		return -EPROTO;
	r->index = nla_get_u32(tb[RNFS_A_REPLICA_INDEX]);
	copy_string(r->host, sizeof(r->host), tb[RNFS_A_REPLICA_HOST]);
	copy_string(r->path, sizeof(r->path), tb[RNFS_A_REPLICA_PATH]);
	r->state = nla_get_u8(tb[RNFS_A_REPLICA_STATE]);
	r->failures = tb[RNFS_A_REPLICA_FAILURES] ?
		      nla_get_u64(tb[RNFS_A_REPLICA_FAILURES]) : 0;
	r->inflight = tb[RNFS_A_REPLICA_INFLIGHT] ?
		      nla_get_u32(tb[RNFS_A_REPLICA_INFLIGHT]) : 0;
	r->silent_ms = tb[RNFS_A_REPLICA_SILENT_MS] ?
		       (int64_t)nla_get_u32(tb[RNFS_A_REPLICA_SILENT_MS]) : -1;
	return 0;
}

static int parse_mount(struct nl_msg *msg, struct rnfsnl_mount *m)
{
	struct nlattr *tb[RNFS_A_MAX + 1], *etb[RNFS_A_MAX + 1], *a;
	int rem;

	memset(m, 0, sizeof(*m));
	if (genlmsg_parse(nlmsg_hdr(msg), 0, tb, RNFS_A_MAX, policy) ||
	    !tb[RNFS_A_MOUNT_DEV] || !tb[RNFS_A_MOUNT_REPLICAS])
		return -EPROTO;
	m->dev = nla_get_u32(tb[RNFS_A_MOUNT_DEV]);
	m->id = tb[RNFS_A_MOUNT_ID] ? nla_get_u32(tb[RNFS_A_MOUNT_ID]) : 0;
	copy_string(m->source, sizeof(m->source), tb[RNFS_A_MOUNT_SOURCE]);
	if (tb[RNFS_A_MOUNT_FSID_MAJOR])
		m->fsid_major = nla_get_u64(tb[RNFS_A_MOUNT_FSID_MAJOR]);
	if (tb[RNFS_A_MOUNT_FSID_MINOR])
		m->fsid_minor = nla_get_u64(tb[RNFS_A_MOUNT_FSID_MINOR]);
	m->active = tb[RNFS_A_MOUNT_ACTIVE] ?
		    (int)nla_get_u32(tb[RNFS_A_MOUNT_ACTIVE]) : -1;
	if (tb[RNFS_A_MOUNT_TIMEO])
		m->timeo = nla_get_u32(tb[RNFS_A_MOUNT_TIMEO]);
	if (tb[RNFS_A_MOUNT_RETRANS])
		m->retrans = nla_get_u32(tb[RNFS_A_MOUNT_RETRANS]);
	if (tb[RNFS_A_MOUNT_FAILBACK])
		m->failback = nla_get_u8(tb[RNFS_A_MOUNT_FAILBACK]);
	if (tb[RNFS_A_MOUNT_FAILBACK_DELAY])
		m->failback_delay = nla_get_u32(tb[RNFS_A_MOUNT_FAILBACK_DELAY]);
	if (tb[RNFS_A_MOUNT_SOFT])
		m->soft = nla_get_u8(tb[RNFS_A_MOUNT_SOFT]);
	if (tb[RNFS_A_MOUNT_FAILOVERS])
		m->failovers = nla_get_u64(tb[RNFS_A_MOUNT_FAILOVERS]);
	m->last.type = RNFS_EVENT_NONE;
	if (tb[RNFS_A_MOUNT_LAST_EVENT] &&
	    !nla_parse_nested(etb, RNFS_A_MAX, tb[RNFS_A_MOUNT_LAST_EVENT],
			      policy))
		parse_event(etb, &m->last);
	m->last.dev = m->dev;
	m->last.id = m->id;
	snprintf(m->last.source, sizeof(m->last.source), "%s", m->source);

	nla_for_each_nested(a, tb[RNFS_A_MOUNT_REPLICAS], rem) {
		if (nla_type(a) != RNFS_A_REPLICA)
			continue;
		if (m->nr == RNFS_MAX_REPLICAS ||
		    parse_replica(a, &m->replica[m->nr]))
			return -EPROTO;
		m->nr++;
	}
	if (m->active >= (int)m->nr)
		return -EPROTO;
	return 0;
}

/* How one request ends: > 0 while waiting, then 0 or -errno. */
static int on_error(struct sockaddr_nl *nla, struct nlmsgerr *e, void *arg)
{
	int *status = arg;

	(void)nla;
	*status = e->error;
	return NL_STOP;
}

static int on_done(struct nl_msg *msg, void *arg)
{
	int *status = arg;

	(void)msg;
	*status = 0;
	return NL_STOP;
}

struct reply {
	int (*fn)(struct nl_msg *msg, void *arg);
	void *arg;
	int error;		/* the first error fn returned */
};

static int on_valid(struct nl_msg *msg, void *arg)
{
	struct reply *r = arg;
	int ret;

	if (!r->fn || r->error)
		return NL_SKIP;
	ret = r->fn(msg, r->arg);
	if (ret)
		r->error = ret;
	return NL_SKIP;
}

/*
 * Send @msg (consumed) and wait for the end of the answer, calling @fn
 * for each message of data in it.
 */
static int transact(struct rnfsnl *nl, struct nl_msg *msg,
		    int (*fn)(struct nl_msg *msg, void *arg), void *arg)
{
	struct reply reply = { .fn = fn, .arg = arg };
	int status = 1, ret;
	struct nl_cb *cb;

	cb = nl_cb_alloc(NL_CB_DEFAULT);
	if (!cb) {
		nlmsg_free(msg);
		return -ENOMEM;
	}
	nl_cb_set(cb, NL_CB_VALID, NL_CB_CUSTOM, on_valid, &reply);
	nl_cb_set(cb, NL_CB_FINISH, NL_CB_CUSTOM, on_done, &status);
	nl_cb_set(cb, NL_CB_ACK, NL_CB_CUSTOM, on_done, &status);
	nl_cb_err(cb, NL_CB_CUSTOM, on_error, &status);

	ret = nl_send_auto(nl->sk, msg);
	nlmsg_free(msg);
	while (ret >= 0 && status > 0)
		ret = nl_recvmsgs(nl->sk, cb);
	nl_cb_put(cb);
	if (ret < 0 && status > 0)
		return nl_to_errno(ret);
	if (status < 0)
		return status;
	return reply.error;
}

static struct nl_msg *new_request(struct rnfsnl *nl, uint8_t cmd, int flags)
{
	struct nl_msg *msg = nlmsg_alloc();

	if (!msg)
		return NULL;
	if (!genlmsg_put(msg, NL_AUTO_PORT, NL_AUTO_SEQ, nl->family, 0, flags,
			 cmd, RNFS_GENL_VERSION)) {
		nlmsg_free(msg);
		return NULL;
	}
	return msg;
}

int rnfsnl_open(struct rnfsnl **out)
{
	struct rnfsnl *nl = calloc(1, sizeof(*nl));
	int ret;

	if (!nl)
		return -ENOMEM;
	nl->sk = nl_socket_alloc();
	if (!nl->sk) {
		free(nl);
		return -ENOMEM;
	}
	ret = genl_connect(nl->sk);
	if (ret >= 0)
		ret = genl_ctrl_resolve(nl->sk, RNFS_GENL_NAME);
	if (ret < 0) {
		nl_socket_free(nl->sk);
		free(nl);
		return nl_to_errno(ret);
	}
	nl->family = ret;
	*out = nl;
	return 0;
}

void rnfsnl_close(struct rnfsnl *nl)
{
	if (!nl)
		return;
	nl_socket_free(nl->sk);
	if (nl->ev_sk)
		nl_socket_free(nl->ev_sk);
	free(nl);
}

struct mount_list {
	struct rnfsnl_mount *mounts;
	size_t count, size;
};

static int add_mount(struct nl_msg *msg, void *arg)
{
	struct mount_list *l = arg;
	struct rnfsnl_mount *bigger;

	if (l->count == l->size) {
		size_t size = l->size ? 2 * l->size : 8;

		bigger = realloc(l->mounts, size * sizeof(*bigger));
		if (!bigger)
			return -ENOMEM;
		l->mounts = bigger;
		l->size = size;
	}
	if (parse_mount(msg, &l->mounts[l->count]))
		return -EPROTO;
	l->count++;
	return 0;
}

int rnfsnl_get_mounts(struct rnfsnl *nl, struct rnfsnl_mount **mounts,
		      size_t *count)
{
	struct mount_list l = { 0 };
	struct nl_msg *msg;
	int ret;

	msg = new_request(nl, RNFS_CMD_GET_MOUNT, NLM_F_DUMP);
	if (!msg)
		return -ENOMEM;
	ret = transact(nl, msg, add_mount, &l);
	if (ret) {
		free(l.mounts);
		return ret;
	}
	*mounts = l.mounts;
	*count = l.count;
	return 0;
}

static int one_mount(struct nl_msg *msg, void *arg)
{
	return parse_mount(msg, arg);
}

/* A request naming a mount: its st_dev, and its id if known. */
static struct nl_msg *mount_request(struct rnfsnl *nl, uint8_t cmd,
				    uint32_t dev, uint32_t id)
{
	struct nl_msg *msg = new_request(nl, cmd, 0);

	if (msg && (nla_put_u32(msg, RNFS_A_MOUNT_DEV, dev) < 0 ||
		    (id && nla_put_u32(msg, RNFS_A_MOUNT_ID, id) < 0))) {
		nlmsg_free(msg);
		return NULL;
	}
	return msg;
}

int rnfsnl_get_mount(struct rnfsnl *nl, uint32_t dev, struct rnfsnl_mount *m)
{
	struct nl_msg *msg = mount_request(nl, RNFS_CMD_GET_MOUNT, dev, 0);

	if (!msg)
		return -ENOMEM;
	m->nr = 0;
	return transact(nl, msg, one_mount, m);
}

int rnfsnl_set_mount(struct rnfsnl *nl, uint32_t dev, uint32_t id,
		     const struct rnfsnl_tunables *t)
{
	struct nl_msg *msg = mount_request(nl, RNFS_CMD_SET_MOUNT, dev, id);

	if (!msg)
		return -ENOMEM;
	if ((t->has_timeo &&
	     nla_put_u32(msg, RNFS_A_MOUNT_TIMEO, t->timeo) < 0) ||
	    (t->has_retrans &&
	     nla_put_u32(msg, RNFS_A_MOUNT_RETRANS, t->retrans) < 0) ||
	    (t->has_failback &&
	     nla_put_u8(msg, RNFS_A_MOUNT_FAILBACK, t->failback) < 0) ||
	    (t->has_failback_delay &&
	     nla_put_u32(msg, RNFS_A_MOUNT_FAILBACK_DELAY,
			 t->failback_delay) < 0)) {
		nlmsg_free(msg);
		return -ENOMEM;
	}
	return transact(nl, msg, NULL, NULL);
}

int rnfsnl_switch(struct rnfsnl *nl, uint32_t dev, uint32_t id,
		  unsigned int index)
{
	struct nl_msg *msg = mount_request(nl, RNFS_CMD_SWITCH, dev, id);

	if (!msg)
		return -ENOMEM;
	if (nla_put_u32(msg, RNFS_A_REPLICA_INDEX, index) < 0) {
		nlmsg_free(msg);
		return -ENOMEM;
	}
	return transact(nl, msg, NULL, NULL);
}

int rnfsnl_set_replica_state(struct rnfsnl *nl, uint32_t dev, uint32_t id,
			     unsigned int index,
			     enum rnfs_replica_health state,
			     const char *reason)
{
	struct nl_msg *msg = mount_request(nl, RNFS_CMD_SET_REPLICA_STATE,
					   dev, id);
	char text[RNFSNL_REASON_LEN];

	if (!msg)
		return -ENOMEM;
	snprintf(text, sizeof(text), "%s", reason ? reason : "");
	if (nla_put_u32(msg, RNFS_A_REPLICA_INDEX, index) < 0 ||
	    nla_put_u8(msg, RNFS_A_REPLICA_STATE, state) < 0 ||
	    (text[0] && nla_put_string(msg, RNFS_A_EVENT_REASON, text) < 0)) {
		nlmsg_free(msg);
		return -ENOMEM;
	}
	return transact(nl, msg, NULL, NULL);
}

int rnfsnl_events_subscribe(struct rnfsnl *nl)
{
	int group, ret;

	if (nl->ev_sk)
		return 0;
	group = genl_ctrl_resolve_grp(nl->sk, RNFS_GENL_NAME,
				      RNFS_GENL_MCGRP_EVENTS);
	if (group < 0)
		return nl_to_errno(group);
	nl->ev_sk = nl_socket_alloc();
	if (!nl->ev_sk)
		return -ENOMEM;
	/* Events are not answers to anything: no sequence numbers. */
	nl_socket_disable_seq_check(nl->ev_sk);
	ret = genl_connect(nl->ev_sk);
	if (ret >= 0)
		ret = nl_socket_add_membership(nl->ev_sk, group);
	if (ret < 0) {
		nl_socket_free(nl->ev_sk);
		nl->ev_sk = NULL;
		return nl_to_errno(ret);
	}
	return 0;
}

int rnfsnl_fd(struct rnfsnl *nl)
{
	return nl->ev_sk ? nl_socket_get_fd(nl->ev_sk) : -1;
}

struct event_sink {
	void (*fn)(const struct rnfsnl_event *ev, void *arg);
	void *arg;
};

static int on_event(struct nl_msg *msg, void *arg)
{
	struct nlattr *tb[RNFS_A_MAX + 1];
	struct event_sink *sink = arg;
	struct genlmsghdr *gh = nlmsg_data(nlmsg_hdr(msg));
	struct rnfsnl_event ev;

	if (gh->cmd != RNFS_CMD_EVENT ||
	    genlmsg_parse(nlmsg_hdr(msg), 0, tb, RNFS_A_MAX, policy) ||
	    !tb[RNFS_A_MOUNT_DEV] || !tb[RNFS_A_EVENT_TYPE])
		return NL_SKIP;
	memset(&ev, 0, sizeof(ev));
	parse_event(tb, &ev);
	ev.dev = nla_get_u32(tb[RNFS_A_MOUNT_DEV]);
	ev.id = tb[RNFS_A_MOUNT_ID] ? nla_get_u32(tb[RNFS_A_MOUNT_ID]) : 0;
	copy_string(ev.source, sizeof(ev.source), tb[RNFS_A_MOUNT_SOURCE]);
	sink->fn(&ev, sink->arg);
	return NL_OK;
}

static int no_seq_check(struct nl_msg *msg, void *arg)
{
	(void)msg;
	(void)arg;
	return NL_OK;
}

int rnfsnl_event_read(struct rnfsnl *nl,
		      void (*fn)(const struct rnfsnl_event *ev, void *arg),
		      void *arg)
{
	struct event_sink sink = { .fn = fn, .arg = arg };
	struct nl_cb *cb;
	int ret;

	if (!nl->ev_sk)
		return -EINVAL;
	cb = nl_cb_alloc(NL_CB_DEFAULT);
	if (!cb)
		return -ENOMEM;
	nl_cb_set(cb, NL_CB_VALID, NL_CB_CUSTOM, on_event, &sink);
	/* This callback set replaces the socket's: no sequence check here either. */
	nl_cb_set(cb, NL_CB_SEQ_CHECK, NL_CB_CUSTOM, no_seq_check, NULL);
	ret = nl_recvmsgs(nl->ev_sk, cb);
	nl_cb_put(cb);
	return ret < 0 ? nl_to_errno(ret) : 0;
}
