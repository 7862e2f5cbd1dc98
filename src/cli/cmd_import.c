#include <errno.h>
#include <getopt.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>
#include <jansson.h>

#include "cli/cli.h"
#include "core/callmap.h"
#include "core/calling.h"
#include "core/import.h"
#include "core/tz.h"
#include "core/utf8.h"
#include "core/xalloc.h"

static const char help[] =
	"usage: telepro import prospects FILE --campaign NAME [--delimiter C] [--encoding utf-8|latin1]\n"
	"                                [--mapping FILE] [--format text|json]\n"
	"       telepro import dnc FILE --source internal|bloctel|other\n"
	"\n"
	"import prospects reads a CSV file (RFC 4180; ',' ';' or tab, detected when not given;\n"
	"UTF-8 with or without BOM, or Latin-1 with --encoding latin1) whose header names the\n"
	"columns in French or English (société, nom, prénom, téléphone, mobile, email, SIREN,\n"
	"code postal, ville, secteur, fonction...) or through a mapping file (docs/IMPORT.md).\n"
	"Unknown columns are kept as qualification values. Phones are stored in E.164.\n"
	"Numbers already in the campaign are counted as duplicates and not imported again.\n"
	"Each rejected row is reported on stderr as FILE:LINE: FIELD: reason; the good rows are\n"
	"imported, all in one transaction (an interrupted import leaves nothing behind).\n"
	"--format json prints {\"imported\":N,\"duplicates\":N,\"rejected\":N,\"errors\":[...]}.\n"
	"Exit 0 when the file was processed, 2 when it is unusable.\n"
	"\n"
	"       telepro import calls FILE --campaign NAME --mapping FILE [--format text|json]\n"
	"\n"
	"import calls reads a call history exported by another system; the mapping file says\n"
	"which columns are the agent, date and time, result, outcome, durations (docs/IMPORT.md).\n"
	"Each row is a call (found again on re-import: counted as a duplicate). Unknown agents\n"
	"are added as agents without a usable password. Calling time of such calls is the\n"
	"span from each agent's first call to the end of the last one, per local day.\n"
	"\n"
	"import dnc loads an opposition (do-not-call) list: one number a line, or a CSV file\n"
	"with a phone column. Numbers are normalised like prospect phones.\n";

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

struct import_run {
	struct store_import *imp;
	const struct progress *progress;
	enum output_format format;
	json_t *errors;
	long errors_dropped;
};

static int sink_prospect(void *ctx, const struct prospect *p, struct tp_error *err)
{
	struct import_run *run = ctx;

	if (interrupted)
		return tp_error_set(err, TP_ERR, "interrupted: nothing was imported");
	return store_import_prospect(run->imp, p, err);
}

static void sink_reject(void *ctx, const struct tp_error *e)
{
	struct import_run *run = ctx;
	char msg[1024];

	tp_error_format(e, msg, sizeof(msg));
	if (run->progress && run->progress->enabled)
		fputs("\r\033[K", stderr); /* the message replaces the progress line */
	fprintf(stderr, "%s\n", msg);
	if (run->format != FORMAT_JSON)
		return;
	if (json_array_size(run->errors) >= JSON_ERRORS_MAX) {
		run->errors_dropped++;
		return;
	}
	json_array_append_new(run->errors, json_pack("{s:I,s:s,s:s}", "line", (json_int_t)e->line, "field",
		e->field, "reason", e->reason));
}

/* Feeds the whole file to the importer, chunk by chunk: memory stays flat. */
static int feed_file(FILE *f, struct importer *im, struct progress *prog, struct tp_error *err)
{
	char *buf = xmalloc(READ_CHUNK);
	size_t n;
	int rc = 0;

	while ((n = fread(buf, 1, READ_CHUNK, f)) > 0) {
		prog->done += (off_t)n;
		if ((rc = importer_feed(im, buf, n, err)))
			break;
		progress_show(prog, im->stats.rows, false);
		if (interrupted) {
			rc = tp_error_set(err, TP_ERR, "interrupted: nothing was imported");
			break;
		}
	}
	if (rc == 0 && ferror(f))
		rc = tp_error_at(err, TP_EUSAGE, im->opts.file, 0, NULL, "read error: %s", strerror(errno));
	if (rc == 0)
		rc = importer_finish(im, err);
	free(buf);
	return rc;
}

