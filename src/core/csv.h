#ifndef TP_CSV_H
#define TP_CSV_H
/*
 * A streaming RFC 4180 reader on top of libcsv that knows physical line numbers.
 *
 * The caller feeds bytes in chunks of any size (csv_reader_feed) and finishes with
 * csv_reader_finish; each complete record is handed to the callback with the physical
 * line on which it starts (line 1 is the first line of the input, after any UTF-8 BOM).
 * Quoted fields may hold delimiters, doubled quotes and newlines; LF and CRLF both end
 * records; blank lines are skipped. Memory is bounded: a field over CSV_FIELD_MAX bytes
 * or a record over CSV_FIELDS_MAX fields is handed to the callback as a malformed record
 * (rec->error set) and reading resumes at the next line. The reader owns all record
 * storage; a record is valid only during the callback.
 */
#include <stdbool.h>
#include <stddef.h>
#include <csv.h>

#include "core/error.h"
#include "core/xalloc.h"

#define CSV_FIELD_MAX (1u << 20)
#define CSV_FIELDS_MAX 1024

struct csv_record {
	long line;              /* physical line where the record starts */
	size_t nfields;
	const char **fields;    /* NUL-terminated field values */
	const size_t *lens;     /* their lengths in bytes */
	const char *error;      /* non-NULL: the record is malformed, and why */
};

/* Returns 0 to go on, non-zero to stop reading (the value is returned by feed/finish). */
typedef int (*csv_record_fn)(void *ctx, const struct csv_record *rec);

struct csv_reader {
	struct csv_parser parser;
	csv_record_fn fn;
	void *ctx;
	long lines_done;        /* physical lines completely fed */
	long record_line;
	int in_record;          /* a record has begun and not yet ended */
	int at_line_start;
	int bom_checked;
	int skip_line;          /* after a malformed record: drop bytes up to the next newline */
	int stop;               /* callback's non-zero return */
	const char *error;      /* pending malformed-record reason */
	struct strbuf data;     /* field bytes of the current record, NUL-separated */
	size_t *offsets;
	size_t *lens;
	const char **fields;
	size_t nfields;
	size_t fields_cap;
};

/* Spreadsheet formula injection (OWASP, "CSV Injection"): a cell that a spreadsheet would
 * run as a formula starts with =, +, -, @, a tab or a carriage return. True for such a
 * cell, unless it is a plain number (digits, at most one leading sign, spaces, dots and
 * commas: +33142685300, -12,5), which a spreadsheet reads as a number. A CSV writer
 * puts an apostrophe before it (spreadsheets show the text as written); the prospect
 * import takes the apostrophe back off (csv_unneutral). */
bool csv_needs_neutral(const char *cell);
/* The cell without the apostrophe an export put before it: cell + 1 for "'=..." and the
 * like (whatever csv_needs_neutral(cell + 1) says), else cell. */
const char *csv_unneutral(const char *cell);

void csv_reader_init(struct csv_reader *r, char delimiter, csv_record_fn fn, void *ctx);
void csv_reader_release(struct csv_reader *r);

/* Feeds len bytes. Returns 0, or the callback's non-zero value that stopped reading. */
int csv_reader_feed(struct csv_reader *r, const char *buf, size_t len);

/* Ends the input: hands over a last record without a final newline, and reports an
 * unterminated quoted field as a malformed record. Same return as csv_reader_feed. */
int csv_reader_finish(struct csv_reader *r);

/* Guesses the delimiter (',', ';' or '\t') from the first record of buf: the one that
 * occurs most often outside quotes; ',' when none occurs. */
char csv_detect_delimiter(const char *buf, size_t len);

/* Length of a UTF-8 byte-order mark at the start of buf (0 or 3). */
size_t csv_bom_length(const char *buf, size_t len);

#endif
