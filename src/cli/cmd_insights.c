/* telepro insights: which differences in the KPIs are real (docs/INSIGHTS.md). */
#include <stdio.h>
#include <string.h>

#include "cli/cli.h"
#include "cli/options.h"

static const char help[] =
	"usage: telepro insights slots --campaign NAME [--agent NAME] [--from YYYY-MM-DD] [--to YYYY-MM-DD]\n"
	"                              [--by hour|weekday|weekday-hour|block]\n"
	"                              [--rate contact_rate|appointment_rate|appointments_per_conversation|\n"
	"                                      sales_per_conversation|sales_per_appointment]\n"
	"                              [--format table|json]\n"
	"       telepro insights agents [--campaign NAME] [--from YYYY-MM-DD] [--to YYYY-MM-DD]\n"
	"                               [--format table|json]\n"
	"       telepro insights attempts --campaign NAME [--from YYYY-MM-DD] [--to YYYY-MM-DD]\n"
	"                                 [--format table|json]\n"
	"       telepro insights objectives --campaign NAME [--from YYYY-MM-DD] [--to YYYY-MM-DD]\n"
	"                                   [--format table|json]\n"
	"       telepro insights followups --campaign NAME [--format table|json]\n"
	"       telepro insights file --campaign NAME [--format table|json]\n"
	"       telepro insights scripts --campaign NAME [--format table|json]\n"
	"\n"
	"The best calling slots, with the evidence: the rate of each slot (hour of day by\n"
	"default) with its 95% interval; a chi-square test of whether the slots differ at all;\n"
	"every pair of slots compared (pooled two-proportion z-test), with q-values\n"
	"(Benjamini-Hochberg over all the pairs) and significant when q <= 0.05; slots with\n"
	"fewer than 30 trials listed apart with how many more they need; the finding in a\n"
	"sentence (French and English). Keys are those of telepro kpi --by (block: inside and\n"
	"outside the campaign's calling blocks).\n"
	"\n"
	"agents puts each agent's quantity (calls, calls per hour) beside quality (contact\n"
	"rate, appointments per conversation, relevant and held appointments, sales per\n"
	"appointment, qualification), each rate also shrunk toward the team (empirical Bayes)\n"
	"so that an agent with few calls is not first or last by luck, and flags\n"
	"forced_appointments when sales mark an agent's appointments irrelevant, no-show or\n"
	"lost significantly more often than the rest of the team, with the evidence.\n"
	"\n"
	"attempts gives the contact and success (appointment or sale) rates by attempt number\n"
	"of a lead (6 and more pooled) and the attempt from which calls stop paying: less than\n"
	"half what a first call brings, surely (its interval below).\n"
	"\n"
	"objectives gives a realistic range for an agent's daily and weekly calls (measured\n"
	"calls per hour, with its interval, times the hours of the calling blocks) and warns when\n"
	"a target is above it or above the best day or week any agent ever did.\n"
	"\n"
	"followups gives, for hot prospects and callbacks, how many converted later (an\n"
	"appointment or a sale on a later call) and in how many days; and for won appointments,\n"
	"the days from the booking call to the meeting and to the win.\n"
	"\n"
	"file gives the prospect file's health: leads by state, completeness of their identity,\n"
	"shares exhausted, invalid and stale (open, nobody called for 90 days), and each import\n"
	"with its duplicate and rejected rates.\n"
	"\n"
	"scripts compares the campaign's script variants (telepro campaign script): each rate a\n"
	"script can change, with its interval and n, and the verdict on the primary rate by a\n"
	"sequential test that stays valid however often it is looked at (docs/SCRIPTS.md).\n";

/* A shrunk rate as "23.4% (raw 25.0%)". */
static void print_rate(json_t *agent, const char *key)
{
	json_t *r = json_object_get(agent, key);

	if (json_is_number(json_object_get(r, "value")))
		printf("  %5.1f%% (%5.1f%%)", 100 * json_real_value(json_object_get(r, "eb_value")),
			100 * json_real_value(json_object_get(r, "value")));
	else
		printf("  %16s", "-");
}

/* A rate as "12.3% [10.1-14.8] n=400", or per hour. */
static void print_interval(json_t *r, bool per_hour)
{
	if (!json_is_number(json_object_get(r, "value"))) {
		printf("  %-28s", "-");
		return;
	}
	if (per_hour)
		printf("  %6.1f [%.1f-%.1f]        ", json_real_value(json_object_get(r, "value")),
			json_real_value(json_object_get(r, "low")), json_real_value(json_object_get(r, "high")));
	else
		printf("  %5.1f%% [%.1f-%.1f] n=%-6lld", 100 * json_real_value(json_object_get(r, "value")),
			100 * json_real_value(json_object_get(r, "low")), 100 * json_real_value(json_object_get(r, "high")),
			(long long)json_integer_value(json_object_get(r, "n")));
}

