/*
 * Lookups in gettext .mo catalogues embedded in the binary (i18n.h). The format is
 * GNU gettext's ("The Format of GNU MO Files"): a header, then two tables of (length,
 * offset) pairs, originals sorted by strcmp and their translations at the same index,
 * so a binary search finds a string without building anything at run time.
 */
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include "http/i18n.h"

extern const unsigned char catalog_fr[];
extern const size_t catalog_fr_len;

struct mo {
	const unsigned char *data;
	size_t len;
	uint32_t n, originals, translations;
};

static struct mo fr;

static uint32_t word(const struct mo *m, size_t off)
{
	uint32_t v;

	memcpy(&v, m->data + off, 4);
	return v;
}

static int mo_open(struct mo *m, const unsigned char *data, size_t len, struct tp_error *err)
{
	m->data = data;
	m->len = len;
	if (len < 28 || word(m, 0) != 0x950412deu)
		return tp_error_set(err, TP_ERR, "the embedded French catalogue is not a little-endian .mo file");
	m->n = word(m, 8);
	m->originals = word(m, 12);
	m->translations = word(m, 16);
	if ((size_t)m->originals + 8 * (size_t)m->n > len || (size_t)m->translations + 8 * (size_t)m->n > len)
		return tp_error_set(err, TP_ERR, "the embedded French catalogue is truncated");
	for (uint32_t i = 0; i < m->n; i++) {
		uint32_t ol = word(m, m->originals + 8 * i), oo = word(m, m->originals + 8 * i + 4);
		uint32_t tl = word(m, m->translations + 8 * i), to = word(m, m->translations + 8 * i + 4);

		if ((size_t)oo + ol >= len || (size_t)to + tl >= len || data[oo + ol] || data[to + tl])
			return tp_error_set(err, TP_ERR, "the embedded French catalogue has a bad string table");
	}
	return 0;
}

static const char *mo_find(const struct mo *m, const char *msgid)
{
	uint32_t lo = 0, hi = m->n;

	while (lo < hi) {
		uint32_t mid = lo + (hi - lo) / 2;
		const char *o = (const char *)m->data + word(m, m->originals + 8 * mid + 4);
		int c = strcmp(msgid, o);

		if (c == 0) {
			const char *t = (const char *)m->data + word(m, m->translations + 8 * mid + 4);

			return *t ? t : msgid;
		}
		if (c < 0)
			hi = mid;
		else
			lo = mid + 1;
	}
	return msgid;
}

int i18n_init(struct tp_error *err)
{
	return mo_open(&fr, catalog_fr, catalog_fr_len, err);
}

void i18n_release(void)
{
	memset(&fr, 0, sizeof(fr));
}

const char *i18n(const char *lang, const char *msgid)
{
	if (lang && strcmp(lang, "fr") == 0 && fr.data && *msgid)
		return mo_find(&fr, msgid);
	return msgid;
}

const char *i18n_tr(void *lang, const char *msgid)
{
	return i18n(lang, msgid);
}

const char *i18n_number(const char *lang, double v, int decimals, char *buf, size_t size)
{
	char raw[48], *dot;
	bool french = lang && strcmp(lang, "fr") == 0;
	size_t int_len, o = 0;
	const char *p = raw;

	snprintf(raw, sizeof(raw), "%.*f", decimals, v);
	dot = strchr(raw, '.');
	int_len = dot ? (size_t)(dot - raw) : strlen(raw);
	if (*p == '-') {
		buf[o++] = '-';
		p++;
		int_len--;
	}
	/* Thousands grouped: a narrow no-break space in French, a comma in English. */
	for (size_t i = 0; i < int_len && o + 4 < size; i++) {
		if (i && (int_len - i) % 3 == 0) {
			const char *sep = french ? "\xe2\x80\xaf" : ",";

			memcpy(buf + o, sep, strlen(sep));
			o += strlen(sep);
		}
		buf[o++] = p[i];
	}
	if (dot) {
		buf[o++] = french ? ',' : '.';
		for (const char *d = dot + 1; *d && o + 1 < size; d++)
			buf[o++] = *d;
	}
	buf[o] = '\0';
	return buf;
}

const char *i18n_day(const char *lang, int ymd, char *buf, size_t size)
{
	if (lang && strcmp(lang, "fr") == 0)
		snprintf(buf, size, "%02d/%02d/%04d", ymd % 100, ymd / 100 % 100, ymd / 10000);
	else
		snprintf(buf, size, "%04d-%02d-%02d", ymd / 10000, ymd / 100 % 100, ymd % 100);
	return buf;
}

const char *i18n_datetime(const char *lang, const char *text, char *buf, size_t size)
{
	/* Only the exact shape is rewritten: anything else is shown as the app wrote it. */
	static const char shape[] = "dddd-dd-dd dd:dd";

	for (size_t i = 0; i < sizeof(shape) - 1; i++)
		if (!text[i] || (shape[i] == 'd' ? (text[i] < '0' || text[i] > '9') : text[i] != shape[i]))
			return text;
	if (!lang || strcmp(lang, "fr") != 0)
		return text;
	snprintf(buf, size, "%.2s/%.2s/%.4s %s", text + 8, text + 5, text, text + 11);
	return buf;
}
