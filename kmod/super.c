// SPDX-License-Identifier: GPL-2.0
/*
 * The rnfs filesystem type: mount options, superblock, statfs,
 * /proc/self/mountinfo.
 *
 *   mount -t rnfs -o replicas=/install@10.0.0.1:/install@10.0.0.2 src /mnt
 *   mount -t rnfs 10.0.0.1,10.0.0.2:/install /mnt
 *
 * Everything userspace passes is checked again here: mount.rnfs resolves
 * host names, the kernel takes numeric addresses only.
 */
#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <linux/cred.h>
#include <linux/fs_context.h>
#include <linux/fs_parser.h>
#include <linux/module.h>
#include <linux/nfs_fs.h>
#include <linux/seq_file.h>
#include <linux/slab.h>
#include <linux/statfs.h>
#include <linux/sunrpc/addr.h>
#include <net/net_namespace.h>

#include "rnfs.h"

#define RNFS_SUPER_MAGIC	0x726e6673	/* "rnfs" */

enum {
	OPT_REPLICAS,
	OPT_TIMEO,
	OPT_RETRANS,
	OPT_FAILBACK,
	OPT_FAILBACK_DELAY,
	OPT_SOFT,
	OPT_HARD,
	OPT_VERS,
	OPT_CONSISTENCY,
	OPT_LOWER,		/* passed to the lower NFS mounts */
};

static const struct constant_table failback_modes[] = {
	{ "auto",	true },
	{ "manual",	false },
	{}
};

static const struct constant_table consistency_modes[] = {
	{ "shared",	false },
	{ "strict",	true },
	{}
};

static const struct fs_parameter_spec rnfs_params[] = {
	fsparam_string("replicas",	OPT_REPLICAS),
	fsparam_u32("timeo",		OPT_TIMEO),
	fsparam_u32("retrans",		OPT_RETRANS),
	fsparam_enum("failback",	OPT_FAILBACK, failback_modes),
	fsparam_u32("failback_delay",	OPT_FAILBACK_DELAY),
	fsparam_flag("soft",		OPT_SOFT),
	fsparam_flag("hard",		OPT_HARD),
	fsparam_string("vers",		OPT_VERS),
	fsparam_enum("consistency",	OPT_CONSISTENCY, consistency_modes),
	/* NFS options that mean the same on every replica. */
	fsparam_u32("rsize",		OPT_LOWER),
	fsparam_u32("wsize",		OPT_LOWER),
	fsparam_string("sec",		OPT_LOWER),
	fsparam_u32("acregmin",		OPT_LOWER),
	fsparam_u32("acregmax",		OPT_LOWER),
	fsparam_u32("acdirmin",		OPT_LOWER),
	fsparam_u32("acdirmax",		OPT_LOWER),
	fsparam_u32("actimeo",		OPT_LOWER),
	fsparam_flag_no("ac",		OPT_LOWER),
	fsparam_flag_no("cto",		OPT_LOWER),
	fsparam_string("lookupcache",	OPT_LOWER),
	fsparam_u32("port",		OPT_LOWER),
	{}
};

/* What the mount options say, until the superblock takes it over. */
struct rnfs_ctx {
	struct rnfs_fs *fs;
	struct rnfs_spec spec;
	bool have_replicas;
};

static int add_lower_opt(struct fs_context *fc, struct rnfs_fs *fs,
			 struct fs_parameter *param)
{
	char *opts;

	/*
	 * The options are kept as one "a=b,c" string, split again for each
	 * lower mount: a comma or '=' in a value (sec="sys,soft") would
	 * smuggle in options of its own.  No NFS value has either.
	 */
	if (param->type == fs_value_is_string &&
	    strpbrk(param->string, ",="))
		return invalfc(fc, "%s=%s: no ',' or '=' allowed in the value",
			       param->key, param->string);
	if (param->type == fs_value_is_flag)
		opts = kasprintf(GFP_KERNEL, "%s%s%s", fs->lower_opts ?: "",
				 fs->lower_opts ? "," : "", param->key);
	else
		opts = kasprintf(GFP_KERNEL, "%s%s%s=%s", fs->lower_opts ?: "",
				 fs->lower_opts ? "," : "", param->key,
				 param->string);
	if (!opts)
		return -ENOMEM;
	kfree(fs->lower_opts);
	fs->lower_opts = opts;
	return 0;
}

