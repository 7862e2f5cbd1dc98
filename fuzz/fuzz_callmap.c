/* libFuzzer: call-history mapping files (core/callmap.c), then one row through the
 * parsed mapping with values taken from the rest of the input. */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "core/callmap.h"
#include "core/xalloc.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	const uint8_t *split = memchr(data, 0xff, size);
	size_t map_len = split ? (size_t)(split - data) : size;
	struct callmap m;
	struct tp_error err;

	tp_error_clear(&err);
	if (callmap_parse(&m, "fuzz.mapping", (const char *)data, map_len, &err) != 0) {
		/* A refusal always says where. */
		if (err.line < 1 || strcmp(err.file, "fuzz.mapping") != 0 || !err.reason[0])
			abort();
		return 0;
	}
	if (split) {
		/* The rest: values for each target, separated by 0xfe. */
		char *rest = xstrndup((const char *)split + 1, size - map_len - 1), *p = rest;
		struct call_row row = {{0}};
		struct call_parts parts;
		int year = 0, month = 0;

		for (int t = 0; t < CM_COUNT && p; t++) {
			char *sep = strchr(p, '\xfe');

			if (sep)
				*sep = '\0';
			row.v[t] = p;
			p = sep ? sep + 1 : NULL;
		}
		tp_error_clear(&err);
		if (callmap_row(&m, &row, &year, &month, &parts, &err) == 0) {
			/* A row taken has a real month, and a day, weekday and time exactly as far
			 * as it says it knows them: none made up. */
			int has_day = parts.known == WHEN_FULL || parts.known == WHEN_DAY;

			if (parts.month < 1 || parts.month > 12 || !parts.agent || !parts.result)
				abort();
			if (has_day ? parts.day < 1 || parts.day > 31 : parts.day != 0)
				abort();
			if (parts.known == WHEN_FULL ? parts.hour > 23 || parts.minute > 59 || parts.second > 59
						     : parts.hour != 0 || parts.minute != 0 || parts.second != 0)
				abort();
			if (parts.known == WHEN_WEEKDAY && (parts.weekday < 0 || parts.weekday > 6))
				abort();
		} else if (!err.field[0]) {
			abort();
		}
		free(rest);
	}
	callmap_release(&m);
	return 0;
}
