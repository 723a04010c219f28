// SPDX-License-Identifier: GPL-2.0
/*
 * The "rnfs" generic netlink family (kmod/uapi/rnfs.h): what nfs4cl shows
 * and changes, where rnfsd's probe verdicts come in, and the events group.
 *
 * Mounts are found through a list of their own, under mounts_lock: a
 * mount joins it once it is fully set up and leaves it in kill_sb before
 * it is torn down, so a command holding the mutex always sees a live
 * mount.  The family is in the initial network namespace only.
 */
#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <linux/stringify.h>
#include <net/genetlink.h>

#include "rnfs.h"

static LIST_HEAD(mounts);		/* by id, ascending */
static DEFINE_MUTEX(mounts_lock);
static u32 last_id;

static struct genl_family rnfs_genl_family;

void rnfs_nl_mount_add(struct rnfs_fs *fs)
{
	mutex_lock(&mounts_lock);
	fs->id = ++last_id;
	list_add_tail(&fs->nl_node, &mounts);
	mutex_unlock(&mounts_lock);
}

void rnfs_nl_mount_del(struct rnfs_fs *fs)
{
	mutex_lock(&mounts_lock);
	list_del_init(&fs->nl_node);
	mutex_unlock(&mounts_lock);
}

/*
 * Commands that change a mount need CAP_SYS_ADMIN, like mount(2) itself
 * (GENL_ADMIN_PERM would ask for CAP_NET_ADMIN instead).
 */
static int require_admin(struct sk_buff *skb, struct genl_info *info)
{
	if (netlink_capable(skb, CAP_SYS_ADMIN))
		return 0;
	NL_SET_ERR_MSG(info->extack, "needs CAP_SYS_ADMIN");
	return -EPERM;
}

/* Under mounts_lock. */
static struct rnfs_fs *mount_by_dev(struct genl_info *info)
{
	struct nlattr *attr = info->attrs[RNFS_A_MOUNT_DEV];
	struct rnfs_fs *fs;
	dev_t dev;

	if (!attr) {
		NL_SET_ERR_MSG(info->extack, "no mount given (RNFS_A_MOUNT_DEV)");
		return ERR_PTR(-EINVAL);
	}
	dev = new_decode_dev(nla_get_u32(attr));
	list_for_each_entry(fs, &mounts, nl_node) {
		if (fs->dev != dev)
			continue;
		/*
		 * Device numbers are reused at once: a command meant for a
		 * mount that is gone must not change the next one.
		 */
		attr = info->attrs[RNFS_A_MOUNT_ID];
		if (attr && nla_get_u32(attr) != fs->id) {
			NL_SET_ERR_MSG_ATTR(info->extack, attr,
					    "that mount is gone");
			return ERR_PTR(-ESTALE);
		}
		return fs;
	}
	NL_SET_ERR_MSG_ATTR(info->extack, attr, "not an rnfs mount");
	return ERR_PTR(-ENODEV);
}

/* Under mounts_lock: @fs->replica[] is fixed, so the index is safe. */
static struct rnfs_replica *replica_by_index(struct rnfs_fs *fs,
					     struct genl_info *info)
{
	struct nlattr *attr = info->attrs[RNFS_A_REPLICA_INDEX];

	if (!attr) {
		NL_SET_ERR_MSG(info->extack, "no replica given (RNFS_A_REPLICA_INDEX)");
		return ERR_PTR(-EINVAL);
	}
	if (nla_get_u32(attr) >= fs->nr) {
		NL_SET_ERR_MSG_ATTR(info->extack, attr, "no such replica");
		return ERR_PTR(-EINVAL);
	}
	return fs->replica[nla_get_u32(attr)];
}

/* What GET_MOUNT reports, taken at once under fs->lock. */
struct mount_snapshot {
	int active;
	unsigned long failovers;
	struct rnfs_event_rec last;
	struct {
		u8 health;
		unsigned long failures;
		u32 inflight;
		bool heard;
		u32 silent_ms;
	} r[RNFS_MAX_REPLICAS];
};

