// SPDX-License-Identifier: GPL-2.0
/*
 * nfs4cl: show and steer rnfs mounts (nfs4cl(8)).  The name and the
 * showfs output are AIX's, so existing cluster scripts keep working.
 * This file picks the subcommand; each lives in its own file.
 */
#include <getopt.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stdio.h>
#include <string.h>

#include "nfs4cl.h"
#include "version.h"

struct command {
	const char *name;
	int (*run)(int argc, char **argv);
	const char *usage;
};

static const struct command commands[] = {
	{ "showfs", nfs4cl_showfs,
	  "showfs [-f field | --json] [path...]" },
	{ "setfsoptions", nfs4cl_setfsoptions,
	  "setfsoptions path option[,option...] [option...]" },
	{ "switch", nfs4cl_switch,
	  "switch path server" },
	{ "events", nfs4cl_events,
	  "events [--json]" },
	{ "swaps", nfs4cl_swaps,
	  "swaps [--json]" },
};

#define NR_COMMANDS	(sizeof(commands) / sizeof(commands[0]))

/* The usage line of @cmd, or of every command. */
static void synopsis(FILE *f, const char *cmd)
{
	bool first = true;
	size_t i;

	for (i = 0; i < NR_COMMANDS; i++) {
		if (cmd && strcmp(cmd, commands[i].name))
			continue;
		fprintf(f, "%s nfs4cl %s\n", first ? "Usage:" : "      ",
			commands[i].usage);
		first = false;
	}
	if (!cmd)
		fputs("       nfs4cl -h | --help | --version\n", f);
}

void nfs4cl_usage(FILE *f, const char *cmd)
{
	synopsis(f, cmd);
	if (cmd)
		return;
	fputs("\n"
"  showfs        show rnfs mounts and their replicas (AIX layout)\n"
"                  -f field: one field per mount: server, remote,\n"
"                  fsid, local, current, current_host, state,\n"
"                  failovers, options, replicas\n"
"                  --json: everything, as JSON\n"
"  setfsoptions  change timeo=, retrans=, failback=auto|manual,\n"
"                  failback_delay= of a mounted rnfs file system\n"
"  switch        make the mount use another of its replicas\n"
"                  (server: host, address or host:/path)\n"
"  events        print failovers and other events as they happen\n"
"  swaps         list the swap files on rnfs mounts: size, use,\n"
"                  priority and the server they page to now\n"
"\n"
"A path is any file on the mount.  Exit status: 0 done, 1 failed,\n"
"2 usage error.  See nfs4cl(8).\n", f);
}

int nfs4cl_usage_error(const char *cmd, const char *fmt, ...)
{
	va_list ap;

	fprintf(stderr, "nfs4cl: %s%s", cmd ? cmd : "", cmd ? ": " : "");
	va_start(ap, fmt);
	vfprintf(stderr, fmt, ap);
	va_end(ap);
	fputc('\n', stderr);
	synopsis(stderr, cmd);
	return NFS4CL_USAGE;
}

int nfs4cl_json_option(const char *cmd, int argc, char **argv, bool *json)
{
	static const struct option longopts[] = {
		{ "json",	no_argument,	NULL, 'j' },
		{ "help",	no_argument,	NULL, 'h' },
		{ NULL, 0, NULL, 0 }
	};
	int c;

	*json = false;
	opterr = 0;
	optind = 0;	/* glibc: start over, on this argv */
	while ((c = getopt_long(argc, argv, ":h", longopts, NULL)) != -1) {
		switch (c) {
		case 'j':
			*json = true;
			break;
		case 'h':
			nfs4cl_usage(stdout, cmd);
			return -1;
		default:
			return nfs4cl_usage_error(cmd, "unknown option '%s'",
						  argv[optind - 1]);
		}
	}
	if (optind < argc)
		return nfs4cl_usage_error(cmd, "unexpected argument '%s'",
					  argv[optind]);
	return NFS4CL_OK;
}

int main(int argc, char **argv)
{
	size_t i;

	if (argc < 2)
		return nfs4cl_usage_error(NULL, "no command given");
	if (!strcmp(argv[1], "-h") || !strcmp(argv[1], "--help") ||
	    !strcmp(argv[1], "help")) {
		nfs4cl_usage(stdout, NULL);
		return NFS4CL_OK;
	}
	if (!strcmp(argv[1], "--version")) {
		printf("nfs4cl (rnfs) %s\n", RNFS_VERSION);
		return NFS4CL_OK;
	}
	for (i = 0; i < NR_COMMANDS; i++)
		if (!strcmp(argv[1], commands[i].name))
			return commands[i].run(argc - 1, argv + 1);
	return nfs4cl_usage_error(NULL, "unknown command '%s'", argv[1]);
}
