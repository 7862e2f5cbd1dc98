#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli/cli.h"

static const char usage[] =
	"usage: telepro [--db URL] [--as LOGIN] COMMAND [ARGS]\n"
	"\n"
	"Teleprospecting: prospect files, campaigns, calls and honest KPIs.\n"
	"\n"
	"Commands:\n"
	"  init                         create or upgrade the database (idempotent)\n"
	"  user add|list|passwd|set|disable|enable   manage users and roles\n"
	"  campaign add|list|show|set   manage campaigns, objectives and calling blocks\n"
	"  import prospects FILE --campaign NAME   import a prospect file (CSV)\n"
	"  import dnc FILE --source internal|bloctel|other   load an opposition list\n"
	"  export prospects --campaign NAME --format csv|json   export a campaign's prospects\n"
	"  import calls FILE --campaign NAME --mapping FILE   import a call history\n"
	"  session start|pause|resume|stop --agent NAME   calling time\n"
	"  next --agent NAME --campaign NAME   the lead to call now, and why\n"
	"  call log --agent NAME --lead ID --result R ...   record a call\n"
	"  why LEAD [--at TIME]         why a lead may or may not be called, rule by rule\n"
	"  consent LEAD --source WHERE  record a consumer's consent to be called (B2C)\n"
	"  person export|erase|review   a person's data under the GDPR\n"
	"  insights slots --campaign C  the best calling slots, and which differences are real\n"
	"  appointment list|result       appointments and what sales made of them\n"
	"  kpi [--campaign C] [--by hour|weekday|weekday-hour|day|week|month|agent|campaign|outcome|block]\n"
	"  report --campaign C --period 2026-W49 --output report.pdf   the campaign report (PDF)\n"
	"  webhook add|list|remove|deliveries|test   tell other tools of events (admins)\n"
	"  demo [--seed N] [--weeks W]   fill the database with believable demo data\n"
	"  migrate --from URL --to URL   copy a whole database (e.g. SQLite to PostgreSQL)\n"
	"  backup --output FILE          a consistent copy of a SQLite database, while in use\n"
	"  restore FILE                  a backup into a new database (--db), KPIs checked\n"
	"  serve [--listen 127.0.0.1:8080]   the web application and the JSON API\n"
	"\n"
	"Database: --db URL or TELEPRO_DB; sqlite:PATH (default sqlite:telepro.db) or\n"
	"postgresql://USER@HOST/DB (libpq URLs, e.g. postgresql:///telepro?host=/run/postgresql).\n"
	"--as LOGIN acts as that Telepro user (its role applies; the audit log names it);\n"
	"without it, commands act as the operating-system user, with every right.\n"
	"Exit codes: 0 success, 1 runtime failure, 2 bad usage or bad input.\n"
	"'telepro COMMAND --help' describes each command.\n";

static const struct {
	const char *name;
	int (*fn)(int argc, char **argv);
} commands[] = {
	{"init", cmd_init},
	{"user", cmd_user},
	{"campaign", cmd_campaign},
	{"import", cmd_import},
	{"export", cmd_export},
	{"session", cmd_session_entry},
	{"next", cmd_next},
	{"call", cmd_call},
	{"appointment", cmd_appointment},
	{"kpi", cmd_kpi},
	{"demo", cmd_demo},
	{"migrate", cmd_migrate},
	{"backup", cmd_backup},
	{"restore", cmd_restore},
	{"serve", cmd_serve},
	{"why", cmd_why},
	{"consent", cmd_consent},
	{"person", cmd_person},
	{"insights", cmd_insights},
	{"report", cmd_report},
	{"webhook", cmd_webhook},
};

/* The options every command takes, wherever they stand (before a "--"). */
static const struct {
	const char *name;           /* "--db"; "--db=VALUE" works too */
	const char **value;
	const char *example;
} global_options[] = {
	{"--db", &cli_db_url, "a URL, e.g. --db sqlite:telepro.db"},
	{"--as", &cli_as, "a login, e.g. --as alice"},
};

/* Takes the global options out of argv. */
static int take_global_options(int *argc, char **argv)
{
	int out = 1;

	for (int i = 1; i < *argc; i++) {
		bool taken = false;

		if (strcmp(argv[i], "--") == 0) {
			while (i < *argc)
				argv[out++] = argv[i++];
			break;
		}
		for (size_t o = 0; o < sizeof(global_options) / sizeof(global_options[0]) && !taken; o++) {
			size_t len = strlen(global_options[o].name);

			if (strncmp(argv[i], global_options[o].name, len) != 0 || (argv[i][len] && argv[i][len] != '='))
				continue;
			taken = true;
			if (argv[i][len] == '=') {
				*global_options[o].value = argv[i] + len + 1;
			} else if (i + 1 < *argc) {
				*global_options[o].value = argv[++i];
			} else {
				fprintf(stderr, "telepro: %s needs %s\n", global_options[o].name, global_options[o].example);
				return -1;
			}
		}
		if (!taken)
			argv[out++] = argv[i];
	}
	*argc = out;
	argv[out] = NULL;
	return 0;
}

int main(int argc, char **argv)
{
	if (take_global_options(&argc, argv))
		return 2;
	if (!cli_db_url) {
		const char *env = getenv("TELEPRO_DB");

		cli_db_url = env && *env ? env : "sqlite:telepro.db";
	}
	if (argc < 2 || strcmp(argv[1], "--help") == 0 || strcmp(argv[1], "-h") == 0 ||
	    strcmp(argv[1], "help") == 0) {
		fputs(usage, argc < 2 ? stderr : stdout);
		return argc < 2 ? 2 : 0;
	}
	if (strcmp(argv[1], "--version") == 0) {
		printf("telepro 0.1.0\n");
		return 0;
	}
	for (size_t i = 0; i < sizeof(commands) / sizeof(commands[0]); i++)
		if (strcmp(argv[1], commands[i].name) == 0)
			return commands[i].fn(argc - 1, argv + 1);
	fprintf(stderr, "telepro: unknown command '%s'; 'telepro --help' lists them\n", argv[1]);
	return 2;
}
