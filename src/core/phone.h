#ifndef TP_PHONE_H
#define TP_PHONE_H
/*
 * Phone numbers to E.164. phone_normalize is the one entry point: a fast path for the
 * common French national and international forms, and libphonenumber (through the small
 * C++ adapter phone_lpn.cc) for everything else. The fast path only answers where its
 * answer is libphonenumber's own (tests/unit/test_phone.c and fuzz/fuzz_phone.c check
 * this on every input it accepts); otherwise it defers.
 */
#include <stddef.h>

#define PHONE_E164_MAX 20  /* '+', at most 15 digits, NUL, with room to spare */

enum phone_status {
	PHONE_OK = 0,
	PHONE_EMPTY = 1,      /* nothing but blanks */
	PHONE_INVALID = 2,    /* not a valid number; reason says why */
};

/*
 * Normalises text[0..len) (UTF-8) to E.164 in out. region is the ISO 3166-1 alpha-2 code
 * used for national forms ("FR"). On PHONE_INVALID, *reason (if reason is non-NULL)
 * points to a static English explanation.
 *
 * France and its overseas territories share one national plan: with region FR, RE, YT,
 * GP, MQ, GF, PM, BL or MF, a national number (0 and 9 digits) is read in that plan, and
 * one whose prefix routes to an overseas territory gets that territory's country code
 * (0262 41 00 00 is +262 262 41 00 00, 0690 12 34 56 +590 690 12 34 56, 0508 41 12 34
 * +508 41 12 34), valid only where libphonenumber's metadata of that territory says so.
 */
int phone_normalize(const char *text, size_t len, const char *region, char out[PHONE_E164_MAX],
	const char **reason);

/* The fast path alone: 1 and out filled when it knows the answer, 0 when it defers. */
int phone_fast_fr(const char *text, size_t len, char out[PHONE_E164_MAX]);

/* An E.164 number as people read it: national form ("04 78 12 34 06") for a number of
 * region, international ("+44 20 7946 0000") otherwise. 0, or -1 when e164 is not one. */
int phone_format_for(const char *e164, const char *region, char *out, size_t size);

/* The country code of a French national significant number (9 digits) whose prefix an
 * overseas territory holds in ARCEP's plan ("262" for 262 41 00 00), NULL for the others. */
const char *phone_fr_overseas(const char *nsn);

/* The ten digits a number is dialled with in the French plan (0 and its 9 digits: "0262200001"
 * for +262 262 20 00 01, "0508411234" for +508 41 12 34): 0, or -1 when e164 is not a
 * number of France or of an overseas territory that shares its plan. */
int phone_fr_national(const char *e164, char out[11]);

/* 1 for the regions whose national numbers are read in the French plan (above), else 0. */
int phone_fr_plan(const char *region);

/* The region (ISO alpha-2) libphonenumber gives an E.164 number: "RE" for +262 692..., "YT"
 * for +262 639...; 0 with out filled, -1 when it has none. */
int phone_region_of(const char *e164, char out[3]);

/* libphonenumber alone (the reference): same contract as phone_normalize. */
int phone_lpn_normalize(const char *text, size_t len, const char *region, char out[PHONE_E164_MAX],
	const char **reason);

/* A number as the agent or sales person reads it aloud: the national form of the campaign's
 * country (region); a French campaign reads overseas numbers in the French plan too
 * (02 62 20 00 01). 0, or -1 when it cannot be written so. */
int phone_display(const char *phone, const char *region, char *shown, size_t size);

#endif
