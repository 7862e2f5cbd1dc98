/* The calling desk: telepro session, next, call log, appointment. */
#include <getopt.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <jansson.h>

#include "cli/cli.h"
#include "core/calling.h"
#include "core/tz.h"

static const char session_help[] =
	"usage: telepro session start --agent NAME --campaign NAME [--at TIME]\n"
	"       telepro session pause|resume|stop --agent NAME [--at TIME]\n"
	"\n"
	"Calling time, the denominator of every per-hour KPI, runs from start to stop, pauses\n"
	"excluded. A session idle longer than the campaign's idle limit (default 30 min) is\n"
	"closed at its last activity (start, next, call log, pause, resume), so a forgotten\n"
	"stop does not count. TIME is local time of the campaign: YYYY-MM-DDTHH:MM[:SS];\n"
	"the default is now.\n";

static const char next_help[] =
	"usage: telepro next --agent NAME --campaign NAME [--at TIME] [--format text|json]\n"
	"\n"
	"The lead to call now, and why. Order: callbacks due (the agent's own, then shared),\n"
	"hot prospects whose follow-up is due, new leads by priority, then retries. The lead\n"
	"is held for the agent (campaign setting --hold, default 15 min); asking again returns\n"
	"it. Never a lead outside the campaign's calling windows or on the opposition list.\n"
	"Exit 3 when there is nothing to call, with the reason on stderr.\n"
	"JSON: {\"lead_id\":N,\"phone\":\"+33...\",\"reason\":\"...\",\"contact\":{...},\n"
	"\"company\":{...},\"calls\":[...],\"qualification\":{...},...}\n";

static const char call_help[] =
	"usage: telepro call log --agent NAME --lead ID --result RESULT [--outcome OUTCOME]\n"
	"          [--talk SECONDS] [--ring SECONDS] [--callback-at TIME] [--appointment-at TIME]\n"
	"          [--sales NAME] [--qualify KEY=VALUE]... [--note TEXT] [--idempotency-key KEY]\n"
	"          [--at TIME] [--format text|json]\n"
	"\n"
	"Results: " CALL_RESULTS ".\n"
	"A conversation needs an outcome: refused hot_short hot_medium hot_long callback\n"
	"appointment sale do_not_call not_target, or one of the campaign's own. A callback\n"
	"needs --callback-at, an appointment --appointment-at. --at is when the call started.\n"
	"Everything is recorded in one transaction; bad input records nothing (exit 2).\n"
	"JSON: {\"call_id\":N,\"appointment_id\":N|null}\n";

static const char appointment_help[] =
	"usage: telepro appointment list [--sales NAME] [--campaign NAME] [--format text|json]\n"
	"       telepro appointment result ID [--status held|no_show|cancelled|scheduled]\n"
	"          [--relevant yes|no] [--result won|lost|pending] [--amount EUR]\n"
	"\n"
	"Sales record what became of each appointment; a won appointment is a sale counted\n"
	"for the call, agent, campaign and local hour that set it.\n";

/* Options every calling command may take. */
struct common {
	const char *agent, *campaign, *at, *format_text;
	enum output_format format;
};

static int64_t now(void)
{
	return (int64_t)time(NULL);
}

/* The time of --at in the campaign's zone, or now. */
static int resolve_at(const struct common *o, const struct campaign *c, int64_t *at)
{
	struct tp_error err;

	tp_error_clear(&err);
	if (!o->at) {
		*at = now();
		return 0;
	}
	if (tz_parse_local(c->timezone, o->at, "at", at, &err))
		return cli_fail(&err);
	return 0;
}

static int parse_format(const char *cmd, const char *text, enum output_format *f)
{
	if (text && !cli_parse_format(text, 1u << FORMAT_TEXT | 1u << FORMAT_JSON, f))
		return cli_usage(cmd, "--format is text or json");
	return 0;
}

/* session -------------------------------------------------------------------------------- */

