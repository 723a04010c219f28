// SPDX-License-Identifier: GPL-2.0
/*
 * usr/rnfsd/health.c: every transition of the probe state machine, the
 * deadline to the millisecond, flap damping, and simulated flapping
 * servers against a model of the kernel's failback rule.
 */
#include <stdbool.h>
#include <stdint.h>

#include "unit.h"
#include "../../usr/rnfsd/health.h"

#define INTERVAL	1000
#define DEADLINE	3000		/* timeo=10, retrans=3 */
#define FAILBACK	30000

static struct health h;
static struct health_params p;

static void setup(enum rnfs_replica_health kernel_state)
{
	p = (struct health_params) {
		.interval_ms = INTERVAL,
		.deadline_ms = DEADLINE,
		.failback_ms = FAILBACK,
	};
	health_init(&h, kernel_state, 0);
}

/* One probe over [start, end]; another replica of the mount is usable. */
static bool probe(bool ok, uint64_t start, uint64_t end)
{
	struct health_probe r = {
		.ok = ok, .start_ms = start, .end_ms = end, .others_up = true,
	};

	return health_update(&h, &p, &r);
}

/* A fast probe (refused, or answered) at @t. */
static bool ok_at(uint64_t t)
{
	return probe(true, t, t + 1);
}

static bool fail_at(uint64_t t)
{
	return probe(false, t, t + 1);
}

/* From DOWN, succeed every interval from @t until UP; returns when. */
static uint64_t bring_up(uint64_t t)
{
	while (h.state != HEALTH_UP) {
		CU_ASSERT_TRUE_FATAL(h.state == HEALTH_DOWN ||
				     h.state == HEALTH_PROBING);
		ok_at(t);
		t += INTERVAL;
	}
	return t;
}

/* From UP, a blackholed probe at @t: DOWN at once. */
static uint64_t take_down(uint64_t t)
{
	probe(false, t, t + DEADLINE);
	CU_ASSERT_EQUAL(h.state, HEALTH_DOWN);
	return t + DEADLINE;
}

static void init_from_kernel(void)
{
	setup(RNFS_HEALTH_DOWN);
	CU_ASSERT_EQUAL(h.state, HEALTH_DOWN);
	CU_ASSERT_EQUAL(h.verdict, RNFS_HEALTH_DOWN);
	setup(RNFS_HEALTH_UP);
	CU_ASSERT_EQUAL(h.state, HEALTH_UP);
	CU_ASSERT_EQUAL(h.verdict, RNFS_HEALTH_UP);
	/* A SUSPECT left by an earlier rnfsd: UP, and the verdict differs. */
	setup(RNFS_HEALTH_SUSPECT);
	CU_ASSERT_EQUAL(h.state, HEALTH_UP);
	CU_ASSERT_TRUE(ok_at(1000));
	CU_ASSERT_EQUAL(h.verdict, RNFS_HEALTH_UP);
}

static void up_stays_up(void)
{
	setup(RNFS_HEALTH_UP);
	CU_ASSERT_FALSE(ok_at(1000));
	CU_ASSERT_FALSE(ok_at(2000));
	CU_ASSERT_EQUAL(h.state, HEALTH_UP);
}

static void up_to_suspect(void)
{
	setup(RNFS_HEALTH_UP);
	CU_ASSERT_TRUE(fail_at(1000));
	CU_ASSERT_EQUAL(h.state, HEALTH_SUSPECT);
	CU_ASSERT_EQUAL(h.verdict, RNFS_HEALTH_SUSPECT);
	CU_ASSERT_FALSE(fail_at(2000));
	CU_ASSERT_EQUAL(h.state, HEALTH_SUSPECT);
}

static void suspect_to_up(void)
{
	setup(RNFS_HEALTH_UP);
	fail_at(1000);
	CU_ASSERT_TRUE(ok_at(2000));
	CU_ASSERT_EQUAL(h.state, HEALTH_UP);
	CU_ASSERT_EQUAL(h.verdict, RNFS_HEALTH_UP);
}

/* DOWN exactly D after the start of the first failed probe. */
static void suspect_to_down_at_deadline(void)
{
	setup(RNFS_HEALTH_UP);
	probe(false, 10000, 10004);
	probe(false, 11000, 11003);
	probe(false, 12000, 12002);
	probe(false, 12500, 12999);
	CU_ASSERT_EQUAL(h.state, HEALTH_SUSPECT);
	CU_ASSERT_TRUE(probe(false, 12999, 13000));
	CU_ASSERT_EQUAL(h.state, HEALTH_DOWN);
	CU_ASSERT_EQUAL(h.verdict, RNFS_HEALTH_DOWN);
}