static void snapshot(struct rnfs_fs *fs, struct mount_snapshot *s)
{
	unsigned long heard[RNFS_MAX_REPLICAS];
	unsigned int i;

	/* Lock-free, and it may update the replica's reply time. */
	for (i = 0; i < fs->nr; i++)
		heard[i] = rnfs_replica_heard(fs->replica[i]);

	spin_lock(&fs->lock);
	s->active = fs->active ? fs->active->index : -1;
	s->failovers = fs->failovers;
	s->last = fs->last_event;
	for (i = 0; i < fs->nr; i++) {
		struct rnfs_replica *r = fs->replica[i];

		s->r[i].health = rnfs_replica_health(r);
		s->r[i].failures = r->failures;
		s->r[i].inflight = atomic_read(&r->inflight);
		s->r[i].heard = READ_ONCE(r->recvs) != 0;	/* ever */
		s->r[i].silent_ms = min_t(u64, U32_MAX,
					  jiffies64_to_msecs(jiffies - heard[i]));
	}
	spin_unlock(&fs->lock);
}

static int put_event(struct sk_buff *skb, const struct rnfs_event_rec *ev,
		     bool with_age)
{
	if (nla_put_u8(skb, RNFS_A_EVENT_TYPE, ev->type) ||
	    (ev->from >= 0 && nla_put_u32(skb, RNFS_A_EVENT_FROM, ev->from)) ||
	    (ev->to >= 0 && nla_put_u32(skb, RNFS_A_EVENT_TO, ev->to)) ||
	    (ev->reason[0] &&
	     nla_put_string(skb, RNFS_A_EVENT_REASON, ev->reason)))
		return -EMSGSIZE;
	if (with_age &&
	    nla_put_u64_64bit(skb, RNFS_A_EVENT_AGE_MS,
			      jiffies64_to_msecs(jiffies - ev->when), RNFS_A_PAD))
		return -EMSGSIZE;
	return 0;
}

static int put_replicas(struct sk_buff *skb, struct rnfs_fs *fs,
			const struct mount_snapshot *s)
{
	struct nlattr *list, *one;
	unsigned int i;

	list = nla_nest_start(skb, RNFS_A_MOUNT_REPLICAS);
	if (!list)
		return -EMSGSIZE;
	for (i = 0; i < fs->nr; i++) {
		one = nla_nest_start(skb, RNFS_A_REPLICA);
		if (!one ||
		    nla_put_u32(skb, RNFS_A_REPLICA_INDEX, i) ||
		    nla_put_string(skb, RNFS_A_REPLICA_HOST, fs->replica[i]->host) ||
		    nla_put_string(skb, RNFS_A_REPLICA_PATH, fs->replica[i]->path) ||
		    nla_put_u8(skb, RNFS_A_REPLICA_STATE, s->r[i].health) ||
		    nla_put_u64_64bit(skb, RNFS_A_REPLICA_FAILURES,
				      s->r[i].failures, RNFS_A_PAD) ||
		    nla_put_u32(skb, RNFS_A_REPLICA_INFLIGHT, s->r[i].inflight) ||
		    (s->r[i].heard &&
		     nla_put_u32(skb, RNFS_A_REPLICA_SILENT_MS, s->r[i].silent_ms)))
			return -EMSGSIZE;
		nla_nest_end(skb, one);
	}
	nla_nest_end(skb, list);
	return 0;
}