static int cmd_session(int argc, char **argv)
{
	static const struct option opts[] = {
		{"agent", required_argument, NULL, 'a'},
		{"campaign", required_argument, NULL, 'c'},
		{"at", required_argument, NULL, 't'},
		{NULL, 0, NULL, 0},
	};
	struct common o = {0};
	struct campaign c;
	struct tp_error err;
	struct store *s;
	const char *what;
	int64_t at, id = 0, seconds = 0;
	int opt, rc;

	if (argc < 2 || cli_wants_help(argc, argv))
		return argc < 2 ? cli_usage("session", "start, pause, resume or stop?") : cli_help(session_help);
	what = argv[1];
	optind = 0;
	opterr = 0;
	while ((opt = getopt_long(argc - 1, argv + 1, ":", opts, NULL)) != -1) {
		if (opt == 'a')
			o.agent = optarg;
		else if (opt == 'c')
			o.campaign = optarg;
		else if (opt == 't')
			o.at = optarg;
		else
			return cli_usage("session", "unknown or incomplete option '%s'", argv[optind]);
	}
	if (!o.agent)
		return cli_usage("session", "--agent NAME is required");
	if (strcmp(what, "start") == 0 && !o.campaign)
		return cli_usage("session", "start needs --campaign NAME");
	if (strcmp(what, "start") && strcmp(what, "pause") && strcmp(what, "resume") && strcmp(what, "stop"))
		return cli_usage("session", "unknown subcommand '%s'", what);
	if (!(s = cli_open_store()))
		return 1;
	tp_error_clear(&err);
	campaign_init(&c);
	rc = o.campaign ? store_campaign_get(s, o.campaign, &c, &err) : store_session_campaign(s, o.agent, &c, &err);
	if (rc) {
		rc = cli_fail(&err);
		goto out;
	}
	if ((rc = resolve_at(&o, &c, &at)))
		goto out;
	if (strcmp(what, "start") == 0)
		rc = store_session_start(s, o.agent, o.campaign, at, &id, &err);
	else if (strcmp(what, "pause") == 0)
		rc = store_session_pause(s, o.agent, at, &err);
	else if (strcmp(what, "resume") == 0)
		rc = store_session_resume(s, o.agent, at, &err);
	else
		rc = store_session_stop(s, o.agent, at, &seconds, &err);
	if (rc) {
		rc = cli_fail(&err);
		goto out;
	}
	if (strcmp(what, "start") == 0)
		printf("session %lld started for %s on %s\n", (long long)id, o.agent, c.name);
	else if (strcmp(what, "stop") == 0)
		printf("session of %s stopped: %lldh%02lld of calling time\n", o.agent, (long long)(seconds / 3600),
			(long long)(seconds % 3600 / 60));
	else
		printf("session of %s %s\n", o.agent, strcmp(what, "pause") == 0 ? "paused" : "resumed");
out:
	campaign_release(&c);
	store_close(s);
	return rc;
}

/* next ------------------------------------------------------------------------------------- */

int cmd_next(int argc, char **argv)
{
	static const struct option opts[] = {
		{"agent", required_argument, NULL, 'a'},
		{"campaign", required_argument, NULL, 'c'},
		{"at", required_argument, NULL, 't'},
		{"format", required_argument, NULL, 'f'},
		{NULL, 0, NULL, 0},
	};
	struct common o = {0};
	struct next_lead lead;
	struct campaign c;
	struct tp_error err;
	struct store *s;
	json_t *j = NULL;
	int64_t at;
	int opt, rc;

	if (cli_wants_help(argc, argv))
		return cli_help(next_help);
	optind = 0;
	opterr = 0;
	while ((opt = getopt_long(argc, argv, ":", opts, NULL)) != -1) {
		if (opt == 'a')
			o.agent = optarg;
		else if (opt == 'c')
			o.campaign = optarg;
		else if (opt == 't')
			o.at = optarg;
		else if (opt == 'f')
			o.format_text = optarg;
		else
			return cli_usage("next", "unknown or incomplete option '%s'", argv[optind - 1]);
	}
	if (!o.agent || !o.campaign)
		return cli_usage("next", "--agent NAME and --campaign NAME are required");
	if ((rc = parse_format("next", o.format_text, &o.format)))
		return rc;
	if (!(s = cli_open_store()))
		return 1;
	tp_error_clear(&err);
	campaign_init(&c);
	if ((rc = store_campaign_get(s, o.campaign, &c, &err))) {
		rc = cli_fail(&err);
		goto out;
	}
	if ((rc = resolve_at(&o, &c, &at)))
		goto out;
	if ((rc = store_next_lead(s, o.agent, o.campaign, at, &lead, &err)) ||
	    (rc = store_lead_describe(s, lead.lead_id, &j, &err))) {
		rc = cli_fail(&err);
		goto out;
	}
	json_object_set_new(j, "reason", json_string(lead.reason));
	if (o.format == FORMAT_JSON) {
		cli_print_json(j);
	} else {
		json_t *ct = json_object_get(j, "contact"), *co = json_object_get(j, "company");
		const char *first = json_string_value(json_object_get(ct, "first_name"));
		const char *last = json_string_value(json_object_get(ct, "last_name"));
		const char *company = json_string_value(json_object_get(co, "name"));

		printf("lead %lld: %s  %s%s%s%s%s\n", (long long)lead.lead_id, lead.phone, first ? first : "",
			first && last ? " " : "", last ? last : "", company ? " - " : "", company ? company : "");
		printf("why: %s (state %s, %d earlier calls)\n", lead.reason, lead.state, lead.attempts);
	}
out:
	json_decref(j);
	campaign_release(&c);
	store_close(s);
	return rc;
}

