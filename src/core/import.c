#include <stdlib.h>
#include <string.h>

#include "core/import.h"
#include "core/place.h"
#include "core/tz.h"
#include "core/date.h"
#include "core/utf8.h"

void importer_init(struct importer *im, const struct import_opts *opts, const struct import_sink *sink)
{
	memset(im, 0, sizeof(*im));
	im->opts = *opts;
	if (!im->opts.region)
		im->opts.region = "FR";
	im->sink = *sink;
	sb_init(&im->conv);
}

void importer_release(struct importer *im)
{
	if (im->csv_ready)
		csv_reader_release(&im->csv);
	for (size_t i = 0; i < im->ncols; i++)
		free(im->col_name[i]);
	free(im->col_name);
	free(im->col_field);
	sb_release(&im->conv);
	im->csv_ready = false;
	im->ncols = 0;
}

/* A rejected row: its reason a message (msgid, a %s for each of a and b when given;
 * words: which of them are messages too), said in the reader's language by the pages. */
static void reject(struct importer *im, long line, const char *field, unsigned words, const char *msgid,
	const char *a, const char *b)
{
	struct tp_error e;

	tp_error_clear(&e);
	tp_error_msg(&e, TP_EUSAGE, im->opts.file, line, field, words, msgid, b ? 2 : a ? 1 : 0, a, b);
	im->stats.rejected++;
	if (im->sink.reject)
		im->sink.reject(im->sink.ctx, &e);
}

/* A row kept with a remark (a message with up to four arguments, as reject's). */
static void note(struct importer *im, long line, const char *field, const char *msgid, int nargs, const char *a,
	const char *b, const char *c, const char *d)
{
	struct tp_error e;

	tp_error_clear(&e);
	tp_error_msg(&e, TP_OK, im->opts.file, line, field, 0, msgid, nargs, a, b, c, d);
	im->stats.notes++;
	if (im->sink.note)
		im->sink.note(im->sink.ctx, &e);
}

/*
 * Makes the record's fields UTF-8: validates them, or converts them from Latin-1.
 * Fills values[0..n). Returns the index of the first invalid field, or -1.
 */
static long to_utf8(struct importer *im, const struct csv_record *rec, const char **values)
{
	if (!im->opts.latin1) {
		for (size_t i = 0; i < rec->nfields; i++) {
			if (!utf8_valid(rec->fields[i], rec->lens[i]) || memchr(rec->fields[i], '\0', rec->lens[i]))
				return (long)i;
			values[i] = rec->fields[i];
		}
		return -1;
	}
	{
		size_t offsets[CSV_FIELDS_MAX];

		sb_reset(&im->conv);
		for (size_t i = 0; i < rec->nfields; i++) {
			if (memchr(rec->fields[i], '\0', rec->lens[i]))
				return (long)i;
			offsets[i] = im->conv.len;
			latin1_to_utf8(rec->fields[i], rec->lens[i], &im->conv);
			sb_addc(&im->conv, '\0');
		}
		for (size_t i = 0; i < rec->nfields; i++)
			values[i] = im->conv.buf + offsets[i];
	}
	return -1;
}

static int fail(struct importer *im, int code, long line, const char *field, const char *reason)
{
	tp_error_at(&im->fatal, code, im->opts.file, line, field, "%s", reason);
	return code;
}

