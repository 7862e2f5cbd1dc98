/* libFuzzer: the whole prospect importer (CSV, UTF-8, headers, phones) into a sink that
 * checks what it is given: every prospect has an E.164 number to call. */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "core/import.h"

static int sink_prospect(void *ctx, const struct prospect *p, struct tp_error *err)
{
	(void)ctx;
	(void)err;
	if (!p->lead_phone || p->lead_phone[0] != '+')
		abort();
	return p->line % 2 ? IMPORT_ADDED : IMPORT_DUPLICATE;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct import_opts opts = {.file = "fuzz.csv", .region = "FR", .latin1 = size && (data[0] & 1)};
	struct import_sink sink = {NULL, sink_prospect, NULL, NULL};
	struct importer im;
	struct tp_error err;

	tp_error_clear(&err);
	importer_init(&im, &opts, &sink);
	/* A file refused says why. */
	if ((importer_feed(&im, (const char *)data, size, &err) || importer_finish(&im, &err)) && !err.reason[0])
		abort();
	if (im.stats.imported + im.stats.duplicates + im.stats.rejected > im.stats.rows)
		abort();
	importer_release(&im);
	return 0;
}
