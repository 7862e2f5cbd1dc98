#include <errno.h>
#include <getopt.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <jansson.h>

#include "cli/cli.h"
#include "core/calling.h"
#include "core/xalloc.h"

static const char help[] =
	"usage: telepro campaign add NAME [SETTINGS]\n"
	"       telepro campaign list [--format text|json]\n"
	"       telepro campaign show NAME [--format text|json]\n"
	"       telepro campaign set NAME SETTINGS\n"
	"\n"
	"Settings:\n"
	"  --kind appointment|event|qualification|survey|sales|custom   (default appointment)\n"
	"  --audience b2b|b2c            (default b2b; B2C campaigns follow consumer rules)\n"
	"  --timezone ZONE               IANA time zone of the people called (default Europe/Paris)\n"
	"  --region CC                   country of national phone numbers in files (default FR)\n"
	"  --script FILE                 the call script, Markdown\n"
	"  --call-length SECONDS         expected length of a conversation (also 5m, 90s)\n"
	"  --daily-calls N, --weekly-calls N, --daily-appointments N, --weekly-appointments N\n"
	"                                objectives (0 removes one)\n"
	"  --max-attempts N              calls to a lead before it is exhausted (default 6)\n"
	"  --hourly-cost EUR             cost of an hour of calling, for cost per appointment\n"
	"  --block '[DAYS ]HH:MM-HH:MM'  a calling block, e.g. 14:00-16:00 (Monday to Friday)\n"
	"                                or 'sat 10:00-12:00'; repeat for several; on set,\n"
	"                                the blocks given replace the old ones\n"
	"  --no-blocks                   remove every calling block\n"
	"  --window '[DAYS ]HH:MM-HH:MM' a calling window: no lead is offered outside the\n"
	"                                windows (default B2B mon-fri 09:00-19:00; B2C\n"
	"                                mon-fri 10:00-13:00 and 14:00-20:00, art. D.223-9)\n"
	"  --no-windows                  back to the default windows\n"
	"  --retry RESULT=DELAY          retry delay after no_answer, busy, voicemail or\n"
	"                                gatekeeper (defaults 2h, 15m, 4h, 1d)\n"
	"  --field KEY=TYPE              a qualification field: text, number, date, yesno or\n"
	"                                choice:a|b|c; once a campaign has fields, calls may\n"
	"                                only qualify those\n"
	"  --hold DURATION               how long a lead given by next stays held (15m)\n"
	"  --idle-limit DURATION         a session idle longer is closed (30m)\n"
	"  --archive, --unarchive\n";

enum {
	OPT_KIND = 256, OPT_AUDIENCE, OPT_TIMEZONE, OPT_REGION, OPT_SCRIPT, OPT_CALL_LENGTH, OPT_DAILY_CALLS,
	OPT_WEEKLY_CALLS, OPT_DAILY_APPTS, OPT_WEEKLY_APPTS, OPT_MAX_ATTEMPTS, OPT_HOURLY_COST, OPT_BLOCK,
	OPT_NO_BLOCKS, OPT_ARCHIVE, OPT_UNARCHIVE, OPT_FORMAT, OPT_WINDOW, OPT_NO_WINDOWS, OPT_RETRY, OPT_FIELD,
	OPT_HOLD, OPT_IDLE,
};

static const struct option settings_opts[] = {
	{"kind", required_argument, NULL, OPT_KIND},
	{"audience", required_argument, NULL, OPT_AUDIENCE},
	{"timezone", required_argument, NULL, OPT_TIMEZONE},
	{"region", required_argument, NULL, OPT_REGION},
	{"script", required_argument, NULL, OPT_SCRIPT},
	{"call-length", required_argument, NULL, OPT_CALL_LENGTH},
	{"daily-calls", required_argument, NULL, OPT_DAILY_CALLS},
	{"weekly-calls", required_argument, NULL, OPT_WEEKLY_CALLS},
	{"daily-appointments", required_argument, NULL, OPT_DAILY_APPTS},
	{"weekly-appointments", required_argument, NULL, OPT_WEEKLY_APPTS},
	{"max-attempts", required_argument, NULL, OPT_MAX_ATTEMPTS},
	{"hourly-cost", required_argument, NULL, OPT_HOURLY_COST},
	{"block", required_argument, NULL, OPT_BLOCK},
	{"no-blocks", no_argument, NULL, OPT_NO_BLOCKS},
	{"archive", no_argument, NULL, OPT_ARCHIVE},
	{"unarchive", no_argument, NULL, OPT_UNARCHIVE},
	{"format", required_argument, NULL, OPT_FORMAT},
	{"window", required_argument, NULL, OPT_WINDOW},
	{"no-windows", no_argument, NULL, OPT_NO_WINDOWS},
	{"retry", required_argument, NULL, OPT_RETRY},
	{"field", required_argument, NULL, OPT_FIELD},
	{"hold", required_argument, NULL, OPT_HOLD},
	{"idle-limit", required_argument, NULL, OPT_IDLE},
	{NULL, 0, NULL, 0},
};

