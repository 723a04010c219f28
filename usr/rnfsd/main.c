// SPDX-License-Identifier: GPL-2.0
/*
 * rnfsd, the rnfs replica health daemon: options, privileges, signals.
 * The work is done by the housekeeper (daemon.c) and the probe threads
 * (watch.c); see rnfsd(8).
 *
 * Exit status: 0 after SIGTERM or SIGINT, 1 on a fatal error (no
 * CAP_SYS_ADMIN...), 2 on a usage error; --once has its own (once.c).
 */
#include <errno.h>
#include <getopt.h>
#include <math.h>
#include <pthread.h>
#include <signal.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>
#include <sys/eventfd.h>
#include <sys/syscall.h>
#include <linux/capability.h>

#include "log.h"
#include "rnfsd.h"
#include "verdict.h"
#include "version.h"

#define INTERVAL_MIN_MS		100
#define INTERVAL_MAX_MS		60000

uint64_t rnfsd_interval_ms = 1000;
static atomic_int exit_status;

uint64_t rnfsd_now_ms(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (uint64_t)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

uint64_t rnfsd_left_ms(uint64_t end)
{
	uint64_t now = rnfsd_now_ms();

	return end > now ? end - now : 0;
}

void rnfsd_fatal(int status)
{
	atomic_store(&exit_status, status);
	/* main() waits for SIGTERM in sigwait(): the same clean way out. */
	kill(getpid(), SIGTERM);
}

static void usage(FILE *f)
{
	fputs("Usage: rnfsd [-f] [-v] [-i SECONDS]\n"
	      "       rnfsd --once\n"
	      "Probe every replica of every rnfs mount and tell rnfs.ko which answer.\n"
	      "\n"
	      "  -f, --foreground      stay in the foreground, log to stderr too\n"
	      "  -i, --interval SECS   probe every SECS seconds (default 1, 0.1 to 60)\n"
	      "  -v, --verbose         log every probe\n"
	      "      --once            probe every replica once, print a table, exit\n"
	      "  -h, --help            show this help\n"
	      "      --version         show the version\n", f);
}

static int parse_interval(const char *arg)
{
	char *end;
	double s;

	errno = 0;
	s = strtod(arg, &end);
	if (errno || end == arg || *end || !isfinite(s) ||
	    s * 1000 < INTERVAL_MIN_MS || s * 1000 > INTERVAL_MAX_MS) {
		fprintf(stderr, "rnfsd: bad interval \"%s\": seconds from %g to %g\n",
			arg, INTERVAL_MIN_MS / 1000.0,
			INTERVAL_MAX_MS / 1000.0);
		return -1;
	}
	rnfsd_interval_ms = (uint64_t)(s * 1000 + 0.5);
	return 0;
}

/*
 * The kernel checks for CAP_SYS_ADMIN on every verdict; checking here
 * too says so at start, not at the first verdict, maybe days later.
 */
static bool have_sys_admin(void)
{
	struct __user_cap_header_struct hdr = {
		.version = _LINUX_CAPABILITY_VERSION_3,
	};
	struct __user_cap_data_struct data[_LINUX_CAPABILITY_U32S_3];

	memset(data, 0, sizeof(data));
	/* Cannot tell: let the kernel decide. */
	if (syscall(SYS_capget, &hdr, data))
		return true;
	return data[CAP_TO_INDEX(CAP_SYS_ADMIN)].effective &
	       CAP_TO_MASK(CAP_SYS_ADMIN);
}

/* Wait for SIGTERM or SIGINT, serving SIGHUP meanwhile. */
static void wait_for_end(const sigset_t *set)
{
	int sig;

	for (;;) {
		if (sigwait(set, &sig))
			continue;
		if (sig == SIGHUP) {
			log_msg(LOG_INFO, "SIGHUP: reading the mounts again");
			daemon_kick();
			continue;
		}
		break;
	}
}

int main(int argc, char **argv)
{
	static const struct option longopts[] = {
		{ "foreground", no_argument, NULL, 'f' },
		{ "interval", required_argument, NULL, 'i' },
		{ "verbose", no_argument, NULL, 'v' },
		{ "once", no_argument, NULL, 'o' },
		{ "help", no_argument, NULL, 'h' },
		{ "version", no_argument, NULL, 'V' },
		{ NULL, 0, NULL, 0 }
	};
	bool foreground = false, verbose = false, once = false;
	uint64_t one = 1;
	sigset_t set;
	int c, stop_fd, ret;

	while ((c = getopt_long(argc, argv, "fi:vh", longopts, NULL)) != -1) {
		switch (c) {
		case 'f':
			foreground = true;
			break;
		case 'i':
			if (parse_interval(optarg))
				return 2;
			break;
		case 'v':
			verbose = true;
			break;
		case 'o':
			once = true;
			break;
		case 'h':
			usage(stdout);
			return 0;
		case 'V':
			printf("rnfsd (rnfs) %s\n", RNFS_VERSION);
			return 0;
		default:
			usage(stderr);
			return 2;
		}
	}
	if (optind < argc) {
		usage(stderr);
		return 2;
	}
	/* A probe thread must get EPIPE, not die, on a closed socket. */
	signal(SIGPIPE, SIG_IGN);
	if (once)
		return once_run();

	if (!have_sys_admin()) {
		fprintf(stderr, "rnfsd: needs CAP_SYS_ADMIN to tell the kernel about replicas (run it as root)\n");
		return 1;
	}
	if (!foreground && daemon(0, 0)) {
		fprintf(stderr, "rnfsd: daemon: %s\n", strerror(errno));
		return 1;
	}
	log_open(foreground, verbose);

	/* Every thread inherits the mask: only sigwait() sees these. */
	sigemptyset(&set);
	sigaddset(&set, SIGTERM);
	sigaddset(&set, SIGINT);
	sigaddset(&set, SIGHUP);
	pthread_sigmask(SIG_BLOCK, &set, NULL);

	stop_fd = eventfd(0, EFD_CLOEXEC);
	if (stop_fd < 0) {
		log_msg(LOG_ERR, "eventfd: %s", strerror(errno));
		return 1;
	}
	ret = daemon_start(stop_fd);
	if (ret) {
		log_msg(LOG_ERR, "cannot start: %s", strerror(-ret));
		close(stop_fd);
		return 1;
	}
	log_msg(LOG_NOTICE, "rnfsd %s started; probing every %llu ms",
		RNFS_VERSION, (unsigned long long)rnfsd_interval_ms);

	wait_for_end(&set);

	/* Wakes every poll() in every probe, and the housekeeper. */
	if (write(stop_fd, &one, sizeof(one)) < 0)
		log_msg(LOG_ERR, "stop: %s", strerror(errno));
	daemon_join();
	verdict_close();
	close(stop_fd);
	ret = atomic_load(&exit_status);
	log_msg(ret ? LOG_ERR : LOG_NOTICE, "rnfsd stopped");
	log_close();
	return ret;
}
