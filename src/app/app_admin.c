/*
 * Administration: demo data and moving a database between backends.
 *
 * The demo is believable data to try Telepro with, deterministic for a seed. Three
 * campaigns of different kinds, eight agents with different styles (one books many
 * appointments that sales then mark irrelevant), contact rates that vary by hour and
 * weekday, weeks of sessions, calls and appointment results. Everything goes through the
 * same store functions as real use, so counters and raw data agree.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "app/app_int.h"
#include "core/date.h"
#include "core/tz.h"

/* Per thread: two demos in two threads do not share a generator. */
static _Thread_local uint64_t rng_state;

static uint32_t rnd32(void)
{
	/* xorshift64*: small, fast, and the same everywhere. */
	rng_state ^= rng_state >> 12;
	rng_state ^= rng_state << 25;
	rng_state ^= rng_state >> 27;
	return (uint32_t)((rng_state * 2685821657736338717ULL) >> 32);
}

static int rnd(int n)
{
	return (int)(rnd32() % (uint32_t)n);
}

static double unit(void)
{
	return (double)rnd32() / 4294967296.0;
}

struct agent_style {
	const char *name;
	int campaign;         /* index in campaigns[] */
	double speed;         /* calls per hour, roughly */
	double skill;         /* multiplies the chance to reach the decision maker */
	double closing;       /* multiplies the chance of an appointment */
	double forcing;       /* share of appointments booked against the prospect's will */
};

static const struct agent_style agents[] = {
	{"alice", 1, 14, 1.10, 1.0, 0.05},
	{"bruno", 1, 20, 0.90, 1.6, 0.60},  /* books many appointments; sales will say */
	{"chloe", 1, 11, 1.25, 1.2, 0.05},
	{"david", 0, 24, 1.00, 1.0, 0.10},
	{"emma", 0, 22, 1.05, 1.1, 0.05},
	{"farid", 2, 16, 1.00, 1.0, 0.05},
	{"gaelle", 2, 15, 1.15, 1.0, 0.05},
	{"hugo", 1, 13, 0.95, 0.9, 0.10},
};
#define NAGENTS (sizeof(agents) / sizeof(agents[0]))

static const struct {
	const char *name, *kind, *blocks[2];
	int talk_min, talk_max;   /* seconds of a conversation */
	double appointment;       /* chance a conversation ends in an appointment (or a yes) */
	int daily_calls;
	int leads;
} campaigns[] = {
	{"Salon Lyon 2027", "event", {"14:00-16:00", NULL}, 60, 200, 0.30, 120, 2500},
	{"RDV PME Rhône", "appointment", {"09:30-11:30", "14:00-16:00"}, 300, 3600, 0.12, 40, 3000},
	{"Qualification fichier", "qualification", {"10:00-12:00", NULL}, 90, 400, 0.05, 60, 2000},
};
#define NCAMPAIGNS (sizeof(campaigns) / sizeof(campaigns[0]))

/* Chance to reach the decision maker by local hour and weekday (1 = Monday). */
static double reach(int hour, int weekday)
{
	static const double by_hour[24] = {
		[8] = 0.18, [9] = 0.24, [10] = 0.30, [11] = 0.27, [12] = 0.12, [13] = 0.10,
		[14] = 0.26, [15] = 0.29, [16] = 0.25, [17] = 0.20, [18] = 0.14,
	};
	static const double by_day[7] = {0, 0.85, 1.05, 1.10, 1.05, 0.80, 0};

	return by_hour[hour] * by_day[weekday];
}

static const char *const company_words[] = {"Boulangerie", "Garage", "Cabinet", "Imprimerie", "Transports",
	"Menuiserie", "Hôtel", "Pharmacie", "Agence", "Atelier", "Laboratoire", "Clinique"};
static const char *const family_names[] = {"Martin", "Bernard", "Dubois", "Thomas", "Robert", "Richard", "Petit",
	"Durand", "Leroy", "Moreau", "Simon", "Laurent", "Lefèvre", "Michel", "Garcia", "Roux"};
static const char *const first_names[] = {"Jean", "Marie", "Luc", "Anne", "Paul", "Léa", "Karim", "Zoé", "Hugo",
	"Inès", "Louis", "Chloé"};

