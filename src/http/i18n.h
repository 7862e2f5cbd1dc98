#ifndef TP_I18N_H
#define TP_I18N_H
/*
 * The pages' languages. Source strings are English; the French catalogue is gettext's
 * (po/fr.po, compiled by msgfmt at build time and embedded in the binary). Lookups take
 * the language of the request, not a process locale: one request in French and the next
 * in English run side by side on the pool's threads, and no system locale needs to be
 * installed. Numbers and dates follow the language too (French: 1 234,5 and 25/11/2026).
 */
#include <stddef.h>
#include <stdint.h>

#include "core/error.h"

/* Marks a string for the catalogue where it is translated later (xgettext --keyword=N_). */
#define N_(s) s

/* Checks the embedded catalogues. */
TP_MUST_USE int i18n_init(struct tp_error *err);
void i18n_release(void);
/* The translation of msgid in lang ("fr", "en"), or msgid itself. */
const char *i18n(const char *lang, const char *msgid);
/* The same as tp_error_say's translator (ctx: the language). */
const char *i18n_tr(void *lang, const char *msgid);
/* v with decimals digits after the point, in lang's format (buf of 48 bytes). */
const char *i18n_number(const char *lang, double v, int decimals, char *buf, size_t size);
/* A day yyyymmdd as lang writes it: "25/11/2026" or "2026-11-25". */
const char *i18n_day(const char *lang, int yyyymmdd, char *buf, size_t size);

/* A local time written "YYYY-MM-DD HH:MM[:SS]" as lang writes it ("25/11/2026 14:30" in
 * French); other text is returned as it is. */
const char *i18n_datetime(const char *lang, const char *text, char *buf, size_t size);

#endif
