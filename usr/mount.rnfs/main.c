// SPDX-License-Identifier: GPL-2.0
/*
 * mount.rnfs: the helper mount(8) runs for "mount -t rnfs" and rnfs lines
 * in /etc/fstab, as
 *
 *   mount.rnfs source dir [-sfnvrw] [-N namespace] [-o options] [-t type]
 *
 * It turns host names into addresses (rnfs.ko takes numeric addresses
 * only), checks what it can, and mounts.  See mount.rnfs(8).
 */
#include <getopt.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "kmount.h"
#include "options.h"
#include "report.h"
#include "resolve.h"
#include "status.h"
#include "version.h"

static void usage(FILE *f)
{
	fprintf(f,
		"Usage: " RNFS_MOUNT_PROG " source dir [-sfnvrw] [-N namespace] [-o options]\n"
		"\n"
		"Mount an rnfs filesystem: one NFS mount served by an ordered list of\n"
		"replica servers.  Normally run by mount(8): mount -t rnfs ...\n"
		"\n"
		"  source         server:/path with -o replicas=path@server:path@server...,\n"
		"                 or server,server...:/path\n"
		"  -o options     comma-separated mount options (see mount.rnfs(8))\n"
		"  -r, -w         the same as -o ro, -o rw\n"
		"  -f             do everything but the mount itself\n"
		"  -v             say what is done\n"
		"  -s             skip options the kernel does not know\n"
		"  -n             accepted, for mount(8) (there is no mtab to write)\n"
		"  -N namespace   mount in this mount namespace (file or PID)\n"
		"  -h, --help     this help\n"
		"  -V, --version  the version\n");
}

/* The -o strings and -r/-w, in order, as one option string. */
struct optbuf {
	char *s;
	size_t len;
};

static int optbuf_add(struct optbuf *b, const char *opts)
{
	size_t add = strlen(opts);
	char *s;

	if (!add)
		return 0;
	s = realloc(b->s, b->len + add + 2);
	if (!s)
		return -1;
	if (b->len)
		s[b->len++] = ',';
	memcpy(s + b->len, opts, add + 1);
	b->s = s;
	b->len += add;
	return 0;
}

/* -v: what the names became and what the kernel will be given. */
static void tell(const struct rnfs_mopts *mo)
{
	char name[RNFS_HOST_LEN + RNFS_PATH_LEN + 4];
	static char opts[8192];
	unsigned int i;

	for (i = 0; i < mo->spec.nr; i++) {
		rnfs_mopts_replica_name(mo, i, name, sizeof(name));
		chatter("replica %u \"%s\": %s", i + 1, name, mo->addr[i]);
	}
	if (rnfs_mopts_kernel_string(mo, opts, sizeof(opts)))
		strcpy(opts, "(too long to show)");
	chatter("source %s, options %s", mo->source, opts);
	if (rnfs_mopts_attr_string(mo->attr, opts, sizeof(opts)))
		opts[0] = '\0';
	chatter("mount attributes %s", opts);
}

int main(int argc, char **argv)
{
	static const struct option longopts[] = {
		{ "help",	no_argument,	NULL, 'h' },
		{ "version",	no_argument,	NULL, 'V' },
		{ NULL,		0,		NULL, 0 },
	};
	/* Static: struct rnfs_mopts holds every replica's path. */
	static struct rnfs_mopts mo;
	struct rnfs_kmount_cfg cfg = { .dir = NULL };
	struct optbuf opts = { NULL, 0 };
	const char *source = NULL;
	char err[RNFS_MOPTS_ERR_LEN];
	bool fake = false;
	int c, ret;

	opterr = 0;
	/* '-': operands come back in place, wherever mount(8) puts them. */
	while ((c = getopt_long(argc, argv, "-sfnvrwo:N:t:hV", longopts,
				NULL)) != -1) {
		switch (c) {
		case 1:
			if (!source) {
				source = optarg;
			} else if (!cfg.dir) {
				cfg.dir = optarg;
			} else {
				report("too many arguments: %s", optarg);
				goto bad_usage;
			}
			break;
		case 's':
			cfg.sloppy = true;
			break;
		case 'f':
			fake = true;
			break;
		case 'n':
			break;	/* there is no mtab to keep */
		case 'v':
			cfg.verbose = true;
			break;
		case 'r':
		case 'w':
		case 'o':
			if (optbuf_add(&opts, c == 'o' ? optarg :
					      c == 'r' ? "ro" : "rw")) {
				report("out of memory");
				ret = RNFS_EX_SYSERR;
				goto out;
			}
			break;
		case 'N':
			cfg.ns = optarg;
			break;
		case 't':
			break;	/* "rnfs", or a subtype: no use */
		case 'h':
			usage(stdout);
			ret = RNFS_EX_OK;
			goto out;
		case 'V':
			printf(RNFS_MOUNT_PROG " (rnfs) " RNFS_VERSION "\n");
			ret = RNFS_EX_OK;
			goto out;
		default:
			if (optopt && strchr("oNt", optopt))
				report("option -%c needs a value", optopt);
			else if (optopt)
				report("unknown option -%c", optopt);
			else
				report("unknown option %s", argv[optind - 1]);
			goto bad_usage;
		}
	}
	if (!cfg.dir) {
		report("expected a source and a mount point");
		goto bad_usage;
	}
	/* A fake mount changes nothing: anyone may check an fstab line. */
	if (!fake && geteuid() != 0) {
		report("only root can mount rnfs filesystems");
		ret = RNFS_EX_USAGE;
		goto out;
	}

	ret = rnfs_mopts_parse(&mo, source, opts.s, rnfs_resolve, err);
	if (ret) {
		report("%s", err);
		goto out;
	}
	if (cfg.verbose)
		tell(&mo);
	if (fake)
		goto out;
	ret = rnfs_kmount(&mo, &cfg);
	if (!ret && cfg.verbose)
		chatter("%s mounted on %s", mo.source, cfg.dir);
	goto out;

bad_usage:
	fprintf(stderr, "Try '" RNFS_MOUNT_PROG " --help' for more.\n");
	ret = RNFS_EX_USAGE;
out:
	rnfs_mopts_free(&mo);
	free(opts.s);
	return ret;
}