static int rnfs_parse_param(struct fs_context *fc, struct fs_parameter *param)
{
	struct rnfs_ctx *ctx = fc->fs_private;
	struct rnfs_fs *fs = ctx->fs;
	struct fs_parse_result result;
	char err[RNFS_SPEC_ERR_LEN];
	int opt;

	opt = fs_parse(fc, rnfs_params, param, &result);
	if (opt < 0)
		return opt;

	switch (opt) {
	case OPT_REPLICAS:
		if (rnfs_spec_parse_replicas(&ctx->spec, param->string, err))
			return invalfc(fc, "replicas: %s", err);
		ctx->have_replicas = true;
		break;
	case OPT_TIMEO:
		if (!result.uint_32 || result.uint_32 > RNFS_MAX_TIMEO)
			return invalfc(fc, "timeo=%u: must be 1 to %u deciseconds",
				       result.uint_32, RNFS_MAX_TIMEO);
		fs->timeo = result.uint_32;
		break;
	case OPT_RETRANS:
		if (!result.uint_32 || result.uint_32 > RNFS_MAX_RETRANS)
			return invalfc(fc, "retrans=%u: must be 1 to %u",
				       result.uint_32, RNFS_MAX_RETRANS);
		fs->retrans = result.uint_32;
		break;
	case OPT_FAILBACK:
		fs->failback_auto = result.uint_32;
		break;
	case OPT_FAILBACK_DELAY:
		if (result.uint_32 > RNFS_MAX_FAILBACK_DELAY)
			return invalfc(fc, "failback_delay=%u: at most %u seconds",
				       result.uint_32, RNFS_MAX_FAILBACK_DELAY);
		fs->failback_delay = result.uint_32;
		break;
	case OPT_SOFT:
		fs->soft = true;
		break;
	case OPT_HARD:
		fs->soft = false;
		break;
	case OPT_VERS:
		if (!strcmp(param->string, "4.1"))
			fs->minorversion = 1;
		else if (!strcmp(param->string, "4.2"))
			fs->minorversion = 2;
		else
			return invalfc(fc, "vers=%s: only 4.1 and 4.2 are supported",
				       param->string);
		break;
	case OPT_CONSISTENCY:
		fs->strict = result.uint_32;
		break;
	case OPT_LOWER:
		return add_lower_opt(fc, fs, param);
	}
	return 0;
}

/* Numeric addresses only: the kernel does not resolve names. */
static int check_addresses(struct fs_context *fc, struct rnfs_spec *spec)
{
	struct sockaddr_storage ss;
	unsigned int i;

	for (i = 0; i < spec->nr; i++) {
		const char *host = spec->replica[i].host;

		if (!rpc_pton(fc->net_ns, host, strlen(host),
			      (struct sockaddr *)&ss, sizeof(ss)))
			return invalfc(fc,
				       "replica %u \"%s\": not an IP address (mount.rnfs resolves names)",
				       i + 1, host);
	}
	return 0;
}

static int make_replicas(struct rnfs_fs *fs, const struct rnfs_spec *spec)
{
	unsigned int i;
	int ret;

	for (i = 0; i < spec->nr; i++) {
		struct rnfs_replica *r = kzalloc(sizeof(*r), GFP_KERNEL);

		if (!r)
			return -ENOMEM;
		r->fs = fs;
		r->index = i;
		INIT_LIST_HEAD(&r->closes);
		INIT_LIST_HEAD(&r->doubts);
		INIT_WORK(&r->fence_work, rnfs_fence_work);
		r->state = RNFS_REPLICA_DOWN;
		strscpy(r->host, spec->replica[i].host, sizeof(r->host));
		strscpy(r->path, spec->replica[i].path, sizeof(r->path));
		fs->replica[i] = r;
		fs->nr++;
		ret = rnfs_workers_init(&r->workers, r->host);
		if (ret)
			return ret;
	}
	return 0;
}

/* Also after a failed fill_super, which put_super would not see. */
static void rnfs_kill_sb(struct super_block *sb)
{
	struct rnfs_fs *fs = RNFS_FS(sb);

	/* Out of netlink's sight before the device number is released. */
	if (fs) {
		rnfs_nl_mount_del(fs);
		/* Writes in doubt hold inodes, which are evicted next. */
		rnfs_doubt_stop(fs);
	}
	kill_anon_super(sb);
	if (fs) {
		rnfs_fs_stop(fs);
		rnfs_fs_put(fs);
	}
}

static int obj_statfs(struct rnfs_obj_req *o)
{
	return rnfs_do_statfs(&o->lower, &o->d.statfs);
}

