/* Exports: a campaign's prospects (with their qualification) and the numbers to screen
 * against Bloctel. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "app/app_int.h"
#include "core/phone.h"
#include "core/xalloc.h"

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
