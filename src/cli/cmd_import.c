#include <errno.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>
#include <jansson.h>

#include "cli/cli.h"
#include "cli/options.h"
#include "core/xalloc.h"

static const char help[] =
	"usage: telepro import prospects FILE --campaign NAME [--delimiter C] [--encoding utf-8|latin1]\n"
	"                                [--mapping FILE] [--existing keep|update|reject] [--format text|json]\n"
	"       telepro import dnc FILE --source internal|bloctel|other [--screened YYYY-MM-DD]\n"
	"\n"
	"import prospects reads a CSV file (RFC 4180; ',' ';' or tab, detected when not given;\n"
	"UTF-8 with or without BOM, or Latin-1 with --encoding latin1) whose header names the\n"
	"columns in French or English (société, nom, prénom, téléphone, mobile, email, SIREN,\n"
	"code postal, ville, secteur, fonction...) or through a mapping file (docs/IMPORT.md).\n"
	"Unknown columns are kept as qualification values. Phones are stored in E.164.\n"
	"Numbers already in the campaign are counted as duplicates and not imported again.\n"
	"Each rejected row is reported on stderr as FILE:LINE: FIELD: reason; the good rows are\n"
	"imported, all in one transaction (an interrupted import leaves nothing behind). A row\n"
	"kept with a remark (a country and a postcode that disagree, an unknown country) is\n"
	"reported as note: FILE:LINE: FIELD: remark. Countries are stored as ISO codes.\n"
	"A row whose number is a contact of another campaign becomes its lead with a note;\n"
	"--existing update takes the file's names, role and e-mail, --existing reject refuses it.\n"
	"--format json prints {\"imported\":N,\"duplicates\":N,\"rejected\":N,\"errors\":[...],\n"
	"\"noted\":N,\"notes\":[...]}.\n"
	"Exit 0 when the file was processed, 2 when it is unusable.\n"
	"\n"
	"       telepro import calls FILE --campaign NAME --mapping FILE [--format text|json]\n"
	"\n"
	"import calls reads a call history exported by another system; the mapping file says\n"
	"which columns are the agent, date and time, result, outcome, durations (docs/IMPORT.md).\n"
	"Each row is a call, known by its content (imported again: a duplicate). Unknown agents\n"
	"are added as agents without a usable password. Calling time of such calls is the\n"
	"span from each agent's first call to the end of the last one, per local day.\n"
	"\n"
	"import dnc loads an opposition (do-not-call) list: one number a line, or a CSV file\n"
	"with a phone column. Numbers are normalised like prospect phones. A Bloctel list is a\n"
	"screening of the files, made on --screened (default today): consumer campaigns under\n"
	"the French rules call only numbers screened at most 30 days before (docs/RULES.md).\n";

#define READ_CHUNK (256 * 1024)
#define JSON_ERRORS_MAX 10000

static volatile sig_atomic_t interrupted;

static void on_signal(int sig)
{
	(void)sig;
	interrupted = 1;
}

struct progress {
	bool enabled;
	off_t total;
	off_t done;
	struct timespec start;
	struct timespec last;
};

static double seconds_since(const struct timespec *t)
{
	struct timespec now;

	clock_gettime(CLOCK_MONOTONIC, &now);
	return (double)(now.tv_sec - t->tv_sec) + (double)(now.tv_nsec - t->tv_nsec) / 1e9;
}

static void progress_show(struct progress *p, long rows, bool final)
{
	double elapsed;

	if (!p->enabled || (!final && seconds_since(&p->last) < 0.25))
		return;
	clock_gettime(CLOCK_MONOTONIC, &p->last);
	elapsed = seconds_since(&p->start);
	fprintf(stderr, "\r%ld rows, %3.0f%%, %.0f rows/s%s", rows,
		p->total > 0 ? 100.0 * (double)p->done / (double)p->total : 100.0,
		elapsed > 0 ? (double)rows / elapsed : 0.0, final ? "\n" : "");
}

/* With TELEPRO_PROGRESS_FILE set, the rows read so far are written there after each
 * chunk: tests/kill_import.sh stops an import it knows is under way. */
