#include <string.h>

#include "core/campaign.h"
#include "core/dialing.h"
#include "core/phone.h"
#include "core/slots.h"
#include "core/tz.h"

static const char *const names[] = {"manual", "click", "progressive"};

int dialing_parse(const char *text, enum dialing *out)
{
	for (int i = 0; i < 3; i++)
		if (text && strcmp(text, names[i]) == 0) {
			*out = (enum dialing)i;
			return 0;
		}
	return -1;
}

const char *dialing_name(enum dialing d)
{
	return d >= DIALING_MANUAL && d <= DIALING_PROGRESSIVE ? names[d] : "manual";
}

bool dialing_fr_automated_range(const char *national)
{
	static const char *const ranges[] = {"0162", "0163", "0270", "0271", "0377", "0378", "0424", "0425", "0568",
		"0569", "0948", "0949", "09475", "09476", "09477", "09478", "09479"};

	if (!national || strlen(national) != 10)
		return false;
	for (size_t i = 0; i < sizeof(ranges) / sizeof(ranges[0]); i++)
		if (strncmp(national, ranges[i], strlen(ranges[i])) == 0)
			return true;
	return false;
}

bool dialing_fr_mobile(const char *national)
{
	return national && strlen(national) == 10 && national[0] == '0' && (national[1] == '6' || national[1] == '7');
}

int dialing_check_caller_id(const char *caller_id, const char *region, enum dialing d, bool *warned,
	struct tp_error *err)
{
	char national[11];
	bool automated = d == DIALING_PROGRESSIVE, in_range;

	if (warned)
		*warned = false;
	/* The rule is France's: its plan, overseas regions included. */
	if (d == DIALING_MANUAL || !region || !phone_fr_plan(region))
		return 0;
	if (!caller_id || !*caller_id) {
		if (automated)
			return tp_error_msg(err, TP_EUSAGE, NULL, 0, "caller-id", 0, TP_MSG("progressive dialing presents a"
				" number of the ranges for automated calling systems (%s): set the campaign's --caller-id"), 1,
				DIALING_CALLERID_SOURCE);
		return 0;
	}
	in_range = phone_fr_national(caller_id, national) == 0 && dialing_fr_automated_range(national);
	if (in_range)
		return 0;
	if (automated)
		return tp_error_msg(err, TP_EUSAGE, NULL, 0, "caller-id", 0, phone_fr_national(caller_id, national) == 0 &&
			dialing_fr_mobile(national) ? TP_MSG("%s is a mobile number: an automated calling system never presents"
			" one; use a number of 01 62, 01 63, 02 70, 02 71, 03 77, 03 78, 04 24, 04 25, 05 68, 05 69, 09 48, 09 49"
			" or 09 475 to 09 479 (%s)") : TP_MSG("%s is outside the ranges for automated calling systems: use a"
			" number of 01 62, 01 63, 02 70, 02 71, 03 77, 03 78, 04 24, 04 25, 05 68, 05 69, 09 48, 09 49 or 09 475"
			" to 09 479 (%s)"), 2, caller_id, DIALING_CALLERID_SOURCE);
	if (warned)
		*warned = true;
	return 0;
}

int dialing_check_phone_address(const char *text, struct tp_error *err)
{
	const char *rest = NULL;

	if (!text || !*text)
		return 0;
	if (strncmp(text, "sip:", 4) == 0)
		rest = text + 4;
	else if (strncmp(text, "sips:", 5) == 0)
		rest = text + 5;
	else if (strncmp(text, "tel:+", 5) == 0 && strlen(text) > 6 && strspn(text + 5, "0123456789") == strlen(text + 5))
		return strlen(text) > 40 ? tp_error_msg(err, TP_EUSAGE, NULL, 0, "phone", 0,
			TP_MSG("'%s': at most 15 digits after tel:+"), 1, text) : 0;
	if (!rest || !*rest || *rest == '@' || strlen(text) > 255)
		return tp_error_msg(err, TP_EUSAGE, NULL, 0, "phone", 0, TP_MSG("'%s': the agent's phone is a SIP address,"
			" e.g. sip:201@pbx.example, or tel:+33..."), 1, text);
	for (const char *p = text; *p; p++)
		if ((unsigned char)*p <= ' ' || (unsigned char)*p >= 0x7f || *p == '<' || *p == '>' || *p == '"')
			return tp_error_msg(err, TP_EUSAGE, NULL, 0, "phone", 0, TP_MSG("'%s': a SIP address has no spaces,"
				" quotes or angle brackets"), 1, text);
	return 0;
}

bool dialing_in_block(const struct campaign *c, int64_t at)
{
	struct tz_local l;

	if (c->nblocks == 0)
		return true;
	tz_local(c->timezone, at, &l);
	return slots_in(c->blocks, c->nblocks, l.weekday, l.hour * 60 + l.minute);
}
