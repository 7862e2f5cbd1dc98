/* The calling desk: telepro session, next, call log, appointment. */
#include <math.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <jansson.h>

#include "cli/cli.h"
#include "cli/options.h"
#include "core/scripts.h"
#include "core/calling.h"
#include "core/tz.h"

static const char session_usage[] =
	"usage: telepro session start --agent NAME --campaign NAME [--at TIME]\n"
	"       telepro session pause|resume|stop --agent NAME [--at TIME]\n";
static const char session_about[] =
	"Calling time, the denominator of every per-hour KPI, runs from start to stop, pauses\n"
	"excluded. A session idle longer than the campaign's idle limit (default 30 min) is\n"
	"closed at its last activity (start, next, call log, pause, resume), so a forgotten\n"
	"stop does not count. TIME is local time of the campaign: YYYY-MM-DDTHH:MM[:SS];\n"
	"the default is now.\n";

static const char next_usage[] =
	"usage: telepro next --agent NAME --campaign NAME [--at TIME] [--format text|json]\n";
static const char next_about[] =
	"The lead to call now, and why. Order: callbacks due (the agent's own, then shared),\n"
	"hot prospects whose follow-up is due, new leads by priority, then retries. The lead\n"
	"is held for the agent (campaign setting --hold, default 15 min); asking again returns\n"
	"it. Never a lead outside the campaign's calling windows or on the opposition list.\n"
	"Exit 3 when there is nothing to call, with the reason on stderr.\n"
	"JSON: {\"lead_id\":N,\"phone\":\"+33...\",\"reason\":\"...\",\"contact\":{...},\n"
	"\"company\":{...},\"calls\":[...],\"qualification\":{...},...}\n";

static const char call_usage[] =
	"usage: telepro call log --agent NAME --lead ID --result RESULT [--outcome OUTCOME]\n"
	"          [--talk SECONDS] [--ring SECONDS] [--callback-at TIME] [--appointment-at TIME]\n"
	"          [--sales NAME] [--qualify KEY=VALUE]... [--note TEXT] [--idempotency-key KEY]\n"
	"          [--at TIME] [--confirm] [--format text|json]\n";
static const char call_about[] =
	"Results: " CALL_RESULTS ".\n"
	"A conversation needs an outcome: refused hot_short hot_medium hot_long callback\n"
	"appointment sale do_not_call not_target, or one of the campaign's own. A callback\n"
	"needs --callback-at, an appointment --appointment-at (and --sales when there are sales\n"
	"people), both after the call; a time outside the campaign's calling hours is refused\n"
	"(exit 2) unless --confirm. --at is when the call started.\n"
	"Everything is recorded in one transaction; bad input records nothing (exit 2).\n"
	"JSON: {\"call_id\":N,\"appointment_id\":N|null}\n";

static const char appointment_usage[] =
	"usage: telepro appointment list [--sales NAME] [--campaign NAME] [--format text|json|ics|xlsx]\n"
	"                                [--output FILE]\n"
	"       telepro appointment result ID [--status held|no_show|cancelled|scheduled]\n"
	"          [--relevant yes|no] [--result won|lost|pending] [--amount EUR]\n";
static const char appointment_about[] =
	"Sales record what became of each appointment; a won appointment is a sale counted\n"
	"for the call, agent, campaign and local hour that set it.\n";

/* session -------------------------------------------------------------------------------- */

