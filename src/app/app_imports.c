/*
 * Imports: prospect files, opposition lists and call histories, fed in chunks (a file
 * read by the CLI, an upload on the server), each one transaction committed by finish.
 * A bad row is reported through on_reject and skipped; the good rows are kept.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sodium.h>

#include "app/app_import_int.h"
#include "app/prospect_writer.h"
#include "core/callmap.h"
#include "core/phone.h"
#include "core/privacy.h"
#include "core/date.h"
#include "core/rules.h"
#include "core/appointment.h"
#include "core/calling.h"
#include "core/import.h"
#include "core/tz.h"
#include "core/utf8.h"
#include "core/xalloc.h"

/* Prospects ------------------------------------------------------------------------------ */

/* On the writer's thread (app/prospect_writer.h), which alone uses the store meanwhile. */
static int store_prospect(void *ctx, const struct prospect *p, struct tp_error *err)
{
	struct app_import *im = ctx;
	int rc = store_import_prospect(im->imp, p, err);

	/* The consumer's consent goes with the file, in its transaction (known ones are kept). */
	if (rc >= 0 && p->consent_at) {
		int crc = store_consent_add(im->a->store, &im->who, p->lead_phone, p->consent_at, p->field[F_CONSENT_SOURCE],
			p->field[F_CONSENT_WORDING][0] ? p->field[F_CONSENT_WORDING] : NULL, err);

		if (crc < 0)
			return crc;
	}
	return rc;
}

static int sink_prospect(void *ctx, const struct prospect *p, struct tp_error *err)
{
	struct app_import *im = ctx;

	if (app__import_cancelled(im))
		return tp_error_set(err, TP_ERR, "interrupted: nothing was imported");
	return pw_add(&im->writer, p, err);
}

static void sink_reject(void *ctx, const struct tp_error *e)
{
	struct app_import *im = ctx;

	if (im->o.on_reject)
		im->o.on_reject(im->o.arg, e);
}

/* A row that found a contact of another campaign, said as a note on its phone (the store
 * says it after its commit, on this thread). */
static void merge_note(void *ctx, long line, bool refused, const struct tp_error *said, long rows)
{
	struct app_import *im = ctx;
	struct tp_error e = *said;

	/* The store's message, placed: the file, the row's line, its phone. */
	e.code = refused ? TP_EUSAGE : TP_OK;
	snprintf(e.file, sizeof(e.file), "%s", im->o.file ? im->o.file : "");
	e.line = line;
	snprintf(e.field, sizeof(e.field), "phone");
	if (refused) {
		if (im->o.on_reject)   /* counted with the import's rejections (store_import_commit) */
			im->o.on_reject(im->o.arg, &e);
		return;
	}
	im->merges += rows;
	if (im->o.on_note)
		im->o.on_note(im->o.arg, &e);
}

static void sink_note(void *ctx, const struct tp_error *e)
{
	struct app_import *im = ctx;

	if (im->o.on_note)
		im->o.on_note(im->o.arg, e);
}

/* The erased people who asked not to be called again (docs/PRIVACY.md): their numbers'
 * hashes, read once, looked up for each row's numbers. */
static int keep_forgotten(void *ctx, const char *hash)
{
	struct app_import *im = ctx;

	if (strlen(hash) != PRIVACY_HASH_MAX - 1)
		return 0;
	if (im->nforgotten == im->forgotten_cap) {
		im->forgotten_cap = im->forgotten_cap ? 2 * im->forgotten_cap : 64;
		im->forgotten = xrealloc(im->forgotten, im->forgotten_cap * sizeof(*im->forgotten));
	}
	memcpy(im->forgotten[im->nforgotten++], hash, PRIVACY_HASH_MAX);
	return 0;
}

static int by_hash(const void *a, const void *b)
{
	return strcmp(a, b);
}