static void progress_note(long rows)
{
	const char *path = getenv("TELEPRO_PROGRESS_FILE");
	char tmp[4096];
	FILE *f;

	if (!path || !*path || snprintf(tmp, sizeof(tmp), "%s.tmp", path) >= (int)sizeof(tmp) || !(f = fopen(tmp, "w")))
		return;
	fprintf(f, "%ld\n", rows);
	/* Renamed into place: a reader never sees a half-written count. */
	if (fclose(f) == 0)
		rename(tmp, path);
}

struct import_run {
	const struct progress *progress;
	enum output_format format;
	json_t *errors, *notes;
	long errors_dropped, notes_dropped;
};

/* Prints a row (FILE:LINE: FIELD: reason, "note: " before a remark) and keeps it for
 * the JSON summary's list. */
static void report(struct import_run *run, const struct tp_error *e, const char *prefix, json_t *list, long *dropped)
{
	char msg[1024];

	cli_format(e, msg, sizeof(msg));
	if (run->progress && run->progress->enabled)
		fputs("\r\033[K", stderr); /* the message replaces the progress line */
	fprintf(stderr, "%s%s\n", prefix, msg);
	if (run->format != FORMAT_JSON)
		return;
	if (json_array_size(list) >= JSON_ERRORS_MAX) {
		++*dropped;
		return;
	}
	json_array_append_new(list, json_pack("{s:I,s:s,s:s}", "line", (json_int_t)e->line, "field",
		e->field, "reason", e->reason));
}

static void on_reject(void *ctx, const struct tp_error *e)
{
	struct import_run *run = ctx;

	report(run, e, "", run->errors, &run->errors_dropped);
}

static void on_note(void *ctx, const struct tp_error *e)
{
	struct import_run *run = ctx;

	report(run, e, "note: ", run->notes, &run->notes_dropped);
}

/* What each kind of import takes and prints. */
static const struct {
	const char *name;
	const char *options;        /* the short letters of the options it takes */
	const char *one_file;       /* the usage message when the file is not given once */
	const char *k1, *k2;        /* the JSON summary's two counts */
	const char *text;           /* the text summary */
} kinds[] = {
	[APP_IMPORT_PROSPECTS] = {"prospects", "cdemfk", "give exactly one prospect file", "imported", "duplicates",
		"%s: %ld imported, %ld duplicates, %ld rejected into %s\n"},
	[APP_IMPORT_DNC] = {"dnc", "srfx", "give exactly one opposition list file", "added", "already_listed",
		"%s: %ld added, %ld already listed, %ld rejected (source %s)\n"},
	[APP_IMPORT_CALLS] = {"calls", "cmf", "import calls FILE --campaign NAME --mapping FILE", "imported",
		"duplicates", "%s: %ld calls imported, %ld duplicates, %ld rejected into %s\n"},
};

/*
 * Runs an import of path (or standard input for "-") with o: opens the app, feeds the
 * file chunk by chunk (memory stays flat), commits, prints the kind's summary. Returns
 * the exit code.
 */