static int read_header(struct importer *im, const struct csv_record *rec)
{
	const char *values[CSV_FIELDS_MAX];
	bool seen[F_COUNT] = {false};

	if (rec->error)
		return fail(im, TP_EUSAGE, rec->line, "header", rec->error);
	if (to_utf8(im, rec, values) >= 0)
		return fail(im, TP_EUSAGE, rec->line, "header",
			"invalid UTF-8 (is the file Latin-1? try --encoding latin1)");
	im->ncols = rec->nfields;
	im->col_field = xcalloc(im->ncols, sizeof(*im->col_field));
	im->col_name = xcalloc(im->ncols, sizeof(*im->col_name));
	for (size_t i = 0; i < im->ncols; i++) {
		const struct mapping_entry *e = im->opts.mapping ? mapping_find(im->opts.mapping, values[i]) : NULL;
		int id = e ? e->target : field_from_header(values[i]);

		if (e && id == F_QUALIFICATION)
			im->col_name[i] = xstrdup(e->key);
		else if (values[i][0])
			im->col_name[i] = xstrdup(values[i]);
		else
			im->col_name[i] = xstrdup("column");
		if (id >= 0 && id < F_COUNT) {
			if (seen[id])
				id = F_QUALIFICATION; /* a second "phone" column is kept, not merged */
			else
				seen[id] = true;
		}
		im->col_field[i] = id;
	}
	if (im->opts.mapping) {
		for (size_t k = 0; k < im->opts.mapping->n; k++) {
			const struct mapping_entry *e = &im->opts.mapping->entries[k];
			bool found = false;

			for (size_t i = 0; i < im->ncols && !found; i++) {
				char folded[256];

				field_fold(values[i], folded, sizeof(folded));
				found = strcmp(folded, e->column) == 0;
			}
			if (!found) {
				tp_error_at(&im->fatal, TP_EUSAGE, im->opts.mapping->file, e->line, NULL,
					"the mapping names a column that %s does not have", im->opts.file);
				return TP_EUSAGE;
			}
		}
	}
	if (!seen[F_PHONE] && !seen[F_MOBILE])
		return fail(im, TP_EUSAGE, rec->line, "header",
			"no phone column: name one 'téléphone', 'phone' or 'mobile' in the header, "
			"or map one with --mapping FILE (see docs/IMPORT.md)");
	im->header_done = true;
	return 0;
}

static bool all_empty(const struct csv_record *rec)
{
	for (size_t i = 0; i < rec->nfields; i++)
		if (rec->lens[i] > 0)
			return false;
	return true;
}

/* True when the record has more fields than the header and the extra ones are empty
 * (trailing delimiters, as spreadsheets write them). */
static bool only_empty_beyond(const struct csv_record *rec, size_t ncols)
{
	if (rec->nfields < ncols)
		return false;
	for (size_t i = ncols; i < rec->nfields; i++)
		if (rec->lens[i] > 0)
			return false;
	return true;
}

/*
 * Where the row's person or company is (core/place.h): its country column becomes the ISO
 * code of the territory decided (the postcode wins for France, with a note when the two
 * disagree); a country Telepro does not know is kept as written, with a note. Returns the
 * region the row's national numbers are read in.
 */
static const char *row_place(struct importer *im, long line, struct prospect *p)
{
	const char *written = p->field[F_COUNTRY], *postcode = p->field[F_POSTCODE];
	struct place where;

	if (written[0] && !place_country_code(written)) {
		note(im, line, "country", TP_MSG("'%s' is not a country Telepro knows: kept as written; the campaign's"
			" region (%s) reads its numbers and sets its rules"), 2, written, im->opts.region, NULL, NULL);
		return im->opts.region;
	}
	place_decide(written, postcode, NULL, im->opts.region, NULL, &where);
	if (where.disagree) {
		note(im, line, "country", TP_MSG("'%s' (%s) and postcode %s (%s) disagree: the postcode wins"), 4, written,
			place_name(where.written), postcode, place_name(where.country));
	}
	if (written[0])
		p->field[F_COUNTRY] = where.country;
	return where.country[0] ? where.country : im->opts.region;
}

/* An e-mail address as mail systems take it: one '@', something before it, a domain with a
 * dot after it, no spaces or commas (two addresses in one cell are not one address). */
static bool email_valid(const char *s)
{
	const char *at = strchr(s, '@'), *dot;

	if (!at || at == s || strchr(at + 1, '@') || strpbrk(s, " \t,;<>\"()[]\\"))
		return false;
	dot = strrchr(at + 1, '.');
	return dot && dot > at + 1 && dot[1] && strlen(dot + 1) >= 2;
}

/* A French postcode: five digits, a département's (01-95, 97x overseas, 98x Monaco and the
 * Pacific; Corsica's are 20xxx). */
static bool fr_postcode_valid(const char *s)
{
	if (strlen(s) != 5 || strspn(s, "0123456789") != 5)
		return false;
	return !(s[0] == '0' && s[1] == '0') && !(s[0] == '9' && s[1] == '6') && !(s[0] == '9' && s[1] == '9');
}