static int fill_mount(struct sk_buff *skb, struct rnfs_fs *fs, u32 portid,
		      u32 seq, int flags)
{
	struct mount_snapshot s;
	struct nlattr *ev;
	void *hdr;

	snapshot(fs, &s);
	hdr = genlmsg_put(skb, portid, seq, &rnfs_genl_family, flags,
			  RNFS_CMD_GET_MOUNT);
	if (!hdr)
		return -EMSGSIZE;
	if (nla_put_u32(skb, RNFS_A_MOUNT_DEV, new_encode_dev(fs->dev)) ||
	    nla_put_u32(skb, RNFS_A_MOUNT_ID, fs->id) ||
	    nla_put_string(skb, RNFS_A_MOUNT_SOURCE, fs->source) ||
	    nla_put_u64_64bit(skb, RNFS_A_MOUNT_FSID_MAJOR, fs->fsid_major,
			      RNFS_A_PAD) ||
	    nla_put_u64_64bit(skb, RNFS_A_MOUNT_FSID_MINOR, fs->fsid_minor,
			      RNFS_A_PAD) ||
	    (s.active >= 0 && nla_put_u32(skb, RNFS_A_MOUNT_ACTIVE, s.active)) ||
	    nla_put_u32(skb, RNFS_A_MOUNT_TIMEO, READ_ONCE(fs->timeo)) ||
	    nla_put_u32(skb, RNFS_A_MOUNT_RETRANS, READ_ONCE(fs->retrans)) ||
	    nla_put_u8(skb, RNFS_A_MOUNT_FAILBACK,
		       READ_ONCE(fs->failback_auto) ? RNFS_FAILBACK_AUTO :
						      RNFS_FAILBACK_MANUAL) ||
	    nla_put_u32(skb, RNFS_A_MOUNT_FAILBACK_DELAY,
			READ_ONCE(fs->failback_delay)) ||
	    nla_put_u8(skb, RNFS_A_MOUNT_SOFT, READ_ONCE(fs->soft)) ||
	    nla_put_u64_64bit(skb, RNFS_A_MOUNT_FAILOVERS, s.failovers,
			      RNFS_A_PAD))
		goto full;
	if (s.last.type != RNFS_EVENT_NONE) {
		ev = nla_nest_start(skb, RNFS_A_MOUNT_LAST_EVENT);
		if (!ev || put_event(skb, &s.last, true))
			goto full;
		nla_nest_end(skb, ev);
	}
	if (put_replicas(skb, fs, &s))
		goto full;
	genlmsg_end(skb, hdr);
	return 0;
full:
	genlmsg_cancel(skb, hdr);
	return -EMSGSIZE;
}

/* One mount per message; cb->args[0] is the last id sent. */
static int get_mount_dump(struct sk_buff *skb, struct netlink_callback *cb)
{
	struct rnfs_fs *fs;
	int ret = 0;

	mutex_lock(&mounts_lock);
	list_for_each_entry(fs, &mounts, nl_node) {
		if (fs->id <= cb->args[0])
			continue;
		ret = fill_mount(skb, fs, NETLINK_CB(cb->skb).portid,
				 cb->nlh->nlmsg_seq, NLM_F_MULTI);
		if (ret)
			break;
		cb->args[0] = fs->id;
	}
	mutex_unlock(&mounts_lock);
	/* A full skb ends this part of the dump; the rest follows. */
	if (ret == -EMSGSIZE && skb->len)
		return skb->len;
	return ret ?: skb->len;
}

/*
 * Room for one GET_MOUNT message about @fs: fixed-size attributes, the
 * strings, and room to spare for the nesting.
 */
static size_t mount_msg_size(const struct rnfs_fs *fs)
{
	size_t size = NLMSG_GOODSIZE + nla_total_size(strlen(fs->source) + 1);
	unsigned int i;

	for (i = 0; i < fs->nr; i++)
		size += nla_total_size(strlen(fs->replica[i]->host) + 1) +
			nla_total_size(strlen(fs->replica[i]->path) + 1) + 128;
	return size;
}

static int get_mount_doit(struct sk_buff *skb, struct genl_info *info)
{
	struct sk_buff *msg = NULL;
	struct rnfs_fs *fs;
	int ret;

	mutex_lock(&mounts_lock);
	fs = mount_by_dev(info);
	if (IS_ERR(fs)) {
		ret = PTR_ERR(fs);
		goto out;
	}
	msg = genlmsg_new(mount_msg_size(fs), GFP_KERNEL);
	ret = msg ? fill_mount(msg, fs, info->snd_portid, info->snd_seq, 0) :
		    -ENOMEM;
out:
	mutex_unlock(&mounts_lock);
	if (ret) {
		nlmsg_free(msg);
		return ret;
	}
	return genlmsg_reply(msg, info);
}