static int import_prospects(int argc, char **argv)
{
	static const struct option opts[] = {
		{"campaign", required_argument, NULL, 'c'},
		{"delimiter", required_argument, NULL, 'd'},
		{"encoding", required_argument, NULL, 'e'},
		{"mapping", required_argument, NULL, 'm'},
		{"format", required_argument, NULL, 'f'},
		{NULL, 0, NULL, 0},
	};
	const char *campaign_name = NULL, *mapping_path = NULL, *path;
	struct import_opts iopts = {0};
	struct import_run run = {0};
	struct import_sink sink = {&run, sink_prospect, sink_reject};
	struct mapping mapping;
	struct importer im;
	struct campaign c;
	struct progress prog = {0};
	struct tp_error err;
	struct store *s = NULL;
	struct stat stbuf;
	FILE *f = NULL;
	int opt, rc = 0;

	run.format = FORMAT_TEXT;
	optind = 0;
	opterr = 0;
	while ((opt = getopt_long(argc, argv, ":", opts, NULL)) != -1) {
		switch (opt) {
		case 'c':
			campaign_name = optarg;
			break;
		case 'd':
			if (strcmp(optarg, "tab") == 0 || strcmp(optarg, "\\t") == 0)
				iopts.delimiter = '\t';
			else if (strlen(optarg) == 1 && strchr(",;\t|", optarg[0]))
				iopts.delimiter = optarg[0];
			else
				return cli_usage("import", "--delimiter is one of , ; | or tab");
			break;
		case 'e':
			if (strcmp(optarg, "latin1") == 0 || strcmp(optarg, "iso-8859-1") == 0)
				iopts.latin1 = true;
			else if (strcmp(optarg, "utf-8") != 0 && strcmp(optarg, "utf8") != 0)
				return cli_usage("import", "--encoding is utf-8 or latin1");
			break;
		case 'm':
			mapping_path = optarg;
			break;
		case 'f':
			if (!cli_parse_format(optarg, 1u << FORMAT_TEXT | 1u << FORMAT_JSON, &run.format))
				return cli_usage("import", "--format is text or json");
			break;
		case ':':
			return cli_usage("import", "option '%s' needs a value", argv[optind - 1]);
		default:
			return cli_usage("import", "unknown option '%s'", argv[optind - 1]);
		}
	}
	if (optind != argc - 1)
		return cli_usage("import", "give exactly one prospect file");
	if (!campaign_name)
		return cli_usage("import", "--campaign NAME is required");
	path = argv[optind];
	tp_error_clear(&err);
	mapping_init(&mapping);
	if (mapping_path) {
		char *text;
		size_t len;

		if ((rc = cli_read_file(mapping_path, 64 * 1024, &text, &len)))
			return rc;
		rc = mapping_parse(&mapping, mapping_path, text, len, &err);
		free(text);
		if (rc)
			return cli_fail(&err);
	}
	f = strcmp(path, "-") == 0 ? stdin : fopen(path, "rb");
	if (!f) {
		fprintf(stderr, "telepro: %s: %s\n", path, strerror(errno));
		mapping_release(&mapping);
		return 2;
	}
	if (fstat(fileno(f), &stbuf) == 0 && S_ISDIR(stbuf.st_mode)) {
		fprintf(stderr, "telepro: %s: is a directory, not a prospect file\n", path);
		rc = 2;
		goto out;
	}
	prog.enabled = isatty(STDERR_FILENO);
	run.progress = &prog;
	prog.total = S_ISREG(stbuf.st_mode) ? stbuf.st_size : 0;
	clock_gettime(CLOCK_MONOTONIC, &prog.start);
	prog.last = prog.start;
	if (!(s = cli_open_store())) {
		rc = 1;
		goto out;
	}
	campaign_init(&c);
	rc = store_campaign_get(s, campaign_name, &c, &err);
	iopts.file = path;
	iopts.mapping = mapping_path ? &mapping : NULL;
	iopts.region = c.region ? c.region : "FR";
	if (rc) {
		campaign_release(&c);
		rc = cli_fail(&err);
		goto out;
	}
	run.errors = json_array();
	if (!(run.imp = store_import_begin(s, c.id, &err))) {
		campaign_release(&c);
		rc = cli_fail(&err);
		goto out;
	}
	signal(SIGINT, on_signal);
	signal(SIGTERM, on_signal);
	store_import_cancel_on(run.imp, &interrupted);
	importer_init(&im, &iopts, &sink);
	rc = feed_file(f, &im, &prog, &err);
	progress_show(&prog, im.stats.rows, true);
	if (rc == 0)
		rc = store_import_commit(run.imp, path, &im.stats, &err);
	else
		store_import_abort(run.imp);
	if (rc) {
		rc = cli_fail(&err);
	} else if (run.format == FORMAT_JSON) {
		json_t *j = json_pack("{s:I,s:I,s:I,s:O}", "imported", (json_int_t)im.stats.imported, "duplicates",
			(json_int_t)im.stats.duplicates, "rejected", (json_int_t)im.stats.rejected, "errors", run.errors);

		if (run.errors_dropped)
			json_object_set_new(j, "errors_not_listed", json_integer(run.errors_dropped));
		json_dumpf(j, stdout, JSON_COMPACT);
		putchar('\n');
		json_decref(j);
	} else {
		printf("%s: %ld imported, %ld duplicates, %ld rejected into %s\n", path, im.stats.imported,
			im.stats.duplicates, im.stats.rejected, c.name);
	}
	importer_release(&im);
	campaign_release(&c);
	signal(SIGINT, SIG_DFL);
	signal(SIGTERM, SIG_DFL);
out:
	json_decref(run.errors);
	store_close(s);
	if (f && f != stdin)
		fclose(f);
	mapping_release(&mapping);
	return rc;
}