static int add_leads(struct store *s, const struct store_who *who, int64_t campaign_id, int n, int index,
	struct tp_error *err)
{
	struct store_import *imp = store_import_begin(s, who, campaign_id, false, err);
	struct import_stats st = {0};

	if (!imp)
		return err->code;
	for (int i = 0; i < n; i++) {
		struct prospect p;
		char company[96], effectif[16];
		const char *qk[1] = {"effectif"}, *qv[1] = {effectif};
		int rc;

		memset(&p, 0, sizeof(p));
		for (int f = 0; f < F_COUNT; f++)
			p.field[f] = "";
		snprintf(company, sizeof(company), "%s %s", company_words[rnd(12)], family_names[rnd(16)]);
		snprintf(effectif, sizeof(effectif), "%d", 1 + rnd(250));
		p.field[F_COMPANY] = company;
		p.field[F_LAST_NAME] = family_names[rnd(16)];
		p.field[F_FIRST_NAME] = first_names[rnd(12)];
		p.field[F_CITY] = "Lyon";
		/* Distinct valid French numbers: 04 7x and 06 ranges. */
		snprintf(p.phone, sizeof(p.phone), "+33%d%08d", index == 2 ? 6 : 4, 72000000 + index * 1000000 + i);
		p.lead_phone = p.phone;
		p.line = i + 2;
		p.nqual = 1;
		p.qual_key = qk;
		p.qual_value = qv;
		if ((rc = store_import_prospect(imp, &p, err)) < 0) {
			store_import_abort(imp);
			return rc;
		}
		if (rc == IMPORT_ADDED)
			st.imported++;
	}
	return store_import_commit(imp, "demo", &st, err);
}

static int setup(struct store *s, const struct store_who *who, int64_t *ids, struct tp_error *err)
{
	int64_t uid;
	int rc;

	for (size_t a = 0; a < NAGENTS; a++)
		if ((rc = store_user_add(s, who, agents[a].name, "agent", "!", &uid, err)))
			return rc;
	if ((rc = store_user_add(s, who, "sophie", "sales", "!", &uid, err)) ||
	    (rc = store_user_add(s, who, "marc", "sales", "!", &uid, err)) ||
	    (rc = store_user_add(s, who, "nadia", "manager", "!", &uid, err)))
		return rc;
	for (size_t i = 0; i < NCAMPAIGNS; i++) {
		struct campaign c;

		campaign_init(&c);
		campaign_set_str(&c.name, campaigns[i].name);
		campaign_set_str(&c.kind, campaigns[i].kind);
		campaign_set_str(&c.audience, "b2b");
		campaign_set_str(&c.timezone, "Europe/Paris");
		campaign_set_str(&c.region, "FR");
		c.daily_calls = campaigns[i].daily_calls;
		c.weekly_calls = campaigns[i].daily_calls * 5;
		c.expected_call_seconds = (campaigns[i].talk_min + campaigns[i].talk_max) / 2;
		c.hourly_cost_cents = 2800;
		if (i == 1) {
			c.daily_appointments = 2;
			c.weekly_appointments = 10;
		}
		for (int b = 0; b < 2 && rc == 0; b++)
			if (campaigns[i].blocks[b])
				rc = campaign_add_blocks(&c, campaigns[i].blocks[b], err);
		if (rc) {
			campaign_release(&c);
			return rc;
		}
		if (i == 2 && ((rc = campaign_set_field(&c, "effectif=number;Effectif de l'entreprise|Company head count", err)) ||
			       (rc = campaign_set_field(&c, "equipe=choice:oui|non|en projet;Équipe commerciale|Sales team", err)))) {
			campaign_release(&c);
			return rc;
		}
		rc = store_campaign_add(s, who, &c, err);
		ids[i] = c.id;
		campaign_release(&c);
		if (rc || (rc = add_leads(s, who, ids[i], campaigns[i].leads, (int)i, err)))
			return rc;
	}
	return 0;
}