/* A probe silent for all of D is proof enough by itself. */
static void silent_probe_goes_down(void)
{
	setup(RNFS_HEALTH_UP);
	CU_ASSERT_TRUE(probe(false, 5000, 5000 + DEADLINE - 1));
	CU_ASSERT_EQUAL(h.state, HEALTH_SUSPECT);
	setup(RNFS_HEALTH_UP);
	CU_ASSERT_TRUE(probe(false, 5000, 5000 + DEADLINE));
	CU_ASSERT_EQUAL(h.state, HEALTH_DOWN);
}

/* A success in between starts the deadline over. */
static void success_restarts_deadline(void)
{
	setup(RNFS_HEALTH_UP);
	fail_at(0);
	fail_at(1000);
	ok_at(2000);
	fail_at(3000);
	probe(false, 5000, 5999);
	CU_ASSERT_EQUAL(h.state, HEALTH_SUSPECT);
	probe(false, 6000, 6000);
	CU_ASSERT_EQUAL(h.state, HEALTH_DOWN);
}

/* The deadline follows the mount's tunables from one probe to the next. */
static void deadline_follows_tunables(void)
{
	setup(RNFS_HEALTH_UP);
	fail_at(0);
	p.deadline_ms = 60000;
	probe(false, 5000, 5001);
	CU_ASSERT_EQUAL(h.state, HEALTH_SUSPECT);
	p.deadline_ms = 5000;
	probe(false, 6000, 6001);
	CU_ASSERT_EQUAL(h.state, HEALTH_DOWN);
}

static void down_stays_down(void)
{
	setup(RNFS_HEALTH_DOWN);
	CU_ASSERT_FALSE(fail_at(1000));
	CU_ASSERT_EQUAL(h.state, HEALTH_DOWN);
	CU_ASSERT_EQUAL(h.verdict, RNFS_HEALTH_DOWN);
}

/* PROBING is still DOWN for the kernel: no verdict change. */
static void down_to_probing(void)
{
	setup(RNFS_HEALTH_DOWN);
	CU_ASSERT_FALSE(ok_at(1000));
	CU_ASSERT_EQUAL(h.state, HEALTH_PROBING);
	CU_ASSERT_EQUAL(h.verdict, RNFS_HEALTH_DOWN);
}

static void probing_to_down(void)
{
	setup(RNFS_HEALTH_DOWN);
	ok_at(1000);
	ok_at(2000);
	CU_ASSERT_FALSE(fail_at(2500));
	CU_ASSERT_EQUAL(h.state, HEALTH_DOWN);
	/* The rise starts over from the next success. */
	ok_at(3000);
	ok_at(4000);
	CU_ASSERT_EQUAL(h.state, HEALTH_PROBING);
	CU_ASSERT_TRUE(ok_at(5000));
	CU_ASSERT_EQUAL(h.state, HEALTH_UP);
}

/* Rise starts at 2 intervals, measured between successes' ends. */
static void probing_to_up_after_rise(void)
{
	setup(RNFS_HEALTH_DOWN);
	CU_ASSERT_EQUAL(health_rise_ms(&h, &p), 2 * INTERVAL);
	probe(true, 10000, 10010);
	probe(true, 11000, 11010);
	CU_ASSERT_FALSE(probe(true, 12000, 12009));
	CU_ASSERT_EQUAL(h.state, HEALTH_PROBING);
	CU_ASSERT_TRUE(probe(true, 12001, 12010));
	CU_ASSERT_EQUAL(h.state, HEALTH_UP);
	CU_ASSERT_EQUAL(h.verdict, RNFS_HEALTH_UP);
}

/* With no other usable replica the mount takes what answers, at once. */
static void probing_last_resort(void)
{
	struct health_probe r = {
		.ok = true, .start_ms = 1000, .end_ms = 1001,
		.others_up = false,
	};

	setup(RNFS_HEALTH_DOWN);
	CU_ASSERT_TRUE(health_update(&h, &p, &r));
	CU_ASSERT_EQUAL(h.state, HEALTH_UP);
	/* A replica already probing is taken as well. */
	setup(RNFS_HEALTH_DOWN);
	ok_at(1000);
	r.start_ms = 1500;
	r.end_ms = 1501;
	CU_ASSERT_TRUE(health_update(&h, &p, &r));
	CU_ASSERT_EQUAL(h.state, HEALTH_UP);
}

