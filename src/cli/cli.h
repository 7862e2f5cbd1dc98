#ifndef TP_CLI_H
#define TP_CLI_H
/*
 * The telepro command: one function per subcommand, helpers shared by them. Subcommands
 * take argc/argv starting at their own name, print results on stdout, messages on
 * stderr, and return the process exit code (0 ok, 1 runtime failure, 2 bad usage or
 * input, 3 nothing to do where a command says so).
 */
#include <stdbool.h>
#include <stdint.h>

#include <stdio.h>
#include <jansson.h>

#include "app/app.h"
#include "core/error.h"

enum output_format {
	FORMAT_TEXT,
	FORMAT_JSON,
	FORMAT_CSV,
	FORMAT_ICS,
	FORMAT_XLSX,
};

/* The database URL: --db, else TELEPRO_DB, else sqlite:telepro.db. */
extern const char *cli_db_url;
/* --as LOGIN: the Telepro user the command acts as; NULL: the operating-system user. */
extern const char *cli_as;

int cmd_init(int argc, char **argv);
int cmd_user(int argc, char **argv);
int cmd_campaign(int argc, char **argv);
int cmd_import(int argc, char **argv);
int cmd_export(int argc, char **argv);
int cmd_session_entry(int argc, char **argv);
int cmd_next(int argc, char **argv);
int cmd_call(int argc, char **argv);
int cmd_appointment(int argc, char **argv);
int cmd_kpi(int argc, char **argv);
int cmd_demo(int argc, char **argv);
int cmd_migrate(int argc, char **argv);
int cmd_backup(int argc, char **argv);
int cmd_restore(int argc, char **argv);
int cmd_serve(int argc, char **argv);
int cmd_why(int argc, char **argv);
int cmd_consent(int argc, char **argv);
int cmd_person(int argc, char **argv);
int cmd_insights(int argc, char **argv);
int cmd_report(int argc, char **argv);
int cmd_webhook(int argc, char **argv);

/* Opens the app on cli_db_url acting as cli_as, or as the operating-system user. Returns
 * 0, or prints the error and returns the exit code. *migrated may be NULL. */
int cli_open_app(struct app **a, int *migrated);

/* The language of the CLI's messages: "fr" when the locale (LC_ALL, LC_MESSAGES, LANG)
 * is French, else "en"; and an error as "FILE:LINE: FIELD: reason" in it (a message,
 * tp_error_msg, is translated; JSON output stays English). */
const char *cli_lang(void);
void cli_format(const struct tp_error *err, char *buf, size_t size);
/* Prints "telepro: " and the formatted error on stderr; returns the exit code for it. */
int cli_fail(const struct tp_error *err);

/* Prints a usage error ("telepro CMD: message; see telepro CMD --help"); returns 2. */
int cli_usage(const char *cmd, const char *fmt, ...) __attribute__((format(printf, 2, 3)));

/* Parses a whole decimal integer within [min, max]; false on anything else. */
bool cli_parse_int(const char *s, int64_t min, int64_t max, int64_t *out);

/* Parses text|json|csv, allowing only formats set in the mask (1 << FORMAT_X). */
bool cli_parse_format(const char *s, unsigned allowed, enum output_format *out);

/* Reads a password: from stdin (one line) when from_stdin, else twice from the terminal
 * with echo off (the app checks the policy). Returns 0, or prints why and returns 2. buf
 * gets the NUL-terminated text. */
int cli_read_password(bool from_stdin, char *buf, size_t size);

/* Writes s as a CSV field (quoted when needed) to f. */
/* One CSV cell, quoted when it must be; a cell a spreadsheet would run as a formula gets
 * an apostrophe before it unless raw (core/csv.h, csv_needs_neutral). */
void cli_csv_field(FILE *f, const char *s, char delimiter, bool raw);

/* Reads a whole file of at most max bytes (NUL-terminated; the caller frees *out).
 * Returns 0, or prints why and returns 2. */
int cli_read_file(const char *path, size_t max, char **out, size_t *len);

/* Prints a JSON document on stdout, indented, keys in insertion order, and a newline. */
void cli_print_json(json_t *j);
/* Writes text to path (NULL: standard output): 0, or 1 after saying why. */
int cli_write_text(const char *path, const char *text);

/* Prints a help text on stdout and returns 0. */
int cli_help(const char *text);

/* True when argv[i] is -h or --help for any i >= 1. */
bool cli_wants_help(int argc, char **argv);

#endif
