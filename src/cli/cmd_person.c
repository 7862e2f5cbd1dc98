/* telepro person: a person's rights under the GDPR (docs/PRIVACY.md). */
#include <getopt.h>
#include <stdio.h>
#include <string.h>

#include "cli/cli.h"
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
	static const struct option opts[] = {
		{"phone", required_argument, NULL, 'p'}, {"email", required_argument, NULL, 'e'},
		{"years", required_argument, NULL, 'y'}, {"format", required_argument, NULL, 'f'},
		{"keep-callable", no_argument, NULL, 'k'},
		{NULL, 0, NULL, 0},
	};
	const char *phone = NULL, *email = NULL, *what;
	enum output_format format = FORMAT_TEXT;
	int64_t years = 3;
	struct tp_error err;
	struct app *a = NULL;
	json_t *j = NULL, *p;
	size_t i;
	int opt, rc, erased;
	bool keep_callable = false;

	if (cli_wants_help(argc, argv) || argc < 2)
		return argc < 2 ? cli_usage("person", "export, erase or review?") : cli_help(help);
	what = argv[1];
	if (strcmp(what, "export") && strcmp(what, "erase") && strcmp(what, "review"))
		return cli_usage("person", "unknown subcommand '%s' (export, erase or review)", what);
	optind = 2;
	opterr = 0;
	while ((opt = getopt_long(argc, argv, ":", opts, NULL)) != -1) {
		if (opt == 'p')
			phone = optarg;
		else if (opt == 'e')
			email = optarg;
		else if (opt == 'k' && strcmp(what, "erase") == 0)
			keep_callable = true;
		else if (opt == 'y' && cli_parse_int(optarg, 1, 50, &years))
			;
		else if (opt == 'f' && cli_parse_format(optarg, 1u << FORMAT_TEXT | 1u << FORMAT_JSON, &format))
			;
		else
			return cli_usage("person", "unknown, incomplete or bad option '%s'", argv[optind - 1]);
	}
	if (optind != argc)
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
