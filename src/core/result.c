#include <stdbool.h>
#include <stdio.h>
#include <string.h>

#include "core/result.h"
#include "core/units.h"

static const char *const results[] = {"no_answer", "busy", "voicemail", "gatekeeper", "wrong_number",
	"invalid_number", "conversation"};

bool call_result_valid(const char *result)
{
	for (size_t i = 0; i < sizeof(results) / sizeof(results[0]); i++)
		if (result && strcmp(result, results[i]) == 0)
			return true;
	return false;
}

bool call_result_is_conversation(const char *result)
{
	return strcmp(result, "conversation") == 0;
}

bool call_result_never_retried(const char *result)
{
	return strcmp(result, "wrong_number") == 0 || strcmp(result, "invalid_number") == 0;
}

int64_t calling_default_retry(const char *result)
{
	if (strcmp(result, "no_answer") == 0)
		return 2 * 3600;
	if (strcmp(result, "busy") == 0)
		return 15 * 60;
	if (strcmp(result, "voicemail") == 0)
		return 4 * 3600;
	if (strcmp(result, "gatekeeper") == 0)
		return 24 * 3600;
	if (strcmp(result, "conversation") == 0)
		return 24 * 3600; /* a conversation with an outcome that is not final */
	return 0;
}

int calling_parse_retry(const char *text, char *result, size_t size, int64_t *seconds, struct tp_error *err)
{
	const char *eq = strchr(text, '=');
	size_t len = eq ? (size_t)(eq - text) : 0;

	if (!eq || len == 0 || len >= size)
		goto bad;
	memcpy(result, text, len);
	result[len] = '\0';
	if (!call_result_valid(result) || call_result_never_retried(result) || strcmp(result, "conversation") == 0)
		return tp_error_msg(err, TP_EUSAGE, NULL, 0, "retry", 0,
			TP_MSG("'%s': retry delays are set for no_answer, busy, voicemail or gatekeeper"), 1, result);
	return units_parse_duration(eq + 1, "retry", 1, 366 * 86400, seconds, err);
bad:
	return tp_error_msg(err, TP_EUSAGE, NULL, 0, "retry", 0, TP_MSG("'%s': expected RESULT=DELAY, e.g. no_answer=2h"), 1, text);
}
