#ifndef TP_IMPORT_H
#define TP_IMPORT_H
/*
 * Prospect file import, without I/O: bytes in (importer_feed), validated prospects out
 * (to a sink the caller provides, usually the store inside one transaction).
 *
 * The first record is the header; its columns are recognised by wording or through a
 * mapping (core/fields.h). Every later record becomes a prospect or a rejection with
 * its physical line and field (core/csv.h gives the line). The importer owns nothing the
 * sink must free; a prospect's strings are valid only during the sink call.
 */
#include <stdbool.h>
#include <stddef.h>

#include "core/csv.h"
#include "core/error.h"
#include "core/fields.h"
#include "core/phone.h"

struct prospect {
	long line;
	const char *field[F_COUNT];  /* UTF-8, trimmed, "" when absent; phone/mobile raw */
	char phone[PHONE_E164_MAX];  /* E.164 or "" */
	char mobile[PHONE_E164_MAX]; /* E.164 or "" */
	const char *lead_phone;      /* the number the campaign calls: phone, else mobile */
	int64_t consent_at;          /* the consent's day (UTC midnight), 0 when the row has none */
	size_t nqual;
	const char **qual_key;       /* qualification values from unknown columns */
	const char **qual_value;
};

enum import_verdict {
	IMPORT_ADDED = 0,
	IMPORT_DUPLICATE = 1,
	IMPORT_PENDING = 2,          /* taken; added or duplicate is known at commit (bulk) */
	IMPORT_REFUSED = 3,          /* turned away by the store (a contact of another campaign
	                                with --existing reject), said after the commit */
};

struct import_sink {
	void *ctx;
	/* Stores p; returns IMPORT_ADDED, IMPORT_DUPLICATE, or a negative tp_status (err set)
	 * that stops the import. */
	int (*prospect)(void *ctx, const struct prospect *p, struct tp_error *err);
	/* Told of each rejected row (err->file, line, field, reason set). May be NULL. */
	void (*reject)(void *ctx, const struct tp_error *err);
	/* Told of each row kept with a remark (a country and a postcode that disagree, a
	 * country Telepro does not know), in the same form. May be NULL. */
	void (*note)(void *ctx, const struct tp_error *err);
};

struct import_opts {
	const char *file;            /* for messages */
	char delimiter;              /* 0: detect from the header line */
	bool latin1;                 /* input is ISO-8859-1, not UTF-8 */
	const struct mapping *mapping; /* may be NULL */
	const char *region;          /* default region for national phone numbers, "FR" */
	/* True when a number belongs to a person erased at their request who asked not to be
	 * called again (docs/PRIVACY.md): the row is rejected. May be NULL. */
	bool (*forgotten)(void *ctx, const char *e164);
	void *forgotten_ctx;
};

struct import_stats {
	long imported;
	long duplicates;
	long rejected;
	long empty;                  /* blank records (every field empty), skipped */
	long pending;                /* taken by a bulk sink: counted at its commit */
	long rows;                   /* data records read */
	long notes;                  /* rows kept with a remark */
};

struct importer {
	struct import_opts opts;
	struct import_sink sink;
	struct import_stats stats;
	struct csv_reader csv;
	bool csv_ready;
	bool header_done;
	size_t ncols;
	int *col_field;              /* per column: enum field_id, F_QUALIFICATION, F_IGNORE */
	char **col_name;             /* per column: header as written (qualification key) */
	struct strbuf conv;          /* latin1 conversion scratch */
	struct tp_error fatal;       /* set when the file is unusable or the sink failed */
};

void importer_init(struct importer *im, const struct import_opts *opts, const struct import_sink *sink);
void importer_release(struct importer *im);

/* Feeds bytes; returns 0, or a negative tp_status with err filled when the import must
 * stop (unusable header, sink failure). */
TP_MUST_USE int importer_feed(struct importer *im, const char *buf, size_t len, struct tp_error *err);
TP_MUST_USE int importer_finish(struct importer *im, struct tp_error *err);

#endif