static int forgotten_load(struct app_import *im, struct tp_error *err)
{
	int rc = store_privacy_key(im->a->store, NULL, im->key, err);

	if (rc)
		return rc < 0 ? rc : 0;   /* no key: nobody was erased that way */
	if ((rc = store_forgotten(im->a->store, keep_forgotten, im, err)))
		return rc;
	qsort(im->forgotten, im->nforgotten, sizeof(*im->forgotten), by_hash);
	return 0;
}

static bool is_forgotten(void *ctx, const char *e164)
{
	struct app_import *im = ctx;
	char hash[PRIVACY_HASH_MAX];

	privacy_number_hash(im->key, e164, hash);
	return bsearch(hash, im->forgotten, im->nforgotten, sizeof(*im->forgotten), by_hash) != NULL;
}

/* Opposition lists ----------------------------------------------------------------------- */

static int dnc_number(struct app_import *im, long line, const char *text)
{
	char e164[PHONE_E164_MAX], why_text[128];
	const char *why = "not a phone number";
	int rc;

	switch (phone_normalize(text, strlen(text), im->o.region, e164, &why)) {
	case PHONE_EMPTY:
		return 0;
	case PHONE_INVALID:
		snprintf(why_text, sizeof(why_text), "'%.40s': %s", text, why);
		app__import_reject(im, line, "phone", why_text);
		return 0;
	}
	if ((rc = store_opposition_add(im->a->store, e164, im->o.source, im->who.at, &im->fatal)) < 0)
		return rc;
	if (rc == 0)
		im->added++;
	else
		im->duplicates++;
	return 0;
}

static int dnc_record(void *ctx, const struct csv_record *rec)
{
	struct app_import *im = ctx;

	if (app__import_cancelled(im))
		return tp_error_set(&im->fatal, TP_ERR, "interrupted: nothing was imported");
	if (rec->error) {
		app__import_reject(im, rec->line, "phone", rec->error);
		return 0;
	}
	if (!im->header_done) {
		im->header_done = true;
		for (size_t i = 0; i < rec->nfields; i++) {
			int id = field_from_header(rec->fields[i]);

			if (id == F_PHONE || id == F_MOBILE) {
				im->column = i;
				return 0;
			}
		}
		if (rec->nfields != 1)
			return tp_error_at(&im->fatal, TP_EUSAGE, im->o.file, rec->line, "header",
				"no phone column: give one number a line, or a CSV file with a 'téléphone' "
				"or 'phone' column");
		im->column = 0;
		/* A bare list: its first line is a number, unless it is a word such as "numéro". */
		if (phone_normalize(rec->fields[0], rec->lens[0], im->o.region, (char[PHONE_E164_MAX]){0}, NULL) ==
		    PHONE_OK) {
			im->rows++;
			return dnc_number(im, rec->line, rec->fields[0]);
		}
		return 0;
	}
	im->rows++;
	if (im->column >= rec->nfields) {
		app__import_reject(im, rec->line, "phone", "the row has no value in the phone column");
		return 0;
	}
	return dnc_number(im, rec->line, rec->fields[im->column]);
}

/* The import ---------------------------------------------------------------------------- */

static void import_free(struct app_import *im)
{
	if (im->writer_ready)
		pw_release(&im->writer);
	campaign_release(&im->row_c);
	if (im->importer_ready)
		importer_release(&im->im);
	mapping_release(&im->mapping);
	if (im->map_ready)
		callmap_release(&im->map);
	if (im->csv_ready)
		csv_reader_release(&im->csv);
	app__calls_release(im);
	campaign_release(&im->c);
	free(im->forgotten);
	sodium_memzero(im->key, sizeof(im->key));
	free(im);
}

struct app_import *app_import_begin(struct app *a, const struct app_import_opts *o, struct tp_error *err)
{
	struct app_import *im;
	enum store_existing existing = !o->existing || !strcmp(o->existing, "keep") ? STORE_EXISTING_KEEP
		: !strcmp(o->existing, "update") ? STORE_EXISTING_UPDATE : STORE_EXISTING_REJECT;
	int rc;