/* Ends a bulk import's transaction: the audit entry and the commit when rc is 0, the
 * rollback otherwise. Returns 0, or the exit code after printing the error. */
static int commit_audited(struct store *s, int rc, const char *action, const char *entity, int64_t id,
	const char *detail, struct tp_error *fatal)
{
	if (rc == 0)
		rc = store_audit(s, "cli", action, entity, id, detail, fatal);
	if (rc == 0 && store_commit(s, fatal))
		rc = fatal->code;
	if (rc) {
		store_rollback(s);
		return cli_fail(fatal);
	}
	return 0;
}

/* The one-line JSON summary of an import: two counts, the rejections and their list. */
static void print_summary(const char *k1, long v1, const char *k2, long v2, long rejected, json_t *errors)
{
	json_t *j = json_pack("{s:I,s:I,s:I,s:O}", k1, (json_int_t)v1, k2, (json_int_t)v2, "rejected",
		(json_int_t)rejected, "errors", errors);

	json_dumpf(j, stdout, JSON_COMPACT);
	putchar('\n');
	json_decref(j);
}

/* Reads a whole CSV file through a csv_reader (delimiter detected from its start) with
 * fn as the record callback; returns 0 or the callback's value that stopped reading. */
static int feed_csv(FILE *f, csv_record_fn fn, void *ctx)
{
	struct csv_reader reader;
	char *buf = xmalloc(READ_CHUNK);
	bool first = true;
	size_t n;
	int rc = 0;

	while (rc == 0 && (n = fread(buf, 1, READ_CHUNK, f)) > 0) {
		if (first)
			csv_reader_init(&reader, csv_detect_delimiter(buf, n), fn, ctx);
		first = false;
		rc = csv_reader_feed(&reader, buf, n);
	}
	free(buf);
	if (!first) {
		if (rc == 0)
			rc = csv_reader_finish(&reader);
		csv_reader_release(&reader);
	}
	return rc;
}

struct dnc_run {
	struct store *s;
	const char *file;
	const char *source;
	const char *region;
	int64_t now;
	enum output_format format;
	bool header_seen;
	size_t column;         /* the phone column */
	long added, known, rejected;
	json_t *errors;
	struct tp_error fatal;
};

static void dnc_reject(struct dnc_run *run, long line, const char *fmt, const char *a, const char *b)
{
	struct tp_error e;
	char msg[1024];

	tp_error_clear(&e);
	tp_error_at(&e, TP_EUSAGE, run->file, line, "phone", fmt, a, b);
	tp_error_format(&e, msg, sizeof(msg));
	fprintf(stderr, "%s\n", msg);
	run->rejected++;
	if (run->format == FORMAT_JSON && json_array_size(run->errors) < JSON_ERRORS_MAX)
		json_array_append_new(run->errors, json_pack("{s:I,s:s,s:s}", "line", (json_int_t)line, "field",
			"phone", "reason", e.reason));
}