/*
 * Fields that would mislead if kept as written (docs/IMPORT.md, "Checked fields"): an
 * e-mail that is not one, a French postcode that is not one. The row is kept (its number is
 * what calls it); the field is left out, and a note says which and why.
 */
static void check_fields(struct importer *im, long line, struct prospect *p)
{
	char region[3] = "";

	/* French when the country column says a French territory, else when the number does (a
	 * Geneva hotel's 1204 is a Swiss postcode). */
	if (p->field[F_COUNTRY][0])
		snprintf(region, sizeof(region), "%.2s", p->field[F_COUNTRY]);
	else if (phone_region_of(p->lead_phone, region) != 0)
		region[0] = '\0';

	if (p->field[F_EMAIL][0] && !email_valid(p->field[F_EMAIL])) {
		note(im, line, "email", TP_MSG("'%s' is not an e-mail address: left out, the row is kept"), 1,
			p->field[F_EMAIL], NULL, NULL, NULL);
		p->field[F_EMAIL] = "";
	}
	if (p->field[F_POSTCODE][0] && region[0] && phone_fr_plan(region) && !fr_postcode_valid(p->field[F_POSTCODE])) {
		note(im, line, "postcode", TP_MSG("'%s' is not a French postcode (five digits): left out, the row is kept"), 1,
			p->field[F_POSTCODE], NULL, NULL, NULL);
		p->field[F_POSTCODE] = "";
	}
}

/* Normalises one phone column into out; returns false (row rejected) when invalid. */
static bool check_phone(struct importer *im, long line, int id, const char *region, const char *raw, char *out)
{
	const char *why = NULL;
	char shown[48];

	out[0] = '\0';
	switch (phone_normalize(raw, strlen(raw), region, out, &why)) {
	case PHONE_OK:
	case PHONE_EMPTY:
		return true;
	default:
		snprintf(shown, sizeof(shown), "%.40s%s", raw, strlen(raw) > 40 ? "..." : "");
		reject(im, line, field_name(id), 2, TP_MSG("'%s': %s"), shown, why);
		return false;
	}
}

/* A consent is a day and a source together (the wording is optional): half of one is a
 * mistake in the file, said as such. */
static bool check_consent(struct importer *im, long line, struct prospect *p)
{
	const char *day_text = p->field[F_CONSENT_DATE], *source = p->field[F_CONSENT_SOURCE];
	struct tp_error e;
	int day;

	if (!day_text[0] && !source[0]) {
		if (p->field[F_CONSENT_WORDING][0]) {
			reject(im, line, "consent_date", 0, TP_MSG("a consent's wording needs its date and source"), NULL, NULL);
			return false;
		}
		return true;
	}
	if (!day_text[0]) {
		reject(im, line, "consent_date", 0, TP_MSG("missing: a consent needs the day it was given"), NULL, NULL);
		return false;
	}
	if (!source[0]) {
		reject(im, line, "consent_source", 0, TP_MSG("missing: a consent needs where it was given"), NULL, NULL);
		return false;
	}
	tp_error_clear(&e);
	if (date_parse_day(day_text, "consent_date", &day, &e)) {
		reject(im, line, "consent_date", 0, "%s", e.reason, NULL);
		return false;
	}
	p->consent_at = tz_day_number(day) * 86400;
	return true;
}

