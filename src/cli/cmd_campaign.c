#include <errno.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <jansson.h>

#include "cli/cli.h"
#include "cli/options.h"
#include "core/rules.h"
#include "core/calling.h"
#include "core/scripts.h"
#include "core/tz.h"
#include "core/xalloc.h"

static const char usage[] =
	"usage: telepro campaign add NAME [SETTINGS]\n"
	"       telepro campaign list [--format text|json]\n"
	"       telepro campaign show NAME [--format text|json]\n"
	"       telepro campaign set NAME SETTINGS\n"
	"       telepro campaign script NAME [--variant NAME=FILE ...] [--weights 50,50] [--primary RATE]\n"
	"                                   [--history VARIANT] [--format text|json]\n";
static const char about[] =
	"The settings are the options below (core/campaign.c names them, in the order given).\n"
	"--format goes with list and show.\n"
	"\n"
	"script runs the campaign's call scripts: each --variant NAME=FILE (Markdown) is a script\n"
	"the campaign runs, in that order, with --weights (equal by default); a variant not named\n"
	"is stopped (its leads move to the others at their next call); a changed text is a new\n"
	"version. --primary names the rate the comparison decides on (telepro insights scripts).\n"
	"Without --variant it shows the variants; --history VARIANT its versions.\n";

#define SETTINGS_MAX 128

/* What --help says of each setting of core's list (the names are core's). */
static const struct {
	const char *name, *arg, *help;
} setting_help[] = {
	{"kind", "KIND", "appointment, event, qualification, survey, sales or custom (appointment)"},
	{"audience", "b2b|b2c", "b2b (default), or b2c: consumer campaigns follow the consumer rules"},
	{"timezone", "ZONE", "IANA time zone of the people called (Europe/Paris)"},
	{"region", "CC", "country of the national phone numbers in files (FR)"},
	{"script", "FILE", "the call script, Markdown"},
	{"call-length", "SECONDS", "expected length of a conversation (also 5m, 90s)"},
	{"daily-calls", "N", "objective: calls a day per agent (0 removes it)"},
	{"weekly-calls", "N", "objective: calls a week per agent"},
	{"daily-appointments", "N", "objective: appointments a day per agent"},
	{"weekly-appointments", "N", "objective: appointments a week per agent"},
	{"max-attempts", "N", "calls to a lead before it is exhausted (6)"},
	{"hourly-cost", "EUR", "cost of an hour of calling, for cost per appointment"},
	{"block", "'[DAYS ]HH:MM-HH:MM'", "a calling block, e.g. 14:00-16:00 (Monday to Friday) or\n"
		"'sat 10:00-12:00'; repeat for several; on set, the blocks given\nreplace the old ones"},
	{"no-blocks", NULL, "remove every calling block"},
	{"window", "'[DAYS ]HH:MM-HH:MM'", "a calling window: no lead is offered outside the windows\n"
		"(default B2B mon-fri 09:00-19:00; B2C mon-fri 10:00-13:00 and\n14:00-20:00, art. D.223-9)"},
	{"no-windows", NULL, "back to the default windows"},
	{"retry", "RESULT=DELAY", "retry delay after no_answer, busy, voicemail or gatekeeper\n(defaults 2h, 15m, 4h, 1d)"},
	{"field", "KEY=TYPE[;LIBELLÉ|LABEL]", "a qualification field: text, number, date, yesno or\n"
		"choice:a|b|c, and what the desk calls it in French and English\n"
		"(default: the key); once a campaign has fields, calls may only\nqualify those"},
	{"hold", "DURATION", "how long a lead given by next stays held (15m)"},
	{"idle-limit", "DURATION", "a session idle longer is closed (30m)"},
	{"archive", NULL, "archive the campaign"},
	{"unarchive", NULL, "bring it back"},
	{"outcome", "CODE=LIBELLÉ|LABEL;FLAGS", "an outcome of the campaign's own, beside the built-in\n"
		"ones; flags: refusal, final, callback, appointment, sale, do_not_call\n"
		"(e.g. 'already_customer=Déjà client|Already a customer;final');\nadded or relabelled, never dropped"},
	{"rules", "fr-b2c|none|default", "the rules of the trade applied on top of the windows\n"
		"(default: fr-b2c for b2c, none for b2b; docs/RULES.md)"},
	{"name", "NAME", "a new name (set)"},
	{"dialing", "manual|click|progressive", "how the campaign dials (docs/TELEPHONY.md; manual)"},
	{"caller-id", "NUMBER", "the number it presents; a French campaign dialing progressively\n"
		"presents one of ARCEP's ranges for automated calling systems\n(docs/RULES.md); none removes it"},
	{"ring-timeout", "DURATION", "how long an attempt rings before it is given up (25s)"},
};

