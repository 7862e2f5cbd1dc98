/* Call histories: a CSV file of calls made elsewhere, read through its mapping (core/callmap.h),
 * each row logged as a call (core/call_log.h decides) in batches, its own identity kept so
 * that the same file imported again adds nothing. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sodium.h>

#include "app/app_import_int.h"
#include "core/appointment.h"
#include "core/calling.h"
#include "core/phone.h"
#include "core/scripts.h"
#include "core/tz.h"
#include "core/utf8.h"
#include "core/xalloc.h"

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
		parts->appointment_result, p->in.script_variant};
	const char **dst[] = {&p->in.agent, &p->in.result, &p->in.outcome, &p->in.note, &p->appt_status,
		&p->appt_result, &p->in.script_variant};
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
int app__calls_flush(struct app_import *im)
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
			app__import_reject(im, p->line, p->field, p->reason);
			continue;
		}
		tp_error_clear(&e);
		p->in.key_new = !known[nkeys++];
		rc = store_call_log(im->a->store, &p->in, &call_id, &appointment_id, &replayed, &e);
		if (rc == TP_EUSAGE || rc == TP_ENOTFOUND) {
			char field[160];

			calls_field(im, e.field, field, sizeof(field));
			app__import_reject(im, p->line, field, e.reason);
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

/* The latest version of a campaign's script variant (0: none), from the rows before when
 * they named it. */
static int script_latest(struct app_import *im, int64_t campaign_id, const char *name, int64_t *latest)
{
	int i, rc;

	for (i = 0; i < im->nscripts; i++)
		if (im->scripts[i].campaign_id == campaign_id && strcmp(im->scripts[i].name, name) == 0) {
			*latest = im->scripts[i].latest;
			return 0;
		}
	if ((rc = store_script_version_of(im->a->store, campaign_id, name, latest, &im->fatal)))
		return rc;
	i = im->nscripts < (int)(sizeof(im->scripts) / sizeof(im->scripts[0])) ? im->nscripts++ : 0;
	im->scripts[i].campaign_id = campaign_id;
	im->scripts[i].latest = *latest;
	snprintf(im->scripts[i].name, sizeof(im->scripts[i].name), "%s", name);
	return 0;
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
	char script_name[SCRIPT_NAME_MAX + 1];
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
	/* The script the call was made with: a variant of its campaign (docs/SCRIPTS.md). */
	if (parts.script) {
		int64_t version, latest;

		if (script_ref_parse(parts.script, script_name, &version, &e)) {
			calls_reject(im, p, "script", e.reason);
			return 0;
		}
		if ((rc = script_latest(im, c->id, script_name, &latest)))
			return rc;
		if (latest == 0 || version > latest) {
			char why[160];

			snprintf(why, sizeof(why), "'%.40s': no such script variant and version in campaign '%.60s'", parts.script,
				c->name);
			calls_reject(im, p, "script", why);
			return 0;
		}
		in->script_variant = script_name;
		in->script_version = version ? version : latest;
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
int app__calls_record(void *ctx, const struct csv_record *rec)
{
	struct app_import *im = ctx;
	struct pending_call *p;
	int rc;

	if (app__import_cancelled(im))
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
		return app__calls_flush(im);
	return 0;
}

void app__calls_start(struct app_import *im)
{
	im->pending = xcalloc(CALLS_BATCH, sizeof(*im->pending));
}

void app__calls_release(struct app_import *im)
{
	free(im->seen.keys);
	free(im->seen.counts);
	if (im->pending)
		pending_clear(im);
	free(im->pending);
}