static int read_row(struct importer *im, const struct csv_record *rec)
{
	const char *values[CSV_FIELDS_MAX];
	const char *qkeys[CSV_FIELDS_MAX], *qvalues[CSV_FIELDS_MAX];
	struct prospect p;
	const char *region;
	long bad;
	int rc;

	if (rec->error) {
		im->stats.rows++;
		reject(im, rec->line, "record", 0, "%s", rec->error, NULL);
		return 0;
	}
	if (all_empty(rec)) {
		im->stats.empty++;
		return 0;
	}
	im->stats.rows++;
	if (rec->nfields != im->ncols && !only_empty_beyond(rec, im->ncols)) {
		char got[32], want[32];

		snprintf(got, sizeof(got), "%zu", rec->nfields);
		snprintf(want, sizeof(want), "%zu", im->ncols);
		reject(im, rec->line, "record", 0, TP_MSG("%s fields where the header has %s (a delimiter or quote inside an"
			" unquoted value?)"), got, want);
		return 0;
	}
	bad = to_utf8(im, rec, values); /* extra empty fields are valid UTF-8 */
	if (bad >= 0) {
		int id = im->col_field[bad];

		reject(im, rec->line, id >= 0 && id < F_COUNT ? field_name(id) : im->col_name[bad],
			0, TP_MSG("invalid UTF-8 (is the file Latin-1? try --encoding latin1)"), NULL, NULL);
		return 0;
	}
	memset(&p, 0, sizeof(p));
	p.line = rec->line;
	for (int i = 0; i < F_COUNT; i++)
		p.field[i] = "";
	p.qual_key = qkeys;
	p.qual_value = qvalues;
	for (size_t i = 0; i < im->ncols; i++) {
		int id = im->col_field[i];

		/* "'=..." is how an export writes a formula-like cell as text (core/csv.h). */
		values[i] = csv_unneutral(values[i]);
		if (id >= 0 && id < F_COUNT) {
			p.field[id] = values[i];
		} else if (id == F_QUALIFICATION && values[i][0]) {
			qkeys[p.nqual] = im->col_name[i];
			qvalues[p.nqual] = values[i];
			p.nqual++;
		}
	}
	region = row_place(im, rec->line, &p);
	if (!check_phone(im, rec->line, F_PHONE, region, p.field[F_PHONE], p.phone) ||
	    !check_phone(im, rec->line, F_MOBILE, region, p.field[F_MOBILE], p.mobile))
		return 0;
	p.lead_phone = p.phone[0] ? p.phone : p.mobile;
	if (!p.lead_phone[0]) {
		reject(im, rec->line, "phone", 0, TP_MSG("missing: the row has neither a phone nor a mobile number"), NULL, NULL);
		return 0;
	}
	check_fields(im, rec->line, &p);
	if (im->opts.forgotten && ((p.phone[0] && im->opts.forgotten(im->opts.forgotten_ctx, p.phone)) ||
	    (p.mobile[0] && im->opts.forgotten(im->opts.forgotten_ctx, p.mobile)))) {
		reject(im, rec->line, p.phone[0] && im->opts.forgotten(im->opts.forgotten_ctx, p.phone) ? "phone" : "mobile",
			0, TP_MSG("left out: this person's data was erased at their request and they asked not to be called"
			" again (docs/PRIVACY.md)"), NULL, NULL);
		return 0;
	}
	if (!check_consent(im, rec->line, &p))
		return 0;
	rc = im->sink.prospect(im->sink.ctx, &p, &im->fatal);
	if (rc < 0)
		return rc;
	if (rc == IMPORT_PENDING)
		im->stats.pending++;
	else if (rc == IMPORT_DUPLICATE)
		im->stats.duplicates++;
	else
		im->stats.imported++;
	return 0;
}

static int on_record(void *ctx, const struct csv_record *rec)
{
	struct importer *im = ctx;

	if (!im->header_done)
		return read_header(im, rec);
	return read_row(im, rec);
}

int importer_feed(struct importer *im, const char *buf, size_t len, struct tp_error *err)
{
	int rc;

	if (!im->csv_ready) {
		char delim = im->opts.delimiter ? im->opts.delimiter : csv_detect_delimiter(buf, len);

		csv_reader_init(&im->csv, delim, on_record, im);
		im->csv_ready = true;
	}
	rc = csv_reader_feed(&im->csv, buf, len);
	if (rc) {
		*err = im->fatal;
		return rc;
	}
	return 0;
}

int importer_finish(struct importer *im, struct tp_error *err)
{
	int rc;

	if (!im->csv_ready)
		return tp_error_at(err, TP_EUSAGE, im->opts.file, 0, NULL,
			"the file is empty: a prospect file starts with a header line");
	rc = csv_reader_finish(&im->csv);
	if (rc) {
		*err = im->fatal;
		return rc;
	}
	if (!im->header_done)
		return tp_error_at(err, TP_EUSAGE, im->opts.file, 0, NULL,
			"the file is empty: a prospect file starts with a header line");
	return 0;
}