struct parsed {
	const char *name;
	struct campaign_setting set[SETTINGS_MAX];
	size_t n;
	enum output_format format;
	bool format_given;
	char *scripts[4];           /* script texts read here, freed by parsed_release */
	size_t nscripts;
};

static void parsed_release(struct parsed *p)
{
	for (size_t i = 0; i < p->nscripts; i++)
		free(p->scripts[i]);
}

/* A setting given on the command line: its text kept for the app (a script: its file's). */
struct setting_arg {
	struct parsed *p;
	const char *key;
};

static int add_setting(void *target, const char *value)
{
	struct setting_arg *s = target;
	struct parsed *p = s->p;

	if (p->n == SETTINGS_MAX)
		return cli_usage("campaign", "at most %d settings at once", SETTINGS_MAX);
	if (strcmp(s->key, "script") == 0) {
		char *text;
		size_t len;

		if (p->nscripts == 4)
			return cli_usage("campaign", "--script once");
		if (cli_read_file(value, CAMPAIGN_SCRIPT_MAX, &text, &len))
			return 2;
		value = p->scripts[p->nscripts++] = text;
	}
	p->set[p->n++] = (struct campaign_setting){s->key, value};
	return 0;
}

static int campaign_format(void *target, const char *value)
{
	struct parsed *p = target;

	if (!cli_parse_format(value, 1u << FORMAT_TEXT | 1u << FORMAT_JSON, &p->format))
		return cli_usage("campaign", "--format text|json goes with list and show");
	p->format_given = true;
	return 0;
}

/*
 * Reads NAME and settings (want_name), or only --format: the options are core's list of
 * campaign settings (one row each, its help from setting_help) and --format. --script FILE
 * is read here: the app gets its text. Returns 0, -1 after the help, or an exit code
 * after printing why.
 */
static int parse(int argc, char **argv, bool want_name, struct parsed *p)
{
	struct cli_opt opts[64];
	struct setting_arg args[64];
	size_t n = 0;
	int nargs, rc;

	memset(p, 0, sizeof(*p));
	for (int i = 0; campaign_setting_name(i) && n + 2 < sizeof(opts) / sizeof(opts[0]); i++) {
		const char *name = campaign_setting_name(i), *arg = "VALUE", *text = "";
		bool takes_value;

		campaign_setting_find(name, &takes_value);
		for (size_t k = 0; k < sizeof(setting_help) / sizeof(setting_help[0]); k++)
			if (strcmp(setting_help[k].name, name) == 0) {
				arg = setting_help[k].arg;
				text = setting_help[k].help;
			}
		args[n] = (struct setting_arg){p, name};
		/* A setting that takes no value (--no-blocks) is a row without arg: called with "". */
		opts[n] = (struct cli_opt)CLI_OPT_CALL(name, &args[n], takes_value ? arg : NULL, text, add_setting);
		n++;
	}
	opts[n++] = (struct cli_opt)CLI_OPT_CALL("format", p, "FORMAT", "text (default) or json (list, show)",
		campaign_format);
	opts[n] = (struct cli_opt)CLI_OPT_END;
	{
		const struct cli_command cmd = {"campaign", usage, about, opts};

		if ((rc = cli_options(&cmd, 1, argc, argv, &nargs)))
			return rc;
	}
	if (want_name) {
		if (nargs != 1)
			return cli_usage("campaign", "give exactly one campaign name (quote names with spaces)");
		p->name = argv[1];
	} else if (nargs) {
		return cli_usage("campaign", "unexpected argument '%s'", argv[1]);
	}
	return 0;
}

