// SPDX-License-Identifier: GPL-2.0
/*
 * The per-replica probe state machine; the rules are in health.h.
 */
#include "health.h"

static uint64_t max_u64(uint64_t a, uint64_t b)
{
	return a > b ? a : b;
}

static uint64_t min_u64(uint64_t a, uint64_t b)
{
	return a < b ? a : b;
}

static uint64_t rise_floor(const struct health_params *p)
{
	return 2 * p->interval_ms;
}

static uint64_t rise_cap(const struct health_params *p)
{
	return max_u64(rise_floor(p), p->failback_ms);
}

uint64_t health_flap_window_ms(const struct health_params *p)
{
	return max_u64(2 * rise_cap(p), HEALTH_FLAP_WINDOW_MIN_MS);
}

uint64_t health_rise_ms(const struct health *h, const struct health_params *p)
{
	return min_u64(max_u64(h->rise_ms, rise_floor(p)), rise_cap(p));
}

static enum rnfs_replica_health verdict_of(enum health_state s)
{
	switch (s) {
	case HEALTH_UP:
		return RNFS_HEALTH_UP;
	case HEALTH_SUSPECT:
		return RNFS_HEALTH_SUSPECT;
	case HEALTH_DOWN:
	case HEALTH_PROBING:
		break;
	}
	return RNFS_HEALTH_DOWN;
}

const char *health_state_name(enum health_state s)
{
	switch (s) {
	case HEALTH_UP:
		return "up";
	case HEALTH_SUSPECT:
		return "suspect";
	case HEALTH_DOWN:
		return "down";
	case HEALTH_PROBING:
		return "probing";
	}
	return "unknown";
}

void health_init(struct health *h, enum rnfs_replica_health kernel_state,
		 uint64_t now_ms)
{
	*h = (struct health) {
		.state = kernel_state == RNFS_HEALTH_DOWN ? HEALTH_DOWN :
							   HEALTH_UP,
		.verdict = kernel_state,
		.calm_ms = now_ms,
	};
}

/*
 * Halve rise once per full flap window spent usable.  Computed rather
 * than looped: the first update after a long calm may cover many windows.
 */
static void decay(struct health *h, const struct health_params *p,
		  uint64_t now)
{
	uint64_t window = health_flap_window_ms(p);
	uint64_t n;

	if (now < h->calm_ms)
		return;
	n = (now - h->calm_ms) / window;
	if (!n)
		return;
	h->calm_ms += n * window;
	h->rise_ms = n >= 64 ? 0 : h->rise_ms >> n;
	h->rise_ms = health_rise_ms(h, p);
}

static void go_down(struct health *h, const struct health_params *p,
		    uint64_t now)
{
	/* Down again soon after coming up: a flap. */
	if (h->came_up && now - h->up_ms < health_flap_window_ms(p)) {
		h->rise_ms = min_u64(2 * h->rise_ms, rise_cap(p));
		h->rise_doubled = true;
	}
	h->came_up = false;
	h->state = HEALTH_DOWN;
}

static void come_up(struct health *h, uint64_t now)
{
	h->state = HEALTH_UP;
	h->came_up = true;
	h->up_ms = now;
	h->calm_ms = now;
}

bool health_update(struct health *h, const struct health_params *p,
		   const struct health_probe *r)
{
	enum rnfs_replica_health old = h->verdict;

	/* The bounds move with the tunables: keep rise inside them. */
	h->rise_ms = health_rise_ms(h, p);
	h->rise_doubled = false;

	switch (h->state) {
	case HEALTH_UP:
	case HEALTH_SUSPECT:
		if (r->ok) {
			h->state = HEALTH_UP;
			decay(h, p, r->end_ms);
			break;
		}
		if (h->state == HEALTH_UP) {
			h->state = HEALTH_SUSPECT;
			h->fail_start_ms = r->start_ms;
		}
		if (r->end_ms - h->fail_start_ms >= p->deadline_ms)
			go_down(h, p, r->end_ms);
		break;
	case HEALTH_DOWN:
		if (!r->ok)
			break;
		h->state = HEALTH_PROBING;
		h->ok_start_ms = r->end_ms;
		/* With no other replica usable, straight on to UP. */
		__attribute__((__fallthrough__));
	case HEALTH_PROBING:
		if (!r->ok)
			h->state = HEALTH_DOWN;
		else if (!r->others_up ||
			 r->end_ms - h->ok_start_ms >= h->rise_ms)
			come_up(h, r->end_ms);
		break;
	}
	h->verdict = verdict_of(h->state);
	return h->verdict != old;
}