static int run_import(struct app_import_opts *o, const char *path, enum output_format format)
{
	struct import_run run = {NULL, format, json_array(), json_array(), 0, 0};
	struct app_import_result res;
	struct progress prog = {0};
	struct app_import *im;
	struct tp_error err;
	struct stat stbuf;
	struct app *a = NULL;
	char *buf = NULL;
	size_t n;
	FILE *f;
	int rc;

	f = strcmp(path, "-") == 0 ? stdin : fopen(path, "rb");
	if (!f) {
		fprintf(stderr, "telepro: %s: %s\n", path, strerror(errno));
		json_decref(run.errors);
	json_decref(run.notes);
		return 2;
	}
	if (fstat(fileno(f), &stbuf) == 0 && S_ISDIR(stbuf.st_mode)) {
		fprintf(stderr, "telepro: %s: is a directory, not a file to import\n", path);
		rc = 2;
		goto out;
	}
	prog.enabled = isatty(STDERR_FILENO);
	prog.total = S_ISREG(stbuf.st_mode) ? stbuf.st_size : 0;
	clock_gettime(CLOCK_MONOTONIC, &prog.start);
	prog.last = prog.start;
	run.progress = &prog;
	o->file = path;
	o->on_reject = on_reject;
	o->on_note = on_note;
	o->arg = &run;
	o->cancel = &interrupted;
	if ((rc = cli_open_app(&a, NULL)))
		goto out;
	tp_error_clear(&err);
	if (!(im = app_import_begin(a, o, &err))) {
		rc = cli_fail(&err);
		goto close;
	}
	signal(SIGINT, on_signal);
	signal(SIGTERM, on_signal);
	buf = xmalloc(READ_CHUNK);
	rc = 0;
	while (rc == 0 && (n = fread(buf, 1, READ_CHUNK, f)) > 0) {
		prog.done += (off_t)n;
		rc = app_import_feed(im, buf, n, &err);
		progress_show(&prog, app_import_rows(im), false);
		progress_note(app_import_rows(im));
	}
	if (rc == 0 && ferror(f))
		rc = tp_error_at(&err, TP_EUSAGE, path, 0, NULL, "read error: %s", strerror(errno));
	progress_show(&prog, app_import_rows(im), true);
	if (rc) {
		app_import_abort(im);
	} else {
		rc = app_import_finish(im, &res, &err);
	}
	if (rc) {
		rc = cli_fail(&err);
	} else if (format == FORMAT_JSON) {
		json_t *j = json_pack("{s:I,s:I,s:I,s:O}", kinds[o->kind].k1, (json_int_t)res.added, kinds[o->kind].k2,
			(json_int_t)res.duplicates,
			"rejected", (json_int_t)res.rejected, "errors", run.errors);

		if (run.errors_dropped)
			json_object_set_new(j, "errors_not_listed", json_integer(run.errors_dropped));
		if (o->kind == APP_IMPORT_PROSPECTS) {
			json_object_set_new(j, "noted", json_integer(res.notes));
			json_object_set(j, "notes", run.notes);
			if (run.notes_dropped)
				json_object_set_new(j, "notes_not_listed", json_integer(run.notes_dropped));
		}
		json_dumpf(j, stdout, JSON_COMPACT);
		putchar('\n');
		json_decref(j);
	} else {
		printf(kinds[o->kind].text, path, res.added, res.duplicates, res.rejected, o->kind == APP_IMPORT_DNC ? o->source :
			res.campaign);
	}
	signal(SIGINT, SIG_DFL);
	signal(SIGTERM, SIG_DFL);
close:
	app_close(a);
out:
	free(buf);
	json_decref(run.errors);
	json_decref(run.notes);
	if (f != stdin)
		fclose(f);
	return rc;
}

/* Reads a mapping file into o (the caller frees *text). Returns 0 or an exit code. */
static int read_mapping(const char *path, struct app_import_opts *o, char **text)
{
	size_t len;
	int rc;

	if (!path)
		return 0;
	if ((rc = cli_read_file(path, 64 * 1024, text, &len)))
		return rc;
	o->mapping_file = path;
	o->mapping_text = *text;
	o->mapping_len = len;
	return 0;
}

/* import prospects|dnc|calls FILE [options]: parse, read the mapping, run. */
/* --delimiter , ; | or tab */
static int import_delimiter(void *target, const char *value)
{
	char *d = target;

	if (strcmp(value, "tab") == 0 || strcmp(value, "\\t") == 0)
		*d = '\t';
	else if (strlen(value) == 1 && strchr(",;\t|", value[0]))
		*d = value[0];
	else
		return cli_usage("import", "--delimiter is one of , ; | or tab");
	return 0;
}

/* --encoding utf-8|latin1 */
static int import_encoding(void *target, const char *value)
{
	if (strcmp(value, "latin1") == 0 || strcmp(value, "iso-8859-1") == 0)
		*(bool *)target = true;
	else if (strcmp(value, "utf-8") != 0 && strcmp(value, "utf8") != 0)
		return cli_usage("import", "--encoding is utf-8 or latin1");
	return 0;
}