/* One agent's half-day of calling from local time start to end (minutes after midnight). */
static int work(struct store *s, const struct store_who *who, const struct agent_style *ag, int ci, int day, int start_min, int end_min,
	long *ncalls, struct tp_error *err)
{
	int y = day / 10000, mo = day / 100 % 100, d = day % 100;
	int64_t t = tz_utc("Europe/Paris", y, mo, d, 0, 0, 0) + (int64_t)start_min * 60 + rnd(900);
	int64_t end = tz_utc("Europe/Paris", y, mo, d, 0, 0, 0) + (int64_t)end_min * 60 + rnd(600);
	int64_t sid, secs;
	int weekday = tz_weekday(day);
	int rc;

	if ((rc = store_session_start(s, ag->name, campaigns[ci].name, t, &sid, err)))
		return rc;
	while (t < end) {
		struct next_lead lead;
		struct call_input in = {0};
		struct tz_local l;
		int64_t call_id, appt_id;
		bool replayed;
		const char *qk[1] = {"equipe"}, *qv[1];

		if (rnd(40) == 0) { /* a short break */
			if ((rc = store_session_pause(s, ag->name, t, err)))
				return rc;
			t += 600 + rnd(900);
			if ((rc = store_session_resume(s, ag->name, t, err)))
				return rc;
		}
		rc = store_next_lead(s, ag->name, campaigns[ci].name, t, &lead, err);
		if (rc == TP_ENOTHING) {
			t += 600;
			continue;
		}
		if (rc)
			return rc;
		tz_local("Europe/Paris", t, &l);
		in.agent = ag->name;
		in.lead_id = lead.lead_id;
		in.started_at = t;
		in.ring_seconds = 8 + rnd(25);
		/* No idempotency key: the demo's agents are its own (its setup adds them), so no
		 * call of theirs can be a retry. Only an appointment's id is read (it comes back
		 * whatever id_unread says). */
		in.id_unread = true;
		if (unit() < reach(l.hour, weekday) * ag->skill) {
			double u = unit(), appt = campaigns[ci].appointment * ag->closing;
			int span = campaigns[ci].talk_max - campaigns[ci].talk_min;

			in.result = "conversation";
			in.talk_seconds = campaigns[ci].talk_min + (int64_t)(span * unit() * unit());
			if (u < appt) {
				in.outcome = ci == 1 ? "appointment" : ci == 0 ? "sale" : "hot_short";
				if (ci == 1) {
					in.appointment_at = t + 86400 * (2 + rnd(10));
					in.sales = rnd(2) ? "sophie" : "marc";
				}
			} else if (u < appt + 0.10) {
				in.outcome = "callback";
				in.callback_at = t + 3600 * (2 + rnd(48));
			} else if (u < appt + 0.20) {
				in.outcome = rnd(3) ? "hot_medium" : "hot_long";
			} else if (u < appt + 0.25) {
				in.outcome = "not_target";
			} else if (u < appt + 0.27) {
				in.outcome = "do_not_call";
			} else {
				in.outcome = "refused";
			}
			if (ci == 2 && rnd(3)) {
				static const char *const eq[] = {"oui", "non", "en projet"};

				qv[0] = eq[rnd(3)];
				in.nqual = 1;
				in.qual_key = qk;
				in.qual_value = qv;
			}
		} else {
			static const char *const misses[] = {"no_answer", "no_answer", "no_answer", "busy", "voicemail",
				"voicemail", "gatekeeper", "gatekeeper", "gatekeeper", "wrong_number"};

			in.result = misses[rnd(10)];
			if (strcmp(in.result, "gatekeeper") == 0)
				in.talk_seconds = 20 + rnd(60);
		}
		if ((rc = store_call_log(s, &in, &call_id, &appt_id, &replayed, err)))
			return rc;
		(*ncalls)++;
		if (appt_id) {
			/* What sales will make of it, known later; recorded now for the demo. */
			bool forced = unit() < ag->forcing;
			bool held = unit() < (forced ? 0.55 : 0.85);
			bool won = held && unit() < (forced ? 0.05 : 0.35);

			if ((rc = store_appointment_result(s, who, appt_id, held ? "held" : "no_show", held ? !forced : -1,
				held ? (won ? "won" : "lost") : "pending", won ? 150000 + rnd(900000) : -1, err)))
				return rc;
		}
		t += in.ring_seconds + in.talk_seconds + 3600 / ag->speed - 60 + rnd(60);
	}
	return store_session_stop(s, ag->name, t, &secs, err);
}

/* The users, campaigns and leads, then one transaction a day: one long transaction
 * leaves PostgreSQL a row version per rewrite of a lead to walk through, and the demo
 * rewrites each lead several times (docs/DEPLOY.md). *stopped: the day that failed. */