#define SCRIPT_MAX (256 * 1024)

static bool parse_seconds(const char *s, int64_t *out)
{
	size_t len = strlen(s);
	int64_t mult = 1;
	char num[32];

	if (len == 0 || len >= sizeof(num))
		return false;
	if (s[len - 1] == 'm' || s[len - 1] == 's' || s[len - 1] == 'h') {
		mult = s[len - 1] == 'm' ? 60 : s[len - 1] == 'h' ? 3600 : 1;
		len--;
	}
	memcpy(num, s, len);
	num[len] = '\0';
	if (!cli_parse_int(num, 1, 24 * 3600, out))
		return false;
	*out *= mult;
	return *out <= 24 * 3600;
}

static bool parse_euros(const char *s, int64_t *cents)
{
	char *end;
	double v;
	char buf[32];

	snprintf(buf, sizeof(buf), "%s", s);
	for (char *p = buf; *p; p++)
		if (*p == ',')
			*p = '.';
	errno = 0;
	v = strtod(buf, &end);
	if (errno || *end || end == buf || !(v >= 0) || v > 1e6)
		return false;
	*cents = (int64_t)llround(v * 100);
	return true;
}

/* Objective: 0 removes it (stored as "not set"). */
static bool parse_objective(const char *s, int64_t *out)
{
	if (!cli_parse_int(s, 0, 1000000, out))
		return false;
	if (*out == 0)
		*out = -1;
	return true;
}

/*
 * Applies the options of argv to c. *name gets the one positional argument. Returns 0 or
 * an exit code after printing why.
 */
static int apply_settings(int argc, char **argv, struct campaign *c, const char **name,
	enum output_format *format, bool *changed)
{
	bool blocks_given = false, windows_given = false;
	int opt, idx = 0;

	optind = 0;
	opterr = 0;
	*changed = false;
	while ((opt = getopt_long(argc, argv, ":", settings_opts, &idx)) != -1) {
		const char *v = optarg;
		bool ok = true;
		char *script = NULL;
		struct tp_error err;

		if (opt != OPT_FORMAT && opt != ':' && opt != '?')
			*changed = true;
		switch (opt) {
		case OPT_KIND:
			campaign_set_str(&c->kind, v);
			break;
		case OPT_AUDIENCE:
			campaign_set_str(&c->audience, v);
			break;
		case OPT_TIMEZONE:
			campaign_set_str(&c->timezone, v);
			break;
		case OPT_REGION:
			campaign_set_str(&c->region, v);
			break;
		case OPT_SCRIPT:
			{
				size_t len;

				if (cli_read_file(v, SCRIPT_MAX, &script, &len))
					return 2;
			}
			free(c->script);
			c->script = script;
			break;
		case OPT_CALL_LENGTH:
			ok = parse_seconds(v, &c->expected_call_seconds);
			break;
		case OPT_DAILY_CALLS:
			ok = parse_objective(v, &c->daily_calls);
			break;
		case OPT_WEEKLY_CALLS:
			ok = parse_objective(v, &c->weekly_calls);
			break;
		case OPT_DAILY_APPTS:
			ok = parse_objective(v, &c->daily_appointments);
			break;
		case OPT_WEEKLY_APPTS:
			ok = parse_objective(v, &c->weekly_appointments);
			break;
		case OPT_MAX_ATTEMPTS:
			ok = cli_parse_int(v, 1, 100, &c->max_attempts);
			break;
		case OPT_HOURLY_COST:
			ok = parse_euros(v, &c->hourly_cost_cents);
			break;
		case OPT_BLOCK:
			if (!blocks_given)
				c->nblocks = 0;
			blocks_given = true;
			tp_error_clear(&err);
			if (campaign_add_blocks(c, v, &err))
				return cli_fail(&err);
			break;
		case OPT_NO_BLOCKS:
			c->nblocks = 0;
			break;
		case OPT_WINDOW:
			if (!windows_given)
				c->nwindows = 0;
			windows_given = true;
			tp_error_clear(&err);
			if (campaign_add_windows(c, v, &err))
				return cli_fail(&err);
			break;
		case OPT_NO_WINDOWS:
			c->nwindows = 0;
			break;
		case OPT_RETRY:
			tp_error_clear(&err);
			if (campaign_set_retry(c, v, &err))
				return cli_fail(&err);
			break;
		case OPT_FIELD:
			tp_error_clear(&err);
			if (campaign_set_field(c, v, &err))
				return cli_fail(&err);
			break;
		case OPT_HOLD:
			ok = calling_parse_duration(v, &c->hold_seconds);
			break;
		case OPT_IDLE:
			ok = calling_parse_duration(v, &c->idle_limit_seconds);
			break;
		case OPT_ARCHIVE:
			c->archived = true;
			break;
		case OPT_UNARCHIVE:
			c->archived = false;
			break;
		case OPT_FORMAT:
			if (!format || !cli_parse_format(v, 1u << FORMAT_TEXT | 1u << FORMAT_JSON, format))
				return cli_usage("campaign", "--format text|json goes with list and show");
			break;
		case ':':
			return cli_usage("campaign", "option '%s' needs a value", argv[optind - 1]);
		default:
			return cli_usage("campaign", "unknown option '%s'", argv[optind - 1]);
		}
		if (!ok)
			return cli_usage("campaign", "'%s' is not a valid value for --%s", v, settings_opts[idx].name);
	}
	if (name) {
		if (optind != argc - 1)
			return cli_usage("campaign", "give exactly one campaign name (quote names with spaces)");
		*name = argv[optind];
	} else if (optind != argc) {
		return cli_usage("campaign", "unexpected argument '%s'", argv[optind]);
	}
	return 0;
}