/* Every value is checked before any is applied. */
static int set_mount_doit(struct sk_buff *skb, struct genl_info *info)
{
	struct nlattr **a = info->attrs;
	struct rnfs_fs *fs;
	int ret;

	ret = require_admin(skb, info);
	if (ret)
		return ret;
	if (a[RNFS_A_MOUNT_TIMEO] &&
	    (!nla_get_u32(a[RNFS_A_MOUNT_TIMEO]) ||
	     nla_get_u32(a[RNFS_A_MOUNT_TIMEO]) > RNFS_MAX_TIMEO)) {
		NL_SET_ERR_MSG_ATTR(info->extack, a[RNFS_A_MOUNT_TIMEO],
				    "timeo must be 1 to "
				    __stringify(RNFS_MAX_TIMEO) " deciseconds");
		return -EINVAL;
	}
	if (a[RNFS_A_MOUNT_RETRANS] &&
	    (!nla_get_u32(a[RNFS_A_MOUNT_RETRANS]) ||
	     nla_get_u32(a[RNFS_A_MOUNT_RETRANS]) > RNFS_MAX_RETRANS)) {
		NL_SET_ERR_MSG_ATTR(info->extack, a[RNFS_A_MOUNT_RETRANS],
				    "retrans must be 1 to "
				    __stringify(RNFS_MAX_RETRANS));
		return -EINVAL;
	}
	if (a[RNFS_A_MOUNT_FAILBACK_DELAY] &&
	    nla_get_u32(a[RNFS_A_MOUNT_FAILBACK_DELAY]) > RNFS_MAX_FAILBACK_DELAY) {
		NL_SET_ERR_MSG_ATTR(info->extack, a[RNFS_A_MOUNT_FAILBACK_DELAY],
				    "failback_delay is at most "
				    __stringify(RNFS_MAX_FAILBACK_DELAY) " seconds");
		return -EINVAL;
	}

	mutex_lock(&mounts_lock);
	fs = mount_by_dev(info);
	if (IS_ERR(fs)) {
		ret = PTR_ERR(fs);
		goto out;
	}
	if (a[RNFS_A_MOUNT_TIMEO])
		WRITE_ONCE(fs->timeo, nla_get_u32(a[RNFS_A_MOUNT_TIMEO]));
	if (a[RNFS_A_MOUNT_RETRANS])
		WRITE_ONCE(fs->retrans, nla_get_u32(a[RNFS_A_MOUNT_RETRANS]));
	if (a[RNFS_A_MOUNT_FAILBACK_DELAY])
		WRITE_ONCE(fs->failback_delay,
			   nla_get_u32(a[RNFS_A_MOUNT_FAILBACK_DELAY]));
	if (a[RNFS_A_MOUNT_FAILBACK])
		WRITE_ONCE(fs->failback_auto, nla_get_u8(a[RNFS_A_MOUNT_FAILBACK]) ==
					      RNFS_FAILBACK_AUTO);
	pr_info("%s: timeo=%u retrans=%u failback=%s failback_delay=%u\n",
		rnfs_fs_label(fs), READ_ONCE(fs->timeo), READ_ONCE(fs->retrans),
		READ_ONCE(fs->failback_auto) ? "auto" : "manual",
		READ_ONCE(fs->failback_delay));
	/* A new failback policy or delay applies at once. */
	rnfs_fs_kick(fs);
out:
	mutex_unlock(&mounts_lock);
	return ret;
}

