#ifndef TP_HTTP_NET_H
#define TP_HTTP_NET_H
/*
 * Who is asking: the client's address, taken from X-Forwarded-For only when the peer is a
 * proxy the server trusts (`telepro serve --trust-proxy CIDR,...`, docs/DEPLOY.md). Plain
 * parsing, no I/O; a list is built once at start and only read afterwards.
 */
#include <stdbool.h>
#include <stddef.h>

#include "core/error.h"

#define NET_CIDRS_MAX 16

struct net_cidr {
	int family;                  /* AF_INET or AF_INET6 */
	unsigned char addr[16];
	int bits;
};

struct net_cidrs {
	size_t n;
	struct net_cidr c[NET_CIDRS_MAX];
};

/* Parses "127.0.0.1/32,10.0.0.0/8,::1" (a bare address is the whole address) into out;
 * TP_EUSAGE naming the bad item. NULL or "" is an empty list. */
int net_cidrs_parse(const char *text, struct net_cidrs *out, struct tp_error *err);

/* True when the textual address ip is in one of the ranges. */
bool net_cidrs_has(const struct net_cidrs *list, const char *ip);

/*
 * The client of a request that came from peer with the X-Forwarded-For header xff (may be
 * NULL): peer itself, unless it is a trusted proxy; then the rightmost address of xff that
 * is not a trusted proxy (each proxy appends what it saw), written to out (size bytes).
 * A malformed entry stops the walk at the last trusted hop, whose address is the client.
 */
void net_client(const struct net_cidrs *trusted, const char *peer, const char *xff, char *out, size_t size);

/* The value of a hexadecimal digit, -1 when c is none. */
int net_hexval(char c);

/* The request line's limits: what libmicrohttpd would parse a query into must fit a
 * connection's memory (beyond, it closes the connection without a word). */
#define NET_QUERY_MAX 64
#define NET_URI_MAX 8192

/* The refusal a raw request target (path?query, as sent) deserves: 400 when the path or
 * a query parameter does not percent-decode to text (a NUL byte, invalid UTF-8), 414 when
 * it is longer than NET_URI_MAX or has more than NET_QUERY_MAX parameters; 0 when fine.
 * *reason gets a static sentence. */
int net_uri_refusal(const char *uri, const char **reason);

#endif
