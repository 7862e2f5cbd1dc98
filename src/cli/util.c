#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <termios.h>
#include <unistd.h>

#include "cli/cli.h"
#include "http/i18n.h"
#include "core/csv.h"
#include "core/xalloc.h"

/* The global options (main.c sets them from --db and --as; every command reads them). */
const char *cli_db_url;
const char *cli_as;

/* TELEPRO_NOW=SECONDS (UTC, since 1970) fixes the commands' clock: scripted days and
 * golden tests replay the same way whatever the date. */
static int64_t fixed_now(void *arg)
{
	return *(const int64_t *)arg;
}

int cli_open_app(struct app **a, int *migrated)
{
	static int64_t now;
	const char *os_user = getenv("USER"), *fixed = getenv("TELEPRO_NOW");
	struct tp_error err;

	tp_error_clear(&err);
	if (fixed) {
		char *end;

		now = strtoll(fixed, &end, 10);
		if (!*fixed || *end || now < 0) {
			tp_error_at(&err, TP_EUSAGE, NULL, 0, "TELEPRO_NOW", "'%s': seconds since 1970 (UTC)", fixed);
			return cli_fail(&err);
		}
	}
	if (app_open(a, cli_db_url, os_user, migrated, &err))
		return cli_fail(&err);
	if (fixed)
		app_set_clock(*a, fixed_now, &now);
	if (cli_as && app_act_as(*a, cli_as, &err)) {
		app_close(*a);
		*a = NULL;
		return cli_fail(&err);
	}
	return 0;
}

const char *cli_lang(void)
{
	/* POSIX's order: LC_ALL, then LC_MESSAGES, then LANG; the first set one decides. */
	static const char *const vars[] = {"LC_ALL", "LC_MESSAGES", "LANG"};

	for (size_t i = 0; i < sizeof(vars) / sizeof(vars[0]); i++) {
		const char *v = getenv(vars[i]);

		if (v && *v)
			return strncmp(v, "fr", 2) == 0 ? "fr" : "en";
	}
	return "en";
}

void cli_format(const struct tp_error *err, char *buf, size_t size)
{
	static bool catalogue;
	struct tp_error said = *err, ignored;
	const char *lang = cli_lang();

	/* A message (tp_error_msg) in the user's language, the field it names too (the
	 * embedded catalogue, checked once; a broken one leaves English). */
	if (err->msgid && strcmp(lang, "en") != 0 && !catalogue)
		catalogue = i18n_init(&ignored) == 0;
	if (err->msgid && catalogue) {
		tp_error_say(err, i18n_tr, (void *)lang, said.reason, sizeof(said.reason));
		if (err->field[0])
			snprintf(said.field, sizeof(said.field), "%s", i18n(lang, err->field));
	}
	tp_error_format(&said, buf, size);
}

int cli_fail(const struct tp_error *err)
{
	char msg[1024];

	cli_format(err, msg, sizeof(msg));
	fprintf(stderr, "telepro: %s\n", msg);
	return tp_error_exit_code(err->code ? err->code : TP_ERR);
}

int cli_usage(const char *cmd, const char *fmt, ...)
{
	va_list ap;

	fprintf(stderr, "telepro %s: ", cmd);
	va_start(ap, fmt);
	vfprintf(stderr, fmt, ap);
	va_end(ap);
	fprintf(stderr, " (see telepro %s --help)\n", cmd);
	return 2;
}

bool cli_parse_int(const char *s, int64_t min, int64_t max, int64_t *out)
{
	char *end;
	long long v;

	if (!s || !*s)
		return false;
	errno = 0;
	v = strtoll(s, &end, 10);
	if (errno || *end || v < min || v > max)
		return false;
	*out = v;
	return true;
}

bool cli_parse_format(const char *s, unsigned allowed, enum output_format *out)
{
	static const char *const names[] = {"text", "json", "csv", "ics", "xlsx"};

	for (int i = 0; i < 5; i++) {
		if ((allowed & (1u << i)) && strcmp(s, names[i]) == 0) {
			*out = (enum output_format)i;
			return true;
		}
	}
	if ((allowed & (1u << FORMAT_TEXT)) && strcmp(s, "table") == 0) {
		*out = FORMAT_TEXT;
		return true;
	}
	return false;
}

static int read_line(FILE *f, char *buf, size_t size)
{
	size_t n;

	if (!fgets(buf, (int)size, f))
		return -1;
	n = strlen(buf);
	if (n == size - 1 && buf[n - 1] != '\n')
		return -2;
	while (n && (buf[n - 1] == '\n' || buf[n - 1] == '\r'))
		buf[--n] = '\0';
	return 0;
}