/* Down again within the flap window: rise doubles up to failback_delay. */
static void rise_doubles_on_flaps(void)
{
	static const uint64_t expect[] = {
		4000, 8000, 16000, 30000, 30000
	};
	uint64_t t;
	unsigned int i;

	setup(RNFS_HEALTH_UP);
	t = take_down(1000);
	/* The first fall from an UP the kernel reported is no flap. */
	CU_ASSERT_FALSE(h.rise_doubled);
	CU_ASSERT_EQUAL(health_rise_ms(&h, &p), 2000);
	for (i = 0; i < sizeof(expect) / sizeof(expect[0]); i++) {
		t = bring_up(t + INTERVAL);
		t = take_down(t + INTERVAL);
		CU_ASSERT_EQUAL(health_rise_ms(&h, &p), expect[i]);
	}
	/* ... and the next recovery really takes that long. */
	t += INTERVAL;
	ok_at(t);
	ok_at(t + 29000);
	CU_ASSERT_EQUAL(h.state, HEALTH_PROBING);
	ok_at(t + 30000);
	CU_ASSERT_EQUAL(h.state, HEALTH_UP);
}

/* A fall long after coming up is no flap. */
static void rise_kept_after_long_up(void)
{
	uint64_t t;

	setup(RNFS_HEALTH_DOWN);
	t = bring_up(1000);
	t = take_down(t + HEALTH_FLAP_WINDOW_MIN_MS);
	CU_ASSERT_FALSE(h.rise_doubled);
	CU_ASSERT_EQUAL(health_rise_ms(&h, &p), 2000);
}

/* Each flap window spent usable halves rise, down to 2 intervals. */
static void rise_decays(void)
{
	uint64_t t, window = health_flap_window_ms(&p);
	int i;

	CU_ASSERT_EQUAL(window, HEALTH_FLAP_WINDOW_MIN_MS);
	setup(RNFS_HEALTH_UP);
	t = take_down(0);
	for (i = 0; i < 3; i++) {
		t = bring_up(t + INTERVAL);
		t = take_down(t + INTERVAL);
	}
	CU_ASSERT_EQUAL(health_rise_ms(&h, &p), 16000);
	bring_up(t + INTERVAL);
	t = h.up_ms;
	ok_at(t + window - 2);
	CU_ASSERT_EQUAL(health_rise_ms(&h, &p), 16000);
	/* A suspect spell is no fall: it does not stop the decay. */
	fail_at(t + window - 1);
	ok_at(t + window);
	CU_ASSERT_EQUAL(health_rise_ms(&h, &p), 8000);
	/* Several windows at once, as after a long quiet spell. */
	ok_at(t + 10 * window);
	CU_ASSERT_EQUAL(health_rise_ms(&h, &p), 2000);
}

/* failback_delay below 2 intervals: rise stays at its floor. */
static void rise_floor(void)
{
	uint64_t t;

	setup(RNFS_HEALTH_UP);
	p.failback_ms = 0;
	t = take_down(0);
	t = bring_up(t + INTERVAL);
	t = take_down(t + INTERVAL);
	CU_ASSERT_EQUAL(health_rise_ms(&h, &p), 2 * INTERVAL);
	/* A faster interval lowers the floor: 2 x 250 ms. */
	p.interval_ms = 250;
	CU_ASSERT_EQUAL(health_rise_ms(&h, &p), 500);
	CU_ASSERT_EQUAL(health_flap_window_ms(&p), HEALTH_FLAP_WINDOW_MIN_MS);
	p.failback_ms = 120000;
	CU_ASSERT_EQUAL(health_flap_window_ms(&p), 240000);
}

static void state_names(void)
{
	CU_ASSERT_STRING_EQUAL(health_state_name(HEALTH_UP), "up");
	CU_ASSERT_STRING_EQUAL(health_state_name(HEALTH_SUSPECT), "suspect");
	CU_ASSERT_STRING_EQUAL(health_state_name(HEALTH_DOWN), "down");
	CU_ASSERT_STRING_EQUAL(health_state_name(HEALTH_PROBING), "probing");
	CU_ASSERT_EQUAL(health_deadline_ms(10, 3), 3000);
	CU_ASSERT_EQUAL(health_deadline_ms(600, 10), 600000);
}

