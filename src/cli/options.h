#ifndef TP_CLI_OPTIONS_H
#define TP_CLI_OPTIONS_H
/*
 * A command's options, declared once (git's parse-options is the model): each option is a
 * row — its name, what it takes, where its value goes, and its line of help — and both the
 * parsing and the "Options:" part of --help come from the table. A command's usage lines
 * and its prose (what it does, what it prints) are written by hand beside it.
 */
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

enum cli_opt_kind {
	CLI_STRING,     /* const char **target: the value (the last one given wins) */
	CLI_FLAG,       /* bool *target: set */
	CLI_INT,        /* int64_t *target: a whole number within [min, max] */
	CLI_FORMAT,     /* enum output_format *target: one of the formats of the mask in min
			 * (1 << FORMAT_TEXT ...), "table" for text */
	CLI_CALL,       /* call(target, value): 0, or the exit code after saying why; a row
			 * without arg takes no value and is called with "" */
};

struct cli_opt {
	const char *name;           /* without "--"; NULL ends the table */
	enum cli_opt_kind kind;
	void *target;
	const char *arg;            /* the value's name in --help ("NAME"); NULL for a flag */
	const char *help;           /* one line */
	int64_t min, max;           /* CLI_INT */
	int (*call)(void *target, const char *value);   /* CLI_CALL */
	/* The command does not take it here (a subcommand of a group that shares the table):
	 * giving it is refused with this sentence, and --help leaves it out. */
	const char *refused;
};

/* The rows, as git's OPT_STRING and friends. */
#define CLI_OPT_STRING(n, t, a, h) {.name = (n), .kind = CLI_STRING, .target = (t), .arg = (a), .help = (h)}
#define CLI_OPT_FLAG(n, t, h) {.name = (n), .kind = CLI_FLAG, .target = (t), .help = (h)}
#define CLI_OPT_INT(n, t, a, lo, hi, h) \
	{.name = (n), .kind = CLI_INT, .target = (t), .arg = (a), .help = (h), .min = (lo), .max = (hi)}
#define CLI_OPT_CALL(n, t, a, h, f) {.name = (n), .kind = CLI_CALL, .target = (t), .arg = (a), .help = (h), .call = (f)}
#define CLI_OPT_FORMAT(t, mask, h) {.name = "format", .kind = CLI_FORMAT, .target = (t), .arg = "FORMAT", .help = (h), \
	.min = (mask)}
#define CLI_OPT_END {.name = NULL}

struct cli_command {
	const char *name;           /* "kpi", "appointment list": messages say "telepro kpi: ...",
				     * "telepro appointment: ..." (its first word) */
	const char *usage;          /* "usage: telepro kpi [--campaign NAME] ...\n" lines; NULL for a
				     * subcommand, whose group prints them (then its options) */
	const char *about;          /* what it does (paragraphs, each line ending with \n) */
	const struct cli_opt *opts;
};

/* Parses argv[first..argc) for cmd: every option into its target, the operands moved, in
 * order, to argv[first..first + *nargs). Returns 0; 2 after a usage message (an unknown
 * option, a missing or bad value); -1 after printing --help (-h or --help anywhere after
 * argv[0]: the
 * caller returns 0). A repeatable option is a CLI_CALL row that keeps each value. */
int cli_options(const struct cli_command *cmd, int first, int argc, char **argv, int *nargs);
/* The command's --help: its usage, its prose, then "Options:" from the table (a
 * subcommand's: "Options of telepro GROUP SUB:" only). */
void cli_options_help(const struct cli_command *cmd, FILE *out);

#endif
