/* What the prospect import's two paths share (store_import_int.h). */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/xalloc.h"
#include "store/store_import_int.h"

const char *const store__fresh_indexes[FRESH_NINDEX_ALL] = {
	"companies_siren", "companies_name", "contacts_phone", "contacts_mobile", "leads_phone",
	"contacts_company", "leads_contact", "leads_queue", "leads_new", "qualification_values_contact",
};

const int store__merge_fields[NMERGE_FIELDS] = {F_CIVILITY, F_FIRST_NAME, F_LAST_NAME, F_ROLE, F_EMAIL};

/* Says what became of a row that found contact_id (of campaign), by the import's mode:
 * file[] against known[], by store__merge_fields; a message with a sentence a field, so that the
 * report says it in its reader's language. */
void store__import_merge(struct store_import *imp, long line, int64_t contact_id, const char *campaign,
	const char *const *file, const char *const *known)
{
	static const char *const lead[] = {
		TP_MSG("the number is contact %s's (%s, campaign '%s'): the row is a lead of that contact, kept as it is"),
		TP_MSG("the number is contact %s's (%s, campaign '%s'): the row is a lead of that contact, updated from the file"),
		TP_MSG("the number is contact %s's (%s, campaign '%s'): the row is rejected (--existing reject)"),
	};
	static const char *const told[] = {TP_MSG("it keeps %s '%s' (the file: '%s')"), TP_MSG("now %s '%s' (was '%s')"),
		TP_MSG("the contact has %s '%s' (the file: '%s')")};
	const char *first = known[1] && *known[1] ? known[1] : "", *last = known[2] && *known[2] ? known[2] : "";
	struct tp_error *said;
	char id[24], name[200];

	if (!campaign)
		return;   /* a contact of this campaign, or of this file: not another campaign's */
	imp->refused += imp->existing == STORE_EXISTING_REJECT;
	/* A file bought twice finds every contact again: the first ones are listed, the others
	 * counted (the report stays readable, the memory small). */
	if (imp->nmerges == IMPORT_MERGES_LISTED) {
		imp->merges_more++;
		return;
	}
	snprintf(id, sizeof(id), "%lld", (long long)contact_id);
	snprintf(name, sizeof(name), "%s%s%s", first, *first && *last ? " " : "", last);
	said = xcalloc(1, sizeof(*said));
	tp_error_msg(said, TP_OK, NULL, 0, NULL, 0, lead[imp->existing], 3, id, name, campaign);
	for (size_t i = 0; i < NMERGE_FIELDS; i++) {
		const char *f = file[i] ? file[i] : "", *k = known[i] ? known[i] : "";

		if (!*f || strcmp(f, k) == 0)
			continue;
		if (imp->existing == STORE_EXISTING_UPDATE)
			tp_error_part(said, 1, told[imp->existing], 3, field_name(store__merge_fields[i]), f, k);
		else
			tp_error_part(said, 1, told[imp->existing], 3, field_name(store__merge_fields[i]), k, f);
	}
	if (imp->nmerges == imp->merges_cap) {
		imp->merges_cap = imp->merges_cap ? imp->merges_cap * 2 : 16;
		imp->merges = xrealloc(imp->merges, imp->merges_cap * sizeof(*imp->merges));
	}
	imp->merges[imp->nmerges].line = line;
	imp->merges[imp->nmerges].refused = imp->existing == STORE_EXISTING_REJECT;
	imp->merges[imp->nmerges].said = said;
	imp->nmerges++;
}

/* The SIREN that identifies a prospect's company: its own, else the first nine digits of
 * its SIRET; NULL when neither (buf holds a SIREN taken from the SIRET). */
const char *store__effective_siren(const struct prospect *p, char buf[10])
{
	const char *const *f = p->field;

	if (f[F_SIREN][0])
		return f[F_SIREN];
	if (strlen(f[F_SIRET]) < 9)
		return NULL;
	memcpy(buf, f[F_SIRET], 9);
	buf[9] = '\0';
	return buf;
}