static int demo_days(struct store *s, const struct store_who *who, int start, int64_t weeks, long *ncalls,
	int *stopped, struct tp_error *err)
{
	int64_t ids[NCAMPAIGNS];
	int rc;

	*stopped = 0;
	if ((rc = store_begin_bulk(s, err)) == 0 && (rc = setup(s, who, ids, err)) == 0)
		rc = store_commit(s, err);
	if (rc) {
		store_rollback(s);
		return rc;
	}
	for (int64_t day_n = tz_day_number(start); day_n < tz_day_number(start) + weeks * 7; day_n++) {
		int day = tz_day_from_number(day_n), wd = tz_weekday(day);

		if (wd == 0 || wd == 6)
			continue;
		if ((rc = store_begin_bulk(s, err)))
			return rc;
		for (size_t i = 0; i < NAGENTS && rc == 0; i++) {
			if (rnd(20) == 0)
				continue; /* a day off */
			rc = work(s, who, &agents[i], agents[i].campaign, day, 9 * 60, 12 * 60, ncalls, err);
			if (rc == 0)
				rc = work(s, who, &agents[i], agents[i].campaign, day, 14 * 60, 17 * 60 + 30, ncalls, err);
		}
		if (rc == 0)
			rc = store_commit(s, err);
		if (rc) {
			store_rollback(s);
			*stopped = day;
			return rc;
		}
	}
	return 0;
}

int app_demo(struct app *a, int64_t seed, int64_t weeks, const char *start_text, struct app_demo_result *res,
	struct tp_error *err)
{
	struct store_who who = app_who(a);
	struct store *scratch = NULL;
	int start = 20261005, stopped, rc;
	enum store_content content = STORE_FILLED;
	long ncalls = 0;

	memset(res, 0, sizeof(*res));
	if ((rc = app_require(a, APP_ADMIN, "demo", err)))
		return rc;
	if (weeks < 1 || weeks > 104)
		return tp_error_at(err, TP_EUSAGE, NULL, 0, "weeks", "from 1 to 104");
	if (start_text && (rc = date_parse_day(start_text, "start", &start, err)))
		return rc;
	/* Start on the Monday of that week. */
	start = tz_day_from_number(tz_day_number(start) - (tz_weekday(start) + 6) % 7);
	rng_state = 0x9E3779B97F4A7C15ULL ^ (uint64_t)seed * 0xBF58476D1CE4E5B9ULL;
	if (!rng_state)
		rng_state = 1;
	/* Into a new database of a server (PostgreSQL), or one with only its first users, the
	 * demo is made in a scratch SQLite database (those users copied in first, ids kept) by
	 * the same functions, then what it added copied in by bulk loads, all or nothing: call
	 * after call, each a few round trips and rewrites of the same rows, took 18 times
	 * SQLite's time (docs/DEPLOY.md). */
	if (store_bulk_loads(a->store) && (rc = store_content(a->store, &content, err)))
		return rc;
	if (content != STORE_FILLED &&
	    (!(scratch = store_open_scratch(err)) || (rc = store_copy_people(a->store, scratch, err)))) {
		store_close(scratch);
		return err->code;
	}
	rc = demo_days(scratch ? scratch : a->store, &who, start, weeks, &ncalls, &stopped, err);
	if (rc == 0 && scratch)
		rc = store_copy_added(scratch, a->store, err);
	if (rc && stopped) {
		struct tp_error why = *err;

		rc = tp_error_set(err, rc, "%s (the demo stopped on %04d-%02d-%02d; %s)", why.reason, stopped / 10000,
			stopped / 100 % 100, stopped % 100, scratch ? "nothing was written" : "the days before it are kept");
	}
	store_close(scratch);
	if (rc)
		return rc;
	res->campaigns = (int)NCAMPAIGNS;
	res->agents = (int)NAGENTS;
	res->calls = ncalls;
	res->start = start;
	return 0;
}

int app_migrate(const char *from_url, const char *to_url, store_copy_fn fn, void *ctx, int64_t *calls,
	struct tp_error *err)
{
	struct store *from = NULL, *to = NULL;
	struct kpi_filter all = {0};
	struct kpi_counts a, b;
	int rc;

