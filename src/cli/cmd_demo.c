/* telepro demo: believable demo data (app_demo in src/app/app_admin.c). */
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli/cli.h"

static const char help[] =
	"usage: telepro demo [--seed N] [--weeks W] [--start YYYY-MM-DD]\n"
	"\n"
	"Fills the database with three campaigns (event invitations, appointment setting,\n"
	"qualification), eight agents, two sales people, prospects, and W weeks (default 6)\n"
	"of sessions, calls and appointment results from the Monday of --start (default\n"
	"2026-10-05). The same seed gives the same data. Demo users have no usable password.\n";

int cmd_demo(int argc, char **argv)
{
	static const struct option opts[] = {
		{"seed", required_argument, NULL, 's'},
		{"weeks", required_argument, NULL, 'w'},
		{"start", required_argument, NULL, 'd'},
		{NULL, 0, NULL, 0},
	};
	int64_t seed = 7, weeks = 6;
	const char *start = NULL;
	struct app_demo_result res;
	struct tp_error err;
	struct app *a = NULL;
	int opt, rc;

	if (cli_wants_help(argc, argv))
		return cli_help(help);
	optind = 0;
	opterr = 0;
	while ((opt = getopt_long(argc, argv, ":", opts, NULL)) != -1) {
		if (opt == 's' && cli_parse_int(optarg, 0, INT64_MAX, &seed))
			continue;
		if (opt == 'w' && cli_parse_int(optarg, 1, 104, &weeks))
			continue;
		if (opt == 'd') {
			start = optarg;
			continue;
		}
		return cli_usage("demo", "--seed N, --weeks 1..104, --start YYYY-MM-DD");
	}
	if (optind != argc)
		return cli_usage("demo", "unexpected argument '%s'", argv[optind]);
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
