/*
 * Imports: prospect files, opposition lists and call histories, fed in chunks (a file
 * read by the CLI, an upload on the server), each one transaction committed by finish.
 * A bad row is reported through on_reject and skipped; the good rows are kept.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sodium.h>

#include "app/app_int.h"
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
	int year_state, last_month;
	struct row_seen seen;
	long merges;                /* rows that found a contact of another campaign */
	struct pending_call *pending;   /* the batch read, not stored yet (CALLS_BATCH rows) */
	size_t npending;
};

static bool cancelled(const struct app_import *im)
{
	return im->o.cancel && *im->o.cancel;
}

static void reject(struct app_import *im, long line, const char *field, const char *reason)
{
	struct tp_error e;

	tp_error_clear(&e);
	tp_error_at(&e, TP_EUSAGE, im->o.file, line, field, "%s", reason);
	im->rejected++;
	if (im->o.on_reject)
		im->o.on_reject(im->o.arg, &e);
}

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

	if (cancelled(im))
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
		reject(im, line, "phone", why_text);
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

	if (cancelled(im))
		return tp_error_set(&im->fatal, TP_ERR, "interrupted: nothing was imported");
	if (rec->error) {
		reject(im, rec->line, "phone", rec->error);
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
		reject(im, rec->line, "phone", "the row has no value in the phone column");
		return 0;
	}
	return dnc_number(im, rec->line, rec->fields[im->column]);
}

/* Call histories ------------------------------------------------------------------------- */

static uint64_t row_hash(const struct csv_record *rec)
{
	crypto_generichash_state st;
	unsigned char out[8];
	uint64_t h = 0;

	crypto_generichash_init(&st, NULL, 0, sizeof(out));
	for (size_t i = 0; i < rec->nfields; i++) {
		const char *f = rec->fields[i];
		size_t len = rec->lens[i];

		/* Normalised: surrounding blanks do not make another call. */
		while (len && (*f == ' ' || *f == '\t'))
			f++, len--;
		while (len && (f[len - 1] == ' ' || f[len - 1] == '\t'))
			len--;
		crypto_generichash_update(&st, (const unsigned char *)f, len);
		crypto_generichash_update(&st, (const unsigned char *)"\x1f", 1);
	}
	crypto_generichash_final(&st, out, sizeof(out));
	for (int i = 0; i < 8; i++)
		h = h << 8 | out[i];
	return h ? h : 1;
}

/* How many rows with this hash came before in the file (and counts this one). */
static uint32_t row_occurrence(struct row_seen *s, uint64_t h)
{
	size_t i;

	if (s->n * 2 >= s->cap) {
		struct row_seen bigger = {NULL, NULL, s->cap ? s->cap * 2 : 4096, s->n};

		bigger.keys = xcalloc(bigger.cap, sizeof(*bigger.keys));
		bigger.counts = xcalloc(bigger.cap, sizeof(*bigger.counts));
		for (size_t k = 0; k < s->cap; k++) {
			if (!s->keys[k])
				continue;
			for (i = s->keys[k] & (bigger.cap - 1); bigger.keys[i]; i = (i + 1) & (bigger.cap - 1))
				;
			bigger.keys[i] = s->keys[k];
			bigger.counts[i] = s->counts[k];
		}
		free(s->keys);
		free(s->counts);
		*s = bigger;
	}
	for (i = h & (s->cap - 1); s->keys[i] && s->keys[i] != h; i = (i + 1) & (s->cap - 1))
		;
	if (!s->keys[i]) {
		s->keys[i] = h;
		s->n++;
	}
	return s->counts[i]++;
}

static int calls_header(struct app_import *im, const struct csv_record *rec)
{
	if (rec->error)
		return tp_error_at(&im->fatal, TP_EUSAGE, im->o.file, rec->line, "header", "%s", rec->error);
	/* The whole mapping is checked against the header before a row is read: a broken
	 * mapping is one message, not one per row. */
	if (callmap_check(&im->map, im->o.file, (const char *const *)rec->fields, rec->nfields, &im->fatal))
		return im->fatal.code;
	im->ncols = rec->nfields;
	for (size_t i = 0; i < rec->nfields; i++)
		im->col_target[i] = callmap_column(&im->map, rec->fields[i], &im->col_key[i]);
	im->header_done = true;
	return 0;
}

