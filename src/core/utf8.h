#ifndef TP_UTF8_H
#define TP_UTF8_H
/* UTF-8 checks and conversions on byte ranges; nothing here allocates except into a strbuf. */
#include <stdbool.h>
#include <stddef.h>

#include "core/xalloc.h"

/* True when s[0..len) is well-formed UTF-8 (RFC 3629: no overlongs, no surrogates, <= U+10FFFF). */
bool utf8_valid(const char *s, size_t len);

/* Appends the ISO-8859-1 bytes s[0..len) to out as UTF-8. */
void latin1_to_utf8(const char *s, size_t len, struct strbuf *out);

#endif