static json_t *opt_json(int64_t v)
{
	return v < 0 ? json_null() : json_integer(v);
}

static json_t *slots_json(const struct calling_block *b, int n)
{
	json_t *a = json_array();

	for (int i = 0; i < n; i++) {
		char start[16], end[16];

		snprintf(start, sizeof(start), "%02d:%02d", b[i].start_minute / 60, b[i].start_minute % 60);
		snprintf(end, sizeof(end), "%02d:%02d", b[i].end_minute / 60, b[i].end_minute % 60);
		json_array_append_new(a, json_pack("{s:i,s:s,s:s}", "weekday", b[i].weekday, "start", start, "end", end));
	}
	return a;
}

static json_t *campaign_json(const struct campaign *c)
{
	json_t *blocks = slots_json(c->blocks, c->nblocks), *o, *retry = json_object(), *fields = json_array();

	for (int i = 0; i < c->nretry; i++)
		json_object_set_new(retry, c->retry[i].result, json_integer(c->retry[i].seconds));
	for (int i = 0; i < c->nfields; i++)
		json_array_append_new(fields, json_pack("{s:s,s:s,s:o}", "key", c->fields[i].key, "type", c->fields[i].type,
			"choices", c->fields[i].choices[0] ? json_string(c->fields[i].choices) : json_null()));
	o = json_pack("{s:I,s:s,s:s,s:s,s:s,s:s,s:o,s:o,s:{s:o,s:o,s:o,s:o},s:I,s:o,s:b,s:o,s:I,s:I}",
		"id", (json_int_t)c->id, "name", c->name, "kind", c->kind, "audience", c->audience,
		"timezone", c->timezone, "region", c->region,
		"script", c->script ? json_string(c->script) : json_null(),
		"expected_call_seconds", opt_json(c->expected_call_seconds),
		"objectives", "daily_calls", opt_json(c->daily_calls), "weekly_calls", opt_json(c->weekly_calls),
		"daily_appointments", opt_json(c->daily_appointments),
		"weekly_appointments", opt_json(c->weekly_appointments),
		"max_attempts", (json_int_t)c->max_attempts, "hourly_cost_cents", opt_json(c->hourly_cost_cents),
		"archived", c->archived, "calling_blocks", blocks, "leads", (json_int_t)c->leads,
		"created_at", (json_int_t)c->created_at);
	json_object_set_new(o, "calling_windows", slots_json(c->windows, c->nwindows));
	json_object_set_new(o, "retry_seconds", retry);
	json_object_set_new(o, "qualification_fields", fields);
	json_object_set_new(o, "hold_seconds", json_integer(c->hold_seconds));
	json_object_set_new(o, "idle_limit_seconds", json_integer(c->idle_limit_seconds));
	return o;
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
}

static int campaign_add(int argc, char **argv)
{
	struct campaign c;
	struct tp_error err;
	struct store *s;
	const char *name = NULL;
	bool changed;
	int rc;

	campaign_init(&c);
	campaign_set_str(&c.kind, "appointment");
	campaign_set_str(&c.audience, "b2b");
	campaign_set_str(&c.timezone, "Europe/Paris");
	campaign_set_str(&c.region, "FR");
	tp_error_clear(&err);
	rc = apply_settings(argc, argv, &c, &name, NULL, &changed);
	if (rc == 0) {
		campaign_set_str(&c.name, name);
		if (campaign_validate(&c, &err))
			rc = cli_fail(&err);
	}
	if (rc == 0) {
		if (!(s = cli_open_store())) {
			rc = 1;
		} else {
			if (store_campaign_add(s, &c, &err))
				rc = cli_fail(&err);
			else
				printf("campaign %s added (id %lld)\n", c.name, (long long)c.id);
			store_close(s);
		}
	}
	campaign_release(&c);
	return rc;
}