/*
 * Like stat, statfs answers from the last answer while every replica is
 * down (from zeros if there was none), so that df and umount never hang.
 */
static int rnfs_statfs(struct dentry *dentry, struct kstatfs *buf)
{
	struct rnfs_fs *fs = RNFS_FS(dentry->d_sb);
	struct rnfs_obj_req *o;
	struct rnfs_attempt a;

	rnfs_for_each_attempt(&a, fs, RNFS_NO_WAIT) {
		o = rnfs_obj_alloc(obj_statfs, NULL);
		if (!o)
			return -ENOMEM;
		a.ret = rnfs_obj_exec_on(o, dentry->d_sb->s_root, a.r);
		if (!a.ret) {
			*buf = o->d.statfs;
			spin_lock(&fs->lock);
			fs->statfs = *buf;
			spin_unlock(&fs->lock);
		}
		rnfs_req_put(&o->req);
	}
	if (a.ret == -EHOSTDOWN) {
		spin_lock(&fs->lock);
		*buf = fs->statfs;
		spin_unlock(&fs->lock);
		buf->f_bsize = buf->f_bsize ?: dentry->d_sb->s_blocksize;
		buf->f_namelen = buf->f_namelen ?: NFS_MAXNAMLEN;
		a.ret = 0;
	}
	buf->f_type = RNFS_SUPER_MAGIC;
	return a.ret;
}

static int rnfs_show_options(struct seq_file *m, struct dentry *root)
{
	struct rnfs_fs *fs = RNFS_FS(root->d_sb);
	struct rnfs_replica *active = READ_ONCE(fs->active);
	unsigned int i;

	seq_puts(m, ",replicas=");
	for (i = 0; i < fs->nr; i++) {
		const char *host = fs->replica[i]->host;

		/*
		 * A path may hold a comma or a blank, which would end the
		 * option or the field: octal escapes, as for mount points.
		 */
		if (i)
			seq_putc(m, ':');
		seq_escape(m, fs->replica[i]->path, ", \t\n\\");
		seq_printf(m, strchr(host, ':') ? "@[%s]" : "@%s", host);
	}
	seq_printf(m, ",vers=4.%u,timeo=%u,retrans=%u", fs->minorversion,
		   READ_ONCE(fs->timeo), READ_ONCE(fs->retrans));
	seq_printf(m, ",failback=%s,failback_delay=%u",
		   READ_ONCE(fs->failback_auto) ? "auto" : "manual",
		   READ_ONCE(fs->failback_delay));
	seq_puts(m, READ_ONCE(fs->soft) ? ",soft" : ",hard");
	seq_printf(m, ",consistency=%s", fs->strict ? "strict" : "shared");
	if (fs->lower_opts)
		seq_printf(m, ",%s", fs->lower_opts);
	seq_printf(m, ",active=%s", active ? active->host : "none");
	return 0;
}

/* umount -f: whoever waits for a replica gives up with EIO. */
static void rnfs_umount_begin(struct super_block *sb)
{
	rnfs_fs_abort_waiters(RNFS_FS(sb));
}

static const struct super_operations rnfs_sops = {
	.alloc_inode	= rnfs_alloc_inode,
	.free_inode	= rnfs_free_inode,
	.evict_inode	= rnfs_evict_inode,
	.statfs		= rnfs_statfs,
	.show_options	= rnfs_show_options,
	.umount_begin	= rnfs_umount_begin,
};

