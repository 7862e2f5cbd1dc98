/* telepro person: a person's rights under the GDPR (docs/PRIVACY.md). */
#include <stdio.h>
#include <string.h>

#include "cli/cli.h"
#include "cli/options.h"
#include "core/tz.h"

static const char help[] =
	"usage: telepro person export --phone NUMBER | --email ADDRESS\n"
	"       telepro person erase --phone NUMBER | --email ADDRESS [--keep-callable]\n"
	"       telepro person review [--years 3] [--format text|json]\n"
	"\n"
	"export prints, as JSON, everything Telepro holds about the person: contact, company,\n"
	"leads, calls and notes, appointments, qualification, consents, opposition entries.\n"
	"erase removes their identity, address, notes, qualification and consents at once and\n"
	"for good; the KPI counters and call results stay (numbers, not people). Their numbers\n"
	"stay only as keyed hashes in the opposition list, which they join as 'do not call'\n"
	"(an erasure the person asked for: a later file that brings them back is refused);\n"
	"--keep-callable when the erasure is not theirs to ask and they may be called again.\n"
	"review lists the people nobody contacted for --years (default 3): keep or erase them.\n"
	"Admins only; every export and erasure is in the audit log.\n";

int cmd_person(int argc, char **argv)
{
	const char *phone = NULL, *email = NULL, *what;
	enum output_format format = FORMAT_TEXT;
	int64_t years = 3;
	struct tp_error err;
	struct app *a = NULL;
	json_t *j = NULL, *p;
	size_t i;
	int rc, erased;
	bool keep_callable = false;
	const struct cli_opt opts[] = {
		CLI_OPT_STRING("phone", &phone, "NUMBER", "the person's number, as written"),
		CLI_OPT_STRING("email", &email, "ADDRESS", "the person's e-mail address"),
		CLI_OPT_INT("years", &years, "N", 1, 50, "review: not contacted for N years (default 3)"),
		CLI_OPT_FORMAT(&format, 1u << FORMAT_TEXT | 1u << FORMAT_JSON, "text (default) or json"),
		CLI_OPT_FLAG("keep-callable", &keep_callable, "erase: without the opposition entry (they may be called again)"),
		CLI_OPT_END,
	};
	const struct cli_command cmd = {"person", help, NULL, opts};
	int nargs;

	if (cli_wants_help(argc, argv)) {
		cli_options_help(&cmd, stdout);
		return 0;
	}
	if (argc < 2)
		return cli_usage("person", "export, erase or review?");
	what = argv[1];
	if (strcmp(what, "export") && strcmp(what, "erase") && strcmp(what, "review"))
		return cli_usage("person", "unknown subcommand '%s' (export, erase or review)", what);
	if ((rc = cli_options(&cmd, 2, argc, argv, &nargs)))
		return rc < 0 ? 0 : rc;
	if (keep_callable && strcmp(what, "erase") != 0)
		return cli_usage("person", "--keep-callable goes with 'person erase'");
	if (nargs)
		return cli_usage("person", "unexpected argument '%s'", argv[optind]);
	if ((rc = cli_open_app(&a, NULL)))
		return rc;
	tp_error_clear(&err);
	if (strcmp(what, "export") == 0) {
		if (app_person_export(a, phone, email, &j, &err))
			rc = cli_fail(&err);
		else
			cli_print_json(j);
	} else if (strcmp(what, "erase") == 0) {
		if (app_person_erase(a, phone, email, keep_callable, &erased, &err))
			rc = cli_fail(&err);
		else
			printf("%d contact%s erased\n", erased, erased == 1 ? "" : "s");
	} else if (app_person_review(a, (int)years, &j, &err)) {
		rc = cli_fail(&err);
	} else if (format == FORMAT_JSON) {
		cli_print_json(j);
	} else {
		json_array_foreach(json_object_get(j, "people"), i, p) {
			char when[32];
			json_t *last = json_object_get(p, "last_call_at");
			int64_t t = json_is_integer(last) ? json_integer_value(last)
				: json_integer_value(json_object_get(p, "created_at"));

			tz_format("Europe/Paris", t, when, sizeof(when));
			printf("contact %lld  %s  %s  %s %s\n", (long long)json_integer_value(json_object_get(p, "contact_id")),
				json_string_value(json_object_get(p, "last_name")), json_string_value(json_object_get(p, "phone")),
				json_is_integer(last) ? "last called" : "never called, in since", when);
		}
		printf("%zu people not contacted for %lld years\n", json_array_size(json_object_get(j, "people")),
			(long long)years);
	}
	json_decref(j);
	app_close(a);
	return rc;
}
