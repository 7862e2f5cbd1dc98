/* libFuzzer: phone normalisation. Whenever the French fast path answers, its answer must
 * be libphonenumber's (the differential property of core/phone.h). */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "core/phone.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	char fast[PHONE_E164_MAX], ref[PHONE_E164_MAX], out[PHONE_E164_MAX];
	const char *why = NULL;
	const char *text = (const char *)data;

	if (size > 64)
		return 0;
	if (phone_fast_fr(text, size, fast)) {
		if (phone_lpn_normalize(text, size, "FR", ref, &why) != PHONE_OK || strcmp(fast, ref) != 0)
			abort();
	}
	/* E.164 proper has at most 15 digits, but libphonenumber accepts a few longer German
	 * numbers: the output fits the buffer and is '+' and digits. */
	if (phone_normalize(text, size, "FR", out, &why) == PHONE_OK) {
		if (out[0] != '+' || strlen(out) >= PHONE_E164_MAX || strspn(out + 1, "0123456789") != strlen(out) - 1)
			abort();
	}
	phone_normalize(text, size, "US", out, &why);
	return 0;
}
