/* A person's rights under the GDPR (docs/PRIVACY.md): export, erasure, and the review of
 * people nobody contacted for years. Admins only: these are a data protection officer's. */
#include <stdio.h>
#include <string.h>

#include "app/app_int.h"
#include <sodium.h>

#include "core/phone.h"
#include "core/privacy.h"
#include "core/tz.h"

/* The person's number in E.164 (phone) or email; exactly one of them. */
static int who_is_it(const char *phone, const char *email, char e164[PHONE_E164_MAX], struct tp_error *err)
{
	const char *reason = NULL;

	if ((phone && *phone) == (email && *email))
		return tp_error_msg(err, TP_EUSAGE, NULL, 0, NULL, 0, TP_MSG("give the person's --phone or --email (one of them)"),
			0);
	if (email && (!strchr(email, '@') || strlen(email) > 254))
		return tp_error_msg(err, TP_EUSAGE, NULL, 0, "email", 0, TP_MSG("'%s' is not an email address"), 1, email);
	if (phone && phone_normalize(phone, strlen(phone), "FR", e164, &reason) != PHONE_OK)
		return tp_error_msg(err, TP_EUSAGE, NULL, 0, "phone", 2, TP_MSG("'%s': %s"), 2, phone,
			reason ? reason : TP_MSG("not a phone number"));
	return 0;
}

struct ids {
	int64_t id[64];
	int n;
};

static int keep_id(void *ctx, int64_t id)
{
	struct ids *ids = ctx;

	if (ids->n < (int)(sizeof(ids->id) / sizeof(ids->id[0])))
		ids->id[ids->n++] = id;
	return 0;
}

static int find(struct app *a, const char *phone, const char *email, struct ids *ids, struct tp_error *err)
{
	char e164[PHONE_E164_MAX];
	int rc;

	if ((rc = app_require(a, APP_ADMIN, "person", err)) || (rc = who_is_it(phone, email, e164, err)))
		return rc;
	ids->n = 0;
	return store_person_find(a->store, phone ? e164 : NULL, phone ? NULL : email, keep_id, ids, err);
}

/* Numbers stay numbers in the export; everything else is text. */
static bool numeric_column(const char *name)
{
	static const char *const integers[] = {"id", "attempts", "attempt", "priority", "relevant", "decision_maker",
		"qualification_changed", "local_day", "local_hour", "local_weekday", "source_line", "hashed", "since",
		"held_by", "set_by"};
	size_t n = strlen(name);

	for (size_t i = 0; i < sizeof(integers) / sizeof(integers[0]); i++)
		if (strcmp(name, integers[i]) == 0)
			return true;
	return (n > 3 && strcmp(name + n - 3, "_at") == 0) || (n > 3 && strcmp(name + n - 3, "_id") == 0) ||
		(n > 8 && strcmp(name + n - 8, "_seconds") == 0) || (n > 6 && strcmp(name + n - 6, "_cents") == 0) ||
		strcmp(name, "held_until") == 0;
}

static int add_row(void *ctx, const char *section, int n, const char *const *names, const char *const *values)
{
	json_t *person = ctx, *row = json_object();

	for (int i = 0; i < n; i++)
		json_object_set_new(row, names[i], !values[i] ? json_null()
			: numeric_column(names[i]) ? json_integer(strtoll(values[i], NULL, 10)) : json_string(values[i]));
	if (strcmp(section, "contact") == 0 || strcmp(section, "company") == 0) {
		json_object_set_new(person, section, row);
	} else {
		json_t *list = json_object_get(person, section);

		if (!list)
			json_object_set_new(person, section, list = json_array());
		json_array_append_new(list, row);
	}
	return 0;
}