/*
 * Flapping servers.  Replica 0, the primary, flaps; replica 1 is always
 * up.  The kernel is modelled by its failback rule only: the mount leaves
 * the active primary on a DOWN verdict, and returns to it once the
 * primary's verdict has not been DOWN for failback_delay.  Whatever the
 * flapping, the mount must not change replica more than once per
 * failback_delay.
 *
 * A server that is down is either refused (the probe fails at once) or
 * silent (the probe fails at its deadline, and the next one starts late).
 *
 * When the probe interval is a multiple of the flap period, every probe
 * lands on the same point of the cycle, shifted only by scheduling jitter
 * (and by late probes): the server then looks like one that fails at
 * random, sometimes after a long spell of good probes.  A prober cannot
 * tell such a spell from a recovery, so a failback is now and then undone
 * within failback_delay by a real outage; the bound there is on the rate.
 */
struct flap_case {
	uint64_t up_ms, down_ms;	/* the server's cycle */
	uint64_t phase_ms;		/* where in it the run starts */
	uint64_t interval_ms, deadline_ms;
	bool blackhole;			/* down = silent, not refused */
};

struct mount_model {
	int active;
	bool primary_ok;		/* verdict not DOWN ... */
	uint64_t ok_since;		/* ... since then */
	unsigned int flips;
	uint64_t last_flip, min_gap;
	unsigned int pingpongs;		/* failbacks undone too soon */
};

#define SIM_MS		(10 * 60 * 1000)

static void flip(struct mount_model *m, int to, uint64_t t)
{
	if (m->flips && t - m->last_flip < m->min_gap)
		m->min_gap = t - m->last_flip;
	if (m->flips && to == 1 && t - m->last_flip < FAILBACK)
		m->pingpongs++;
	m->active = to;
	m->flips++;
	m->last_flip = t;
}

/* The kernel sees the verdict @v from time @t on. */
static void kernel_sees(struct mount_model *m, enum rnfs_replica_health v,
			uint64_t t)
{
	/* A failback that fell due since the previous verdict. */
	if (m->active == 1 && m->primary_ok &&
	    m->ok_since + FAILBACK <= t)
		flip(m, 0, m->ok_since + FAILBACK);
	if (v == RNFS_HEALTH_DOWN) {
		m->primary_ok = false;
		if (m->active == 0)
			flip(m, 1, t);
	} else if (!m->primary_ok) {
		m->primary_ok = true;
		m->ok_since = t;
	}
}

static bool server_up(const struct flap_case *c, uint64_t t)
{
	return (t + c->phase_ms) % (c->up_ms + c->down_ms) < c->up_ms;
}

/* A small deterministic generator for the probes' scheduling jitter. */
static uint32_t jitter_next(uint32_t *seed)
{
	*seed = *seed * 1103515245u + 12345u;
	return *seed >> 16;
}

static void simulate(const struct flap_case *c, struct mount_model *m)
{
	struct health_probe r = { .others_up = true };
	uint64_t tick = 0;
	uint32_t seed = (uint32_t)(c->phase_ms * 7919 + c->up_ms);

	p = (struct health_params) {
		.interval_ms = c->interval_ms,
		.deadline_ms = c->deadline_ms,
		.failback_ms = FAILBACK,
	};
	health_init(&h, RNFS_HEALTH_UP, 0);
	*m = (struct mount_model) {
		.active = 0, .primary_ok = true, .min_gap = UINT64_MAX,
	};
	while (tick < SIM_MS) {
		/* Threads wake a little late; up to a tenth of an interval. */
		r.start_ms = tick + jitter_next(&seed) % (c->interval_ms / 10);
		r.ok = server_up(c, r.start_ms);
		if (r.ok)
			r.end_ms = r.start_ms + 1;
		else
			r.end_ms = r.start_ms +
				   (c->blackhole ? c->deadline_ms : 1);
		health_update(&h, &p, &r);
		kernel_sees(m, h.verdict, r.end_ms);
		/* One probe at a time per replica: a slow one delays the next. */
		tick += c->interval_ms;
		if (tick < r.end_ms)
			tick = r.end_ms;
	}
	kernel_sees(m, h.verdict, SIM_MS);
}

static void flap_run(uint64_t half_period, uint64_t interval,
		     uint64_t deadline, bool blackhole)
{
	static const uint64_t phases[] = { 0, 137, 450, 600, 950, 1234 };
	bool aliased = interval % (2 * half_period) == 0;
	struct mount_model m;
	unsigned int i;

	for (i = 0; i < sizeof(phases) / sizeof(phases[0]); i++) {
		struct flap_case c = {
			.up_ms = half_period, .down_ms = half_period,
			.phase_ms = phases[i], .interval_ms = interval,
			.deadline_ms = deadline, .blackhole = blackhole,
		};

		simulate(&c, &m);
		CU_ASSERT_TRUE(m.flips <= SIM_MS / FAILBACK);
		if (aliased) {
			CU_ASSERT_TRUE(m.pingpongs <= SIM_MS / (5 * FAILBACK));
		} else if (m.flips > 1) {
			CU_ASSERT_TRUE(m.min_gap >= FAILBACK);
		}
	}
}

