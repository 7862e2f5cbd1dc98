/*
 * Concurrency at the desk: several processes, each with several threads (each thread its
 * own agent and its own connection), handing out leads and logging calls on one database
 * at once. Run by tests/concurrency.sh:
 *
 *   tp_concurrency work URL CAMPAIGN AGENT_PREFIX THREADS   prints "lead call" per logged call
 *   tp_concurrency verify URL CAMPAIGN                      counters == raw recomputation
 *
 * Every call happens at the same instant, so that a hold never expires and every result
 * (retries hours later, final outcomes) takes the lead out of the queue: each lead may be
 * handed out exactly once, whatever the interleaving. Each agent's session began hours
 * earlier, so the first calls credit calling time to shared counters at once.
 */
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/tz.h"
#include "store/store.h"

static const char *url, *campaign, *prefix;
static int64_t at;
static pthread_mutex_t out_lock = PTHREAD_MUTEX_INITIALIZER;

static void *agent_loop(void *arg)
{
	long n = (long)(intptr_t)arg;
	char agent[64];
	struct tp_error err;
	struct store *s;
	long calls = 0;

	snprintf(agent, sizeof(agent), "%s%ld", prefix, n);
	tp_error_clear(&err);
	if (!(s = store_open(url, NULL, &err))) {
		fprintf(stderr, "%s: open: %s\n", agent, err.reason);
		exit(1);
	}
	/* A session begun hours before: the first call credits several hours of calling time
	 * to shared rollup rows, the situation where writers could deadlock. */
	{
		int64_t sid;

		/* The session a killed process left open goes on (tests/kill_calls.sh). */
		if (store_session_start(s, agent, campaign, at - 3 * 3600 + n * 60, &sid, &err) &&
		    !strstr(err.reason, "is already in a session of")) {
			fprintf(stderr, "%s: session: %s\n", agent, err.reason);
			exit(1);
		}
	}
	for (;;) {
		static const char *const results[] = {"no_answer", "busy", "conversation", "voicemail"};
		struct next_lead lead;
		struct call_input in = {0};
		int64_t call_id, appt_id;
		bool replayed;
		int rc = store_next_lead(s, agent, campaign, at, &lead, &err);

		if (rc == TP_ENOTHING)
			break;
		if (rc) {
			fprintf(stderr, "%s: next: %s\n", agent, err.reason);
			exit(1);
		}
		in.agent = agent;
		in.lead_id = lead.lead_id;
		in.result = results[(lead.lead_id + n) % 4];
		in.outcome = strcmp(in.result, "conversation") == 0 ? "refused" : NULL;
		in.talk_seconds = in.outcome ? 30 + lead.lead_id % 200 : 0;
		in.ring_seconds = 5 + n;
		in.started_at = at;
		if (store_call_log(s, &in, &call_id, &appt_id, &replayed, &err)) {
			fprintf(stderr, "%s: call log: %s\n", agent, err.reason);
			exit(1);
		}
		/* Acknowledged: from here on the call must be in the database. */
		pthread_mutex_lock(&out_lock);
		printf("%lld %lld\n", (long long)lead.lead_id, (long long)call_id);
		fflush(stdout);
		pthread_mutex_unlock(&out_lock);
		calls++;
	}
	{
		int64_t secs;

		if (store_session_stop(s, agent, at + 7200, &secs, &err)) {
			fprintf(stderr, "%s: stop: %s\n", agent, err.reason);
			exit(1);
		}
	}
	store_close(s);
	return (void *)(intptr_t)calls;
}

static int verify(void)
{
	struct tp_error err;
	struct store *s;
	struct campaign c;
	struct kpi_counts counters, raw;

	tp_error_clear(&err);
	campaign_init(&c);
	if (!(s = store_open(url, NULL, &err)) || store_campaign_get(s, campaign, &c, &err)) {
		fprintf(stderr, "verify: %s\n", err.reason);
		return 1;
	}
	struct kpi_filter f = {c.id, 0, 0, 0};

	if (store_kpi_totals(s, &f, &counters, &err) || store_kpi_recompute(s, &f, &raw, &err)) {
		fprintf(stderr, "verify: %s\n", err.reason);
		return 1;
	}
	printf("%lld %lld %lld %lld %lld %s\n", (long long)counters.calls, (long long)counters.conversations,
		(long long)counters.talk_seconds, (long long)counters.calling_seconds, (long long)raw.calling_seconds,
		memcmp(&counters, &raw, sizeof(counters)) == 0 ? "equal" : "DIFFERENT");
	campaign_release(&c);
	store_close(s);
	return 0;
}

int main(int argc, char **argv)
{
	pthread_t threads[64];
	long nthreads;

	at = tz_utc("Europe/Paris", 2026, 12, 1, 10, 0, 0);
	if (argc == 4 && strcmp(argv[1], "verify") == 0) {
		url = argv[2];
		campaign = argv[3];
		return verify();
	}
	if (argc != 6 || strcmp(argv[1], "work") != 0) {
		fprintf(stderr, "usage: tp_concurrency work URL CAMPAIGN AGENT_PREFIX THREADS | verify URL CAMPAIGN\n");
		return 2;
	}
	url = argv[2];
	campaign = argv[3];
	prefix = argv[4];
	nthreads = strtol(argv[5], NULL, 10);
	if (nthreads < 1 || nthreads > 64)
		return 2;
	for (long i = 0; i < nthreads; i++)
		pthread_create(&threads[i], NULL, agent_loop, (void *)(intptr_t)i);
	for (long i = 0; i < nthreads; i++)
		pthread_join(threads[i], NULL);
	return 0;
}
