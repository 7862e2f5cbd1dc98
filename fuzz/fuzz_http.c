/* libFuzzer: the router (which route a method and path reach, and their parameters) and
 * the JSON body reader with its list of accepted fields, on arbitrary bytes: the first
 * line is "METHOD PATH", the rest the body. Either the body is an object of the accepted
 * fields, or the request was answered 400; never anything else. */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "core/xalloc.h"
#include "http/http.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	char *text = xstrndup((const char *)data, size), *nl = strchr(text, '\n'), *sp;
	struct http_req r;
	bool known;
	json_t *j;

	memset(&r, 0, sizeof(r));
	arena_init(&r.arena);
	sb_init(&r.out);
	r.ready = true;
	if (nl)
		*nl = '\0';
	sp = strchr(text, ' ');
	r.method = sp ? (*sp = '\0', text) : "GET";
	r.path = sp ? sp + 1 : text;
	r.route = http_route_find(&r, &known);
	if (r.route && (!known || r.nparams > HTTP_PARAMS_MAX))
		abort();
	r.body = nl ? nl + 1 : NULL;
	r.body_len = nl ? strlen(nl + 1) : 0;
	j = http_json_body(&r, HTTP_FIELDS("lead_id", "result", "qualification"));
	if ((j == NULL) != (r.status == 400))
		abort();
	if (j) {
		const char *key;
		json_t *v;

		json_object_foreach(j, key, v)
			if (strcmp(key, "lead_id") && strcmp(key, "result") && strcmp(key, "qualification"))
				abort();
	}
	json_decref(r.json);
	sb_release(&r.out);
	arena_release(&r.arena);
	free(text);
	return 0;
}