/* call log ----------------------------------------------------------------------------------- */

#define QUALIFY_MAX 64

static int call_log(int argc, char **argv)
{
	enum { O_AGENT = 1, O_LEAD, O_RESULT, O_OUTCOME, O_TALK, O_RING, O_CALLBACK, O_APPT, O_SALES, O_QUALIFY,
	       O_NOTE, O_KEY, O_AT, O_FORMAT, O_CAMPAIGN };
	static const struct option opts[] = {
		{"agent", required_argument, NULL, O_AGENT},
		{"lead", required_argument, NULL, O_LEAD},
		{"result", required_argument, NULL, O_RESULT},
		{"outcome", required_argument, NULL, O_OUTCOME},
		{"talk", required_argument, NULL, O_TALK},
		{"ring", required_argument, NULL, O_RING},
		{"callback-at", required_argument, NULL, O_CALLBACK},
		{"appointment-at", required_argument, NULL, O_APPT},
		{"sales", required_argument, NULL, O_SALES},
		{"qualify", required_argument, NULL, O_QUALIFY},
		{"note", required_argument, NULL, O_NOTE},
		{"idempotency-key", required_argument, NULL, O_KEY},
		{"at", required_argument, NULL, O_AT},
		{"format", required_argument, NULL, O_FORMAT},
		{"campaign", required_argument, NULL, O_CAMPAIGN},
		{NULL, 0, NULL, 0},
	};
	struct call_input in = {0};
	struct common o = {0};
	const char *keys[QUALIFY_MAX], *values[QUALIFY_MAX];
	const char *callback_text = NULL, *appt_text = NULL;
	struct campaign c;
	struct tp_error err;
	struct store *s;
	int64_t call_id, appointment_id;
	bool replayed;
	size_t nq = 0;
	int opt, rc;

	optind = 0;
	opterr = 0;
	while ((opt = getopt_long(argc, argv, ":", opts, NULL)) != -1) {
		char *eq;

		switch (opt) {
		case O_AGENT: in.agent = optarg; break;
		case O_CAMPAIGN: in.campaign = optarg; break;
		case O_LEAD:
			if (!cli_parse_int(optarg, 1, INT64_MAX, &in.lead_id))
				return cli_usage("call", "--lead takes a lead id");
			break;
		case O_RESULT: in.result = optarg; break;
		case O_OUTCOME: in.outcome = optarg; break;
		case O_TALK:
			if (!calling_parse_duration(optarg, &in.talk_seconds))
				return cli_usage("call", "--talk takes seconds (or 5m)");
			break;
		case O_RING:
			if (!calling_parse_duration(optarg, &in.ring_seconds))
				return cli_usage("call", "--ring takes seconds");
			break;
		case O_CALLBACK: callback_text = optarg; break;
		case O_APPT: appt_text = optarg; break;
		case O_SALES: in.sales = optarg; break;
		case O_QUALIFY:
			if (nq == QUALIFY_MAX)
				return cli_usage("call", "at most %d --qualify", QUALIFY_MAX);
			if (!(eq = strchr(optarg, '=')))
				return cli_usage("call", "--qualify takes KEY=VALUE");
			keys[nq] = optarg;
			*eq = '\0';
			values[nq] = eq + 1;
			nq++;
			break;
		case O_NOTE: in.note = optarg; break;
		case O_KEY: in.idempotency_key = optarg; break;
		case O_AT: o.at = optarg; break;
		case O_FORMAT: o.format_text = optarg; break;
		default:
			return cli_usage("call", "unknown or incomplete option '%s'", argv[optind - 1]);
		}
	}
	if (optind != argc)
		return cli_usage("call", "unexpected argument '%s'", argv[optind]);
	if (!in.agent || !in.result || (!in.lead_id && !in.campaign))
		return cli_usage("call", "--agent, --lead and --result are required");
	if ((rc = parse_format("call", o.format_text, &o.format)))
		return rc;
	in.nqual = nq;
	in.qual_key = keys;
	in.qual_value = values;
	if (!(s = cli_open_store()))
		return 1;
	tp_error_clear(&err);
	campaign_init(&c);
	rc = in.lead_id ? store_lead_campaign(s, in.lead_id, &c, &err) : store_campaign_get(s, in.campaign, &c, &err);
	if (rc || (callback_text && tz_parse_local(c.timezone, callback_text, "callback-at", &in.callback_at, &err)) ||
	    (appt_text && tz_parse_local(c.timezone, appt_text, "appointment-at", &in.appointment_at, &err))) {
		rc = cli_fail(&err);
		goto out;
	}
	if ((rc = resolve_at(&o, &c, &in.started_at)))
		goto out;
	if (store_call_log(s, &in, &call_id, &appointment_id, &replayed, &err)) {
		rc = cli_fail(&err);
		goto out;
	}
	if (o.format == FORMAT_JSON) {
		json_t *j = json_pack("{s:I,s:o}", "call_id", (json_int_t)call_id, "appointment_id",
			appointment_id ? json_integer(appointment_id) : json_null());

		if (replayed)
			json_object_set_new(j, "replayed", json_true());
		json_dumpf(j, stdout, JSON_COMPACT | JSON_PRESERVE_ORDER);
		putchar('\n');
		json_decref(j);
	} else {
		printf("call %lld recorded%s", (long long)call_id, replayed ? " earlier (same idempotency key)" : "");
		if (appointment_id)
			printf(", appointment %lld", (long long)appointment_id);
		putchar('\n');
	}
out:
	campaign_release(&c);
	store_close(s);
	return rc;
}

