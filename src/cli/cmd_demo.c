/* telepro demo: believable demo data (app_demo in src/app/app_admin.c). */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli/cli.h"
#include "cli/options.h"

static const char help[] =
	"usage: telepro demo [--seed N] [--weeks W] [--start YYYY-MM-DD]\n"
	"\n"
	"Fills the database with three campaigns (event invitations, appointment setting,\n"
	"qualification), eight agents, two sales people, prospects, and W weeks (default 6)\n"
	"of sessions, calls and appointment results from the Monday of --start (default\n"
	"2026-10-05). The same seed gives the same data. Demo users have no usable password.\n";

int cmd_demo(int argc, char **argv)
{
	int64_t seed = 7, weeks = 6;
	const char *start = NULL;
	const struct cli_opt opts[] = {
		CLI_OPT_INT("seed", &seed, "N", 0, INT64_MAX, "the same seed makes the same data (default 7)"),
		CLI_OPT_INT("weeks", &weeks, "W", 1, 104, "weeks of calls (default 6)"),
		CLI_OPT_STRING("start", &start, "YYYY-MM-DD", "from the Monday of that day (default 2026-10-05)"),
		CLI_OPT_END,
	};
	const struct cli_command cmd = {"demo", help, NULL, opts};
	struct app_demo_result res;
	struct tp_error err;
	struct app *a = NULL;
	int nargs, rc;

	if ((rc = cli_options(&cmd, 1, argc, argv, &nargs)))
		return rc < 0 ? 0 : rc;
	if (nargs)
		return cli_usage("demo", "unexpected argument '%s'", argv[1]);
	if ((rc = cli_open_app(&a, NULL)))
		return rc;
	tp_error_clear(&err);
	if (app_demo(a, seed, weeks, start, &res, &err)) {
		rc = cli_fail(&err);
		if (err.code == TP_EEXIST)
			fprintf(stderr, "telepro: demo fills a new database: use --db sqlite:demo.db\n");
	} else {
		printf("demo: %d campaigns, %d agents, %lld weeks from %04d-%02d-%02d, %ld calls (seed %lld)\n",
			res.campaigns, res.agents, (long long)weeks, res.start / 10000, res.start / 100 % 100, res.start % 100,
			res.calls, (long long)seed);
	}
	app_close(a);
	return rc;
}