static int switch_doit(struct sk_buff *skb, struct genl_info *info)
{
	struct rnfs_replica *r;
	struct rnfs_fs *fs;
	int ret;

	ret = require_admin(skb, info);
	if (ret)
		return ret;
	mutex_lock(&mounts_lock);
	fs = mount_by_dev(info);
	r = IS_ERR(fs) ? ERR_CAST(fs) : replica_by_index(fs, info);
	if (IS_ERR(r))
		ret = PTR_ERR(r);
	else
		ret = rnfs_fs_switch(fs, r->index);
	mutex_unlock(&mounts_lock);
	if (ret == -EHOSTDOWN)
		NL_SET_ERR_MSG(info->extack, "that replica is down");
	return ret;
}

/*
 * rnfsd's verdicts.  Only the kernel's own probe makes a replica UP (it
 * must have a working lower mount); rnfsd can only hold one down, or ask
 * for a probe now.
 */
static int set_replica_state_doit(struct sk_buff *skb, struct genl_info *info)
{
	struct nlattr *reason_attr = info->attrs[RNFS_A_EVENT_REASON];
	unsigned long until = jiffies + RNFS_VERDICT_TTL_S * HZ;
	char why[RNFS_REASON_LEN];
	struct rnfs_replica *r;
	struct rnfs_fs *fs;
	unsigned int gen;
	u8 verdict;
	int ret;

	ret = require_admin(skb, info);
	if (ret)
		return ret;
	if (!info->attrs[RNFS_A_REPLICA_STATE]) {
		NL_SET_ERR_MSG(info->extack, "no state given (RNFS_A_REPLICA_STATE)");
		return -EINVAL;
	}
	verdict = nla_get_u8(info->attrs[RNFS_A_REPLICA_STATE]);
	snprintf(why, sizeof(why), "rnfsd: %s",
		 reason_attr ? (char *)nla_data(reason_attr) : "probe failed");

	mutex_lock(&mounts_lock);
	fs = mount_by_dev(info);
	r = IS_ERR(fs) ? ERR_CAST(fs) : replica_by_index(fs, info);
	if (IS_ERR(r)) {
		ret = PTR_ERR(r);
		goto out;
	}
	spin_lock(&fs->lock);
	gen = r->gen;
	/*
	 * rnfsd may be wrong (an export it cannot check, say): it may not
	 * take away the only replica left.  The request deadlines still
	 * apply to that one.
	 */
	if (verdict == RNFS_HEALTH_DOWN && r->state == RNFS_REPLICA_UP &&
	    !rnfs_other_up(fs, r))
		verdict = RNFS_HEALTH_SUSPECT;
	switch (verdict) {
	case RNFS_HEALTH_DOWN:
		r->verdict_down = true;
		r->verdict_down_until = until;
		break;
	case RNFS_HEALTH_SUSPECT:
		r->verdict_suspect = true;
		r->verdict_suspect_until = until;
		break;
	case RNFS_HEALTH_UP:
		r->verdict_down = false;
		r->verdict_suspect = false;
		break;
	}
	spin_unlock(&fs->lock);

	if (verdict == RNFS_HEALTH_DOWN)
		rnfs_replica_failed(r, gen, why);	/* no-op if down */
	else if (verdict == RNFS_HEALTH_UP)
		rnfs_fs_kick(fs);			/* probe it now */
out:
	mutex_unlock(&mounts_lock);
	return ret;
}

static const struct nla_policy rnfs_policy[RNFS_A_MAX + 1] = {
	[RNFS_A_MOUNT_DEV]		= { .type = NLA_U32 },
	[RNFS_A_MOUNT_ID]		= { .type = NLA_U32 },
	[RNFS_A_MOUNT_TIMEO]		= { .type = NLA_U32 },
	[RNFS_A_MOUNT_RETRANS]		= { .type = NLA_U32 },
	[RNFS_A_MOUNT_FAILBACK]		= NLA_POLICY_MAX(NLA_U8, RNFS_FAILBACK_MAX),
	[RNFS_A_MOUNT_FAILBACK_DELAY]	= { .type = NLA_U32 },
	[RNFS_A_REPLICA_INDEX]		= { .type = NLA_U32 },
	[RNFS_A_REPLICA_STATE]		= NLA_POLICY_MAX(NLA_U8, RNFS_HEALTH_MAX),
	[RNFS_A_EVENT_REASON]		= { .type = NLA_NUL_STRING,
					    .len = RNFS_REASON_LEN - 1 },
};

