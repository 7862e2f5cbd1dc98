/* libFuzzer: what a client controls before any handler runs — the raw request target
 * (net_uri_refusal), X-Forwarded-For behind trusted proxies (net_client), a list of
 * proxies (net_cidrs_parse) — on arbitrary bytes. */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "core/xalloc.h"
#include "http/net.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	char *text = xstrndup((const char *)data, size);
	const char *reason = NULL;
	struct net_cidrs trusted, any;
	struct tp_error err;
	char client[64];
	int status = net_uri_refusal(text, &reason);

	/* A refusal always says why; an answer is 0, 400 or 414. */
	if ((status != 0 && status != 400 && status != 414) || (status && !reason))
		abort();
	tp_error_clear(&err);
	if (net_cidrs_parse("127.0.0.1/32,10.0.0.0/8,::1", &trusted, &err))
		abort();
	net_client(&trusted, "127.0.0.1", text, client, sizeof(client));
	/* The client is the peer or one of the header's addresses, never anything else. */
	if (strcmp(client, "127.0.0.1") != 0 && !strstr(text, client))
		abort();
	if (net_cidrs_parse(text, &any, &err) == 0 && any.n > NET_CIDRS_MAX)
		abort();
	free(text);
	return 0;
}
