/* telepro webhook: the addresses told of events (docs/WEBHOOKS.md). Admins. */
#include <stdio.h>
#include <string.h>

#include "cli/cli.h"
#include "cli/options.h"

static const char usage[] =
	"usage: telepro webhook add URL --events EVENT[,EVENT...]\n"
	"       telepro webhook list [--format text|json]\n"
	"       telepro webhook remove ID\n"
	"       telepro webhook deliveries ID [--format text|json]\n"
	"       telepro webhook test ID\n";
static const char about[] =
	"Events: call.logged, appointment.booked, appointment.result, lead.opted_out,\n"
	"import.finished. Each delivery is a signed JSON POST (the secret is shown once, by add),\n"
	"retried for a day; `telepro serve` sends them.\n";

int cmd_webhook(int argc, char **argv)
{
	const char *event_list = NULL;
	enum output_format format = FORMAT_TEXT;
	const struct cli_opt opts[] = {
		CLI_OPT_STRING("events", &event_list, "LIST", "add: the events it is told of"),
		CLI_OPT_FORMAT(&format, 1u << FORMAT_TEXT | 1u << FORMAT_JSON, "text (default) or json"),
		CLI_OPT_END,
	};
	const struct cli_command cmd = {"webhook", usage, about, opts};
	struct tp_error err;
	struct app *a = NULL;
	json_t *out = NULL, *x;
	int64_t id = 0;
	size_t i;
	int nargs, rc;

	if (argc < 2 || cli_wants_help(argc, argv)) {
		cli_options_help(&cmd, argc < 2 ? stderr : stdout);
		return argc < 2 ? 2 : 0;
	}
	if ((rc = cli_options(&cmd, 2, argc, argv, &nargs)))
		return rc < 0 ? 0 : rc;
	if (strcmp(argv[1], "add") && strcmp(argv[1], "list") && strcmp(argv[1], "remove") &&
	    strcmp(argv[1], "deliveries") && strcmp(argv[1], "test"))
		return cli_usage("webhook", "unknown subcommand '%s' (add, list, remove, deliveries or test)", argv[1]);
	if (strcmp(argv[1], "list") == 0 ? nargs != 0 : nargs != 1)
		return cli_usage("webhook", "%s takes %s", argv[1], strcmp(argv[1], "add") == 0 ? "one URL" :
			strcmp(argv[1], "list") == 0 ? "no argument" : "one webhook id");
	if (strcmp(argv[1], "add") && strcmp(argv[1], "list") && !cli_parse_int(argv[2], 1, INT64_MAX, &id))
		return cli_usage("webhook", "'%s': a webhook id", argv[2]);
	if ((rc = cli_open_app(&a, NULL)))
		return rc;
	tp_error_clear(&err);
	if (strcmp(argv[1], "add") == 0)
		rc = app_webhook_add(a, argv[2], event_list, &out, &err);
	else if (strcmp(argv[1], "list") == 0)
		rc = app_webhook_list(a, &out, &err);
	else if (strcmp(argv[1], "remove") == 0)
		rc = app_webhook_remove(a, id, &err);
	else if (strcmp(argv[1], "deliveries") == 0)
		rc = app_webhook_deliveries(a, id, &out, &err);
	else
		rc = app_webhook_test(a, id, &err);
	if (rc) {
		rc = cli_fail(&err);
	} else if (format == FORMAT_JSON && out) {
		cli_print_json(out);
	} else if (strcmp(argv[1], "add") == 0) {
		printf("webhook %lld: %s (%s)\nsecret: %s\n", (long long)json_integer_value(json_object_get(out, "id")),
			json_string_value(json_object_get(out, "url")), json_string_value(json_object_get(out, "events")),
			json_string_value(json_object_get(out, "secret")));
	} else if (strcmp(argv[1], "list") == 0) {
		json_array_foreach(out, i, x)
			printf("%-4lld %-40s %-30s delivered %lld, pending %lld, failed %lld\n",
				(long long)json_integer_value(json_object_get(x, "id")), json_string_value(json_object_get(x, "url")),
				json_string_value(json_object_get(x, "events")), (long long)json_integer_value(json_object_get(x, "delivered")),
				(long long)json_integer_value(json_object_get(x, "pending")),
				(long long)json_integer_value(json_object_get(x, "failed")));
	} else if (strcmp(argv[1], "deliveries") == 0) {
		json_array_foreach(out, i, x)
			printf("%-6lld %-20s %-10s %lld attempts %s\n", (long long)json_integer_value(json_object_get(x, "id")),
				json_string_value(json_object_get(x, "event")), json_string_value(json_object_get(x, "state")),
				(long long)json_integer_value(json_object_get(x, "attempts")),
				json_is_string(json_object_get(x, "last_error")) ? json_string_value(json_object_get(x, "last_error")) : "");
	} else {
		printf("webhook %lld: %s\n", (long long)id, strcmp(argv[1], "remove") == 0 ? "removed" : "test event queued");
	}
	json_decref(out);
	app_close(a);
	return rc;
}