	if (strcmp(from_url, to_url) == 0)
		return tp_error_at(err, TP_EUSAGE, NULL, 0, "to", "--from and --to name the same database");
	if (!(from = store_open(from_url, NULL, err)) || !(to = store_open(to_url, NULL, err)))
		rc = err->code ? err->code : TP_ERR;
	else if ((rc = store_copy(from, to, fn, ctx, err)) == 0 && (rc = store_kpi_totals(from, &all, &a, err)) == 0 &&
		 (rc = store_kpi_totals(to, &all, &b, err)) == 0 && memcmp(&a, &b, sizeof(a)) != 0)
		rc = tp_error_set(err, TP_ERR, "the KPIs of the copy differ from the source's");
	if (rc == 0)
		*calls = a.calls;
	store_close(from);
	store_close(to);
	return rc;
}

int app_backup(struct app *a, const char *path, struct tp_error *err)
{
	int rc = app_require(a, APP_ADMIN, "backup", err);

	if (rc)
		return rc;
	if (!path || !*path)
		return tp_error_at(err, TP_EUSAGE, NULL, 0, "output", "where to write the backup: --output FILE");
	return store_backup(a->store, path, err);
}

/* Copies file to a new temporary file; its name in tmp (removed by the caller). */
static int copy_to_temp(const char *file, char tmp[4096], struct tp_error *err)
{
	const char *dir = getenv("TMPDIR") && *getenv("TMPDIR") ? getenv("TMPDIR") : "/tmp";
	char head[16], buf[65536];
	FILE *in = fopen(file, "rb"), *out = NULL;
	size_t n;
	int fd, rc = 0;

	if (!in)
		return tp_error_at(err, TP_EUSAGE, file, 0, NULL, "cannot read it: %s", strerror(errno));
	/* A SQLite file says so in its first 16 bytes. */
	if (fread(head, 1, sizeof(head), in) != sizeof(head) || memcmp(head, "SQLite format 3", 16) != 0) {
		fclose(in);
		return tp_error_at(err, TP_EUSAGE, file, 0, NULL, "not a backup made by telepro backup (not a SQLite file)");
	}
	snprintf(tmp, 4096, "%s/telepro-restore.XXXXXX", dir);
	if ((fd = mkstemp(tmp)) < 0 || !(out = fdopen(fd, "wb"))) {
		rc = tp_error_set(err, TP_ERR, "%s: %s", tmp, strerror(errno));
		if (fd >= 0)
			close(fd);
		fclose(in);
		return rc;
	}
	rewind(in);
	while ((n = fread(buf, 1, sizeof(buf), in)) > 0)
		if (fwrite(buf, 1, n, out) != n) {
			rc = tp_error_set(err, TP_ERR, "%s: %s", tmp, strerror(errno));
			break;
		}
	if (rc == 0 && ferror(in))
		rc = tp_error_at(err, TP_ERR, file, 0, NULL, "read error: %s", strerror(errno));
	fclose(in);
	if (fclose(out) != 0 && rc == 0)
		rc = tp_error_set(err, TP_ERR, "%s: %s", tmp, strerror(errno));
	return rc;
}

static void remove_sqlite(const char *path)
{
	char side[4200];

	unlink(path);
	snprintf(side, sizeof(side), "%s-wal", path);
	unlink(side);
	snprintf(side, sizeof(side), "%s-shm", path);
	unlink(side);
}

int app_restore(const char *file, const char *to_url, int64_t *calls, struct tp_error *err)
{
	char tmp[4096], url[4200];
	struct store *probe;
	enum store_content content;
	int rc;

	if ((rc = copy_to_temp(file, tmp, err)))
		return rc;
	snprintf(url, sizeof(url), "sqlite:%s", tmp);
	/* Opening the copy brings it to the current schema; a file with no Telepro data in it
	 * is no backup of ours. */
	if (!(probe = store_open(url, NULL, err))) {
		rc = err->code ? err->code : TP_ERR;
	} else {
		if ((rc = store_content(probe, &content, err)) == 0 && content == STORE_NEW)
			rc = tp_error_at(err, TP_EUSAGE, file, 0, NULL, "holds no Telepro data: not a backup of a Telepro"
				" database");
		store_close(probe);
	}
	if (rc == 0)
		rc = app_migrate(url, to_url, NULL, NULL, calls, err);
	remove_sqlite(tmp);
	return rc;
}
