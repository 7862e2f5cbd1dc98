/*
 * bench_desk: the calling desk's own loop inside one process, "next lead" then "call
 * log", as fast as the store allows, on a fresh SQLite database (DESK_PAIRS pairs,
 * default 5,000; DESK_DB the file, default bench/out/desk.db). Prints pairs per second.
 * What is measured is the store's work: selection, hold, the call's transaction with the
 * lead, qualification, counters and rollups.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "core/tz.h"
#include "store/store.h"

static double seconds(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

static void die(const char *what, const struct tp_error *err)
{
	fprintf(stderr, "bench_desk: %s: %s: %s\n", what, err->field, err->reason);
	exit(1);
}

int main(void)
{
	const char *path = getenv("DESK_DB") ? getenv("DESK_DB") : "bench/out/desk.db";
	long pairs = getenv("DESK_PAIRS") ? strtol(getenv("DESK_PAIRS"), NULL, 10) : 5000;
	char url[512], wal[520];
	struct tp_error err;
	struct store *s;
	struct campaign c;
	struct store_import *imp;
	struct import_stats st = {0};
	int64_t uid, sid, t;
	double start, elapsed;
	long done = 0;

	snprintf(url, sizeof(url), "sqlite:%s", path);
	unlink(path);
	snprintf(wal, sizeof(wal), "%s-wal", path);
	unlink(wal);
	tp_error_clear(&err);
	if (!(s = store_open(url, NULL, &err)))
		die("open", &err);
	if (store_user_add(s, "agent", "agent", "!", &uid, &err))
		die("user", &err);
	campaign_init(&c);
	campaign_set_str(&c.name, "Bench");
	campaign_set_str(&c.kind, "appointment");
	campaign_set_str(&c.audience, "b2b");
	campaign_set_str(&c.timezone, "Europe/Paris");
	campaign_set_str(&c.region, "FR");
	if (campaign_add_windows(&c, "mon-sun 00:00-24:00", &err) || store_campaign_add(s, &c, &err))
		die("campaign", &err);
	if (!(imp = store_import_begin(s, c.id, &err)))
		die("import", &err);
	for (long i = 0; i < pairs + 100; i++) {
		struct prospect p;

		memset(&p, 0, sizeof(p));
		for (int f = 0; f < F_COUNT; f++)
			p.field[f] = "";
		p.field[F_COMPANY] = "Bench SA";
		snprintf(p.phone, sizeof(p.phone), "+33%09d", (int)(142000000 + i));
		p.lead_phone = p.phone;
		if (store_import_prospect(imp, &p, &err) < 0)
			die("lead", &err);
		st.imported++;
	}
	if (store_import_commit(imp, "bench", &st, &err))
		die("commit", &err);
	t = tz_utc("Europe/Paris", 2026, 12, 1, 9, 0, 0);
	if (store_session_start(s, "agent", "Bench", t, &sid, &err))
		die("session", &err);
	start = seconds();
	for (long i = 0; i < pairs; i++) {
		static const char *const results[] = {"no_answer", "busy", "conversation", "gatekeeper"};
		struct next_lead lead;
		struct call_input in = {0};
		int64_t call_id, appt_id;
		bool replayed;

		t += 20;
		if (store_next_lead(s, "agent", "Bench", t, &lead, &err))
			die("next", &err);
		in.agent = "agent";
		in.lead_id = lead.lead_id;
		in.result = results[i % 4];
		in.outcome = i % 4 == 2 ? "hot_short" : NULL;
		in.started_at = t;
		in.ring_seconds = 10;
		in.talk_seconds = i % 4 == 2 ? 60 : 0;
		if (store_call_log(s, &in, &call_id, &appt_id, &replayed, &err))
			die("call", &err);
		t += 70;
		done++;
	}
	elapsed = seconds() - start;
	printf("desk bench: %ld next + call log pairs in %.2f s: %.0f pairs/s (one process, SQLite)\n", done, elapsed,
		(double)done / elapsed);
	campaign_release(&c);
	store_close(s);
	return 0;
}
