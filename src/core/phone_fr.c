/* The French numbering plan, shared by the fast path (phone.c) and libphonenumber's
 * (phone_lpn.cc): which regions read numbers in it, and its overseas prefixes. */
#include <string.h>

#include "core/phone.h"

/*
 * The national prefixes of the overseas territories in ARCEP's plan (plan national de
 * numérotation: the geographic 0262/0263 and mobile 0692/0693 of La Réunion, 0269 and
 * 0639 of Mayotte, 0590 and 0690/0691 of Guadeloupe, Saint-Barthélemy and Saint-Martin,
 * 0594/0694 of Guyane, 0596 and 0696/0697 of Martinique, 0508 of Saint-Pierre-et-Miquelon)
 * and the country code they are dialled with from abroad. libphonenumber's French metadata
 * takes the geographic ones for metropolitan numbers (+33 2 62...), which no one can call;
 * which sub-ranges exist is left to its metadata of each territory.
 */
static const struct {
	char prefix[4], code[4];
} fr_overseas[] = {
	{"262", "262"}, {"263", "262"}, {"692", "262"}, {"693", "262"}, {"269", "262"}, {"639", "262"},
	{"590", "590"}, {"690", "590"}, {"691", "590"}, {"594", "594"}, {"694", "594"}, {"596", "596"},
	{"696", "596"}, {"697", "596"}, {"508", "508"},
};

const char *phone_fr_overseas(const char *nsn)
{
	if (!nsn || strlen(nsn) != 9)
		return NULL;
	for (size_t i = 0; i < sizeof(fr_overseas) / sizeof(fr_overseas[0]); i++)
		if (memcmp(nsn, fr_overseas[i].prefix, 3) == 0)
			return fr_overseas[i].code;
	return NULL;
}

int phone_fr_national(const char *e164, char out[11])
{
	const char *digits = e164 ? e164 + 1 : NULL, *code;

	if (!e164 || e164[0] != '+' || strspn(digits, "0123456789") != strlen(digits))
		return -1;
	if (strncmp(digits, "33", 2) == 0 && strlen(digits) == 11 && digits[2] != '0') {
		digits += 2;
	} else if (strlen(digits) == 9 && strncmp(digits, "508", 3) == 0) {
		/* Saint-Pierre-et-Miquelon: +508 and six digits, 05 08 and the same six. */
	} else if (strlen(digits) == 12 && (code = phone_fr_overseas(digits + 3)) != NULL && strncmp(code, digits, 3) == 0) {
		digits += 3;
	} else {
		return -1;
	}
	out[0] = '0';
	memcpy(out + 1, digits, 9);
	out[10] = '\0';
	return 0;
}

int phone_fr_plan(const char *region)
{
	static const char *const regions[] = {"FR", "RE", "YT", "GP", "MQ", "GF", "PM", "BL", "MF"};

	for (size_t i = 0; i < sizeof(regions) / sizeof(regions[0]); i++)
		if (strcmp(region, regions[i]) == 0)
			return 1;
	return 0;
}
