/* Trusted proxies and the client's address (net.h). */
#include <arpa/inet.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>

#include "core/utf8.h"
#include "http/net.h"

static bool parse_addr(const char *text, int *family, unsigned char addr[16])
{
	memset(addr, 0, 16);
	if (inet_pton(AF_INET, text, addr) == 1) {
		*family = AF_INET;
		return true;
	}
	if (inet_pton(AF_INET6, text, addr) == 1) {
		*family = AF_INET6;
		return true;
	}
	return false;
}

int net_cidrs_parse(const char *text, struct net_cidrs *out, struct tp_error *err)
{
	const char *p = text;

	memset(out, 0, sizeof(*out));
	while (p && *p) {
		size_t len = strcspn(p, ",");
		char item[64], *slash;
		struct net_cidr c;

		if (len == 0 || len >= sizeof(item))
			return tp_error_at(err, TP_EUSAGE, NULL, 0, "trust-proxy", "'%.*s': an address or ADDRESS/BITS",
				(int)(len < 60 ? len : 60), p);
		memcpy(item, p, len);
		item[len] = '\0';
		slash = strchr(item, '/');
		if (slash)
			*slash = '\0';
		if (!parse_addr(item, &c.family, c.addr))
			return tp_error_at(err, TP_EUSAGE, NULL, 0, "trust-proxy", "'%s': not an IPv4 or IPv6 address", item);
		c.bits = c.family == AF_INET ? 32 : 128;
		if (slash) {
			char *end;
			long bits = strtol(slash + 1, &end, 10);

			if (!slash[1] || *end || bits < 0 || bits > c.bits)
				return tp_error_at(err, TP_EUSAGE, NULL, 0, "trust-proxy", "'%s/%s': the prefix length is 0 to %d",
					item, slash + 1, c.bits);
			c.bits = (int)bits;
		}
		if (out->n == NET_CIDRS_MAX)
			return tp_error_at(err, TP_EUSAGE, NULL, 0, "trust-proxy", "at most %d ranges", NET_CIDRS_MAX);
		out->c[out->n++] = c;
		p += len;
		if (*p == ',')
			p++;
	}
	return 0;
}

static bool in_range(const struct net_cidr *c, int family, const unsigned char addr[16])
{
	int full = c->bits / 8, rest = c->bits % 8;

	if (family != c->family || memcmp(addr, c->addr, (size_t)full) != 0)
		return false;
	return rest == 0 || ((addr[full] ^ c->addr[full]) & (0xff << (8 - rest)) & 0xff) == 0;
}

bool net_cidrs_has(const struct net_cidrs *list, const char *ip)
{
	unsigned char addr[16];
	int family;

	if (!list || !ip || !parse_addr(ip, &family, addr))
		return false;
	for (size_t i = 0; i < list->n; i++)
		if (in_range(&list->c[i], family, addr))
			return true;
	return false;
}

void net_client(const struct net_cidrs *trusted, const char *peer, const char *xff, char *out, size_t size)
{
	snprintf(out, size, "%s", peer);
	if (!xff || !net_cidrs_has(trusted, peer))
		return;
	/* From the right: each hop a trusted proxy appended; the first one that is not ours
	 * is the client. */
	for (size_t end = strlen(xff); end > 0;) {
		size_t start = end;
		char hop[64];
		unsigned char addr[16];
		int family;

		while (start > 0 && xff[start - 1] != ',')
			start--;
		{
			size_t a = start, b = end;

			while (a < b && (xff[a] == ' ' || xff[a] == '\t'))
				a++;
			while (b > a && (xff[b - 1] == ' ' || xff[b - 1] == '\t'))
				b--;
			if (b - a == 0 || b - a >= sizeof(hop))
				return;
			memcpy(hop, xff + a, b - a);
			hop[b - a] = '\0';
		}
		if (!parse_addr(hop, &family, addr))
			return;
		snprintf(out, size, "%s", hop);
		if (!net_cidrs_has(trusted, hop))
			return;
		end = start > 0 ? start - 1 : 0;
	}
}

int net_hexval(char c)
{
	if (c >= '0' && c <= '9')
		return c - '0';
	if (c >= 'a' && c <= 'f')
		return c - 'a' + 10;
	if (c >= 'A' && c <= 'F')
		return c - 'A' + 10;
	return -1;
}

/* Percent-decodes s[0..len) ('+' a space) and says whether the result is text: UTF-8
 * without a NUL byte. */
static bool decodes_to_text(const char *s, size_t len)
{
	char buf[NET_URI_MAX];
	size_t n = 0;

	for (size_t i = 0; i < len && n < sizeof(buf); i++) {
		if (s[i] == '%' && i + 2 < len && net_hexval(s[i + 1]) >= 0 && net_hexval(s[i + 2]) >= 0) {
			buf[n++] = (char)(net_hexval(s[i + 1]) * 16 + net_hexval(s[i + 2]));
			i += 2;
		} else {
			buf[n++] = s[i] == '+' ? ' ' : s[i];
		}
	}
	return !memchr(buf, '\0', n) && utf8_valid(buf, n);
}

int net_uri_refusal(const char *uri, const char **reason)
{
	const char *q = strchr(uri, '?');
	size_t len = strlen(uri), path_len = q ? (size_t)(q - uri) : len, params = 0;

	if (len > NET_URI_MAX) {
		*reason = "the request line is too long (at most 8 KB)";
		return 414;
	}
	if (!decodes_to_text(uri, path_len)) {
		*reason = "the path is not text (a NUL byte, or not UTF-8)";
		return 400;
	}
	for (const char *p = q ? q + 1 : NULL; p && *p;) {
		size_t n = strcspn(p, "&");

		if (n && ++params > NET_QUERY_MAX) {
			*reason = "too many query parameters (at most 64)";
			return 414;
		}
		if (n && !decodes_to_text(p, n)) {
			*reason = "a query parameter is not text (a NUL byte, or not UTF-8)";
			return 400;
		}
		p += n;
		if (*p == '&')
			p++;
	}
	*reason = NULL;
	return 0;
}