static int campaign_set(int argc, char **argv)
{
	struct campaign c;
	struct tp_error err;
	struct store *s;
	const char *name = NULL;
	bool changed;
	int rc;

	/* Find the name first: settings apply on top of the stored campaign. */
	campaign_init(&c);
	rc = apply_settings(argc, argv, &c, &name, NULL, &changed);
	campaign_release(&c);
	if (rc)
		return rc;
	if (!changed)
		return cli_usage("campaign", "set needs at least one setting");
	if (!(s = cli_open_store()))
		return 1;
	tp_error_clear(&err);
	campaign_init(&c);
	rc = store_campaign_get(s, name, &c, &err);
	if (rc)
		rc = cli_fail(&err);
	if (rc == 0)
		rc = apply_settings(argc, argv, &c, &name, NULL, &changed);
	if (rc == 0 && campaign_validate(&c, &err))
		rc = cli_fail(&err);
	if (rc == 0 && store_campaign_update(s, &c, &err))
		rc = cli_fail(&err);
	if (rc == 0)
		printf("campaign %s updated\n", c.name);
	campaign_release(&c);
	store_close(s);
	return rc;
}

static int campaign_show(int argc, char **argv)
{
	enum output_format format = FORMAT_TEXT;
	struct campaign c;
	struct tp_error err;
	struct store *s;
	const char *name = NULL;
	bool changed;
	int rc;

	campaign_init(&c);
	rc = apply_settings(argc, argv, &c, &name, &format, &changed);
	campaign_release(&c);
	if (rc)
		return rc;
	if (changed)
		return cli_usage("campaign", "show takes only --format; use 'campaign set' to change settings");
	if (!(s = cli_open_store()))
		return 1;
	tp_error_clear(&err);
	campaign_init(&c);
	rc = store_campaign_get(s, name, &c, &err);
	store_close(s);
	if (rc) {
		campaign_release(&c);
		return cli_fail(&err);
	}
	if (format == FORMAT_JSON) {
		json_t *j = campaign_json(&c);

		cli_print_json(j);
		json_decref(j);
	} else {
		campaign_print(&c);
	}
	campaign_release(&c);
	return 0;
}

struct list_ctx {
	enum output_format format;
	json_t *array;
};

static int list_one(void *ctx, const struct campaign *c)
{
	struct list_ctx *lc = ctx;

	if (lc->format == FORMAT_JSON)
		json_array_append_new(lc->array, campaign_json(c));
	else
		printf("%-32s %-13s %-4s %-16s %8lld leads%s\n", c->name, c->kind, c->audience, c->timezone,
			(long long)c->leads, c->archived ? "  (archived)" : "");
	return 0;
}

static int campaign_list(int argc, char **argv)
{
	struct list_ctx lc = {FORMAT_TEXT, NULL};
	struct campaign dummy;
	struct tp_error err;
	struct store *s;
	bool changed;
	int rc;

	campaign_init(&dummy);
	rc = apply_settings(argc, argv, &dummy, NULL, &lc.format, &changed);
	campaign_release(&dummy);
	if (rc)
		return rc;
	if (changed)
		return cli_usage("campaign", "list takes only --format");
	if (!(s = cli_open_store()))
		return 1;
	tp_error_clear(&err);
	lc.array = json_array();
	rc = store_campaign_list(s, list_one, &lc, &err);
	store_close(s);
	if (rc == 0 && lc.format == FORMAT_JSON) {
		cli_print_json(lc.array);
	}
	json_decref(lc.array);
	return rc ? cli_fail(&err) : 0;
}

int cmd_campaign(int argc, char **argv)
{
	if (argc < 2)
		return cli_usage("campaign", "add, list, show or set?");
	if (cli_wants_help(argc, argv))
		return cli_help(help);
	if (strcmp(argv[1], "add") == 0)
		return campaign_add(argc - 1, argv + 1);
	if (strcmp(argv[1], "list") == 0)
		return campaign_list(argc - 1, argv + 1);
	if (strcmp(argv[1], "show") == 0)
		return campaign_show(argc - 1, argv + 1);
	if (strcmp(argv[1], "set") == 0)
		return campaign_set(argc - 1, argv + 1);
	return cli_usage("campaign", "unknown subcommand '%s'", argv[1]);
}
