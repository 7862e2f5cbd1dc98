#ifndef TP_SCRIPT_H
#define TP_SCRIPT_H
/*
 * Campaign scripts: Markdown with merge fields, "{{first_name}}", "{{company}}",
 * "{{agent}}" (docs/CALLING.md lists them). Merging is plain text work, no I/O: the
 * front end renders the merged Markdown (the server through cmark, safe mode).
 */
#include <stddef.h>

#include "core/xalloc.h"

/* The value of a merge field: NULL when name is not one (kept as written), "" when the
 * lead has no value (it then reads "…"). */
typedef const char *(*script_lookup_fn)(void *ctx, const char *name);

/* Appends template to out with each {{name}} replaced by its value, Markdown
 * punctuation in values escaped with a backslash (a company called "*Best*" stays
 * literal). Unknown names and unclosed braces are kept as written. */
void script_merge(struct strbuf *out, const char *template, script_lookup_fn lookup, void *ctx);

#endif
