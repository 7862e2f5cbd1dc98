#include <stdio.h>

#include "cli/cli.h"

static const char help[] =
	"usage: telepro [--db URL] init\n"
	"\n"
	"Creates the database, or upgrades an existing one to the latest schema. Running it\n"
	"again changes nothing. Prints the database and its schema version.\n";

int cmd_init(int argc, char **argv)
{
	struct tp_error err;
	struct app *a = NULL;
	int migrated = 0, rc;
	int64_t version = 0;

	if (cli_wants_help(argc, argv))
		return cli_help(help);
	if (argc > 1)
		return cli_usage("init", "unexpected argument '%s'", argv[1]);
	tp_error_clear(&err);
	if ((rc = cli_open_app(&a, &migrated)))
		return rc;
	if (app_schema_version(a, &version, &err)) {
		app_close(a);
		return cli_fail(&err);
	}
	if (migrated)
		printf("%s: schema version %lld (%d migration%s applied)\n", cli_db_url, (long long)version, migrated,
			migrated == 1 ? "" : "s");
	else
		printf("%s: schema version %lld, up to date\n", cli_db_url, (long long)version);
	app_close(a);
	return 0;
}
