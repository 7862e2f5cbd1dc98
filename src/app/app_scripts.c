/* Call scripts versioned, their variants and the variant each lead reads (docs/SCRIPTS.md;
 * core/scripts.h decides, store_scripts.c applies). */
#include <sodium.h>
#include <stdlib.h>
#include <string.h>

#include "app/app_int.h"
#include "core/campaign.h"
#include "core/rules.h"
#include "core/scripts.h"
#include "core/xalloc.h"

struct arms {
	struct script_arm a[SCRIPT_VARIANTS_MAX];
	int n;
};

static int keep_arm(void *ctx, const struct script_row *r)
{
	struct arms *arms = ctx;

	if (arms->n < SCRIPT_VARIANTS_MAX) {
		struct script_arm *a = &arms->a[arms->n++];

		snprintf(a->name, sizeof(a->name), "%s", r->variant);
		a->weight = r->weight;
		a->stopped = r->stopped;
	}
	return 0;
}

int app__script_assign(struct app *a, int64_t lead_id, struct tp_error *err)
{
	struct arms arms = {0};
	char variant[SCRIPT_NAME_MAX + 2], primary[64];
	int64_t campaign_id;
	uint64_t seed;
	int rc, pick;

	if ((rc = store_lead_script(a->store, lead_id, &campaign_id, variant, sizeof(variant), err)) ||
	    (rc = store_scripts(a->store, campaign_id, false, keep_arm, &arms, err)))
		return rc;
	/* A lead keeps its variant while it runs; a stopped one's leads move at their next call. */
	for (int i = 0; i < arms.n; i++)
		if (strcmp(arms.a[i].name, variant) == 0)
			return 0;
	if (arms.n == 0)
		return 0;
	if ((rc = store_scripts_meta(a->store, campaign_id, primary, sizeof(primary), &seed, err)))
		return rc;
	pick = script_pick(seed, lead_id, arms.a, arms.n);
	return pick < 0 ? 0 : store_lead_script_set(a->store, lead_id, arms.a[pick].name, err);
}

int app__script_of_call(struct app *a, int64_t lead_id, const char *given, int64_t given_version, char *variant,
	size_t size, int64_t *version, struct tp_error *err)
{
	int64_t campaign_id, latest;
	int rc;

	*version = 0;
	variant[0] = '\0';
	if (!lead_id)
		return given ? tp_error_msg(err, TP_EUSAGE, NULL, 0, "script_variant", 0,
			TP_MSG("a script variant goes with a lead's call"), 0) : 0;
	if ((rc = store_lead_script(a->store, lead_id, &campaign_id, variant, size, err)))
		return rc;
	if (!given) {
		/* What the lead reads now: its variant's latest version. */
		if (!variant[0])
			return 0;
		return store_script_version_of(a->store, campaign_id, variant, version, err);
	}
	/* The version the agent had on screen: one the campaign has. */
	if ((rc = store_script_version_of(a->store, campaign_id, given, &latest, err)))
		return rc;
	if (given_version == 0)
		given_version = latest;    /* the variant alone: its latest */
	if (latest == 0 || given_version < 1 || given_version > latest)
		return tp_error_msg(err, TP_EUSAGE, NULL, 0, "script_version", 0,
			TP_MSG("'%s': no such script variant and version in this campaign"), 1, given);
	snprintf(variant, size, "%s", given);
	*version = given_version;
	return 0;
}