static int cmd_call_group(int argc, char **argv)
{
	if (argc < 2)
		return cli_usage("call", "log?");
	if (cli_wants_help(argc, argv))
		return cli_help(call_help);
	if (strcmp(argv[1], "log") == 0)
		return call_log(argc - 1, argv + 1);
	return cli_usage("call", "unknown subcommand '%s' (log)", argv[1]);
}

/* appointment --------------------------------------------------------------------------------- */

struct list_ctx {
	enum output_format format;
	json_t *array;
};

static int print_appointment(void *ctx, const struct appointment_row *r)
{
	struct list_ctx *lc = ctx;
	char when[32];

	tz_format(r->timezone, r->scheduled_at, when, sizeof(when));
	if (lc->format == FORMAT_JSON) {
		json_array_append_new(lc->array, json_pack("{s:I,s:I,s:I,s:s,s:s,s:s,s:s,s:s,s:s,s:o,s:o,s:s,s:s,s:s}",
			"id", (json_int_t)r->id, "call_id", (json_int_t)r->call_id, "lead_id", (json_int_t)r->lead_id,
			"campaign", r->campaign, "scheduled_at", when, "agent", r->agent, "sales", r->sales,
			"status", r->status, "result", r->result,
			"relevant", r->relevant < 0 ? json_null() : json_boolean(r->relevant),
			"amount_cents", r->amount_cents ? json_integer(r->amount_cents) : json_null(),
			"contact", r->contact, "company", r->company, "phone", r->phone));
	} else {
		printf("%-5lld %s  %-10s %-8s %-8s %-12s %-12s %s %s\n", (long long)r->id, when, r->status, r->result,
			r->relevant < 0 ? "-" : r->relevant ? "relevant" : "forced?", r->agent,
			r->sales[0] ? r->sales : "-", r->company, r->contact);
	}
	return 0;
}