/* A row's field at fault, as the file names it: "mois (month)", or "[fixed] year". */
static void calls_field(const struct app_import *im, const char *target, char *buf, size_t size)
{
	int t = -1;
	const char *column;

	for (int i = 0; i < CM_COUNT && t < 0; i++)
		if (strcmp(callmap_target_name(i), target) == 0)
			t = i;
	if (t < 0) {
		snprintf(buf, size, "%s", target);
	} else if ((column = callmap_column_name(&im->map, t))) {
		if (strcmp(column, target) == 0)
			snprintf(buf, size, "%s", target);
		else
			snprintf(buf, size, "%s (%s)", column, target);
	} else if (im->map.fixed[t]) {
		snprintf(buf, size, "[fixed] %s", target);
	} else {
		snprintf(buf, size, "%s", target);
	}
}

/* A history row read and checked, waiting in its batch to be stored (calls_flush): the
 * rows of a batch are looked up in one query (store_calls_known), not one each. Its
 * strings are copies in mem; a rejected row keeps its reason, reported in file order. */
struct pending_call {
	long line;
	char *field, *reason;               /* rejected: the field at fault and why */
	struct call_input in;
	const char **qkeys, **qvalues;      /* in mem */
	const char *appt_status, *appt_result;
	int relevant;
	int64_t cents;
	bool appt_values;                   /* the row says what sales made of its appointment */
	char key[64];
	char phone[PHONE_E164_MAX];         /* its lead's number, "" when the row gives none */
	char *mem;
};

#define CALLS_BATCH 256

static void pending_clear(struct app_import *im)
{
	for (size_t i = 0; i < im->npending; i++) {
		free(im->pending[i].field);
		free(im->pending[i].reason);
		free(im->pending[i].mem);
	}
	im->npending = 0;
}

static struct pending_call *pending_next(struct app_import *im, long line)
{
	struct pending_call *p = &im->pending[im->npending++];

	memset(p, 0, sizeof(*p));
	p->line = line;
	return p;
}

static void pending_reject(struct pending_call *p, const char *field, const char *reason)
{
	p->field = xstrdup(field ? field : "");
	p->reason = xstrdup(reason);
}

static void calls_reject(const struct app_import *im, struct pending_call *p, const char *target, const char *reason)
{
	char field[160];

	calls_field(im, target, field, sizeof(field));
	pending_reject(p, field, reason);
}

/* Copies the row's strings into p->mem and points p's fields at them. */
static void pending_keep(struct pending_call *p, const struct call_parts *parts, const char *const *qkeys,
	const char *const *qvalues)
{
	const char *strs[] = {p->in.agent, p->in.result, p->in.outcome, p->in.note, parts->appointment_status,
		parts->appointment_result};
	const char **dst[] = {&p->in.agent, &p->in.result, &p->in.outcome, &p->in.note, &p->appt_status,
		&p->appt_result};
	size_t size = 2 * p->in.nqual * sizeof(char *), off;

	for (size_t i = 0; i < sizeof(strs) / sizeof(strs[0]); i++)
		size += strs[i] ? strlen(strs[i]) + 1 : 0;
	for (size_t i = 0; i < p->in.nqual; i++)
		size += strlen(qvalues[i]) + 1;
	p->mem = xmalloc(size ? size : 1);
	p->qkeys = (const char **)(void *)p->mem;
	p->qvalues = p->qkeys + p->in.nqual;
	off = 2 * p->in.nqual * sizeof(char *);
	for (size_t i = 0; i < sizeof(strs) / sizeof(strs[0]); i++) {
		*dst[i] = NULL;
		if (strs[i]) {
			size_t len = strlen(strs[i]) + 1;

			memcpy(p->mem + off, strs[i], len);
			*dst[i] = p->mem + off;
			off += len;
		}
	}
	for (size_t i = 0; i < p->in.nqual; i++) {
		size_t len = strlen(qvalues[i]) + 1;

		p->qkeys[i] = qkeys[i];             /* the mapping's own */
		memcpy(p->mem + off, qvalues[i], len);
		p->qvalues[i] = p->mem + off;
		off += len;
	}
	p->in.qual_key = p->qkeys;
	p->in.qual_value = p->qvalues;
	p->in.idempotency_key = p->key;
}

/* The leads of the batch's rows that give a number, a query per campaign (the file's,
 * and any a row names) and 63 numbers. */