static int cmd_session(int argc, char **argv)
{
	static const char *const ops[] = {"start", "pause", "resume", "stop"};
	const char *agent = NULL, *campaign = NULL, *at = NULL;
	const struct cli_opt opts[] = {
		CLI_OPT_STRING("agent", &agent, "NAME", "the agent whose calling time it is"),
		CLI_OPT_STRING("campaign", &campaign, "NAME", "the campaign (start)"),
		CLI_OPT_STRING("at", &at, "TIME", "a local time of the campaign (default now)"),
		CLI_OPT_END,
	};
	const struct cli_command cmd = {"session", session_usage, session_about, opts};
	struct app_session_result res;
	struct tp_error err;
	struct app *a = NULL;
	int nargs, rc, op = -1;

	if (argc < 2 && !cli_wants_help(argc, argv))
		return cli_usage("session", "start, pause, resume or stop?");
	if ((rc = cli_options(&cmd, 2, argc, argv, &nargs)))
		return rc < 0 ? 0 : rc;
	if (nargs)
		return cli_usage("session", "unexpected argument '%s'", argv[2]);
	for (int i = 0; i < 4; i++)
		if (strcmp(argv[1], ops[i]) == 0)
			op = i;
	if (!agent)
		return cli_usage("session", "--agent NAME is required");
	if (op == APP_SESSION_START && !campaign)
		return cli_usage("session", "start needs --campaign NAME");
	if (op < 0)
		return cli_usage("session", "unknown subcommand '%s'", argv[1]);
	if ((rc = cli_open_app(&a, NULL)))
		return rc;
	tp_error_clear(&err);
	if (app_session(a, (enum app_session_op)op, agent, campaign, at, &res, &err))
		rc = cli_fail(&err);
	else if (op == APP_SESSION_START)
		printf("session %lld started for %s on %s\n", (long long)res.session_id, agent, res.campaign);
	else if (op == APP_SESSION_STOP)
		printf("session of %s stopped: %lldh%02lld of calling time\n", agent, (long long)(res.calling_seconds / 3600),
			(long long)(res.calling_seconds % 3600 / 60));
	else
		printf("session of %s %s\n", agent, op == APP_SESSION_PAUSE ? "paused" : "resumed");
	app_close(a);
	return rc;
}

/* next ------------------------------------------------------------------------------------- */

int cmd_next(int argc, char **argv)
{
	enum output_format format = FORMAT_TEXT;
	const char *agent = NULL, *campaign = NULL, *at = NULL;
	const struct cli_opt opts[] = {
		CLI_OPT_STRING("agent", &agent, "NAME", "the agent who calls"),
		CLI_OPT_STRING("campaign", &campaign, "NAME", "the campaign"),
		CLI_OPT_STRING("at", &at, "TIME", "a local time of the campaign (default now)"),
		CLI_OPT_FORMAT(&format, 1u << FORMAT_TEXT | 1u << FORMAT_JSON, "text (default) or json"),
		CLI_OPT_END,
	};
	const struct cli_command cmd = {"next", next_usage, next_about, opts};
	struct tp_error err;
	json_t *j = NULL;
	struct app *a = NULL;
	int nargs, rc;

	if ((rc = cli_options(&cmd, 1, argc, argv, &nargs)))
		return rc < 0 ? 0 : rc;
	if (nargs)
		return cli_usage("next", "unexpected argument '%s'", argv[1]);
	if (!agent || !campaign)
		return cli_usage("next", "--agent NAME and --campaign NAME are required");
	if ((rc = cli_open_app(&a, NULL)))
		return rc;
	tp_error_clear(&err);
	if (app_next(a, agent, campaign, at, &j, &err)) {
		rc = cli_fail(&err);
	} else if (format == FORMAT_JSON) {
		cli_print_json(j);
	} else {
		json_t *ct = json_object_get(j, "contact"), *co = json_object_get(j, "company");
		const char *first = json_string_value(json_object_get(ct, "first_name"));
		const char *last = json_string_value(json_object_get(ct, "last_name"));
		const char *company = json_string_value(json_object_get(co, "name"));

		printf("lead %lld: %s  %s%s%s%s%s\n", (long long)json_integer_value(json_object_get(j, "lead_id")),
			json_string_value(json_object_get(j, "phone")), first ? first : "", first && last ? " " : "",
			last ? last : "", company ? " - " : "", company ? company : "");
		printf("why: %s (state %s, %lld earlier calls)\n", json_string_value(json_object_get(j, "reason")),
			json_string_value(json_object_get(j, "state")), (long long)json_integer_value(json_object_get(j, "attempts")));
	}
	json_decref(j);
	app_close(a);
	return rc;
}