static int appointment_list(int argc, char **argv)
{
	static const struct option opts[] = {
		{"sales", required_argument, NULL, 's'},
		{"campaign", required_argument, NULL, 'c'},
		{"format", required_argument, NULL, 'f'},
		{NULL, 0, NULL, 0},
	};
	struct list_ctx lc = {FORMAT_TEXT, NULL};
	const char *sales = NULL, *campaign = NULL;
	struct tp_error err;
	struct store *s;
	int opt, rc;

	optind = 0;
	opterr = 0;
	while ((opt = getopt_long(argc, argv, ":", opts, NULL)) != -1) {
		if (opt == 's')
			sales = optarg;
		else if (opt == 'c')
			campaign = optarg;
		else if (opt == 'f') {
			if ((rc = parse_format("appointment", optarg, &lc.format)))
				return rc;
		} else
			return cli_usage("appointment", "unknown or incomplete option '%s'", argv[optind - 1]);
	}
	if (!(s = cli_open_store()))
		return 1;
	tp_error_clear(&err);
	lc.array = json_array();
	rc = store_appointment_list(s, sales, campaign, print_appointment, &lc, &err);
	store_close(s);
	if (rc == 0 && lc.format == FORMAT_JSON) {
		cli_print_json(lc.array);
	}
	json_decref(lc.array);
	return rc ? cli_fail(&err) : 0;
}

static int appointment_result(int argc, char **argv)
{
	static const struct option opts[] = {
		{"status", required_argument, NULL, 's'},
		{"relevant", required_argument, NULL, 'r'},
		{"result", required_argument, NULL, 'x'},
		{"amount", required_argument, NULL, 'a'},
		{NULL, 0, NULL, 0},
	};
	const char *status = NULL, *result = NULL;
	int relevant = -1;
	int64_t id, amount = -1;
	struct tp_error err;
	struct store *s;
	int opt, rc;

	optind = 0;
	opterr = 0;
	while ((opt = getopt_long(argc, argv, ":", opts, NULL)) != -1) {
		switch (opt) {
		case 's': status = optarg; break;
		case 'x': result = optarg; break;
		case 'r':
			if (strcmp(optarg, "yes") == 0 || strcmp(optarg, "oui") == 0)
				relevant = 1;
			else if (strcmp(optarg, "no") == 0 || strcmp(optarg, "non") == 0)
				relevant = 0;
			else
				return cli_usage("appointment", "--relevant yes|no");
			break;
		case 'a': {
			char *end;
			double v = strtod(optarg, &end);

			if (*end || end == optarg || !(v >= 0) || v > 1e9)
				return cli_usage("appointment", "--amount takes euros, e.g. 4800 or 4800.50");
			amount = (int64_t)llround(v * 100);
			break;
		}
		default:
			return cli_usage("appointment", "unknown or incomplete option '%s'", argv[optind - 1]);
		}
	}
	if (optind != argc - 1 || !cli_parse_int(argv[optind], 1, INT64_MAX, &id))
		return cli_usage("appointment", "give one appointment id");
	if (!status && !result && relevant < 0 && amount < 0)
		return cli_usage("appointment", "give at least one of --status, --relevant, --result, --amount");
	if (!(s = cli_open_store()))
		return 1;
	tp_error_clear(&err);
	rc = store_appointment_result(s, id, status, relevant, result, amount, &err);
	store_close(s);
	if (rc)
		return cli_fail(&err);
	printf("appointment %lld updated\n", (long long)id);
	return 0;
}

static int cmd_appointment_group(int argc, char **argv)
{
	if (argc < 2)
		return cli_usage("appointment", "list or result?");
	if (cli_wants_help(argc, argv))
		return cli_help(appointment_help);
	if (strcmp(argv[1], "list") == 0)
		return appointment_list(argc - 1, argv + 1);
	if (strcmp(argv[1], "result") == 0)
		return appointment_result(argc - 1, argv + 1);
	return cli_usage("appointment", "unknown subcommand '%s' (list or result)", argv[1]);
}

int cmd_session_entry(int argc, char **argv)
{
	return cmd_session(argc, argv);
}

int cmd_call(int argc, char **argv)
{
	return cmd_call_group(argc, argv);
}

int cmd_appointment(int argc, char **argv)
{
	return cmd_appointment_group(argc, argv);
}
