#ifndef TP_RESULT_H
#define TP_RESULT_H
/*
 * The results of a call (docs/CALLING.md, "Results, outcomes and what they do to the
 * lead") and their retry delays.
 */
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "core/error.h"

#define CALL_RESULTS "no_answer busy voicemail gatekeeper wrong_number invalid_number conversation"

bool call_result_valid(const char *result);
bool call_result_is_conversation(const char *result);
/* Wrong and invalid numbers: never called again. */
bool call_result_never_retried(const char *result);

/* Default retry delay (seconds) after a result; 0 for results never retried. */
int64_t calling_default_retry(const char *result);

/* Parses "no_answer=2h" / "busy=15m" / "voicemail=1d" into result and seconds. */
TP_MUST_USE int calling_parse_retry(const char *text, char *result, size_t size, int64_t *seconds,
	struct tp_error *err);

#endif
