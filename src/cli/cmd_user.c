#include <stdio.h>
#include <string.h>
#include <jansson.h>
#include <sodium.h>

#include "cli/cli.h"
#include "cli/options.h"

static const char help[] =
	"usage: telepro user add NAME --role agent|sales|manager|admin [--password-stdin]\n"
	"       telepro user list [--format text|json]\n"
	"       telepro user passwd NAME [--password-stdin]\n"
	"       telepro user disable NAME | enable NAME\n"
	"       telepro user set NAME [--role agent|sales|manager|admin] [--phone SIP-URI]\n"
	"\n"
	"Passwords are read from the terminal (asked twice, not echoed) or, with\n"
	"--password-stdin, as one line of standard input; at least 8 characters. They are\n"
	"stored as Argon2id hashes (libsodium) and never printed or logged. A new password\n"
	"ends the user's web sessions. The last enabled admin can be neither disabled nor\n"
	"given another role. --phone is the desk phone or softphone that rings when Telepro\n"
	"connects a call (docs/TELEPHONY.md): a SIP address such as sip:201@pbx.example, or\n"
	"\"\" to remove it.\n";

/* Parses NAME [--role R] [--phone URI] [--password-stdin] for add, passwd and set (role
 * and phone NULL where the subcommand takes none). -1 after printing the help. */
static int parse_user_args(int argc, char **argv, const char **name, const char **role, const char **phone,
	bool *from_stdin)
{
	const char *given_role = NULL, *given_phone = NULL;
	const struct cli_opt opts[] = {
		CLI_OPT_STRING("role", &given_role, "ROLE", "agent, sales, manager or admin (add, set)"),
		CLI_OPT_STRING("phone", &given_phone, "SIP-URI", "the phone Telepro rings for them (set; \"\" removes it)"),
		CLI_OPT_FLAG("password-stdin", from_stdin, "the password as one line of standard input (add, passwd)"),
		CLI_OPT_END,
	};
	const struct cli_command cmd = {"user", help, NULL, opts};
	int nargs, rc;

	if ((rc = cli_options(&cmd, 1, argc, argv, &nargs)))
		return rc;
	if (given_role && !role)
		return cli_usage("user", "--role goes with 'user add' and 'user set'");
	if (given_phone && !phone)
		return cli_usage("user", "--phone goes with 'user set'");
	if (role)
		*role = given_role;
	if (phone)
		*phone = given_phone;
	if (nargs != 1)
		return cli_usage("user", "give exactly one user name");
	*name = argv[1];
	if (!**name || strlen(*name) > 100)
		return cli_usage("user", "a user name has 1 to 100 bytes");
	return 0;
}

static int user_add(int argc, char **argv)
{
	const char *name = NULL, *role = NULL;
	bool from_stdin = false;
	char password[256] = "";
	struct tp_error err;
	struct app *a = NULL;
	int64_t id = 0;
	int rc = parse_user_args(argc, argv, &name, &role, NULL, &from_stdin);

	if (rc)
		return rc;
	if (!app_role_of(role))
		return cli_usage("user", "--role agent|sales|manager|admin is required");
	if ((rc = cli_read_password(from_stdin, password, sizeof(password))))
		return rc;
	if ((rc = cli_open_app(&a, NULL)) == 0) {
		tp_error_clear(&err);
		if (app_user_add(a, name, role, password, &id, &err))
			rc = cli_fail(&err);
		else
			printf("user %s added (%s, id %lld)\n", name, role, (long long)id);
		app_close(a);
	}
	sodium_memzero(password, sizeof(password));
	return rc;
}

static int user_passwd(int argc, char **argv)
{
	const char *name = NULL;
	bool from_stdin = false;
	char password[256] = "";
	struct tp_error err;
	struct app *a = NULL;
	struct user u;
	int rc = parse_user_args(argc, argv, &name, NULL, NULL, &from_stdin);

	if (rc || (rc = cli_open_app(&a, NULL)))
		return rc;
	tp_error_clear(&err);
	/* Check the user exists before asking for a password. */
	if (app_user_get(a, name, &u, &err))
		rc = cli_fail(&err);
	else if ((rc = cli_read_password(from_stdin, password, sizeof(password))) == 0) {
		/* The system actor (no --as) needs no current password: it owns the database. */
		if (app_user_passwd(a, name, NULL, password, NULL, &err))
			rc = cli_fail(&err);
		else
			printf("password of %s changed\n", name);
	}
	sodium_memzero(password, sizeof(password));
	app_close(a);
	return rc;
}