static int dnc_number(struct dnc_run *run, long line, const char *text)
{
	char e164[PHONE_E164_MAX];
	const char *why = "not a phone number";
	int rc;

	switch (phone_normalize(text, strlen(text), run->region, e164, &why)) {
	case PHONE_EMPTY:
		return 0;
	case PHONE_INVALID:
		dnc_reject(run, line, "'%.40s': %s", text, why);
		return 0;
	}
	rc = store_opposition_add(run->s, e164, run->source, run->now, &run->fatal);
	if (rc < 0)
		return rc;
	if (rc == 0)
		run->added++;
	else
		run->known++;
	return 0;
}

static int dnc_record(void *ctx, const struct csv_record *rec)
{
	struct dnc_run *run = ctx;

	if (rec->error) {
		dnc_reject(run, rec->line, "%s%s", rec->error, "");
		return 0;
	}
	if (!run->header_seen) {
		run->header_seen = true;
		for (size_t i = 0; i < rec->nfields; i++) {
			int id = field_from_header(rec->fields[i]);

			if (id == F_PHONE || id == F_MOBILE) {
				run->column = i;
				return 0;
			}
		}
		if (rec->nfields != 1)
			return tp_error_at(&run->fatal, TP_EUSAGE, run->file, rec->line, "header",
				"no phone column: give one number a line, or a CSV file with a 'téléphone' "
				"or 'phone' column");
		run->column = 0;
		/* A bare list: its first line is a number, unless it is a word such as "numéro". */
		if (phone_normalize(rec->fields[0], rec->lens[0], run->region, (char[PHONE_E164_MAX]){0}, NULL) ==
		    PHONE_OK)
			return dnc_number(run, rec->line, rec->fields[0]);
		return 0;
	}
	if (run->column >= rec->nfields) {
		dnc_reject(run, rec->line, "%s%s", "the row has no value in the phone column", "");
		return 0;
	}
	return dnc_number(run, rec->line, rec->fields[run->column]);
}

static int import_dnc(int argc, char **argv)
{
	static const struct option opts[] = {
		{"source", required_argument, NULL, 's'},
		{"region", required_argument, NULL, 'r'},
		{"format", required_argument, NULL, 'f'},
		{NULL, 0, NULL, 0},
	};
	struct dnc_run run = {0};
	struct tp_error err;
	FILE *f;
	int opt, rc = 0;

	run.region = "FR";
	run.format = FORMAT_TEXT;
	optind = 0;
	opterr = 0;
	while ((opt = getopt_long(argc, argv, ":", opts, NULL)) != -1) {
		switch (opt) {
		case 's':
			run.source = optarg;
			break;
		case 'r':
			run.region = optarg;
			break;
		case 'f':
			if (!cli_parse_format(optarg, 1u << FORMAT_TEXT | 1u << FORMAT_JSON, &run.format))
				return cli_usage("import", "--format is text or json");
			break;
		default:
			return cli_usage("import", "unknown or incomplete option '%s'", argv[optind - 1]);
		}
	}
	if (optind != argc - 1)
		return cli_usage("import", "give exactly one opposition list file");
	if (!run.source || (strcmp(run.source, "internal") && strcmp(run.source, "bloctel") && strcmp(run.source, "other")))
		return cli_usage("import", "--source internal|bloctel|other is required");
	run.file = argv[optind];
	if (!(f = fopen(run.file, "rb"))) {
		fprintf(stderr, "telepro: %s: %s\n", run.file, strerror(errno));
		return 2;
	}
	if (!(run.s = cli_open_store())) {
		fclose(f);
		return 1;
	}
	tp_error_clear(&err);
	tp_error_clear(&run.fatal);
	run.now = (int64_t)time(NULL);
	run.errors = json_array();
	if (store_begin(run.s, &err)) {
		rc = cli_fail(&err);
		goto out;
	}
	rc = feed_csv(f, dnc_record, &run);
	if ((rc = commit_audited(run.s, rc, "import.dnc", "opposition", 0, run.source, &run.fatal)))
		goto out;
	if (run.format == FORMAT_JSON) {
		print_summary("added", run.added, "already_listed", run.known, run.rejected, run.errors);
	} else {
		printf("%s: %ld added, %ld already listed, %ld rejected (source %s)\n", run.file, run.added, run.known,
			run.rejected, run.source);
	}
out:
	json_decref(run.errors);
	store_close(run.s);
	fclose(f);
	return rc;
}

struct calls_run {
	struct store *s;
	struct campaign *c;
	struct callmap *map;
	const char *file;
	const char *file_key;
	enum output_format format;
	bool header_done;
	size_t ncols;
	int col_target[CSV_FIELDS_MAX];
	int year_state, last_month;
	long imported, duplicates, rejected, rows;
	json_t *errors;
	struct tp_error fatal;
	char last_agent[128];
};