/* why -------------------------------------------------------------------------------------- */

static const char why_usage[] =
	"usage: telepro why LEAD [--at YYYY-MM-DDTHH:MM] [--format text|json]\n";
static const char why_about[] =
	"Explains, rule by rule, why the lead may or may not be called at that time (default\n"
	"now; a local time of its campaign): its state and due time, who holds it, the\n"
	"opposition lists, the campaign's calling windows, then the rules of the trade of the\n"
	"campaign (fr-b2c: days, hours and public holidays in the consumer's time zone, 4 calls\n"
	"in 30 days, 60 days after a refusal), each with its source. Exit code 0 when the lead\n"
	"may be called, 3 when not.\n";

int cmd_why(int argc, char **argv)
{
	enum output_format format = FORMAT_TEXT;
	const char *at = NULL;
	const struct cli_opt opts[] = {
		CLI_OPT_STRING("at", &at, "TIME", "a local time of the lead's campaign (default now)"),
		CLI_OPT_FORMAT(&format, 1u << FORMAT_TEXT | 1u << FORMAT_JSON, "text (default) or json"),
		CLI_OPT_END,
	};
	const struct cli_command cmd = {"why", why_usage, why_about, opts};
	struct tp_error err;
	struct app *a = NULL;
	json_t *j = NULL, *v;
	int64_t lead;
	size_t i;
	int nargs, rc;

	if ((rc = cli_options(&cmd, 1, argc, argv, &nargs)))
		return rc < 0 ? 0 : rc;
	if (nargs != 1 || !cli_parse_int(argv[1], 1, INT64_MAX, &lead))
		return cli_usage("why", "one LEAD, a lead's number, is required");
	if ((rc = cli_open_app(&a, NULL)))
		return rc;
	tp_error_clear(&err);
	if (app_why(a, lead, at, &j, &err)) {
		rc = cli_fail(&err);
	} else {
		bool callable = json_is_true(json_object_get(j, "callable"));

		if (format == FORMAT_JSON) {
			cli_print_json(j);
		} else {
			printf("lead %lld of %s at %s (rules %s, the consumer in %s): %s\n", (long long)lead,
				json_string_value(json_object_get(j, "campaign")), json_string_value(json_object_get(j, "at")),
				json_string_value(json_object_get(j, "rules_set")),
				json_string_value(json_object_get(j, "consumer_zone")), callable ? "may be called" : "may not be called");
			json_array_foreach(json_object_get(j, "rules"), i, v) {
				bool ok = json_is_true(json_object_get(v, "ok"));
				const char *from = json_string_value(json_object_get(v, "allowed_from"));

				printf("  %-3s %s", ok ? "ok" : "NO", json_string_value(json_object_get(v, "rule")));
				if (!ok)
					printf(": %s%s%s (%s)", json_string_value(json_object_get(v, "reason")),
						from ? "; allowed from " : "", from ? from : "",
						json_string_value(json_object_get(v, "source")));
				putchar('\n');
			}
		}
		rc = callable ? 0 : 3;
	}
	json_decref(j);
	app_close(a);
	return rc;
}

/* consent ---------------------------------------------------------------------------------- */

static const char consent_usage[] =
	"usage: telepro consent LEAD --source WHERE [--date YYYY-MM-DD] [--wording TEXT]\n";
static const char consent_about[] =
	"Records that the person the lead calls consented to be called (B2C campaigns need it\n"
	"since 2026-08-11): where (a web form, a contest, a shop), the day (default today), and\n"
	"the words they agreed to. Recorded for their number, in every campaign; audited.\n";

