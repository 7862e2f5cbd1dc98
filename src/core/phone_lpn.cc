// The C adapter to libphonenumber: parse with a default region, check validity, format
// as E.164. libphonenumber's PhoneNumberUtil is a thread-safe singleton; its logger is
// muted once so that a bad number never writes to stderr behind our back.
#include <mutex>
#include <string>

#include <phonenumbers/logger.h>
#include <phonenumbers/phonenumberutil.h>

extern "C" {
#include "core/error.h"
#include "core/phone.h"
}

using i18n::phonenumbers::NullLogger;
using i18n::phonenumbers::PhoneNumber;
using i18n::phonenumbers::PhoneNumberUtil;

static PhoneNumberUtil *util()
{
	static std::once_flag once;
	static PhoneNumberUtil *instance;

	std::call_once(once, [] {
		instance = PhoneNumberUtil::GetInstance();
		instance->SetLogger(new NullLogger());
	});
	return instance;
}

extern "C" int phone_lpn_normalize(const char *text, size_t len, const char *region,
	char out[PHONE_E164_MAX], const char **reason)
{
	const char *why = nullptr;
	bool overseas = false;
	int status = PHONE_INVALID;

	try {
		std::string input(text, len);
		PhoneNumber number;
		PhoneNumberUtil::ErrorType e;

		if (phone_fr_plan(region))
			region = "FR";
		e = util()->ParseAndKeepRawInput(input, region, &number);

		/* A French national number whose prefix an overseas territory holds is that
		 * territory's (phone.h): its country code, its own metadata. */
		if (e == PhoneNumberUtil::NO_PARSING_ERROR && std::string(region) == "FR" && number.country_code() == 33 &&
		    number.country_code_source() == PhoneNumber::FROM_DEFAULT_COUNTRY) {
			std::string nsn;
			const char *code;

			util()->GetNationalSignificantNumber(number, &nsn);
			if ((code = phone_fr_overseas(nsn.c_str())) != nullptr) {
				/* 0508 41 12 34: Saint-Pierre-et-Miquelon's six digits follow 508. */
				std::string intl = std::string("+") + (std::string(code) == "508" ? nsn : code + nsn);

				number.Clear();
				e = util()->Parse(intl, "ZZ", &number);
				overseas = true;
			}
		}

		switch (e) {
		case PhoneNumberUtil::NO_PARSING_ERROR:
			if (!util()->IsValidNumber(number)) {
				switch (util()->IsPossibleNumberWithReason(number)) {
				case PhoneNumberUtil::TOO_SHORT:
				case PhoneNumberUtil::INVALID_LENGTH:
					why = util()->IsPossibleNumberWithReason(number) == PhoneNumberUtil::TOO_SHORT
						? "too short" : "wrong number of digits";
					break;
				case PhoneNumberUtil::TOO_LONG:
					why = TP_MSG("too long");
					break;
				default:
					why = overseas ? TP_MSG("not a valid number (no such range in the plan of the overseas territory"
						" its prefix belongs to)") : TP_MSG("not a valid number (no such range in its country's numbering"
						" plan)");
				}
			} else {
				std::string e164;
				util()->Format(number, PhoneNumberUtil::E164, &e164);
				if (e164.size() >= PHONE_E164_MAX) {
					why = TP_MSG("number too long");
				} else {
					e164.copy(out, e164.size());
					out[e164.size()] = '\0';
					status = PHONE_OK;
				}
			}
			break;
		case PhoneNumberUtil::INVALID_COUNTRY_CODE_ERROR:
			why = TP_MSG("unknown country code (write international numbers as +CC ...)");
			break;
		case PhoneNumberUtil::NOT_A_NUMBER:
			why = TP_MSG("not a phone number");
			break;
		case PhoneNumberUtil::TOO_SHORT_AFTER_IDD:
		case PhoneNumberUtil::TOO_SHORT_NSN:
			why = TP_MSG("too short");
			break;
		case PhoneNumberUtil::TOO_LONG_NSN:
			why = TP_MSG("too long");
			break;
		}
	} catch (...) {
		why = TP_MSG("not a phone number");
	}
	if (status != PHONE_OK && reason)
		*reason = why ? why : "not a phone number";
	return status;
}

extern "C" int phone_region_of(const char *e164, char out[3])
{
	try {
		PhoneNumber number;
		std::string of;

		if (!e164 || util()->Parse(e164, "ZZ", &number) != PhoneNumberUtil::NO_PARSING_ERROR)
			return -1;
		util()->GetRegionCodeForNumber(number, &of);
		if (of.size() != 2 || of == "ZZ")
			return -1;
		of.copy(out, 2);
		out[2] = '\0';
		return 0;
	} catch (...) {
		return -1;
	}
}

extern "C" int phone_format_for(const char *e164, const char *region, char *out, size_t size)
{
	try {
		PhoneNumber number;
		std::string text;

		if (!e164 || size == 0 || util()->Parse(e164, "ZZ", &number) != PhoneNumberUtil::NO_PARSING_ERROR)
			return -1;
		/* A number of the caller's country is written as its people write it; any other
		 * in the international form. */
		std::string of;

		util()->GetRegionCodeForNumber(number, &of);
		if (region && of == region)
			util()->Format(number, PhoneNumberUtil::NATIONAL, &text);
		else
			util()->Format(number, PhoneNumberUtil::INTERNATIONAL, &text);
		if (text.size() >= size)
			return -1;
		text.copy(out, text.size());
		out[text.size()] = '\0';
		return 0;
	} catch (...) {
		return -1;
	}
}
