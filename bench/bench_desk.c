/*
 * bench_desk: the calling desk's own loop, "next lead" then "call log", as fast as the
 * store allows, in 1 to 8 processes at once on one database (each process its agent and
 * connection). Usage: bench_desk URL PROCESSES PAIRS_PER_PROCESS. The database must be
 * new and empty (bench/run.sh makes one per run). Prints pairs per second overall.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "core/tz.h"
#include "store/store.h"

static const struct store_who test_who = {"bench", 1764000000};

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

static void setup(const char *url, int procs, long pairs)
{
	struct tp_error err;
	struct store *s;
	struct campaign c;
	struct store_import *imp;
	struct import_stats st = {0};
	int64_t uid;

	tp_error_clear(&err);
	if (!(s = store_open(url, NULL, &err)))
		die("open", &err);
	for (int p = 0; p < procs; p++) {
		char name[32];

		snprintf(name, sizeof(name), "agent%d", p);
		if (store_user_add(s, &test_who, name, "agent", "!", &uid, &err))
			die("user", &err);
	}
	campaign_init(&c);
	campaign_set_str(&c.name, "Bench");
	campaign_set_str(&c.kind, "appointment");
	campaign_set_str(&c.audience, "b2b");
	campaign_set_str(&c.timezone, "Europe/Paris");
	campaign_set_str(&c.region, "FR");
	if (campaign_add_windows(&c, "mon-sun 00:00-24:00", &err) || store_campaign_add(s, &test_who, &c, &err))
		die("campaign", &err);
	if (!(imp = store_import_begin(s, &test_who, c.id, false, &err)))
		die("import", &err);
	for (long i = 0; i < pairs * procs + 100; i++) {
		struct prospect p;

		memset(&p, 0, sizeof(p));
		for (int f = 0; f < F_COUNT; f++)
			p.field[f] = "";
		p.field[F_COMPANY] = "Bench SA";
		snprintf(p.phone, sizeof(p.phone), "+33%09d", (int)(142000000 + i));
		p.lead_phone = p.phone;
		if (store_import_prospect(imp, &p, &err) < 0)
			die("lead", &err);
	}
	if (store_import_commit(imp, "bench", &st, &err))
		die("commit", &err);
	campaign_release(&c);
	store_close(s);
}

static void work(const char *url, int p, long pairs)
{
	static const char *const results[] = {"no_answer", "busy", "conversation", "gatekeeper"};
	struct tp_error err;
	struct store *s;
	char agent[32];
	int64_t t = tz_utc("Europe/Paris", 2026, 12, 1, 9, 0, 0), sid;

	snprintf(agent, sizeof(agent), "agent%d", p);
	tp_error_clear(&err);
	if (!(s = store_open(url, NULL, &err)))
		die("open", &err);
	if (store_session_start(s, agent, "Bench", t, &sid, &err))
		die("session", &err);
	for (long i = 0; i < pairs; i++) {
		struct next_lead lead;
		struct call_input in = {0};
		int64_t call_id, appt_id;
		bool replayed;

		t += 20;
		if (store_next_lead(s, agent, "Bench", t, &lead, &err))
			die("next", &err);
		in.agent = agent;
		in.lead_id = lead.lead_id;
		in.result = results[i % 4];
		in.outcome = i % 4 == 2 ? "hot_short" : NULL;
		in.started_at = t;
		in.ring_seconds = 10;
		in.talk_seconds = i % 4 == 2 ? 60 : 0;
		if (store_call_log(s, &in, &call_id, &appt_id, &replayed, &err))
			die("call", &err);
		t += 70;
	}
	store_close(s);
}

int main(int argc, char **argv)
{
	const char *url;
	int procs;
	long pairs;
	double start, elapsed;

	if (argc != 4 || (procs = (int)strtol(argv[2], NULL, 10)) < 1 || procs > 8 || (pairs = strtol(argv[3], NULL, 10)) < 1) {
		fprintf(stderr, "usage: bench_desk URL PROCESSES(1-8) PAIRS_PER_PROCESS\n");
		return 2;
	}
	url = argv[1];
	setup(url, procs, pairs);
	start = seconds();
	for (int p = 0; p < procs; p++) {
		pid_t pid = fork();

		if (pid == 0) {
			work(url, p, pairs);
			_exit(0);
		}
		if (pid < 0) {
			perror("fork");
			return 1;
		}
	}
	for (int p = 0; p < procs; p++) {
		int status;

		if (wait(&status) < 0 || !WIFEXITED(status) || WEXITSTATUS(status) != 0) {
			fprintf(stderr, "bench_desk: a worker failed\n");
			return 1;
		}
	}
	elapsed = seconds() - start;
	printf("%d process%s: %ld next + call log pairs in %.2f s: %.0f pairs/s\n", procs, procs > 1 ? "es" : "",
		pairs * procs, elapsed, (double)(pairs * procs) / elapsed);
	return 0;
}