	if (app_require(a, APP_MANAGER | APP_ADMIN, "import", err))
		return NULL;
	if (o->kind == APP_IMPORT_DNC && (!o->source || (strcmp(o->source, "internal") && strcmp(o->source, "bloctel") &&
	    strcmp(o->source, "other")))) {
		tp_error_at(err, TP_EUSAGE, NULL, 0, "source", "internal, bloctel or other");
		return NULL;
	}
	if (o->existing && strcmp(o->existing, "keep") && strcmp(o->existing, "update") && strcmp(o->existing, "reject")) {
		tp_error_at(err, TP_EUSAGE, NULL, 0, "existing", "'%s': keep, update or reject", o->existing);
		return NULL;
	}
	if (o->kind == APP_IMPORT_CALLS && !o->mapping_text) {
		tp_error_at(err, TP_EUSAGE, NULL, 0, "mapping", "a call history needs a mapping file");
		return NULL;
	}
	im = xcalloc(1, sizeof(*im));
	im->a = a;
	im->o = *o;
	if (!im->o.region)
		im->o.region = "FR";
	im->who = app_who(a);
	campaign_init(&im->c);
	mapping_init(&im->mapping);
	tp_error_clear(&im->fatal);
	rc = 0;
	if (o->kind == APP_IMPORT_PROSPECTS && o->mapping_text)
		rc = mapping_parse(&im->mapping, o->mapping_file, o->mapping_text, o->mapping_len, err);
	if (rc == 0 && o->kind == APP_IMPORT_CALLS) {
		rc = callmap_parse(&im->map, o->mapping_file, o->mapping_text, o->mapping_len, err);
		im->map_ready = rc == 0;
		app__calls_start(im);
	}
	if (rc == 0 && o->kind != APP_IMPORT_DNC)
		rc = store_campaign_settings(a->store, o->campaign ? o->campaign : "", &im->c, err);
	im->screened_at = im->who.at;
	if (rc == 0 && o->screened) {
		int day;

		if (o->kind != APP_IMPORT_DNC || strcmp(o->source, "bloctel") != 0)
			rc = tp_error_at(err, TP_EUSAGE, NULL, 0, "screened", "the day of a Bloctel list (--source bloctel)");
		else if ((rc = date_parse_day(o->screened, "screened", &day, err)) == 0) {
			im->screened_at = tz_day_number(day) * 86400;
			if (im->screened_at > im->who.at)
				rc = tp_error_at(err, TP_EUSAGE, NULL, 0, "screened", "'%s' is in the future", o->screened);
		}
	}
	if (rc == 0 && o->kind == APP_IMPORT_PROSPECTS)
		rc = forgotten_load(im, err);
	if (rc == 0 && o->kind == APP_IMPORT_PROSPECTS) {
		struct import_opts iopts = {o->file, o->delimiter, o->latin1, o->mapping_text ? &im->mapping : NULL,
			im->c.region ? im->c.region : "FR", im->nforgotten ? is_forgotten : NULL, im};
		struct import_sink sink = {im, sink_prospect, sink_reject, sink_note};

		if (!(im->imp = store_import_begin(a->store, &im->who, im->c.id,
			im->c.audience && strcmp(im->c.audience, "b2c") == 0, err))) {
			rc = err->code;
		} else if ((rc = pw_start(&im->writer, store_prospect, im, err))) {
			im->writer_ready = true;    /* what it set up is freed with im */
			store_import_abort(im->imp);
		} else {
			im->writer_ready = true;
			store_import_cancel_on(im->imp, o->cancel);
			store_import_on_merge(im->imp, merge_note, im);
			store_import_existing(im->imp, existing);
			importer_init(&im->im, &iopts, &sink);
			im->importer_ready = true;
		}
	} else if (rc == 0) {
		/* All-or-nothing: one bulk transaction (store.h). */
		rc = store_begin_bulk(a->store, err);
	}
	if (rc) {
		import_free(im);
		return NULL;
	}
	return im;
}