static int user_set_disabled(int argc, char **argv, bool disabled)
{
	struct tp_error err;
	struct app *a = NULL;
	int rc;

	if (argc != 2)
		return cli_usage("user", "give exactly one user name");
	if ((rc = cli_open_app(&a, NULL)))
		return rc;
	tp_error_clear(&err);
	if (app_user_set_disabled(a, argv[1], disabled, &err))
		rc = cli_fail(&err);
	else
		printf("user %s %s\n", argv[1], disabled ? "disabled" : "enabled");
	app_close(a);
	return rc;
}

static int user_set(int argc, char **argv)
{
	const char *name = NULL, *role = NULL, *phone = NULL;
	struct tp_error err;
	struct app *a = NULL;
	bool unused = false;
	int rc = parse_user_args(argc, argv, &name, &role, &phone, &unused);

	if (rc)
		return rc;
	if (!role && !phone)
		return cli_usage("user", "set takes --role agent|sales|manager|admin or --phone SIP-URI");
	if ((rc = cli_open_app(&a, NULL)))
		return rc;
	tp_error_clear(&err);
	if (role && app_user_set_role(a, name, role, &err))
		rc = cli_fail(&err);
	else if (role)
		printf("user %s is now %s\n", name, role);
	if (rc == 0 && phone && app_user_set_phone(a, name, phone, &err))
		rc = cli_fail(&err);
	else if (rc == 0 && phone)
		printf(*phone ? "user %s: phone %s\n" : "user %s: no phone%s\n", name, phone);
	app_close(a);
	return rc;
}

static int user_list(int argc, char **argv)
{
	enum output_format format = FORMAT_TEXT;
	struct tp_error err;
	json_t *list = NULL, *u;
	struct app *a = NULL;
	size_t i;
	int rc;

	if (argc == 3 && strcmp(argv[1], "--format") == 0) {
		if (!cli_parse_format(argv[2], 1u << FORMAT_TEXT | 1u << FORMAT_JSON, &format))
			return cli_usage("user", "--format text|json");
	} else if (argc != 1) {
		return cli_usage("user", "list takes only --format text|json");
	}
	if ((rc = cli_open_app(&a, NULL)))
		return rc;
	tp_error_clear(&err);
	if (app_user_list(a, &list, &err)) {
		rc = cli_fail(&err);
	} else if (format == FORMAT_JSON) {
		cli_print_json(list);
	} else {
		json_array_foreach(list, i, u)
			printf("%-24s %-8s %s\n", json_string_value(json_object_get(u, "name")),
				json_string_value(json_object_get(u, "role")),
				json_is_true(json_object_get(u, "disabled")) ? "disabled" : "active");
	}
	json_decref(list);
	app_close(a);
	return rc;
}

int cmd_user(int argc, char **argv)
{
	if (cli_wants_help(argc, argv)) {
		const char *name, *role, *phone;
		bool from_stdin;

		return parse_user_args(2, (char *[]){"set", "--help", NULL}, &name, &role, &phone, &from_stdin) < 0 ? 0 : 2;
	}
	if (argc < 2)
		return cli_usage("user", "add, list, passwd, set, disable or enable?");
	if (strcmp(argv[1], "add") == 0)
		return user_add(argc - 1, argv + 1);
	if (strcmp(argv[1], "list") == 0)
		return user_list(argc - 1, argv + 1);
	if (strcmp(argv[1], "passwd") == 0)
		return user_passwd(argc - 1, argv + 1);
	if (strcmp(argv[1], "disable") == 0)
		return user_set_disabled(argc - 1, argv + 1, true);
	if (strcmp(argv[1], "enable") == 0)
		return user_set_disabled(argc - 1, argv + 1, false);
	if (strcmp(argv[1], "set") == 0)
		return user_set(argc - 1, argv + 1);
	return cli_usage("user", "unknown subcommand '%s'", argv[1]);
}