int cmd_consent(int argc, char **argv)
{
	const char *source = NULL, *day = NULL, *wording = NULL;
	const struct cli_opt opts[] = {
		CLI_OPT_STRING("source", &source, "WHERE", "where the consent was given (web form, contest...)"),
		CLI_OPT_STRING("date", &day, "YYYY-MM-DD", "the day it was given (default today)"),
		CLI_OPT_STRING("wording", &wording, "TEXT", "the words agreed to"),
		CLI_OPT_END,
	};
	const struct cli_command cmd = {"consent", consent_usage, consent_about, opts};
	struct tp_error err;
	struct app *a = NULL;
	int64_t lead;
	int nargs, rc;

	if ((rc = cli_options(&cmd, 1, argc, argv, &nargs)))
		return rc < 0 ? 0 : rc;
	if (nargs != 1 || !cli_parse_int(argv[1], 1, INT64_MAX, &lead))
		return cli_usage("consent", "one LEAD, a lead's number, is required");
	if ((rc = cli_open_app(&a, NULL)))
		return rc;
	tp_error_clear(&err);
	if (app_consent_record(a, lead, source, day, wording, &err))
		rc = cli_fail(&err);
	else
		printf("consent of lead %lld recorded\n", (long long)lead);
	app_close(a);
	return rc;
}

/* call log ----------------------------------------------------------------------------------- */

#define QUALIFY_MAX 64

/* --lead ID */
static int lead_id(void *target, const char *value)
{
	return cli_parse_int(value, 1, INT64_MAX, target) ? 0 : cli_usage("call", "--lead takes a lead id");
}

/* The --qualify values given, in order. */
struct qualify_args {
	const char **v;
	size_t n;
};

/* --qualify KEY=VALUE, split where the value starts. */
static int qualify(void *target, const char *value)
{
	struct qualify_args *l = target;
	char *eq = strchr(value, '=');

	if (l->n == QUALIFY_MAX)
		return cli_usage("call", "at most %d --qualify", QUALIFY_MAX);
	if (!eq)
		return cli_usage("call", "--qualify takes KEY=VALUE");
	l->v[l->n++] = value;
	return 0;
}

/* --script B or B@2: the script variant (and version; without one, its latest) on screen. */
struct script_arg {
	struct app_call *in;
	char name[SCRIPT_NAME_MAX + 1];
};

static int script_ref(void *target, const char *value)
{
	struct script_arg *s = target;
	struct tp_error err;

	if (script_ref_parse(value, s->name, &s->in->script_version, &err))
		return cli_usage("call", "--script: %s", err.reason);
	s->in->script_variant = s->name;
	return 0;
}

