#include <string.h>

#include "core/phone.h"

/*
 * French national significant numbers (9 digits) whose first three digits alone make the
 * number valid for libphonenumber 8.12 (Debian 12): every completion of these prefixes
 * passes IsValidNumber. Ranges outside (e.g. 400-409, 639, 836, 841) are left to
 * libphonenumber. The differential test and fuzzer re-check this against the installed
 * library, so a metadata update that narrows a range fails the build's tests.
 */
static const struct {
	int lo, hi;
} fr_valid_prefixes[] = {
	{100, 261}, {264, 268}, {270, 399}, {410, 507}, {509, 589}, {591, 593}, {595, 595}, {597, 638},
	{640, 689}, {695, 695}, {698, 700}, {730, 835}, {837, 840}, {842, 842}, {850, 869}, {880, 999},
};

static int fr_prefix_valid(const char *nsn)
{
	int p = (nsn[0] - '0') * 100 + (nsn[1] - '0') * 10 + (nsn[2] - '0');

	for (size_t i = 0; i < sizeof(fr_valid_prefixes) / sizeof(fr_valid_prefixes[0]); i++)
		if (p >= fr_valid_prefixes[i].lo && p <= fr_valid_prefixes[i].hi)
			return 1;
	return 0;
}

static int is_sep(char c)
{
	return c == ' ' || c == '.' || c == '-';
}

/*
 * Accepts: 0X XX XX XX XX, +33 X XX XX XX XX, +33 (0)X XX XX XX XX, 0033 X XX XX XX XX,
 * with single spaces, dots or dashes between digits. Anything else defers.
 */
int phone_fast_fr(const char *s, size_t len, char out[PHONE_E164_MAX])
{
	char d[16];
	int nd = 0, intl = 0, paren_zero = 0;
	size_t i = 0;
	const char *nsn = NULL;

	while (i < len && s[i] == ' ')
		i++;
	while (len > i && s[len - 1] == ' ')
		len--;
	if (i < len && s[i] == '+') {
		intl = 1;
		i++;
	}
	for (; i < len; i++) {
		char c = s[i];

		if (c >= '0' && c <= '9') {
			if (nd == 14)
				return 0;
			d[nd++] = c;
		} else if (is_sep(c)) {
			if (i == 0 || !(s[i - 1] >= '0' && s[i - 1] <= '9'))
				return 0;
		} else if (c == '(' && intl && nd == 2 && !paren_zero && i + 2 < len && s[i + 1] == '0' &&
			   s[i + 2] == ')') {
			paren_zero = 1;
			i += 2;
			if (i + 1 < len && s[i + 1] == ' ')
				i++;
		} else {
			return 0;
		}
	}
	if (intl) {
		if (nd == 11 && d[0] == '3' && d[1] == '3')
			nsn = d + 2;
	} else if (nd == 10 && d[0] == '0' && d[1] != '0') {
		nsn = d + 1;
	} else if (nd == 13 && memcmp(d, "0033", 4) == 0) {
		nsn = d + 4;
	}
	if (!nsn || nsn[0] == '0' || !fr_prefix_valid(nsn))
		return 0;
	memcpy(out, "+33", 3);
	memcpy(out + 3, nsn, 9);
	out[12] = '\0';
	return 1;
}

int phone_normalize(const char *text, size_t len, const char *region, char out[PHONE_E164_MAX],
	const char **reason)
{
	size_t start = 0;

	while (start < len && (text[start] == ' ' || text[start] == '\t'))
		start++;
	while (len > start && (text[len - 1] == ' ' || text[len - 1] == '\t'))
		len--;
	if (start == len)
		return PHONE_EMPTY;
	if (phone_fr_plan(region)) {
		if (phone_fast_fr(text + start, len - start, out))
			return PHONE_OK;
		region = "FR";
	}
	return phone_lpn_normalize(text + start, len - start, region, out, reason);
}

int phone_display(const char *phone, const char *region, char *shown, size_t size)
{
	char digits[11];

	if (phone_fr_plan(region ? region : "FR") && phone_fr_national(phone, digits) == 0) {
		snprintf(shown, size, "%.2s %.2s %.2s %.2s %.2s", digits, digits + 2, digits + 4, digits + 6, digits + 8);
		return 0;
	}
	return phone_format_for(phone, region, shown, size);
}