static void calls_reject(struct calls_run *run, long line, const struct tp_error *e)
{
	struct tp_error r = *e;
	char msg[1024];

	snprintf(r.file, sizeof(r.file), "%s", run->file);
	r.line = line;
	tp_error_format(&r, msg, sizeof(msg));
	fprintf(stderr, "%s\n", msg);
	run->rejected++;
	if (run->format == FORMAT_JSON && json_array_size(run->errors) < JSON_ERRORS_MAX)
		json_array_append_new(run->errors, json_pack("{s:I,s:s,s:s}", "line", (json_int_t)line, "field", r.field,
			"reason", r.reason));
}

static int calls_record(void *ctx, const struct csv_record *rec)
{
	struct calls_run *run = ctx;
	struct call_row row = {{0}};
	struct call_parts parts;
	struct call_input in = {0};
	struct tp_error e;
	char key[600], e164[PHONE_E164_MAX];
	int64_t call_id, appointment_id, agent_id;
	bool replayed;
	int rc;

	tp_error_clear(&e);
	if (!run->header_done) {
		bool mapped[CM_COUNT] = {false};

		if (rec->error)
			return tp_error_at(&run->fatal, TP_EUSAGE, run->file, rec->line, "header", "%s", rec->error);
		run->ncols = rec->nfields;
		for (size_t i = 0; i < rec->nfields; i++) {
			run->col_target[i] = callmap_column(run->map, rec->fields[i]);
			if (run->col_target[i] >= 0)
				mapped[run->col_target[i]] = true;
		}
		for (size_t i = 0; i < run->map->ncolumns; i++)
			if (!mapped[run->map->columns[i].target])
				return tp_error_at(&run->fatal, TP_EUSAGE, run->map->file, run->map->columns[i].line, NULL,
					"the mapping names a column that %s does not have", run->file);
		run->header_done = true;
		return 0;
	}
	run->rows++;
	if (rec->error) {
		tp_error_at(&e, TP_EUSAGE, NULL, 0, "record", "%s", rec->error);
		calls_reject(run, rec->line, &e);
		return 0;
	}
	if (rec->nfields != run->ncols) {
		tp_error_at(&e, TP_EUSAGE, NULL, 0, "record", "%zu fields where the header has %zu", rec->nfields, run->ncols);
		calls_reject(run, rec->line, &e);
		return 0;
	}
	for (size_t i = 0; i < rec->nfields; i++) {
		if (!utf8_valid(rec->fields[i], rec->lens[i])) {
			tp_error_at(&e, TP_EUSAGE, NULL, 0, "record", "invalid UTF-8");
			calls_reject(run, rec->line, &e);
			return 0;
		}
		if (run->col_target[i] >= 0 && run->col_target[i] != CM_IGNORE)
			row.v[run->col_target[i]] = rec->fields[i];
	}
	if (callmap_row(run->map, &row, &run->year_state, &run->last_month, &parts, &e)) {
		calls_reject(run, rec->line, &e);
		return 0;
	}
	if (strcmp(run->last_agent, parts.agent) != 0) {
		if ((rc = store_user_ensure_agent(run->s, parts.agent, &agent_id, &run->fatal)))
			return rc;
		snprintf(run->last_agent, sizeof(run->last_agent), "%s", parts.agent);
	}
	in.agent = parts.agent;
	in.campaign_id = run->c->id;
	in.result = parts.result;
	in.outcome = call_result_is_conversation(parts.result) ? parts.outcome : NULL;
	in.talk_seconds = parts.talk_seconds;
	in.ring_seconds = parts.ring_seconds;
	in.note = parts.notes;
	in.started_at = tz_utc(run->c->timezone, parts.year, parts.month, parts.day, parts.hour, parts.minute,
		parts.second);
	if (parts.phone && *parts.phone) {
		const char *why = "not a phone number";

		if (phone_normalize(parts.phone, strlen(parts.phone), run->c->region, e164, &why) == PHONE_OK) {
			if ((rc = store_lead_by_phone(run->s, run->c->id, e164, &in.lead_id, &run->fatal)))
				return rc;
		} else {
			tp_error_at(&e, TP_EUSAGE, NULL, 0, "phone", "'%.40s': %s", parts.phone, why);
			calls_reject(run, rec->line, &e);
			return 0;
		}
	}
	snprintf(key, sizeof(key), "import:%lld:%s:%ld", (long long)run->c->id, run->file_key, rec->line);
	in.idempotency_key = key;
	rc = store_call_log(run->s, &in, &call_id, &appointment_id, &replayed, &e);
	if (rc == TP_EUSAGE || rc == TP_ENOTFOUND) {
		calls_reject(run, rec->line, &e);
		return 0;
	}
	if (rc) {
		run->fatal = e;
		return rc;
	}
	if (replayed)
		run->duplicates++;
	else
		run->imported++;
	return 0;
}