static int prompt_hidden(const char *prompt, char *buf, size_t size)
{
	struct termios old, quiet;
	FILE *tty = fopen("/dev/tty", "r+");
	int rc;

	if (!tty)
		return -1;
	fputs(prompt, tty);
	fflush(tty);
	tcgetattr(fileno(tty), &old);
	quiet = old;
	quiet.c_lflag &= ~(tcflag_t)ECHO;
	tcsetattr(fileno(tty), TCSAFLUSH, &quiet);
	rc = read_line(tty, buf, size);
	tcsetattr(fileno(tty), TCSAFLUSH, &old);
	fputs("\n", tty);
	fclose(tty);
	return rc;
}

int cli_read_password(bool from_stdin, char *buf, size_t size)
{
	char again[256];

	if (from_stdin) {
		if (read_line(stdin, buf, size)) {
			fprintf(stderr, "telepro: no password on standard input (one line, at most %zu bytes)\n", size - 2);
			return 2;
		}
	} else {
		if (!isatty(STDIN_FILENO) && access("/dev/tty", R_OK) != 0) {
			fprintf(stderr, "telepro: no terminal to ask for a password; use --password-stdin\n");
			return 2;
		}
		if (prompt_hidden("Password: ", buf, size) || prompt_hidden("Password again: ", again, sizeof(again))) {
			fprintf(stderr, "telepro: could not read a password from the terminal; use --password-stdin\n");
			return 2;
		}
		if (strcmp(buf, again) != 0) {
			fprintf(stderr, "telepro: the two passwords differ; nothing changed\n");
			return 2;
		}
	}
	return 0;
}

void cli_csv_field(FILE *f, const char *s, char delimiter, bool raw)
{
	char *neutral = NULL;
	size_t len;
	bool quote;

	/* A cell a spreadsheet would run as a formula is written as text (core/csv.h). */
	if (!raw && csv_needs_neutral(s)) {
		neutral = xmalloc(strlen(s) + 2);
		neutral[0] = '\'';
		memcpy(neutral + 1, s, strlen(s) + 1);
		s = neutral;
	}
	len = strlen(s);
	quote = len > 0 && (s[0] == ' ' || s[len - 1] == ' ' || s[0] == '"');

	for (const char *p = s; *p && !quote; p++)
		quote = *p == delimiter || *p == '"' || *p == '\n' || *p == '\r';
	if (!quote) {
		fputs(s, f);
	} else {
		fputc('"', f);
		for (const char *p = s; *p; p++) {
			if (*p == '"')
				fputc('"', f);
			fputc(*p, f);
		}
		fputc('"', f);
	}
	free(neutral);
}

int cli_help(const char *text)
{
	fputs(text, stdout);
	return 0;
}

bool cli_wants_help(int argc, char **argv)
{
	for (int i = 1; i < argc; i++) {
		if (strcmp(argv[i], "--") == 0)
			return false;
		if (strcmp(argv[i], "-h") == 0 || strcmp(argv[i], "--help") == 0)
			return true;
	}
	return false;
}

int cli_read_file(const char *path, size_t max, char **out, size_t *len)
{
	FILE *f = fopen(path, "rb");
	char *buf;
	size_t n;

	if (!f) {
		fprintf(stderr, "telepro: %s: %s\n", path, strerror(errno));
		return 2;
	}
	buf = xmalloc(max + 1);
	n = fread(buf, 1, max + 1, f);
	fclose(f);
	if (n > max) {
		free(buf);
		fprintf(stderr, "telepro: %s: larger than %zu KiB\n", path, max / 1024);
		return 2;
	}
	buf[n] = '\0';
	*out = buf;
	*len = n;
	return 0;
}

/* 15 significant digits: every KPI (rounded to 1e-6) whole, as the API's JSON reads back
 * (10 cut 36866.710062 to 36866.71006); no binary noise (17 prints 0.14285700000000001). */
void cli_print_json(json_t *j)
{
	json_dumpf(j, stdout, JSON_INDENT(2) | JSON_PRESERVE_ORDER | JSON_REAL_PRECISION(15));
	putchar('\n');
}

int cli_write_text(const char *path, const char *text)
{
	FILE *f = path ? fopen(path, "wb") : stdout;
	size_t len = strlen(text);
	bool ok = f && fwrite(text, 1, len, f) == len;

	if (f)
		ok = (path ? fclose(f) : fflush(f)) == 0 && ok;
	if (!ok) {
		fprintf(stderr, "telepro: %s: %s\n", path ? path : "standard output", strerror(errno));
		return 1;
	}
	return 0;
}