static void print_scripts(json_t *j)
{
	static const char *const rates[] = {"contact_rate", "conversations_per_hour", "qualification_rate",
		"appointments_per_conversation", "relevant_appointments_per_conversation", "relevant_appointment_rate",
		"sales_per_appointment"};
	json_t *g;
	size_t i;

	printf("%-40s", "");
	json_array_foreach(json_object_get(j, "variants"), i, g)
		printf("  %-28s", json_string_value(json_object_get(g, "variant")));
	printf("\n%-40s", "calls / conversations");
	json_array_foreach(json_object_get(j, "variants"), i, g) {
		char both[64];

		snprintf(both, sizeof(both), "%lld / %lld", (long long)json_integer_value(json_object_get(g, "calls")),
			(long long)json_integer_value(json_object_get(g, "conversations")));
		printf("  %-28s", both);
	}
	printf("\n");
	for (size_t r = 0; r < sizeof(rates) / sizeof(rates[0]); r++) {
		printf("%-40s", rates[r]);
		json_array_foreach(json_object_get(j, "variants"), i, g)
			print_interval(json_object_get(g, rates[r]), r == 1);
		printf("\n");
	}
	printf("primary: %s\n%s\n", json_string_value(json_object_get(j, "primary")),
		json_string_value(json_object_get(json_object_get(j, "verdict"), "summary_en")));
}

static void print_agents(json_t *j)
{
	static const char *const rates[] = {"contact_rate", "appointments_per_conversation", "relevant_appointment_rate",
		"sales_per_appointment"};
	json_t *g;
	size_t i;

	printf("%-12s %7s %7s  %-16s  %-16s  %-16s  %-16s  %s\n", "agent", "calls", "calls/h", "contact (raw)",
		"appts/conv (raw)", "relevant (raw)", "sales/appt (raw)", "flags");
	json_array_foreach(json_object_get(j, "agents"), i, g) {
		json_t *cph = json_object_get(json_object_get(g, "calls_per_hour"), "value");

		printf("%-12s %7lld %7.1f", json_string_value(json_object_get(g, "agent")),
			(long long)json_integer_value(json_object_get(g, "calls")), json_is_number(cph) ? json_real_value(cph) : 0);
		for (size_t r = 0; r < sizeof(rates) / sizeof(rates[0]); r++)
			print_rate(g, rates[r]);
		printf("  %s\n", json_array_size(json_object_get(g, "flags")) ? "forced_appointments" : "");
	}
}