static int calls_leads(struct app_import *im)
{
	const char *phones[CALLS_BATCH];
	int64_t ids[CALLS_BATCH], campaign;
	size_t rows[CALLS_BATCH], n;
	bool done[CALLS_BATCH] = {false};
	int rc = 0;

	for (size_t first = 0; first < im->npending && rc == 0; first++) {
		if (done[first] || im->pending[first].reason || !im->pending[first].phone[0])
			continue;
		campaign = im->pending[first].in.campaign_id;
		n = 0;
		for (size_t i = first; i < im->npending; i++) {
			struct pending_call *p = &im->pending[i];

			if (!done[i] && !p->reason && p->phone[0] && p->in.campaign_id == campaign) {
				done[i] = true;
				rows[n] = i;
				phones[n++] = p->phone;
			}
		}
		rc = store_leads_by_phone(im->a->store, campaign, phones, n, ids, &im->fatal);
		for (size_t k = 0; k < n && rc == 0; k++)
			im->pending[rows[k]].in.lead_id = ids[k];
	}
	return rc;
}

/* Stores the batch's rows in file order: the ones already imported (by an earlier run of
 * this file, or of one that shares rows with it) are counted as duplicates. */
static int calls_flush(struct app_import *im)
{
	const char *keys[CALLS_BATCH];
	bool known[CALLS_BATCH];
	size_t nkeys = 0;
	int rc = 0;

	for (size_t i = 0; i < im->npending; i++)
		if (!im->pending[i].reason)
			keys[nkeys++] = im->pending[i].key;
	if ((rc = store_calls_known(im->a->store, keys, nkeys, known, &im->fatal)) || (rc = calls_leads(im))) {
		pending_clear(im);
		return rc;
	}
	nkeys = 0;
	for (size_t i = 0; i < im->npending && rc == 0; i++) {
		struct pending_call *p = &im->pending[i];
		struct tp_error e;
		int64_t call_id, appointment_id;
		bool replayed;

		if (p->reason) {
			reject(im, p->line, p->field, p->reason);
			continue;
		}
		tp_error_clear(&e);
		p->in.key_new = !known[nkeys++];
		rc = store_call_log(im->a->store, &p->in, &call_id, &appointment_id, &replayed, &e);
		if (rc == TP_EUSAGE || rc == TP_ENOTFOUND) {
			char field[160];

			calls_field(im, e.field, field, sizeof(field));
			reject(im, p->line, field, e.reason);
			rc = 0;
			continue;
		}
		if (rc == 0 && !replayed && p->appt_values) {
			rc = !appointment_id ? tp_error_at(&e, TP_ERR, im->o.file, p->line, "appointment_at",
				"the call made no appointment to give a result to") : store_appointment_result(im->a->store,
				&im->who, appointment_id, p->appt_status, p->relevant, p->appt_result, p->cents, &e);
		}
		if (rc) {
			im->fatal = e;
			break;
		}
		if (replayed)
			im->duplicates++;
		else
			im->added++;
	}
	pending_clear(im);
	return rc;
}

/* Reads and checks a history row into p (rejected there with its reason); a store error
 * is im->fatal's. */