/* Every flap speed, both intervals, both deadlines, both ways of dying. */
static void flap_matrix(uint64_t half_period)
{
	static const uint64_t intervals[] = { 1000, 250 };
	static const uint64_t deadlines[] = { 1000, 3000 };
	unsigned int i, j;

	for (i = 0; i < 2; i++)
		for (j = 0; j < 2; j++) {
			flap_run(half_period, intervals[i], deadlines[j], false);
			flap_run(half_period, intervals[i], deadlines[j], true);
		}
}

static void flap_500ms(void)
{
	flap_matrix(500);
}

static void flap_2s(void)
{
	flap_matrix(2000);
}

static void flap_5s(void)
{
	flap_matrix(5000);
}

/*
 * A server down long enough to be declared down every time must cause a
 * failover, and then stay out of use: 5 s down, 5 s up.
 */
static void flap_5s_fails_over_once(void)
{
	struct flap_case c = {
		.up_ms = 5000, .down_ms = 5000, .interval_ms = 1000,
		.deadline_ms = 3000,
	};
	struct mount_model m;

	simulate(&c, &m);
	CU_ASSERT_EQUAL(m.flips, 1);
	CU_ASSERT_EQUAL(m.active, 1);
	/* Kept out by a rise longer than the server ever stays up. */
	CU_ASSERT_NOT_EQUAL(h.state, HEALTH_UP);
	CU_ASSERT_TRUE(health_rise_ms(&h, &p) > c.up_ms);
}

/*
 * A server that stays up longer than failback_delay between outages
 * (35 s up, 5 s down) cannot be told from a healthy one at first; the
 * damping must still stop the ping-pong after a few rounds.  Undamped,
 * this is 2 flips per 40 s cycle, 30 in ten minutes.
 */
static void flap_slow_is_damped(void)
{
	struct flap_case c = {
		.up_ms = 35000, .down_ms = 5000, .interval_ms = 1000,
		.deadline_ms = 3000,
	};
	struct mount_model m;

	simulate(&c, &m);
	CU_ASSERT_TRUE(m.flips <= 7);
	CU_ASSERT_TRUE(m.last_flip < 200000);
	CU_ASSERT_EQUAL(m.active, 1);
}

/* A server that comes back for good is used again after failback. */
static void recovered_server_fails_back(void)
{
	struct flap_case c = {
		.up_ms = SIM_MS, .down_ms = 10000, .phase_ms = SIM_MS - 5000,
		.interval_ms = 1000, .deadline_ms = 3000,
	};
	struct mount_model m;

	simulate(&c, &m);
	CU_ASSERT_EQUAL(m.flips, 2);
	CU_ASSERT_EQUAL(m.active, 0);
	CU_ASSERT_TRUE(m.min_gap >= FAILBACK);
}

static const struct unit_test tests[] = {
	{ "init_from_kernel", init_from_kernel },
	{ "up_stays_up", up_stays_up },
	{ "up_to_suspect", up_to_suspect },
	{ "suspect_to_up", suspect_to_up },
	{ "suspect_to_down_at_deadline", suspect_to_down_at_deadline },
	{ "silent_probe_goes_down", silent_probe_goes_down },
	{ "success_restarts_deadline", success_restarts_deadline },
	{ "deadline_follows_tunables", deadline_follows_tunables },
	{ "down_stays_down", down_stays_down },
	{ "down_to_probing", down_to_probing },
	{ "probing_to_down", probing_to_down },
	{ "probing_to_up_after_rise", probing_to_up_after_rise },
	{ "probing_last_resort", probing_last_resort },
	{ "rise_doubles_on_flaps", rise_doubles_on_flaps },
	{ "rise_kept_after_long_up", rise_kept_after_long_up },
	{ "rise_decays", rise_decays },
	{ "rise_floor", rise_floor },
	{ "state_names", state_names },
	{ "flap_500ms", flap_500ms },
	{ "flap_2s", flap_2s },
	{ "flap_5s", flap_5s },
	{ "flap_5s_fails_over_once", flap_5s_fails_over_once },
	{ "flap_slow_is_damped", flap_slow_is_damped },
	{ "recovered_server_fails_back", recovered_server_fails_back },
	{ NULL, NULL }
};

const struct unit_suite health_suite = {
	.name = "health",
	.tests = tests,
};