static int import_calls(int argc, char **argv)
{
	static const struct option opts[] = {
		{"campaign", required_argument, NULL, 'c'},
		{"mapping", required_argument, NULL, 'm'},
		{"format", required_argument, NULL, 'f'},
		{NULL, 0, NULL, 0},
	};
	const char *campaign = NULL, *mapping_path = NULL;
	struct calls_run run = {0};
	struct callmap map;
	struct campaign c;
	struct tp_error err;
	char *text;
	size_t len;
	FILE *f;
	int opt, rc;

	run.format = FORMAT_TEXT;
	optind = 0;
	opterr = 0;
	while ((opt = getopt_long(argc, argv, ":", opts, NULL)) != -1) {
		if (opt == 'c')
			campaign = optarg;
		else if (opt == 'm')
			mapping_path = optarg;
		else if (opt == 'f') {
			if (!cli_parse_format(optarg, 1u << FORMAT_TEXT | 1u << FORMAT_JSON, &run.format))
				return cli_usage("import", "--format is text or json");
		} else
			return cli_usage("import", "unknown or incomplete option '%s'", argv[optind - 1]);
	}
	if (optind != argc - 1 || !campaign || !mapping_path)
		return cli_usage("import", "import calls FILE --campaign NAME --mapping FILE");
	run.file = argv[optind];
	run.file_key = strrchr(run.file, '/') ? strrchr(run.file, '/') + 1 : run.file;
	tp_error_clear(&err);
	if ((rc = cli_read_file(mapping_path, 64 * 1024, &text, &len)))
		return rc;
	rc = callmap_parse(&map, mapping_path, text, len, &err);
	free(text);
	if (rc)
		return cli_fail(&err);
	if (!(f = fopen(run.file, "rb"))) {
		fprintf(stderr, "telepro: %s: %s\n", run.file, strerror(errno));
		callmap_release(&map);
		return 2;
	}
	campaign_init(&c);
	if (!(run.s = cli_open_store())) {
		rc = 1;
		goto out;
	}
	if ((rc = store_campaign_get(run.s, campaign, &c, &err))) {
		rc = cli_fail(&err);
		goto out;
	}
	run.c = &c;
	run.map = &map;
	run.errors = json_array();
	tp_error_clear(&run.fatal);
	if (store_begin(run.s, &err)) {
		rc = cli_fail(&err);
		goto out;
	}
	rc = feed_csv(f, calls_record, &run);
	if (rc == 0 && !run.header_done)
		rc = tp_error_at(&run.fatal, TP_EUSAGE, run.file, 0, NULL, "the file is empty: a call history starts"
			" with a header line");
	if ((rc = commit_audited(run.s, rc, "import.calls", "campaign", c.id, run.file, &run.fatal)))
		goto out;
	if (run.format == FORMAT_JSON) {
		print_summary("imported", run.imported, "duplicates", run.duplicates, run.rejected, run.errors);
	} else {
		printf("%s: %ld calls imported, %ld duplicates, %ld rejected into %s\n", run.file, run.imported,
			run.duplicates, run.rejected, c.name);
	}
out:
	json_decref(run.errors);
	campaign_release(&c);
	store_close(run.s);
	callmap_release(&map);
	fclose(f);
	return rc;
}

int cmd_import(int argc, char **argv)
{
	if (argc < 2)
		return cli_usage("import", "prospects or dnc?");
	if (cli_wants_help(argc, argv))
		return cli_help(help);
	if (strcmp(argv[1], "prospects") == 0)
		return import_prospects(argc - 1, argv + 1);
	if (strcmp(argv[1], "dnc") == 0)
		return import_dnc(argc - 1, argv + 1);
	if (strcmp(argv[1], "calls") == 0)
		return import_calls(argc - 1, argv + 1);
	return cli_usage("import", "unknown subcommand '%s' (prospects or dnc)", argv[1]);
}