int app_import_feed(struct app_import *im, const char *buf, size_t len, struct tp_error *err)
{
	int rc;

	if (app__import_cancelled(im))
		return tp_error_set(err, TP_ERR, "interrupted: nothing was imported");
	if (im->o.kind == APP_IMPORT_PROSPECTS)
		return importer_feed(&im->im, buf, len, err);
	if (!im->csv_ready) {
		csv_reader_init(&im->csv, csv_detect_delimiter(buf, len),
			im->o.kind == APP_IMPORT_DNC ? dnc_record : app__calls_record, im);
		im->csv_ready = true;
	}
	if ((rc = csv_reader_feed(&im->csv, buf, len))) {
		*err = im->fatal;
		return rc;
	}
	return 0;
}

long app_import_rows(const struct app_import *im)
{
	return im->o.kind == APP_IMPORT_PROSPECTS ? im->im.stats.rows : im->rows;
}

void app_import_abort(struct app_import *im)
{
	if (!im)
		return;
	if (im->o.kind == APP_IMPORT_PROSPECTS) {
		pw_release(&im->writer);
		im->writer_ready = false;
		store_import_abort(im->imp);
	} else {
		store_rollback(im->a->store);
	}
	import_free(im);
}

int app_import_finish(struct app_import *im, struct app_import_result *res, struct tp_error *err)
{
	struct store *s = im->a->store;
	int rc = 0;

	memset(res, 0, sizeof(*res));
	if (im->o.kind == APP_IMPORT_PROSPECTS) {
		struct import_stats *st = &im->im.stats;

		if ((rc = importer_finish(&im->im, err)) == 0)
			rc = pw_finish(&im->writer, err);
		pw_release(&im->writer);
		im->writer_ready = false;
		if (rc == 0 && app__import_cancelled(im))
			rc = tp_error_set(err, TP_ERR, "interrupted: nothing was imported");
		/* The writer's verdicts (the bulk path leaves them to its commit). */
		st->imported += im->writer.added;
		st->duplicates += im->writer.duplicates;
		st->rejected += im->writer.refused;
		st->pending = im->writer.pending;
		if (rc == 0)
			rc = store_import_commit(im->imp, im->o.file, st, err);
		else
			store_import_abort(im->imp);
		im->rows = im->im.stats.rows;
		im->added = im->im.stats.imported;
		im->duplicates = im->im.stats.duplicates;
		im->rejected = im->im.stats.rejected;
		im->notes = im->im.stats.notes + im->merges;
	} else {
		if (im->csv_ready && (rc = csv_reader_finish(&im->csv)))
			*err = im->fatal;
		if (rc == 0 && im->npending && (rc = app__calls_flush(im)))
			*err = im->fatal;
		if (rc == 0 && im->o.kind == APP_IMPORT_CALLS && !im->header_done)
			rc = tp_error_at(err, TP_EUSAGE, im->o.file, 0, NULL,
				"the file is empty: a call history starts with a header line");
		if (rc == 0 && app__import_cancelled(im))
			rc = tp_error_set(err, TP_ERR, "interrupted: nothing was imported");
		/* A Bloctel list is a screening of the files: the rules of the trade want one at
		 * most 30 days old (docs/RULES.md). */
		if (rc == 0 && im->o.kind == APP_IMPORT_DNC && strcmp(im->o.source, "bloctel") == 0)
			rc = store_screening_add(s, "bloctel", im->screened_at, im->rows, im->who.at, err);
		if (rc == 0)
			rc = store_audit(s, &im->who, im->o.kind == APP_IMPORT_DNC ? "import.dnc" : "import.calls",
				im->o.kind == APP_IMPORT_DNC ? "opposition" : "campaign", im->c.id, im->o.kind == APP_IMPORT_DNC ?
				im->o.source : im->o.file, err);
		if (rc == 0)
			rc = store_commit(s, err);
		if (rc)
			store_rollback(s);
	}
	if (rc == 0) {
		res->rows = im->rows;
		res->added = im->added;
		res->duplicates = im->duplicates;
		res->rejected = im->rejected;
		res->notes = im->notes;
		snprintf(res->campaign, sizeof(res->campaign), "%s", im->c.name ? im->c.name : "");
	}
	import_free(im);
	return rc;
}