int app_person_export(struct app *a, const char *phone, const char *email, json_t **out, struct tp_error *err)
{
	static const char *const lists[] = {"leads", "calls", "appointments", "qualification", "consents", "opposition"};
	struct store_who who = app_who(a);
	struct ids ids;
	json_t *people;
	int rc;

	if ((rc = find(a, phone, email, &ids, err)))
		return rc;
	people = json_array();
	for (int i = 0; i < ids.n && rc == 0; i++) {
		json_t *person = json_pack("{s:n,s:n}", "contact", "company");

		for (size_t k = 0; k < sizeof(lists) / sizeof(lists[0]); k++)
			json_object_set_new(person, lists[k], json_array());
		rc = store_person_rows(a->store, ids.id[i], add_row, person, err);
		json_array_append_new(people, person);
	}
	/* Who looked at whom is personal data processing too: it goes in the audit log. */
	if (rc == 0)
		rc = store_audit(a->store, &who, "person.export", "contact", ids.n ? ids.id[0] : 0, NULL, err);
	if (rc) {
		json_decref(people);
		return rc;
	}
	*out = json_pack("{s:{s:o,s:o},s:o}", "query", "phone", phone ? json_string(phone) : json_null(), "email",
		email ? json_string(email) : json_null(), "people", people);
	return 0;
}

/* A contact's numbers and their hashes under the database's key. */
struct numbers {
	const unsigned char *key;
	struct erased_number n[16];
	char e164[16][PHONE_E164_MAX + 12], hash[16][PRIVACY_HASH_MAX];
	int count;
};

static int keep_number(void *ctx, const char *e164)
{
	struct numbers *ns = ctx;

	if (ns->count == (int)(sizeof(ns->n) / sizeof(ns->n[0])))
		return 0;
	snprintf(ns->e164[ns->count], sizeof(ns->e164[0]), "%s", e164);
	privacy_number_hash(ns->key, e164, ns->hash[ns->count]);
	ns->n[ns->count] = (struct erased_number){ns->e164[ns->count], ns->hash[ns->count]};
	ns->count++;
	return 0;
}

int app_person_erase(struct app *a, const char *phone, const char *email, bool keep_callable, int *erased,
	struct tp_error *err)
{
	struct store_who who = app_who(a);
	unsigned char fresh[PRIVACY_KEY_BYTES], key[PRIVACY_KEY_BYTES];
	struct ids ids;
	int rc;

	*erased = 0;
	if ((rc = find(a, phone, email, &ids, err)))
		return rc;
	if (ids.n == 0)
		return tp_error_msg(err, TP_ENOTFOUND, NULL, 0, NULL, 0, phone ? TP_MSG("nobody with that number")
			: TP_MSG("nobody with that email"), 0);
	randombytes_buf(fresh, sizeof(fresh));
	if ((rc = store_privacy_key(a->store, fresh, key, err)))
		return rc < 0 ? rc : tp_error_set(err, TP_ERR, "no privacy key could be stored");
	for (int i = 0; i < ids.n; i++) {
		struct numbers ns = {.key = key};

		if ((rc = store_person_numbers(a->store, ids.id[i], keep_number, &ns, err)) ||
		    (rc = store_person_erase(a->store, &who, ids.id[i], ns.n, ns.count, !keep_callable, err)))
			return rc;
		++*erased;
	}
	sodium_memzero(key, sizeof(key));
	return 0;
}

static int review_one(void *ctx, const struct person_review *r)
{
	json_array_append_new(ctx, json_pack("{s:I,s:s,s:s,s:I,s:o}", "contact_id", (json_int_t)r->contact_id, "last_name",
		r->last_name, "phone", r->phone, "created_at", (json_int_t)r->created_at, "last_call_at",
		r->last_call_at ? json_integer(r->last_call_at) : json_null()));
	return 0;
}

int app_person_review(struct app *a, int years, json_t **out, struct tp_error *err)
{
	int64_t before = app_now(a) - (int64_t)years * 365 * 86400 - (years / 4) * 86400;
	json_t *people;
	int rc;

	if ((rc = app_require(a, APP_ADMIN, "person review", err)))
		return rc;
	if (years < 1 || years > 50)
		return tp_error_at(err, TP_EUSAGE, NULL, 0, "years", "%d: from 1 to 50", years);
	people = json_array();
	if ((rc = store_person_review(a->store, before, review_one, people, err))) {
		json_decref(people);
		return rc;
	}
	*out = json_pack("{s:i,s:I,s:o}", "years", years, "before", (json_int_t)before, "people", people);
	return 0;
}
