#include <getopt.h>
#include <stdio.h>
#include <string.h>
#include <jansson.h>
#include <sodium.h>

#include "cli/cli.h"

static const char help[] =
	"usage: telepro user add NAME --role agent|sales|manager|admin [--password-stdin]\n"
	"       telepro user list [--format text|json]\n"
	"       telepro user passwd NAME [--password-stdin]\n"
	"       telepro user disable NAME | enable NAME\n"
	"\n"
	"Passwords are read from the terminal (asked twice, not echoed) or, with\n"
	"--password-stdin, as one line of standard input; at least 8 characters. They are\n"
	"stored as Argon2id hashes (libsodium) and never printed or logged.\n";

static bool role_valid(const char *role)
{
	return role && (strcmp(role, "agent") == 0 || strcmp(role, "sales") == 0 || strcmp(role, "manager") == 0 ||
		strcmp(role, "admin") == 0);
}

static int hash_password(bool from_stdin, char hash[crypto_pwhash_STRBYTES])
{
	char password[256];
	int rc = cli_read_password(from_stdin, password, sizeof(password));

	if (rc)
		return rc;
	if (sodium_init() < 0 ||
	    crypto_pwhash_str(hash, password, strlen(password), crypto_pwhash_OPSLIMIT_INTERACTIVE,
		    crypto_pwhash_MEMLIMIT_INTERACTIVE) != 0) {
		sodium_memzero(password, sizeof(password));
		fprintf(stderr, "telepro: could not hash the password (out of memory?)\n");
		return 1;
	}
	sodium_memzero(password, sizeof(password));
	return 0;
}

/* Parses NAME [--role R] [--password-stdin] for add and passwd. */
static int parse_user_args(int argc, char **argv, const char **name, const char **role, bool *from_stdin)
{
	static const struct option opts[] = {
		{"role", required_argument, NULL, 'r'},
		{"password-stdin", no_argument, NULL, 'p'},
		{NULL, 0, NULL, 0},
	};
	int c;

	optind = 0;
	opterr = 0;
	while ((c = getopt_long(argc, argv, ":", opts, NULL)) != -1) {
		switch (c) {
		case 'r':
			if (!role)
				return cli_usage("user", "--role goes with 'user add'");
			*role = optarg;
			break;
		case 'p':
			*from_stdin = true;
			break;
		default:
			return cli_usage("user", "unknown or incomplete option '%s'", argv[optind - 1]);
		}
	}
	if (optind != argc - 1)
		return cli_usage("user", "give exactly one user name");
	*name = argv[optind];
	if (!**name || strlen(*name) > 100)
		return cli_usage("user", "a user name has 1 to 100 bytes");
	return 0;
}

static int user_add(int argc, char **argv)
{
	const char *name = NULL, *role = NULL;
	bool from_stdin = false;
	char hash[crypto_pwhash_STRBYTES];
	struct tp_error err;
	struct store *s;
	int64_t id = 0;
	int rc = parse_user_args(argc, argv, &name, &role, &from_stdin);

	if (rc)
		return rc;
	if (!role_valid(role))
		return cli_usage("user", "--role agent|sales|manager|admin is required");
	if ((rc = hash_password(from_stdin, hash)))
		return rc;
	if (!(s = cli_open_store()))
		return 1;
	tp_error_clear(&err);
	rc = store_user_add(s, name, role, hash, &id, &err);
	store_close(s);
	if (rc)
		return cli_fail(&err);
	printf("user %s added (%s, id %lld)\n", name, role, (long long)id);
	return 0;
}

static int user_passwd(int argc, char **argv)
{
	const char *name = NULL;
	bool from_stdin = false;
	char hash[crypto_pwhash_STRBYTES];
	struct tp_error err;
	struct store *s;
	struct user u;
	int rc = parse_user_args(argc, argv, &name, NULL, &from_stdin);

	if (rc)
		return rc;
	if (!(s = cli_open_store()))
		return 1;
	tp_error_clear(&err);
	/* Check the user exists before asking for a password. */
	if (store_user_get(s, name, &u, &err) == 0 && (rc = hash_password(from_stdin, hash)) == 0 &&
	    store_user_set_password(s, name, hash, &err) == 0)
		printf("password of %s changed\n", name);
	store_close(s);
	if (rc)
		return rc;
	return err.code ? cli_fail(&err) : 0;
}

static int user_set_disabled(int argc, char **argv, bool disabled)
{
	struct tp_error err;
	struct store *s;
	int rc;

	if (argc != 2)
		return cli_usage("user", "give exactly one user name");
	if (!(s = cli_open_store()))
		return 1;
	tp_error_clear(&err);
	rc = store_user_set_disabled(s, argv[1], disabled, &err);
	store_close(s);
	if (rc)
		return cli_fail(&err);
	printf("user %s %s\n", argv[1], disabled ? "disabled" : "enabled");
	return 0;
}

struct list_ctx {
	enum output_format format;
	json_t *array;
};

static int print_user(void *ctx, const struct user *u)
{
	struct list_ctx *lc = ctx;

	if (lc->format == FORMAT_JSON)
		json_array_append_new(lc->array, json_pack("{s:I,s:s,s:s,s:b,s:I}", "id", (json_int_t)u->id, "name",
			u->name, "role", u->role, "disabled", u->disabled, "created_at", (json_int_t)u->created_at));
	else
		printf("%-24s %-8s %s\n", u->name, u->role, u->disabled ? "disabled" : "active");
	return 0;
}

static int user_list(int argc, char **argv)
{
	struct list_ctx lc = {FORMAT_TEXT, NULL};
	struct tp_error err;
	struct store *s;
	int rc;

	if (argc == 3 && strcmp(argv[1], "--format") == 0) {
		if (!cli_parse_format(argv[2], 1u << FORMAT_TEXT | 1u << FORMAT_JSON, &lc.format))
			return cli_usage("user", "--format text|json");
	} else if (argc != 1) {
		return cli_usage("user", "list takes only --format text|json");
	}
	if (!(s = cli_open_store()))
		return 1;
	tp_error_clear(&err);
	lc.array = json_array();
	rc = store_user_list(s, print_user, &lc, &err);
	store_close(s);
	if (rc == 0 && lc.format == FORMAT_JSON) {
		cli_print_json(lc.array);
	}
	json_decref(lc.array);
	return rc ? cli_fail(&err) : 0;
}

int cmd_user(int argc, char **argv)
{
	if (argc < 2 || cli_wants_help(argc, argv))
		return argc < 2 ? cli_usage("user", "add, list, passwd, disable or enable?") : cli_help(help);
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
	return cli_usage("user", "unknown subcommand '%s'", argv[1]);
}
