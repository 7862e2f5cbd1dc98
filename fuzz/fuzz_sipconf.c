/* libFuzzer: the server's SIP account file (core/sipconf.c), then a number through its URI
 * template. A refusal always says where; an accepted file has a template with the number. */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "core/sipconf.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct sipconf c;
	struct tp_error err;
	char uri[600];

	tp_error_clear(&err);
	if (sipconf_parse(&c, "fuzz.conf", (const char *)data, size, &err) != 0) {
		if (strcmp(err.file, "fuzz.conf") != 0 || !err.reason[0])
			abort();
		return 0;
	}
	if (!strstr(c.uri, "{e164}") && !strstr(c.uri, "{digits}"))
		abort();
	if (sipconf_uri(&c, "+33478123456", uri, sizeof(uri)) == 0 && !strstr(uri, "33478123456"))
		abort();
	return 0;
}