static int calls_read(struct app_import *im, const struct csv_record *rec, struct pending_call *p)
{
	struct call_row row = {{0}};
	struct call_parts parts;
	struct tp_error e;
	const struct campaign *c = &im->c;
	const char *qkeys[CSV_FIELDS_MAX], *qvalues[CSV_FIELDS_MAX];
	struct call_input *in = &p->in;
	int64_t agent_id;
	int rc;

	tp_error_clear(&e);
	if (rec->error) {
		pending_reject(p, "record", rec->error);
		return 0;
	}
	if (rec->nfields != im->ncols) {
		char why[96];

		snprintf(why, sizeof(why), "%zu fields where the header has %zu", rec->nfields, im->ncols);
		pending_reject(p, "record", why);
		return 0;
	}
	for (size_t i = 0; i < rec->nfields; i++) {
		if (!utf8_valid(rec->fields[i], rec->lens[i])) {
			pending_reject(p, "record", "invalid UTF-8");
			return 0;
		}
		if (im->col_target[i] >= 0 && im->col_target[i] != CM_IGNORE)
			row.v[im->col_target[i]] = rec->fields[i];
	}
	if (callmap_row(&im->map, &row, &im->year_state, &im->last_month, &parts, &e)) {
		calls_reject(im, p, e.field, e.reason);
		return 0;
	}
	/* Known already, mostly: the bulk transaction keeps the agents it met. */
	if ((rc = store_user_ensure_agent(im->a->store, &im->who, parts.agent, &agent_id, &im->fatal)))
		return rc;
	/* A row may name its campaign; the file's is the default. */
	if (parts.campaign && strcmp(parts.campaign, im->c.name) != 0) {
		if (!im->row_c.name || strcmp(im->row_c.name, parts.campaign) != 0) {
			campaign_release(&im->row_c);
			campaign_init(&im->row_c);
			rc = store_campaign_settings(im->a->store, parts.campaign, &im->row_c, &e);
			if (rc == TP_ENOTFOUND) {
				campaign_release(&im->row_c);
				campaign_init(&im->row_c);
				calls_reject(im, p, "campaign", e.reason);
				return 0;
			}
			if (rc) {
				im->fatal = e;
				return rc;
			}
		}
		c = &im->row_c;
	}
	in->agent = parts.agent;
	in->campaign_id = c->id;
	in->result = parts.result;
	in->outcome = call_result_is_conversation(parts.result) ? parts.outcome : NULL;
	in->talk_seconds = parts.talk_seconds;
	in->ring_seconds = parts.ring_seconds;
	in->attempt = parts.attempt;
	in->note = parts.notes;
	/* What the row does not say stays unknown (core/when.h): the start is then only the
	 * order of the calls, at the start of their day or month. */
	in->known = parts.known;
	in->weekday = parts.weekday;
	in->started_at = tz_utc(c->timezone, parts.year, parts.month, parts.day ? parts.day : 1, parts.hour,
		parts.minute, parts.second);
	/* Qualification values of the row (qualify.KEY columns), empty ones left out. */
	for (size_t i = 0; i < rec->nfields; i++) {
		if (im->col_target[i] == CM_QUALIFY && rec->fields[i][0]) {
			qkeys[in->nqual] = im->col_key[i];
			qvalues[in->nqual] = rec->fields[i];
			in->nqual++;
		}
	}
	/* What sales made of the appointment, checked before anything is written. */
	if (parts.appointment_at && tz_parse_local(c->timezone, parts.appointment_at, "appointment_at",
		&in->appointment_at, &e)) {
		calls_reject(im, p, "appointment_at", e.reason);
		return 0;
	}
	if ((parts.appointment_status || parts.appointment_relevant || parts.appointment_result || parts.amount) &&
	    !parts.appointment_at) {
		calls_reject(im, p, "appointment_at", "an appointment's result needs the appointment (its date and time)");
		return 0;
	}
	p->relevant = -1;
	p->cents = -1;
	if (appointment_values(parts.appointment_status, parts.appointment_relevant, parts.appointment_result,
		parts.amount, &p->relevant, &p->cents, &e)) {
		calls_reject(im, p, strcmp(e.field, "status") == 0 ? "appointment_status" : strcmp(e.field, "relevant") == 0
			? "appointment_relevant" : strcmp(e.field, "result") == 0 ? "appointment_result" : e.field, e.reason);
		return 0;
	}
	p->appt_values = parts.appointment_status || p->relevant >= 0 || parts.appointment_result || p->cents >= 0;
	if (parts.phone && *parts.phone) {
		const char *why = "not a phone number";
		char reason[128];

		/* Its lead is looked up with the batch's (calls_leads). */
		if (phone_normalize(parts.phone, strlen(parts.phone), c->region, p->phone, &why) != PHONE_OK) {
			p->phone[0] = '\0';
			snprintf(reason, sizeof(reason), "'%.40s': %s", parts.phone, why);
			calls_reject(im, p, "phone", reason);
			return 0;
		}
	}
	pending_keep(p, &parts, qkeys, qvalues);
	return 0;
}

