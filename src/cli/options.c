/* A command's options from its table (options.h), on getopt_long. */
#include <getopt.h>
#include <stdlib.h>
#include <string.h>

#include "cli/cli.h"
#include "cli/options.h"
#include "core/xalloc.h"

static size_t count(const struct cli_opt *o)
{
	size_t n = 0;

	while (o[n].name)
		n++;
	return n;
}

void cli_options_help(const struct cli_command *cmd, FILE *out)
{
	if (cmd->usage)
		fputs(cmd->usage, out);
	if (cmd->about && *cmd->about)
		fprintf(out, "\n%s", cmd->about);
	if (!cmd->opts || !cmd->opts[0].name)
		return;
	/* A subcommand's (no usage of its own): its options under its name, after its group's. */
	if (cmd->usage)
		fputs("\nOptions:\n", out);
	else
		fprintf(out, "\nOptions of telepro %s:\n", cmd->name);
	for (const struct cli_opt *o = cmd->opts; o->name; o++) {
		char left[64];

		if (o->refused)
			continue;
		snprintf(left, sizeof(left), "--%s%s%s", o->name, o->arg ? " " : "", o->arg ? o->arg : "");
		/* A long name takes its own line; a help of several lines keeps the column. */
		if (strlen(left) > 28)
			fprintf(out, "  %s\n  %-28s ", left, "");
		else
			fprintf(out, "  %-28s ", left);
		for (const char *h = o->help; *h; h++)
			if (*h == '\n')
				fprintf(out, "\n  %-28s ", "");
			else
				fputc(*h, out);
		fputc('\n', out);
	}
}

int cli_options(const struct cli_command *cmd, int first, int argc, char **argv, int *nargs)
{
	size_t n = cmd->opts ? count(cmd->opts) : 0;
	struct option *longs = xcalloc(n + 1, sizeof(*longs));
	char group[64];
	int opt, rc = 0;

	/* Messages name the command as typed first ("telepro import: ..."), its help the group's. */
	snprintf(group, sizeof(group), "%.*s", (int)strcspn(cmd->name, " "), cmd->name);
	*nargs = 0;
	/* -h or --help anywhere after the command's name, its subcommand's place included. */
	for (int i = 1; i < argc; i++)
		if (strcmp(argv[i], "--help") == 0 || strcmp(argv[i], "-h") == 0) {
			cli_options_help(cmd, stdout);
			free(longs);
			return -1;
		}
	for (size_t i = 0; i < n; i++) {
		longs[i].name = cmd->opts[i].name;
		/* A flag, or a call without a value's name (called with ""). */
		longs[i].has_arg = cmd->opts[i].kind == CLI_FLAG || (cmd->opts[i].kind == CLI_CALL && !cmd->opts[i].arg)
			? no_argument : required_argument;
		longs[i].val = 256 + (int)i;
	}
	/* getopt_long moves the operands after the options, keeping their order. */
	optind = 0;
	opterr = 0;
	while (rc == 0 && (opt = getopt_long(argc - first + 1, argv + first - 1, ":", longs, NULL)) != -1) {
		const struct cli_opt *o;
		int64_t v;

		if (opt < 256 || opt >= 256 + (int)n) {
			rc = cli_usage(group, "unknown or incomplete option '%s'", argv[first - 1 + optind - 1]);
			break;
		}
		o = &cmd->opts[opt - 256];
		if (o->refused) {
			rc = cli_usage(group, "%s", o->refused);
			break;
		}
		switch (o->kind) {
		case CLI_STRING:
			*(const char **)o->target = optarg;
			break;
		case CLI_FLAG:
			*(bool *)o->target = true;
			break;
		case CLI_INT:
			if (!cli_parse_int(optarg, o->min, o->max, &v)) {
				fprintf(stderr, "telepro %s: --%s: '%s': a whole number from %lld to %lld\n", group, o->name,
					optarg, (long long)o->min, (long long)o->max);
				rc = 2;
				break;
			}
			*(int64_t *)o->target = v;
			break;
		case CLI_FORMAT:
			if (!cli_parse_format(optarg, (unsigned)o->min, o->target)) {
				static const char *const names[] = {"text", "json", "csv", "ics", "xlsx"};
				char allowed[32] = "";

				for (int f = 0; f < 5; f++)
					if (o->min & (1 << f))
						snprintf(allowed + strlen(allowed), sizeof(allowed) - strlen(allowed), "%s%s",
							allowed[0] ? "|" : "", names[f]);
				rc = cli_usage(group, "--format %s", allowed);
			}
			break;
		case CLI_CALL:
			rc = o->call(o->target, o->arg ? optarg : "");
			break;
		}
	}
	if (rc == 0) {
		/* The operands, in order, right after argv[first - 1]. */
		int operands = argc - (first - 1 + optind);

		memmove(argv + first, argv + first - 1 + optind, (size_t)operands * sizeof(*argv));
		*nargs = operands;
	}
	free(longs);
	return rc;
}