static int call_log(int argc, char **argv)
{
	enum output_format format = FORMAT_TEXT;
	struct app_call in = {0};
	struct script_arg script = {&in, ""};
	const char *keys[QUALIFY_MAX], *values[QUALIFY_MAX], *quals[QUALIFY_MAX + 1];
	struct qualify_args qual = {quals, 0};
	const struct cli_opt opts[] = {
		CLI_OPT_STRING("agent", &in.agent, "NAME", "the agent who called"),
		CLI_OPT_CALL("lead", &in.lead_id, "ID", "the lead called", lead_id),
		CLI_OPT_STRING("campaign", &in.campaign, "NAME", "the campaign of a call without a lead"),
		CLI_OPT_STRING("result", &in.result, "RESULT", "what happened (see the results above)"),
		CLI_OPT_STRING("outcome", &in.outcome, "OUTCOME", "a conversation's outcome"),
		CLI_OPT_STRING("talk", &in.talk, "DURATION", "talk time (240, 4m)"),
		CLI_OPT_STRING("ring", &in.ring, "DURATION", "ring time"),
		CLI_OPT_STRING("callback-at", &in.callback_at, "TIME", "the callback's local time"),
		CLI_OPT_STRING("appointment-at", &in.appointment_at, "TIME", "the appointment's local time"),
		CLI_OPT_STRING("sales", &in.sales, "NAME", "the appointment's sales person"),
		CLI_OPT_CALL("qualify", &qual, "KEY=VALUE", "a qualification answer (repeatable)", qualify),
		CLI_OPT_STRING("note", &in.note, "TEXT", "the agent's note"),
		CLI_OPT_CALL("script", &script, "VARIANT[@N]", "the script on screen (default: the lead's)", script_ref),
		CLI_OPT_STRING("idempotency-key", &in.idempotency_key, "KEY", "the same key again logs nothing twice"),
		CLI_OPT_STRING("at", &in.at, "TIME", "when the call started (default: it ends now)"),
		CLI_OPT_FORMAT(&format, 1u << FORMAT_TEXT | 1u << FORMAT_JSON, "text (default) or json"),
		CLI_OPT_FLAG("confirm", &in.confirm, "keep a callback or appointment outside the calling hours"),
		CLI_OPT_END,
	};
	const struct cli_command cmd = {"call log", NULL, NULL, opts};
	struct tp_error err;
	struct app *a = NULL;
	json_t *j = NULL;
	size_t nq = 0;
	int nargs, rc;

	if ((rc = cli_options(&cmd, 1, argc, argv, &nargs)))
		return rc < 0 ? 0 : rc;
	if (nargs)
		return cli_usage("call", "unexpected argument '%s'", argv[1]);
	for (; nq < qual.n; nq++) {
		char *eq = strchr(quals[nq], '=');

		*eq = '\0';
		keys[nq] = quals[nq];
		values[nq] = eq + 1;
	}
	if (!in.agent || !in.result || (!in.lead_id && !in.campaign))
		return cli_usage("call", "--agent, --lead and --result are required");
	if ((rc = cli_open_app(&a, NULL)))
		return rc;
	in.nqual = nq;
	in.qual_key = keys;
	in.qual_value = values;
	tp_error_clear(&err);
	if (app_call_log(a, &in, &j, &err)) {
		rc = cli_fail(&err);
	} else if (format == FORMAT_JSON) {
		json_dumpf(j, stdout, JSON_COMPACT | JSON_PRESERVE_ORDER);
		putchar('\n');
	} else {
		json_t *appt = json_object_get(j, "appointment_id");

		printf("call %lld recorded%s", (long long)json_integer_value(json_object_get(j, "call_id")),
			json_is_true(json_object_get(j, "replayed")) ? " earlier (same idempotency key)" : "");
		if (json_is_integer(appt))
			printf(", appointment %lld", (long long)json_integer_value(appt));
		putchar('\n');
	}
	json_decref(j);
	app_close(a);
	return rc;
}

static int cmd_call_group(int argc, char **argv)
{
	if (argc < 2)
		return cli_usage("call", "log?");
	if (cli_wants_help(argc, argv)) {
		printf("%s\n%s", call_usage, call_about);
		return call_log(2, (char *[]){"log", "--help", NULL});
	}
	if (strcmp(argv[1], "log") == 0)
		return call_log(argc - 1, argv + 1);
	return cli_usage("call", "unknown subcommand '%s' (log)", argv[1]);
}

/* appointment --------------------------------------------------------------------------------- */

static const char *text_of(json_t *o, const char *key)
{
	const char *s = json_string_value(json_object_get(o, key));

	return s ? s : "";
}