static void print_opt(const char *label, int64_t v)
{
	if (v >= 0)
		printf("%-22s %lld\n", label, (long long)v);
	else
		printf("%-22s -\n", label);
}

static void campaign_print(const struct campaign *c)
{
	char blocks[1024];

	campaign_format_slots(c->blocks, c->nblocks, blocks, sizeof(blocks));
	printf("%-22s %s\n", "name", c->name);
	printf("%-22s %s\n", "kind", c->kind);
	printf("%-22s %s\n", "audience", c->audience);
	printf("%-22s %s\n", "timezone", c->timezone);
	printf("%-22s %s\n", "region", c->region);
	printf("%-22s %lld\n", "leads", (long long)c->leads);
	print_opt("call length (s)", c->expected_call_seconds);
	print_opt("daily calls", c->daily_calls);
	print_opt("weekly calls", c->weekly_calls);
	print_opt("daily appointments", c->daily_appointments);
	print_opt("weekly appointments", c->weekly_appointments);
	printf("%-22s %lld\n", "max attempts", (long long)c->max_attempts);
	if (c->hourly_cost_cents >= 0)
		printf("%-22s %lld.%02lld EUR\n", "hourly cost", (long long)(c->hourly_cost_cents / 100),
			(long long)(c->hourly_cost_cents % 100));
	else
		printf("%-22s -\n", "hourly cost");
	printf("%-22s %s\n", "calling blocks", c->nblocks ? blocks : "-");
	campaign_format_slots(c->windows, c->nwindows, blocks, sizeof(blocks));
	printf("%-22s %s\n", "calling windows", c->nwindows ? blocks : "default");
	printf("%-22s %s\n", "script", c->script ? "yes" : "-");
	printf("%-22s %s\n", "archived", c->archived ? "yes" : "no");
	printf("%-22s %s%s\n", "rules", rules_set_name(campaign_rules(c)), c->rule_set < 0 ? " (of the audience)" : "");
	for (int i = 0; i < c->noutcomes; i++) {
		char text[300];

		campaign_format_outcome(&c->outcomes[i], text, sizeof(text));
		printf("%-22s %s\n", i ? "" : "own outcomes", text);
	}
}

static int campaign_add(int argc, char **argv)
{
	struct parsed p;
	struct campaign c;
	struct tp_error err;
	struct app *a = NULL;
	int rc = parse(argc, argv, true, &p);

	if (rc == 0 && p.format_given)
		rc = cli_usage("campaign", "--format text|json goes with list and show");
	if (rc == 0 && (rc = cli_open_app(&a, NULL)) == 0) {
		tp_error_clear(&err);
		campaign_init(&c);
		if (app_campaign_add(a, p.name, p.set, p.n, &c, &err))
			rc = cli_fail(&err);
		else
			printf("campaign %s added (id %lld)\n", c.name, (long long)c.id);
		campaign_release(&c);
		app_close(a);
	}
	parsed_release(&p);
	return rc;
}

static int campaign_set(int argc, char **argv)
{
	struct parsed p;
	struct tp_error err;
	struct app *a = NULL;
	int rc = parse(argc, argv, true, &p);

	if (rc == 0 && p.format_given)
		rc = cli_usage("campaign", "--format text|json goes with list and show");
	if (rc == 0 && p.n == 0)
		rc = cli_usage("campaign", "set needs at least one setting");
	if (rc == 0 && (rc = cli_open_app(&a, NULL)) == 0) {
		tp_error_clear(&err);
		if (app_campaign_set(a, p.name, p.set, p.n, &err))
			rc = cli_fail(&err);
		else
			printf("campaign %s updated\n", p.name);
		app_close(a);
	}
	parsed_release(&p);
	return rc;
}