static const struct genl_ops rnfs_genl_ops[] = {
	{
		.cmd	= RNFS_CMD_GET_MOUNT,
		.doit	= get_mount_doit,
		.dumpit	= get_mount_dump,
		/* Open to every user: it shows nothing secret. */
	},
	{
		.cmd	= RNFS_CMD_SET_MOUNT,
		.doit	= set_mount_doit,
		/* CAP_SYS_ADMIN: see require_admin() */
	},
	{
		.cmd	= RNFS_CMD_SWITCH,
		.doit	= switch_doit,
		/* CAP_SYS_ADMIN: see require_admin() */
	},
	{
		.cmd	= RNFS_CMD_SET_REPLICA_STATE,
		.doit	= set_replica_state_doit,
		/* CAP_SYS_ADMIN: see require_admin() */
	},
};

static const struct genl_multicast_group rnfs_mcgrps[] = {
	{ .name = RNFS_GENL_MCGRP_EVENTS },
};

static struct genl_family rnfs_genl_family = {
	.name		= RNFS_GENL_NAME,
	.version	= RNFS_GENL_VERSION,
	.maxattr	= RNFS_A_MAX,
	.policy		= rnfs_policy,
	.module		= THIS_MODULE,
	.ops		= rnfs_genl_ops,
	.n_ops		= ARRAY_SIZE(rnfs_genl_ops),
	/* resv_start_op 0: every command is checked strictly. */
	.mcgrps		= rnfs_mcgrps,
	.n_mcgrps	= ARRAY_SIZE(rnfs_mcgrps),
};

/*
 * Record @fs's last event and tell the events group.  Called without
 * fs->lock, from process context; the message is best effort (GFP_NOWAIT:
 * a failover may happen under memory pressure), the kernel log line that
 * goes with every event is not.
 */
void rnfs_event(struct rnfs_fs *fs, enum rnfs_event type,
		struct rnfs_replica *from, struct rnfs_replica *to,
		const char *reason)
{
	struct rnfs_event_rec ev = {
		.type = type,
		.from = from ? from->index : -1,
		.to = to ? to->index : -1,
		.when = jiffies,
	};
	struct sk_buff *skb;
	void *hdr;

	strscpy(ev.reason, reason ?: "", sizeof(ev.reason));
	spin_lock(&fs->lock);
	fs->last_event = ev;
	spin_unlock(&fs->lock);

	if (!genl_has_listeners(&rnfs_genl_family, &init_net, 0))
		return;
	skb = genlmsg_new(NLMSG_GOODSIZE + strlen(fs->source),
			  GFP_NOWAIT | __GFP_NOWARN);
	if (!skb)
		return;
	hdr = genlmsg_put(skb, 0, 0, &rnfs_genl_family, 0, RNFS_CMD_EVENT);
	if (!hdr ||
	    nla_put_u32(skb, RNFS_A_MOUNT_DEV, new_encode_dev(fs->dev)) ||
	    nla_put_u32(skb, RNFS_A_MOUNT_ID, fs->id) ||
	    nla_put_string(skb, RNFS_A_MOUNT_SOURCE, fs->source) ||
	    put_event(skb, &ev, false)) {
		nlmsg_free(skb);
		return;
	}
	genlmsg_end(skb, hdr);
	genlmsg_multicast(&rnfs_genl_family, skb, 0, 0, GFP_NOWAIT);
}

int __init rnfs_nl_init(void)
{
	return genl_register_family(&rnfs_genl_family);
}

void rnfs_nl_exit(void)
{
	genl_unregister_family(&rnfs_genl_family);
}