int cmd_insights(int argc, char **argv)
{
	struct app_insights_query q = {0};
	enum output_format format = FORMAT_TEXT;
	const char *output = NULL;
	const struct cli_opt opts[] = {
		CLI_OPT_STRING("campaign", &q.campaign, "NAME", "one campaign"),
		CLI_OPT_STRING("agent", &q.agent, "NAME", "one agent"),
		CLI_OPT_STRING("from", &q.from, "YYYY-MM-DD", "first local day of the period"),
		CLI_OPT_STRING("to", &q.to, "YYYY-MM-DD", "last local day of the period"),
		CLI_OPT_STRING("by", &q.by, "GROUPING", "slots: hour, weekday, weekday-hour or month"),
		CLI_OPT_STRING("rate", &q.rate, "RATE", "slots: the rate compared (default contact_rate)"),
		CLI_OPT_FORMAT(&format, 1u << FORMAT_TEXT | 1u << FORMAT_JSON | 1u << FORMAT_XLSX,
			"table (default), json, or xlsx (agents, with --output)"),
		CLI_OPT_STRING("output", &output, "FILE", "agents --format xlsx: the workbook to write"),
		CLI_OPT_END,
	};
	const struct cli_command cmd = {"insights", help, NULL, opts};
	int nargs;
	struct tp_error err;
	struct app *a = NULL;
	json_t *j = NULL, *g;
	size_t i;
	int rc;

	if (cli_wants_help(argc, argv)) {
		cli_options_help(&cmd, stdout);
		return 0;
	}
	if (argc < 2)
		return cli_usage("insights", "slots, agents, attempts, objectives, followups, file or scripts?");
	if (strcmp(argv[1], "slots") != 0 && strcmp(argv[1], "agents") != 0 && strcmp(argv[1], "attempts") != 0 &&
	    strcmp(argv[1], "objectives") != 0 && strcmp(argv[1], "followups") != 0 && strcmp(argv[1], "file") != 0 &&
	    strcmp(argv[1], "scripts") != 0)
		return cli_usage("insights", "unknown subcommand '%s' (slots, agents, attempts, objectives, followups, file or"
			" scripts)", argv[1]);
	if ((rc = cli_options(&cmd, 2, argc, argv, &nargs)))
		return rc < 0 ? 0 : rc;
	if (nargs)
		return cli_usage("insights", "unexpected argument '%s'", argv[optind]);
	if ((format == FORMAT_XLSX) != (output != NULL) || (format == FORMAT_XLSX && strcmp(argv[1], "agents") != 0))
		return cli_usage("insights", "--format xlsx goes with agents and --output FILE");
	if ((rc = cli_open_app(&a, NULL)))
		return rc;
	tp_error_clear(&err);
	if (strcmp(argv[1], "file") == 0) {
		if (app_insights_file(a, &q, &j, &err)) {
			rc = cli_fail(&err);
		} else if (format == FORMAT_JSON) {
			cli_print_json(j);
		} else {
			const char *key;
			json_t *v;

			printf("%lld leads:", (long long)json_integer_value(json_object_get(j, "leads")));
			json_object_foreach(json_object_get(j, "states"), key, v)
				printf(" %s %lld", key, (long long)json_integer_value(v));
			printf("\ncomplete:");
			json_object_foreach(json_object_get(j, "completeness"), key, v)
				if (json_is_number(v))
					printf(" %s %.0f%%", key, 100 * json_real_value(v));
			if (json_is_number(json_object_get(j, "stale_share")))
				printf("\nexhausted %.1f%%, stale %.1f%% (open, not called for %lld days)\n",
					100 * json_real_value(json_object_get(j, "exhausted_share")),
					100 * json_real_value(json_object_get(j, "stale_share")),
					(long long)json_integer_value(json_object_get(j, "stale_days")));
			json_array_foreach(json_object_get(j, "imports"), i, g)
				printf("import %s: %lld imported, %lld duplicates, %lld rejected\n",
					json_string_value(json_object_get(g, "file")), (long long)json_integer_value(json_object_get(g, "imported")),
					(long long)json_integer_value(json_object_get(g, "duplicates")),
					(long long)json_integer_value(json_object_get(g, "rejected")));
		}
	} else if (strcmp(argv[1], "followups") == 0) {
		if (app_insights_followups(a, &q, &j, &err)) {
			rc = cli_fail(&err);
		} else if (format == FORMAT_JSON) {
			cli_print_json(j);
		} else {
			json_t *won = json_object_get(j, "won_appointments"), *sale = json_object_get(won, "booking_to_sale");

			json_array_foreach(json_object_get(j, "followups"), i, g) {
				json_t *d = json_object_get(g, "days_to_conversion"), *cr = json_object_get(g, "conversion_rate");

				printf("%-12s %6lld conversations, %5lld converted (%.1f%%)", json_string_value(json_object_get(g, "outcome")),
					(long long)json_integer_value(json_object_get(g, "conversations")),
					(long long)json_integer_value(json_object_get(g, "converted")),
					100 * json_real_value(json_object_get(cr, "value")));
				if (json_is_number(json_object_get(d, "median_days")))
					printf(", median %.0f days", json_real_value(json_object_get(d, "median_days")));
				putchar('\n');
			}
			if (json_is_number(json_object_get(sale, "median_days")))
				printf("won appointments: %lld, median %.0f days from the booking call to the win\n",
					(long long)json_integer_value(json_object_get(sale, "n")), json_real_value(json_object_get(sale, "median_days")));
		}
	} else if (strcmp(argv[1], "objectives") == 0) {
		if (app_insights_objectives(a, &q, &j, &err)) {
			rc = cli_fail(&err);
		} else if (format == FORMAT_JSON) {
			cli_print_json(j);
		} else {
			static const char *const keys[] = {"daily_calls", "weekly_calls"};
			json_t *cph = json_object_get(j, "calls_per_hour");

			printf("calls per hour %.1f [%.1f-%.1f], %.1f hours a day (%s)\n", json_real_value(json_object_get(cph, "value")),
				json_real_value(json_object_get(cph, "low")), json_real_value(json_object_get(cph, "high")),
				json_real_value(json_object_get(j, "hours_per_day")), json_string_value(json_object_get(j, "hours_from")));
			for (size_t k = 0; k < 2; k++) {
				json_t *o = json_object_get(j, keys[k]), *best = json_object_get(o, "best"), *w;
				char target[32] = "-";
				size_t n;

				if (json_is_integer(json_object_get(o, "target")))
					snprintf(target, sizeof(target), "%lld", (long long)json_integer_value(json_object_get(o, "target")));
				printf("%-13s target %-5s realistic %.0f-%.0f, best %lld (%s, %s)\n", keys[k], target,
					json_real_value(json_object_get(o, "realistic_low")), json_real_value(json_object_get(o, "realistic_high")),
					(long long)json_integer_value(json_object_get(best, "calls")),
					json_string_value(json_object_get(best, "agent")), json_string_value(json_object_get(best, "when")));
				json_array_foreach(json_object_get(o, "warnings"), n, w)
					printf("  warning: %s\n", json_string_value(w));
			}
		}
	} else if (strcmp(argv[1], "attempts") == 0) {
		if (app_insights_attempts(a, &q, &j, &err)) {
			rc = cli_fail(&err);
		} else if (format == FORMAT_JSON) {
			cli_print_json(j);
		} else {
			printf("%-8s %8s  %-22s  %s\n", "attempt", "calls", "contact rate", "success rate");
			json_array_foreach(json_object_get(j, "groups"), i, g) {
				json_t *cr = json_object_get(g, "contact_rate"), *sr = json_object_get(g, "success_rate");

				printf("%-8s %8lld  %5.1f%% [%.1f-%.1f]      %5.1f%% [%.1f-%.1f]\n",
					json_string_value(json_object_get(g, "key")), (long long)json_integer_value(json_object_get(g, "calls")),
					100 * json_real_value(json_object_get(cr, "value")), 100 * json_real_value(json_object_get(cr, "low")),
					100 * json_real_value(json_object_get(cr, "high")), 100 * json_real_value(json_object_get(sr, "value")),
					100 * json_real_value(json_object_get(sr, "low")), 100 * json_real_value(json_object_get(sr, "high")));
			}
			printf("%s\n", json_string_value(json_object_get(j, "summary")));
		}
	} else if (strcmp(argv[1], "scripts") == 0) {
		if (app_insights_scripts(a, &q, &j, &err))
			rc = cli_fail(&err);
		else if (format == FORMAT_JSON)
			cli_print_json(j);
		else
			print_scripts(j);
	} else if (strcmp(argv[1], "agents") == 0 && format == FORMAT_XLSX) {
		if (app_insights_agents_xlsx(a, &q, output, &err))
			rc = cli_fail(&err);
	} else if (strcmp(argv[1], "agents") == 0) {
		if (app_insights_agents(a, &q, &j, &err))
			rc = cli_fail(&err);
		else if (format == FORMAT_JSON)
			cli_print_json(j);
		else
			print_agents(j);
	} else if (app_insights_slots(a, &q, &j, &err)) {
		rc = cli_fail(&err);
	} else if (format == FORMAT_JSON) {
		cli_print_json(j);
	} else {
		json_t *t = json_object_get(j, "test");

		printf("%-12s %8s  %s\n", json_string_value(json_object_get(j, "by")), "n",
			json_string_value(json_object_get(j, "rate")));
		json_array_foreach(json_object_get(j, "groups"), i, g)
			printf("%-12s %8lld  %5.1f%% [%.1f-%.1f]\n", json_string_value(json_object_get(g, "key")),
				(long long)json_integer_value(json_object_get(g, "n")),
				100 * json_real_value(json_object_get(g, "value")), 100 * json_real_value(json_object_get(g, "low")),
				100 * json_real_value(json_object_get(g, "high")));
		json_array_foreach(json_object_get(j, "too_few"), i, g)
			printf("%-12s %8lld  too few: %lld more needed\n", json_string_value(json_object_get(g, "key")),
				(long long)json_integer_value(json_object_get(g, "n")),
				(long long)json_integer_value(json_object_get(g, "needed")));
		printf("chi-square %.2f, %lld df, p = %.3g\n", json_real_value(json_object_get(t, "statistic")),
			(long long)json_integer_value(json_object_get(t, "df")), json_real_value(json_object_get(t, "p_value")));
		json_array_foreach(json_object_get(j, "pairs"), i, g)
			if (json_is_true(json_object_get(g, "significant")))
				printf("%s > %s: x%.2f, q = %.3g\n", json_string_value(json_object_get(g, "a")),
					json_string_value(json_object_get(g, "b")), json_real_value(json_object_get(g, "ratio")),
					json_real_value(json_object_get(g, "q_value")));
		printf("%s\n", json_string_value(json_object_get(j, "summary")));
	}
	json_decref(j);
	app_close(a);
	return rc;
}
