/* telepro backup and telepro restore (docs/DEPLOY.md, "Backups"). */
#include <stdio.h>
#include <string.h>

#include "cli/cli.h"
#include "cli/options.h"

static const char backup_help[] =
	"usage: telepro backup --output FILE\n"
	"\n"
	"Writes a consistent copy of the whole SQLite database to FILE (which must not exist),\n"
	"while the server and the agents keep working (SQLite's online backup). A PostgreSQL\n"
	"database is backed up with pg_dump -Fc (docs/DEPLOY.md). Admins only.\n";

static const char restore_help[] =
	"usage: telepro restore FILE [--db URL]\n"
	"\n"
	"Restores a backup made by telepro backup into the database named by --db (or\n"
	"TELEPRO_DB), which must be new and empty, SQLite or PostgreSQL: a copy of the backup\n"
	"is brought to this version's schema (an older backup upgrades), copied in one\n"
	"transaction, and the row counts and KPIs compared. The backup file is not changed.\n";

int cmd_backup(int argc, char **argv)
{
	const char *output = NULL;
	const struct cli_opt opts[] = {
		CLI_OPT_STRING("output", &output, "FILE", "the backup file to write (a new file)"),
		CLI_OPT_END,
	};
	const struct cli_command cmd = {"backup", backup_help, NULL, opts};
	struct tp_error err;
	struct app *a = NULL;
	int nargs, rc;

	if ((rc = cli_options(&cmd, 1, argc, argv, &nargs)))
		return rc < 0 ? 0 : rc;
	if (nargs || !output)
		return cli_usage("backup", "--output FILE is required");
	if ((rc = cli_open_app(&a, NULL)))
		return rc;
	tp_error_clear(&err);
	if (app_backup(a, output, &err))
		rc = cli_fail(&err);
	else
		printf("backed up %s to %s\n", cli_db_url, output);
	app_close(a);
	return rc;
}

int cmd_restore(int argc, char **argv)
{
	struct tp_error err;
	int64_t calls = 0;

	if (cli_wants_help(argc, argv))
		return cli_help(restore_help);
	if (argc != 2 || argv[1][0] == '-')
		return cli_usage("restore", "give the backup FILE (and the new database with --db)");
	tp_error_clear(&err);
	if (app_restore(argv[1], cli_db_url, &calls, &err))
		return cli_fail(&err);
	printf("restored %s into %s: row counts and KPIs checked (%lld calls)\n", argv[1], cli_db_url, (long long)calls);
	return 0;
}