/* Reads and checks a row; what needs no answer from the store waits in the batch. */
static int calls_record(void *ctx, const struct csv_record *rec)
{
	struct app_import *im = ctx;
	struct pending_call *p;
	int rc;

	if (cancelled(im))
		return tp_error_set(&im->fatal, TP_ERR, "interrupted: nothing was imported");
	if (!im->header_done)
		return calls_header(im, rec);
	im->rows++;
	p = pending_next(im, rec->line);
	if ((rc = calls_read(im, rec, p)) == 0 && !p->reason) {
		uint64_t h = row_hash(rec);

		/* The row's identity is its content: the same file imported again is recognised,
		 * another file of the same name is not mistaken for it. */
		snprintf(p->key, sizeof(p->key), "import:%lld:%016llx:%u", (long long)im->c.id, (unsigned long long)h,
			row_occurrence(&im->seen, h));
		p->in.id_unread = true;
	}
	if (rc) {
		pending_clear(im);
		return rc;
	}
	if (im->npending == CALLS_BATCH)
		return calls_flush(im);
	return 0;
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
	free(im->seen.keys);
	free(im->seen.counts);
	if (im->pending)
		pending_clear(im);
	free(im->pending);
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
		im->pending = xcalloc(CALLS_BATCH, sizeof(*im->pending));
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

	if (cancelled(im))
		return tp_error_set(err, TP_ERR, "interrupted: nothing was imported");
	if (im->o.kind == APP_IMPORT_PROSPECTS)
		return importer_feed(&im->im, buf, len, err);
	if (!im->csv_ready) {
		csv_reader_init(&im->csv, csv_detect_delimiter(buf, len),
			im->o.kind == APP_IMPORT_DNC ? dnc_record : calls_record, im);
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
		if (rc == 0 && cancelled(im))
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
		if (rc == 0 && im->npending && (rc = calls_flush(im)))
			*err = im->fatal;
		if (rc == 0 && im->o.kind == APP_IMPORT_CALLS && !im->header_done)
			rc = tp_error_at(err, TP_EUSAGE, im->o.file, 0, NULL,
				"the file is empty: a call history starts with a header line");
		if (rc == 0 && cancelled(im))
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

int app_export_prospects(struct app *a, const char *campaign,
	void (*keys_fn)(void *ctx, size_t n, const char *const *keys), store_export_fn fn, void *ctx,
	struct tp_error *err)
{
	struct campaign c;
	int rc;

	if ((rc = app_require(a, APP_MANAGER | APP_ADMIN, "export", err)))
		return rc;
	campaign_init(&c);
	if ((rc = store_campaign_settings(a->store, campaign, &c, err)) == 0)
		rc = store_export_prospects(a->store, c.id, keys_fn, fn, ctx, err);
	campaign_release(&c);
	return rc;
}

const int app_export_columns[] = {F_COMPANY, F_LAST_NAME, F_FIRST_NAME, F_CIVILITY, F_ROLE, F_PHONE, F_MOBILE,
	F_EMAIL, F_SIREN, F_SIRET, F_ADDRESS, F_POSTCODE, F_CITY, F_COUNTRY, F_SECTOR, F_SIZE_BAND, F_WEBSITE};
const size_t app_export_ncolumns = sizeof(app_export_columns) / sizeof(app_export_columns[0]);

json_t *app_export_row_json(const struct export_row *row)
{
	json_t *o = json_object(), *q = json_object();

	json_object_set_new(o, "lead_id", json_integer(row->lead_id));
	for (size_t i = 0; i < app_export_ncolumns; i++) {
		const char *v = row->field[app_export_columns[i]];

		json_object_set_new(o, field_name(app_export_columns[i]), *v ? json_string(v) : json_null());
	}
	for (size_t k = 0; k < row->nqual; k++)
		if (row->qual_value[k][0])
			json_object_set_new(q, row->qual_key[k], json_string(row->qual_value[k]));
	json_object_set_new(o, "qualification", q);
	return o;
}

struct screening {
	void (*fn)(void *ctx, const char *number);
	void *ctx;
	long n;
};

static int screen_one(void *vctx, const char *e164)
{
	struct screening *sc = vctx;
	char digits[11];

	/* Bloctel takes French numbers, overseas ones included, as ten digits. */
	if (phone_fr_national(e164, digits))
		return 0;
	sc->fn(sc->ctx, digits);
	sc->n++;
	return 0;
}

struct screen_campaigns {
	struct app *a;
	struct screening *sc;
	int rc;
	struct tp_error *err;
};

static int screen_campaign(void *vctx, const struct campaign *c)
{
	struct screen_campaigns *sc = vctx;

	if (sc->rc || campaign_rules(c) != RULES_FR_B2C)
		return 0;
	sc->rc = store_open_numbers(sc->a->store, c->id, screen_one, sc->sc, sc->err);
	return sc->rc;
}

int app_export_screening(struct app *a, const char *campaign, void (*fn)(void *ctx, const char *number), void *ctx,
	long *n, struct tp_error *err)
{
	struct screening sc = {fn, ctx, 0};
	int rc;

	if ((rc = app_require(a, APP_MANAGER | APP_ADMIN, "export screening", err)))
		return rc;
	if (campaign) {
		struct campaign c;

		campaign_init(&c);
		if ((rc = store_campaign_settings(a->store, campaign, &c, err)) == 0)
			rc = store_open_numbers(a->store, c.id, screen_one, &sc, err);
		campaign_release(&c);
	} else {
		struct screen_campaigns all = {a, &sc, 0, err};

		rc = store_campaign_list(a->store, screen_campaign, &all, err);
		if (rc == 0)
			rc = all.rc;
	}
	*n = sc.n;
	return rc;
}
