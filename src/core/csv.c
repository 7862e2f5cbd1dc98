#include <stdlib.h>
#include <string.h>

#include "core/csv.h"

/* libcsv's pstate values (libcsv.c): between records, and inside a field. */
#define LIBCSV_ROW_NOT_BEGUN 0
#define LIBCSV_FIELD_BEGUN 2

/*
 * libcsv grows its field buffer with the realloc function it is given; refusing to grow
 * past the cap turns an endless field (an unbalanced quote in a huge file) into a parse
 * error instead of an allocation that follows the file size.
 */
static void *capped_realloc(void *ptr, size_t size)
{
	if (size > CSV_FIELD_MAX + 1024)
		return NULL;
	return realloc(ptr, size);
}

static int only_space(unsigned char c)
{
	return c == ' ';
}

static void parser_setup(struct csv_reader *r, unsigned char delimiter)
{
	csv_init(&r->parser, 0);
	csv_set_delim(&r->parser, delimiter);
	csv_set_space_func(&r->parser, only_space);
	csv_set_realloc_func(&r->parser, capped_realloc);
	csv_set_free_func(&r->parser, free);
	csv_set_blk_size(&r->parser, 1024);
}

void csv_reader_init(struct csv_reader *r, char delimiter, csv_record_fn fn, void *ctx)
{
	memset(r, 0, sizeof(*r));
	parser_setup(r, (unsigned char)delimiter);
	r->fn = fn;
	r->ctx = ctx;
	sb_init(&r->data);
	r->fields_cap = 16;
	r->offsets = xmalloc(r->fields_cap * sizeof(*r->offsets));
	r->lens = xmalloc(r->fields_cap * sizeof(*r->lens));
	r->fields = xmalloc(r->fields_cap * sizeof(*r->fields));
}

void csv_reader_release(struct csv_reader *r)
{
	csv_free(&r->parser);
	sb_release(&r->data);
	free(r->offsets);
	free(r->lens);
	free(r->fields);
	r->offsets = NULL;
	r->lens = NULL;
	r->fields = NULL;
}

static void record_reset(struct csv_reader *r)
{
	sb_reset(&r->data);
	r->nfields = 0;
	r->error = NULL;
}

static void on_field(void *field, size_t len, void *data)
{
	struct csv_reader *r = data;

	if (r->nfields >= CSV_FIELDS_MAX) {
		r->error = "too many fields (more than 1024)";
		return;
	}
	if (r->nfields == r->fields_cap) {
		r->fields_cap *= 2;
		r->offsets = xrealloc(r->offsets, r->fields_cap * sizeof(*r->offsets));
		r->lens = xrealloc(r->lens, r->fields_cap * sizeof(*r->lens));
		r->fields = xrealloc(r->fields, r->fields_cap * sizeof(*r->fields));
	}
	r->offsets[r->nfields] = r->data.len;
	r->lens[r->nfields] = len;
	sb_add(&r->data, field ? field : "", field ? len : 0);
	sb_addc(&r->data, '\0');
	r->nfields++;
}

static void emit(struct csv_reader *r)
{
	struct csv_record rec;

	for (size_t i = 0; i < r->nfields; i++)
		r->fields[i] = r->data.buf + r->offsets[i];
	rec.line = r->record_line;
	rec.nfields = r->nfields;
	rec.fields = r->fields;
	rec.lens = r->lens;
	rec.error = r->error;
	if (!r->stop)
		r->stop = r->fn(r->ctx, &rec);
	record_reset(r);
}

static void on_record(int c, void *data)
{
	struct csv_reader *r = data;

	(void)c;
	emit(r);
}

static void emit_malformed(struct csv_reader *r, const char *reason)
{
	record_reset(r);
	r->error = reason;
	emit(r);
}

size_t csv_bom_length(const char *buf, size_t len)
{
	if (len >= 3 && (unsigned char)buf[0] == 0xEF && (unsigned char)buf[1] == 0xBB &&
	    (unsigned char)buf[2] == 0xBF)
		return 3;
	return 0;
}

int csv_reader_feed(struct csv_reader *r, const char *buf, size_t len)
{
	if (!r->bom_checked && len > 0) {
		size_t bom = csv_bom_length(buf, len);

		buf += bom;
		len -= bom;
		r->bom_checked = 1;
	}
	while (len > 0 && !r->stop) {
		const char *nl = memchr(buf, '\n', len);
		size_t seg = nl ? (size_t)(nl - buf) + 1 : len;

		if (r->skip_line) {
			if (nl) {
				r->skip_line = 0;
				r->lines_done++;
			}
			buf += seg;
			len -= seg;
			continue;
		}
		if (r->parser.pstate == LIBCSV_ROW_NOT_BEGUN)
			r->record_line = r->lines_done + 1;
		if (csv_parse(&r->parser, buf, seg, on_field, on_record, r) < seg) {
			/* The only failure without CSV_STRICT is a field over the cap. */
			csv_free(&r->parser);
			parser_setup(r, csv_get_delim(&r->parser));
			emit_malformed(r, "field longer than 1 MiB (an unbalanced quote?); "
				"the rest of this line is skipped");
			if (!nl)
				r->skip_line = 1;
		}
		if (nl)
			r->lines_done++;
		buf += seg;
		len -= seg;
	}
	return r->stop;
}

int csv_reader_finish(struct csv_reader *r)
{
	if (r->stop)
		return r->stop;
	/* libcsv reports an unclosed quote only in strict mode, which would also refuse a
	 * stray quote inside an unquoted value (5" screen): check its state instead. */
	if (r->parser.pstate == LIBCSV_FIELD_BEGUN && r->parser.quoted)
		emit_malformed(r, "quoted field not closed: the quote opened here runs to the end of the file");
	else
		csv_fini(&r->parser, on_field, on_record, r);
	return r->stop;
}

char csv_detect_delimiter(const char *buf, size_t len)
{
	size_t comma = 0, semi = 0, tab = 0;
	int quoted = 0;

	for (size_t i = csv_bom_length(buf, len); i < len; i++) {
		char c = buf[i];

		if (c == '"')
			quoted = !quoted;
		else if (quoted)
			continue;
		else if (c == '\n')
			break;
		else if (c == ',')
			comma++;
		else if (c == ';')
			semi++;
		else if (c == '\t')
			tab++;
	}
	if (semi > comma && semi >= tab)
		return ';';
	if (tab > comma && tab > semi)
		return '\t';
	return ',';
}

bool csv_needs_neutral(const char *cell)
{
	const char *p = cell;

	if (!cell || !cell[0] || !strchr("=+-@\t\r", cell[0]))
		return false;
	if (*p == '+' || *p == '-')
		p++;
	if (!*p)
		return true;
	return strspn(p, "0123456789 .,") != strlen(p) || strspn(p, "0123456789") == 0;
}

const char *csv_unneutral(const char *cell)
{
	return cell && cell[0] == '\'' && cell[1] && strchr("=+-@\t\r", cell[1]) ? cell + 1 : cell;
}