static int rnfs_fill_super(struct super_block *sb, struct fs_context *fc)
{
	struct rnfs_ctx *ctx = fc->fs_private;
	struct rnfs_fs *fs = ctx->fs;
	struct rnfs_replica *r;
	struct super_block *lower_sb;
	struct rnfs_attr root_attr;
	struct inode *inode;
	char why[256];
	int ret;

	ret = make_replicas(fs, &ctx->spec);
	if (ret)
		return ret;
	ctx->fs = NULL;
	sb->s_fs_info = fs;		/* kill_sb frees it from here on */
	fs->sb = sb;
	sb->s_op = &rnfs_sops;
	sb->s_d_op = &rnfs_dops;
	sb->s_xattr = rnfs_xattr_handlers;
	sb->s_magic = RNFS_SUPER_MAGIC;
	sb->s_maxbytes = MAX_LFS_FILESIZE;
	sb->s_time_gran = 1;
	sb->s_flags |= SB_NOSEC;
	/*
	 * Not that rnfs has POSIX ACLs: the flag keeps the VFS from applying
	 * the umask, which the lower NFS client applies, or sends to the
	 * server, for the caller (see request.c), as plain NFS does.
	 */
	sb->s_flags |= SB_POSIXACL;

	ret = rnfs_fs_start(fs, &root_attr, why, sizeof(why));
	if (ret == -EHOSTUNREACH)
		errorfc(fc, "no replica answered: %s", why);
	if (ret)
		return ret;

	ret = super_setup_bdi(sb);
	if (ret)
		return ret;
	/*
	 * Every read costs rnfs a request on top of the RPC: read ahead a
	 * few rsize-long requests at a time (they run in parallel), at
	 * least as much as the NFS client would on its own.
	 */
	r = fs->active;
	lower_sb = r->mnt->mnt_sb;
	sb->s_bdi->ra_pages = max_t(unsigned long, lower_sb->s_bdi->ra_pages,
				    RNFS_READAHEAD_RSIZES *
				    (rnfs_lower_rsize(r->mnt) >> PAGE_SHIFT));
	sb->s_bdi->io_pages = sb->s_bdi->ra_pages;
	sb->s_blocksize = lower_sb->s_blocksize;
	sb->s_blocksize_bits = lower_sb->s_blocksize_bits;
	/*
	 * With sec=krb5i or krb5p the NFS client checksums or encrypts
	 * pages as it sends them, and writeback sends the page cache's own:
	 * they must not change meanwhile.  Not otherwise, since a folio stays
	 * under writeback across a failover, and a write to it would wait
	 * as long.  Every replica is mounted with the same sec=.
	 */
	if (rnfs_lower_checksums(r->mnt))
		sb->s_iflags |= SB_I_STABLE_WRITES;

	inode = rnfs_iget(sb, &root_attr, r->mnt->mnt_root);
	if (IS_ERR(inode))
		return PTR_ERR(inode);
	sb->s_root = d_make_root(inode);
	if (!sb->s_root)
		return -ENOMEM;
	ret = rnfs_dentry_init(sb->s_root);
	if (ret)
		return ret;

	fs->dev = sb->s_dev;
	rnfs_nl_mount_add(fs);
	return 0;
}

static int rnfs_get_tree(struct fs_context *fc)
{
	struct rnfs_ctx *ctx = fc->fs_private;
	struct rnfs_fs *fs = ctx->fs;
	char err[RNFS_SPEC_ERR_LEN];
	int ret;

	if (!ctx->have_replicas) {
		if (!fc->source)
			return invalfc(fc, "no replicas= option and no source");
		if (rnfs_spec_parse_short(&ctx->spec, fc->source, err))
			return invalfc(fc, "source %s", err);
	}
	ret = check_addresses(fc, &ctx->spec);
	if (ret)
		return ret;
	fs->ro = fc->sb_flags & SB_RDONLY;
	fs->net = get_net(fc->net_ns);
	fs->cred = get_cred(fc->cred);
	fs->source = kstrdup(fc->source ?: "rnfs", GFP_KERNEL);
	if (!fs->source)
		return -ENOMEM;
	return get_tree_nodev(fc, rnfs_fill_super);
}

static void rnfs_free_fc(struct fs_context *fc)
{
	struct rnfs_ctx *ctx = fc->fs_private;

	if (!ctx)
		return;
	if (ctx->fs)
		rnfs_fs_put(ctx->fs);
	kvfree(ctx);
}

static const struct fs_context_operations rnfs_context_ops = {
	.free		= rnfs_free_fc,
	.parse_param	= rnfs_parse_param,
	.get_tree	= rnfs_get_tree,
};

static int rnfs_init_fs_context(struct fs_context *fc)
{
	struct rnfs_ctx *ctx;

	if (fc->purpose != FS_CONTEXT_FOR_MOUNT)
		return -EOPNOTSUPP;	/* no remount yet: setfsoptions later */
	ctx = kvzalloc(sizeof(*ctx), GFP_KERNEL);
	if (!ctx)
		return -ENOMEM;
	ctx->fs = rnfs_fs_alloc();
	if (!ctx->fs) {
		kvfree(ctx);
		return -ENOMEM;
	}
	fc->fs_private = ctx;
	fc->ops = &rnfs_context_ops;
	return 0;
}

struct file_system_type rnfs_fs_type = {
	.owner			= THIS_MODULE,
	.name			= "rnfs",
	.init_fs_context	= rnfs_init_fs_context,
	.parameters		= rnfs_params,
	.kill_sb		= rnfs_kill_sb,
};
MODULE_ALIAS_FS("rnfs");