static int import_kind(enum app_import_kind kind, int argc, char **argv)
{
	struct app_import_opts o = {.kind = kind, .region = "FR"};
	enum output_format format = FORMAT_TEXT;
	const char *mapping_path = NULL;
	char *mapping = NULL;
	/* One table for the three kinds; a kind refuses, by name, what it does not take. */
	struct cli_opt opts[] = {
		CLI_OPT_STRING("campaign", &o.campaign, "NAME", "the campaign (prospects, calls)"),
		CLI_OPT_CALL("delimiter", &o.delimiter, "C", "the file's delimiter: , ; | or tab (default: found)",
			import_delimiter),
		CLI_OPT_CALL("encoding", &o.latin1, "ENCODING", "utf-8 (default) or latin1", import_encoding),
		CLI_OPT_STRING("mapping", &mapping_path, "FILE", "the columns' mapping (calls; prospects: optional)"),
		CLI_OPT_FORMAT(&format, 1u << FORMAT_TEXT | 1u << FORMAT_JSON, "text (default) or json"),
		CLI_OPT_STRING("source", &o.source, "SOURCE", "internal, bloctel or other (dnc)"),
		CLI_OPT_STRING("region", &o.region, "REGION", "the country of national numbers (dnc; default FR)"),
		CLI_OPT_STRING("screened", &o.screened, "YYYY-MM-DD", "the day Bloctel produced the list (dnc)"),
		CLI_OPT_STRING("existing", &o.existing, "keep|update|reject", "a number already a contact (prospects)"),
		CLI_OPT_END,
	};
	static const char letters[] = "cdemfsrxk";     /* the rows above, as kinds[].options names them */
	char refusals[sizeof(letters)][96];
	const struct cli_command cmd = {kind == APP_IMPORT_PROSPECTS ? "import prospects" : kind == APP_IMPORT_DNC
		? "import dnc" : "import calls", NULL, NULL, opts};
	int nargs, rc;

	for (size_t i = 0; i + 1 < sizeof(letters); i++)
		if (!strchr(kinds[kind].options, letters[i])) {
			snprintf(refusals[i], sizeof(refusals[i]), "import %s does not take --%s", kinds[kind].name, opts[i].name);
			opts[i].refused = refusals[i];
		}
	if ((rc = cli_options(&cmd, 1, argc, argv, &nargs)))
		return rc < 0 ? 0 : rc;
	if (nargs != 1 || (kind == APP_IMPORT_CALLS && (!o.campaign || !mapping_path)))
		return cli_usage("import", "%s", kinds[kind].one_file);
	if (kind != APP_IMPORT_DNC && !o.campaign)
		return cli_usage("import", "--campaign NAME is required");
	if (kind == APP_IMPORT_DNC && (!o.source || (strcmp(o.source, "internal") && strcmp(o.source, "bloctel") &&
	    strcmp(o.source, "other"))))
		return cli_usage("import", "--source internal|bloctel|other is required");
	if ((rc = read_mapping(mapping_path, &o, &mapping)) == 0)
		rc = run_import(&o, argv[1], format);
	free(mapping);
	return rc;
}

int cmd_import(int argc, char **argv)
{
	if (argc < 2)
		return cli_usage("import", "prospects, dnc or calls?");
	if (cli_wants_help(argc, argv)) {
		fputs(help, stdout);
		return import_kind(APP_IMPORT_PROSPECTS, 2, (char *[]){"prospects", "--help", NULL}) ||
			import_kind(APP_IMPORT_DNC, 2, (char *[]){"dnc", "--help", NULL}) ||
			import_kind(APP_IMPORT_CALLS, 2, (char *[]){"calls", "--help", NULL});
	}
	for (size_t k = 0; k < sizeof(kinds) / sizeof(kinds[0]); k++)
		if (strcmp(argv[1], kinds[k].name) == 0)
			return import_kind((enum app_import_kind)k, argc - 1, argv + 1);
	return cli_usage("import", "unknown subcommand '%s' (prospects, dnc or calls)", argv[1]);
}
