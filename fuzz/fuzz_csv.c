/* libFuzzer: the CSV reader, fed in two chunks split at a data-chosen point. Checks the
 * reader's own promises: line numbers grow, fields are NUL-terminated at their length. */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "core/csv.h"

static int on_record(void *ctx, const struct csv_record *rec)
{
	long *last = ctx;

	if (rec->line < *last || rec->line < 1)
		abort();
	*last = rec->line;
	for (size_t i = 0; i < rec->nfields; i++)
		if (rec->fields[i][rec->lens[i]] != '\0')
			abort();
	return 0;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct csv_reader r;
	long last = 0;
	size_t split = size ? data[0] % (size + 1) : 0;

	csv_reader_init(&r, csv_detect_delimiter((const char *)data, size), on_record, &last);
	csv_reader_feed(&r, (const char *)data, split);
	csv_reader_feed(&r, (const char *)data + split, size - split);
	csv_reader_finish(&r);
	csv_reader_release(&r);
	return 0;
}