static int campaign_show(int argc, char **argv)
{
	struct parsed p;
	struct campaign c;
	struct tp_error err;
	struct app *a = NULL;
	int rc = parse(argc, argv, true, &p);

	if (rc == 0 && p.n)
		rc = cli_usage("campaign", "show takes only --format; use 'campaign set' to change settings");
	if (rc == 0 && (rc = cli_open_app(&a, NULL)) == 0) {
		tp_error_clear(&err);
		campaign_init(&c);
		if (app_campaign_get(a, p.name, &c, &err)) {
			rc = cli_fail(&err);
		} else if (p.format == FORMAT_JSON) {
			json_t *j = app_campaign_json(&c);

			cli_print_json(j);
			json_decref(j);
		} else {
			campaign_print(&c);
		}
		campaign_release(&c);
		app_close(a);
	}
	parsed_release(&p);
	return rc;
}

struct list_ctx {
	enum output_format format;
	json_t *array;
};

static int list_one(void *ctx, const struct campaign *c)
{
	struct list_ctx *lc = ctx;

	if (lc->format == FORMAT_JSON)
		json_array_append_new(lc->array, app_campaign_json(c));
	else
		printf("%-32s %-13s %-4s %-16s %8lld leads%s\n", c->name, c->kind, c->audience, c->timezone,
			(long long)c->leads, c->archived ? "  (archived)" : "");
	return 0;
}

static int campaign_list(int argc, char **argv)
{
	struct list_ctx lc = {FORMAT_TEXT, NULL};
	struct parsed p;
	struct tp_error err;
	struct app *a = NULL;
	int rc = parse(argc, argv, false, &p);

	if (rc == 0 && p.n)
		rc = cli_usage("campaign", "list takes only --format");
	if (rc == 0 && (rc = cli_open_app(&a, NULL)) == 0) {
		tp_error_clear(&err);
		lc.format = p.format;
		lc.array = json_array();
		if (app_campaign_list(a, list_one, &lc, &err))
			rc = cli_fail(&err);
		else if (lc.format == FORMAT_JSON)
			cli_print_json(lc.array);
		json_decref(lc.array);
		app_close(a);
	}
	parsed_release(&p);
	return rc;
}

struct script_args {
	struct app_script_variant v[SCRIPT_VARIANTS_MAX];
	char *bodies[SCRIPT_VARIANTS_MAX];
	size_t n;
};

static int add_variant(void *target, const char *value)
{
	struct script_args *s = target;
	const char *eq = strchr(value, '=');
	size_t len;

	if (!eq || eq == value || !eq[1])
		return cli_usage("campaign", "--variant NAME=FILE, e.g. --variant A=a.md");
	if (s->n == SCRIPT_VARIANTS_MAX)
		return cli_usage("campaign", "at most %d variants", SCRIPT_VARIANTS_MAX);
	if (cli_read_file(eq + 1, SCRIPT_BODY_MAX, &s->bodies[s->n], &len))
		return 2;
	s->v[s->n].name = xstrndup(value, (size_t)(eq - value));
	s->v[s->n].body = s->bodies[s->n];
	s->n++;
	return 0;
}

static void print_scripts(json_t *j, bool history)
{
	json_t *g;
	size_t i;

	if (history) {
		json_array_foreach(json_object_get(j, "versions"), i, g) {
			int64_t at = json_integer_value(json_object_get(g, "created_at"));
			char when[32] = "-";

			if (at > 0)
				tz_format("UTC", at, when, sizeof(when));
			printf("version %-4lld %-16s %s UTC\n", (long long)json_integer_value(json_object_get(g, "version")),
				json_is_string(json_object_get(g, "author")) ? json_string_value(json_object_get(g, "author")) : "-",
				when);
		}
		return;
	}
	printf("%-16s %6s %8s %8s %7s  %s\n", "variant", "weight", "version", "words", "reading", "state");
	json_array_foreach(json_object_get(j, "variants"), i, g)
		printf("%-16s %6lld %8lld %8lld %5llds  %s\n", json_string_value(json_object_get(g, "variant")),
			(long long)json_integer_value(json_object_get(g, "weight")),
			(long long)json_integer_value(json_object_get(g, "version")),
			(long long)json_integer_value(json_object_get(g, "words")),
			(long long)json_integer_value(json_object_get(g, "reading_seconds")),
			json_is_true(json_object_get(g, "stopped")) ? "stopped" : "running");
	printf("primary rate: %s\n", json_is_string(json_object_get(j, "primary")) ?
		json_string_value(json_object_get(j, "primary")) : "- (appointments_per_conversation)");
}