static int appointment_list(int argc, char **argv)
{
	enum output_format format = FORMAT_TEXT;
	const char *sales = NULL, *campaign = NULL, *output = NULL;
	const struct cli_opt opts[] = {
		CLI_OPT_STRING("sales", &sales, "NAME", "one sales person's (a sales person: their own)"),
		CLI_OPT_STRING("campaign", &campaign, "NAME", "one campaign's"),
		CLI_OPT_FORMAT(&format, 1u << FORMAT_TEXT | 1u << FORMAT_JSON | 1u << FORMAT_ICS | 1u << FORMAT_XLSX,
			"text (default), json, ics (iCalendar, docs/CALENDARS.md) or xlsx (--output required)"),
		CLI_OPT_STRING("output", &output, "FILE", "write there (default: standard output)"),
		CLI_OPT_END,
	};
	const struct cli_command cmd = {"appointment list", NULL, NULL, opts};
	struct tp_error err;
	json_t *list = NULL, *r;
	struct app *a = NULL;
	size_t i;
	int nargs, rc;

	if ((rc = cli_options(&cmd, 1, argc, argv, &nargs)))
		return rc < 0 ? 0 : rc;
	if (nargs)
		return cli_usage("appointment", "unexpected argument '%s'", argv[1]);
	if (output && format != FORMAT_ICS && format != FORMAT_XLSX)
		return cli_usage("appointment", "--output goes with --format ics or xlsx");
	if (format == FORMAT_XLSX && !output)
		return cli_usage("appointment", "--format xlsx needs --output FILE");
	if ((rc = cli_open_app(&a, NULL)))
		return rc;
	tp_error_clear(&err);
	if (format == FORMAT_XLSX) {
		rc = app_appointments_xlsx(a, sales, campaign, output, &err) ? cli_fail(&err) : 0;
		app_close(a);
		return rc;
	}
	if (format == FORMAT_ICS) {
		char *ics = NULL;

		if (app_appointments_ics(a, sales, campaign, 0, NULL, strcmp(cli_lang(), "en") != 0, &ics, &err))
			rc = cli_fail(&err);
		else
			rc = cli_write_text(output, ics);
		free(ics);
		app_close(a);
		return rc;
	}
	if (app_appointment_list(a, sales, campaign, &list, &err)) {
		rc = cli_fail(&err);
	} else if (format == FORMAT_JSON) {
		cli_print_json(list);
	} else {
		json_array_foreach(list, i, r) {
			json_t *rel = json_object_get(r, "relevant");

			printf("%-5lld %s  %-10s %-8s %-8s %-12s %-12s %s %s\n",
				(long long)json_integer_value(json_object_get(r, "id")), text_of(r, "scheduled_at"),
				text_of(r, "status"), text_of(r, "result"),
				json_is_null(rel) ? "-" : json_is_true(rel) ? "relevant" : "forced?", text_of(r, "agent"),
				*text_of(r, "sales") ? text_of(r, "sales") : "-", text_of(r, "company"), text_of(r, "contact"));
		}
	}
	json_decref(list);
	app_close(a);
	return rc;
}

static int appointment_result(int argc, char **argv)
{
	const char *status = NULL, *result = NULL, *relevant = NULL, *amount = NULL;
	const struct cli_opt opts[] = {
		CLI_OPT_STRING("status", &status, "STATUS", "held, no_show, cancelled or scheduled"),
		CLI_OPT_STRING("relevant", &relevant, "yes|no", "whether it was worth the sales person's time"),
		CLI_OPT_STRING("result", &result, "RESULT", "won, lost or pending"),
		CLI_OPT_STRING("amount", &amount, "EUR", "what was sold"),
		CLI_OPT_END,
	};
	const struct cli_command cmd = {"appointment result", NULL, NULL, opts};
	struct tp_error err;
	struct app *a = NULL;
	int64_t id;
	int nargs, rc;

	if ((rc = cli_options(&cmd, 1, argc, argv, &nargs)))
		return rc < 0 ? 0 : rc;
	if (nargs != 1 || !cli_parse_int(argv[1], 1, INT64_MAX, &id))
		return cli_usage("appointment", "give one appointment id");
	if (!status && !result && !relevant && !amount)
		return cli_usage("appointment", "give at least one of --status, --relevant, --result, --amount");
	if ((rc = cli_open_app(&a, NULL)))
		return rc;
	tp_error_clear(&err);
	if (app_appointment_result(a, id, status, relevant, result, amount, &err))
		rc = cli_fail(&err);
	else
		printf("appointment %lld updated\n", (long long)id);
	app_close(a);
	return rc;
}

static int cmd_appointment_group(int argc, char **argv)
{
	if (argc < 2)
		return cli_usage("appointment", "list or result?");
	if (cli_wants_help(argc, argv)) {
		printf("%s\n%s", appointment_usage, appointment_about);
		return appointment_list(2, (char *[]){"list", "--help", NULL}) ||
			appointment_result(2, (char *[]){"result", "--help", NULL});
	}
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
