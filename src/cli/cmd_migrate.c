/* telepro migrate: copy a whole database to another backend. */
#include <getopt.h>
#include <stdio.h>
#include <string.h>

#include "cli/cli.h"

static const char help[] =
	"usage: telepro migrate --from URL --to URL\n"
	"\n"
	"Copies a whole database (e.g. --from sqlite:telepro.db --to postgresql://...) into a\n"
	"new, empty one: every table, rows with their ids, in one transaction. Then checks\n"
	"that each table has the same number of rows and that the KPIs are the same. Refuses\n"
	"to write into a database that already holds data (exit 2).\n";

static void on_table(void *ctx, const char *table, int64_t rows)
{
	(void)ctx;
	printf("%-24s %10lld rows\n", table, (long long)rows);
}

int cmd_migrate(int argc, char **argv)
{
	static const struct option opts[] = {
		{"from", required_argument, NULL, 'f'},
		{"to", required_argument, NULL, 't'},
		{NULL, 0, NULL, 0},
	};
	const char *from_url = NULL, *to_url = NULL;
	struct tp_error err;
	int64_t calls = 0;
	int opt, rc;

	if (cli_wants_help(argc, argv))
		return cli_help(help);
	optind = 0;
	opterr = 0;
	while ((opt = getopt_long(argc, argv, ":", opts, NULL)) != -1) {
		if (opt == 'f')
			from_url = optarg;
		else if (opt == 't')
			to_url = optarg;
		else
			return cli_usage("migrate", "unknown or incomplete option '%s'", argv[optind - 1]);
	}
	if (!from_url || !to_url || optind != argc)
		return cli_usage("migrate", "--from URL and --to URL are required");
	tp_error_clear(&err);
	if ((rc = app_migrate(from_url, to_url, on_table, NULL, &calls, &err)))
		return cli_fail(&err);
	printf("copied %s to %s: row counts and KPIs checked (%lld calls)\n", from_url, to_url, (long long)calls);
	return 0;
}