static int campaign_script(int argc, char **argv)
{
	struct script_args s = {0};
	const char *weights = NULL, *primary = NULL, *history = NULL;
	enum output_format format = FORMAT_TEXT;
	const struct cli_opt opts[] = {
		CLI_OPT_CALL("variant", &s, "NAME=FILE", "a script the campaign runs (repeat, in order)", add_variant),
		CLI_OPT_STRING("weights", &weights, "W,W", "the variants' weights, in order (equal by default)"),
		CLI_OPT_STRING("primary", &primary, "RATE", "the rate the comparison decides on"),
		CLI_OPT_STRING("history", &history, "VARIANT", "the versions of a variant"),
		CLI_OPT_FORMAT(&format, 1u << FORMAT_TEXT | 1u << FORMAT_JSON, "text (default) or json"),
		CLI_OPT_END,
	};
	const struct cli_command cmd = {"campaign script", NULL, NULL, opts};
	struct tp_error err;
	struct app *a = NULL;
	json_t *j = NULL;
	int nargs, rc;

	if ((rc = cli_options(&cmd, 1, argc, argv, &nargs)))
		rc = rc < 0 ? 0 : rc;
	else if (nargs != 1)
		rc = cli_usage("campaign", "give exactly one campaign name (quote names with spaces)");
	else if (s.n == 0 && (weights || primary))
		rc = cli_usage("campaign", "--weights and --primary go with --variant");
	else if (s.n && history)
		rc = cli_usage("campaign", "--history goes without --variant");
	if (rc == 0 && (rc = cli_open_app(&a, NULL)) == 0) {
		tp_error_clear(&err);
		if (s.n) {
			if (app_scripts_set(a, argv[1], s.v, s.n, weights, primary, &err) ||
			    app_scripts_get(a, argv[1], &j, &err))
				rc = cli_fail(&err);
		} else if (history ? app_script_history(a, argv[1], history, &j, &err) : app_scripts_get(a, argv[1], &j,
				   &err)) {
			rc = cli_fail(&err);
		}
		if (rc == 0 && format == FORMAT_JSON)
			cli_print_json(j);
		else if (rc == 0)
			print_scripts(j, history != NULL);
		json_decref(j);
		app_close(a);
	}
	for (size_t i = 0; i < s.n; i++) {
		free((char *)s.v[i].name);
		free(s.bodies[i]);
	}
	return rc;
}

int cmd_campaign(int argc, char **argv)
{
	if (argc < 2)
		return cli_usage("campaign", "add, list, show, set or script?");
	if (cli_wants_help(argc, argv)) {
		struct parsed p;

		return parse(2, (char *[]){"set", "--help", NULL}, false, &p) < 0 ? 0 : 2;
	}
	if (strcmp(argv[1], "add") == 0)
		return campaign_add(argc - 1, argv + 1);
	if (strcmp(argv[1], "list") == 0)
		return campaign_list(argc - 1, argv + 1);
	if (strcmp(argv[1], "show") == 0)
		return campaign_show(argc - 1, argv + 1);
	if (strcmp(argv[1], "set") == 0)
		return campaign_set(argc - 1, argv + 1);
	if (strcmp(argv[1], "script") == 0)
		return campaign_script(argc - 1, argv + 1);
	return cli_usage("campaign", "unknown subcommand '%s'", argv[1]);
}
