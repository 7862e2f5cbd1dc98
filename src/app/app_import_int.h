#ifndef TP_APP_IMPORT_INT_H
#define TP_APP_IMPORT_INT_H
/*
 * What the import's driver (app_imports.c: prospect files, opposition lists, the chunks
 * fed and the commit) and the call histories (app_import_calls.c) share.
 */
#include "app/app_int.h"
#include "app/prospect_writer.h"
#include "core/callmap.h"
#include "core/csv.h"
#include "core/import.h"
#include "core/privacy.h"

struct pending_call;

/* The identities of the call-history rows read so far: a row's identity is a hash of its
 * content and how many identical rows came before it in the file. */
struct row_seen {
	uint64_t *keys;             /* 0: empty slot */
	uint32_t *counts;
	size_t cap, n;
};

struct app_import {
	struct app *a;
	struct app_import_opts o;
	struct store_who who;
	int64_t screened_at;        /* dnc from bloctel */
	struct campaign c;
	struct tp_error fatal;
	long rows, added, duplicates, rejected, notes;
	/* prospects */
	struct mapping mapping;
	struct importer im;
	bool importer_ready;
	struct store_import *imp;
	struct prospect_writer writer;
	bool writer_ready;
	/* the erased numbers' hashes (sorted) and the key they are made with */
	char (*forgotten)[PRIVACY_HASH_MAX];
	size_t nforgotten, forgotten_cap;
	unsigned char key[PRIVACY_KEY_BYTES];
	/* dnc and calls */
	struct csv_reader csv;
	bool csv_ready, header_done;
	size_t column, ncols;
	/* calls */
	struct callmap map;
	bool map_ready;
	int col_target[CSV_FIELDS_MAX];
	const char *col_key[CSV_FIELDS_MAX];    /* qualify.KEY columns: KEY (owned by the mapping) */
	struct campaign row_c;      /* the campaign a row names (campaign column), kept for the next rows */
	struct {                    /* the script variants rows named, with their latest version */
		int64_t campaign_id, latest;
		char name[20];
	} scripts[16];
	int nscripts;
	int year_state, last_month;
	struct row_seen seen;
	long merges;                /* rows that found a contact of another campaign */
	struct pending_call *pending;   /* the batch read, not stored yet (CALLS_BATCH rows) */
	size_t npending;
};

static inline bool app__import_cancelled(const struct app_import *im)
{
	return im->o.cancel && *im->o.cancel;
}

static inline void app__import_reject(struct app_import *im, long line, const char *field, const char *reason)
{
	struct tp_error e;

	tp_error_clear(&e);
	tp_error_at(&e, TP_EUSAGE, im->o.file, line, field, "%s", reason);
	im->rejected++;
	if (im->o.on_reject)
		im->o.on_reject(im->o.arg, &e);
}

/* Call histories (app_import_calls.c): the batch made ready, each CSV record read (the
 * reader's callback: the header, then the rows, stored a batch at a time), the last batch
 * stored, and what they hold released. */
void app__calls_start(struct app_import *im);
int app__calls_record(void *ctx, const struct csv_record *rec);
TP_MUST_USE int app__calls_flush(struct app_import *im);
void app__calls_release(struct app_import *im);

#endif