int app_scripts_set(struct app *a, const char *campaign, const struct app_script_variant *v, size_t n,
	const char *weights, const char *primary, struct tp_error *err)
{
	struct store_who who = app_who(a);
	struct store_script_in in[SCRIPT_VARIANTS_MAX];
	int w[SCRIPT_VARIANTS_MAX];
	enum script_rate rate;
	struct campaign c;
	uint64_t seed;
	int rc;

	if ((rc = app_require(a, APP_MANAGER | APP_ADMIN, "campaign script", err)))
		return rc;
	if (n == 0)
		return tp_error_msg(err, TP_EUSAGE, NULL, 0, "variant", 0, TP_MSG("at least one variant: NAME=FILE"), 0);
	if (n > SCRIPT_VARIANTS_MAX)
		return tp_error_msg(err, TP_EUSAGE, NULL, 0, "variant", 0, TP_MSG("at most 8 variants"), 0);
	if (primary && (rc = script_rate_parse(primary, &rate, err)))
		return rc;
	for (size_t i = 0; i < n; i++)
		w[i] = 1;
	if (weights && (rc = script_weights_parse(weights, w, (int)n, err)))
		return rc;
	campaign_init(&c);
	if ((rc = store_campaign_settings(a->store, campaign, &c, err)))
		goto out;
	for (size_t i = 0; i < n; i++) {
		if ((rc = script_name_check(v[i].name, err)))
			goto out;
		for (size_t j = 0; j < i; j++)
			if (strcmp(v[i].name, v[j].name) == 0) {
				rc = tp_error_msg(err, TP_EUSAGE, NULL, 0, "variant", 0, TP_MSG("'%s': a variant named twice"), 1,
					v[i].name);
				goto out;
			}
		if (!v[i].body || !*v[i].body || strlen(v[i].body) > SCRIPT_BODY_MAX) {
			rc = tp_error_msg(err, TP_EUSAGE, NULL, 0, v[i].name, 0, TP_MSG("a script of 1 byte to 64 KiB"), 0);
			goto out;
		}
		/* Every variant of a French consumer campaign opens as the law asks. */
		if (campaign_rules(&c) == RULES_FR_B2C && (rc = script_opening_check(v[i].body, err))) {
			snprintf(err->field, sizeof(err->field), "%s", v[i].name);
			goto out;
		}
		in[i] = (struct store_script_in){v[i].name, v[i].body, w[i]};
	}
	randombytes_buf(&seed, sizeof(seed));
	rc = store_scripts_set(a->store, &who, c.id, in, n, primary, seed | 1, err);
out:
	campaign_release(&c);
	return rc;
}

static int variant_json(void *ctx, const struct script_row *r)
{
	int64_t words = script_words(r->body);

	json_array_append_new(ctx, json_pack("{s:s,s:i,s:b,s:I,s:o,s:I,s:I,s:I,s:s}", "variant", r->variant, "weight",
		r->weight, "stopped", r->stopped, "version", (json_int_t)r->version, "author",
		r->author ? json_string(r->author) : json_null(), "created_at", (json_int_t)r->created_at, "words",
		(json_int_t)words, "reading_seconds", (json_int_t)(words * 60 / SCRIPT_WORDS_PER_MINUTE), "text", r->body));
	return 0;
}

int app_scripts_get(struct app *a, const char *campaign, json_t **out, struct tp_error *err)
{
	char primary[64];
	struct campaign c;
	uint64_t seed;
	json_t *list = json_array();
	int rc;

	*out = NULL;
	campaign_init(&c);
	if ((rc = store_campaign_settings(a->store, campaign, &c, err)) == 0 &&
	    (rc = store_scripts_meta(a->store, c.id, primary, sizeof(primary), &seed, err)) == 0 &&
	    (rc = store_scripts(a->store, c.id, true, variant_json, list, err)) == 0) {
		*out = json_pack("{s:s,s:o,s:o,s:O}", "campaign", c.name, "primary",
			primary[0] ? json_string(primary) : json_null(), "expected_call_seconds",
			c.expected_call_seconds > 0 ? json_integer(c.expected_call_seconds) : json_null(), "variants", list);
	}
	json_decref(list);
	campaign_release(&c);
	return rc;
}

static int version_json(void *ctx, const struct script_row *r)
{
	json_array_append_new(ctx, json_pack("{s:I,s:o,s:I,s:s}", "version", (json_int_t)r->version, "author",
		r->author ? json_string(r->author) : json_null(), "created_at", (json_int_t)r->created_at, "text", r->body));
	return 0;
}

int app_script_history(struct app *a, const char *campaign, const char *variant, json_t **out, struct tp_error *err)
{
	struct campaign c;
	json_t *list = json_array();
	int rc;

	*out = NULL;
	campaign_init(&c);
	if ((rc = store_campaign_settings(a->store, campaign, &c, err)) == 0 &&
	    (rc = store_script_history(a->store, c.id, variant, version_json, list, err)) == 0) {
		if (json_array_size(list) == 0)
			rc = tp_error_msg(err, TP_ENOTFOUND, NULL, 0, "variant", 0, TP_MSG("'%s': no such script variant"), 1,
				variant);
		else
			*out = json_pack("{s:s,s:s,s:O}", "campaign", c.name, "variant", variant, "versions", list);
	}
	json_decref(list);
	campaign_release(&c);
	return rc;
}
