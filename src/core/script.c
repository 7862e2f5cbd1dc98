/* Merge fields of campaign scripts (script.h). */
#include <ctype.h>
#include <string.h>

#include "core/script.h"

static void add_escaped(struct strbuf *out, const char *v)
{
	for (; *v; v++) {
		if (ispunct((unsigned char)*v) && !(*v & 0x80))
			sb_addc(out, '\\');
		sb_addc(out, *v);
	}
}

void script_merge(struct strbuf *out, const char *t, script_lookup_fn lookup, void *ctx)
{
	while (*t) {
		const char *open = strstr(t, "{{"), *close;
		char name[64];
		size_t n;

		if (!open) {
			sb_adds(out, t);
			return;
		}
		sb_add(out, t, (size_t)(open - t));
		close = strstr(open + 2, "}}");
		n = close ? (size_t)(close - open - 2) : 0;
		if (!close || n == 0 || n >= sizeof(name)) {
			sb_add(out, open, 2);
			t = open + 2;
			continue;
		}
		memcpy(name, open + 2, n);
		name[n] = '\0';
		/* "{{ first_name }}" is the same field. */
		{
			char *s = name, *e = name + strlen(name);

			while (*s == ' ')
				s++;
			while (e > s && e[-1] == ' ')
				*--e = '\0';
			const char *v = lookup(ctx, s);

			if (v)
				add_escaped(out, *v ? v : "…");
			else
				sb_add(out, open, n + 4);
		}
		t = close + 2;
	}
}
