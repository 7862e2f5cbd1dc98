#ifndef TP_DIALING_H
#define TP_DIALING_H
/*
 * How a campaign's calls are dialled, and the number they present (docs/TELEPHONY.md,
 * docs/RULES.md "Caller ID"). Since 1 January 2023 an automated calling system calling in
 * France presents a number from the ranges ARCEP set apart for it (décision n° 2022-1583 du
 * 1er septembre 2022 modifiant le plan national de numérotation), never a mobile number:
 * 01 62, 01 63, 02 70, 02 71, 03 77, 03 78, 04 24, 04 25, 05 68, 05 69, 09 48, 09 49, and
 * overseas 09 475 (Guadeloupe, Saint-Martin, Saint-Barthélemy), 09 476 (Guyane), 09 477
 * (Martinique), 09 478 and 09 479 (La Réunion, Mayotte). Progressive dialing is such a
 * system; click-to-call, an agent calling one person, is not, and is only warned.
 */
#include <stdbool.h>
#include <stdint.h>

#include "core/error.h"

struct campaign;

enum dialing {
	DIALING_MANUAL,             /* the agent dials (a tel: link), and logs the result */
	DIALING_CLICK,              /* Telepro rings the agent's phone, then the prospect, and joins them */
	DIALING_PROGRESSIVE,        /* Telepro dials the next lead as soon as the agent is free */
};

/* "manual", "click", "progressive": 0 and *out, or -1. */
int dialing_parse(const char *text, enum dialing *out);
const char *dialing_name(enum dialing d);

/* The source the caller-ID rule cites. */
#define DIALING_CALLERID_SOURCE "ARCEP, décision n° 2022-1583 du 1er septembre 2022 (plan national de numérotation)"

/* Whether national (ten digits, 0 first: "0162123456") is in the ranges for automated
 * calling systems; whether it is a mobile number (06, 07). */
bool dialing_fr_automated_range(const char *national);
bool dialing_fr_mobile(const char *national);

/*
 * The number a campaign of region (its country, "FR", or an overseas region of the French
 * plan) presents when it dials so (caller_id: E.164, or NULL/"" when none): 0 when allowed;
 * TP_EUSAGE naming "caller-id" with the rule and its source when refused — a French
 * campaign dialing progressively without a number, or with one outside the ranges, or a
 * mobile; *warned (may be NULL) set when allowed but worth a word: click-to-call from a
 * number outside the ranges (person to person: allowed, but the prospect may not pick up).
 */
TP_MUST_USE int dialing_check_caller_id(const char *caller_id, const char *region, enum dialing d, bool *warned,
	struct tp_error *err);

/* The phone that rings for an agent (users' --phone): a SIP URI (sip:201@pbx.example,
 * sips:...) or tel:+33..., printable, without spaces, at most 255 bytes; "" removes it.
 * TP_EUSAGE naming "phone" otherwise. The SIP stack reads it; this only refuses what no
 * stack would take. */
TP_MUST_USE int dialing_check_phone_address(const char *text, struct tp_error *err);

/* Whether progressive dialing may dial for campaign c at at (UTC): inside one of its calling
 * blocks when it has some (their end stops the dialing: docs/TELEPHONY.md), at any time its
 * windows allow when it has none (the rules of `next` decide the rest). */
bool dialing_in_block(const struct campaign *c, int64_t at);

#endif
