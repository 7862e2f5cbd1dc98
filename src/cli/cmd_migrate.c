/* telepro migrate: copy a whole database to another backend. */
#include <stdio.h>
#include <string.h>

#include "cli/cli.h"
#include "cli/options.h"

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
	const char *from_url = NULL, *to_url = NULL;
	const struct cli_opt opts[] = {
		CLI_OPT_STRING("from", &from_url, "URL", "the database copied"),
		CLI_OPT_STRING("to", &to_url, "URL", "a new, empty database"),
		CLI_OPT_END,
	};
	const struct cli_command cmd = {"migrate", help, NULL, opts};
	struct tp_error err;
	int64_t calls = 0;
	int nargs, rc;

	if ((rc = cli_options(&cmd, 1, argc, argv, &nargs)))
		return rc < 0 ? 0 : rc;
	if (!from_url || !to_url || nargs)
		return cli_usage("migrate", "--from URL and --to URL are required");
	tp_error_clear(&err);
	if ((rc = app_migrate(from_url, to_url, on_table, NULL, &calls, &err)))
		return cli_fail(&err);
	printf("copied %s to %s: row counts and KPIs checked (%lld calls)\n", from_url, to_url, (long long)calls);
	return 0;
}
