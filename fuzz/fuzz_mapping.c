/* libFuzzer: the mapping file parser, and header recognition on arbitrary text. */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "core/fields.h"
#include "core/xalloc.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct mapping m;
	struct tp_error err;
	char *header = xstrndup((const char *)data, size);

	tp_error_clear(&err);
	if (mapping_parse(&m, "fuzz.mapping", (const char *)data, size, &err) == 0) {
		for (size_t i = 0; i < m.n; i++)
			if (!mapping_find(&m, m.entries[i].column) && m.entries[i].column[0])
				abort();
		mapping_release(&m);
	} else if (err.line < 1) {
		abort();
	}
	field_from_header(header);
	free(header);
	return 0;
}
