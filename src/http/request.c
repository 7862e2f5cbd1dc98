/*
 * A request as handlers see it (http.h): its inputs (query, headers, form, JSON body,
 * path ids) and its answers (JSON, HTML, errors in the reader's language, redirects,
 * headers, the session cookie). Below the server and the routes, which both use it.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <microhttpd.h>

#include "http/html.h"
#include "http/http.h"
#include "http/i18n.h"
#include "http/net.h"
#include "core/utf8.h"

/* Inputs ------------------------------------------------------------------------------ */

const char *http_query(struct http_req *r, const char *key)
{
	return MHD_lookup_connection_value(r->conn, MHD_GET_ARGUMENT_KIND, key);
}

const char *http_header(struct http_req *r, const char *key)
{
	return MHD_lookup_connection_value(r->conn, MHD_HEADER_KIND, key);
}

const char *http_form(struct http_req *r, const char *key)
{
	for (size_t i = 0; i < r->nform; i++)
		if (strcmp(r->form[i].key, key) == 0)
			return r->form[i].value;
	return NULL;
}

int64_t http_param_id(struct http_req *r, int i)
{
	const char *s = i < r->nparams ? r->params[i] : NULL;
	int64_t v = 0;

	if (!s || !*s || strlen(s) > 18)
		return 0;
	for (; *s; s++) {
		if (*s < '0' || *s > '9')
			return 0;
		v = v * 10 + (*s - '0');
	}
	return v;
}

bool http_query_int(struct http_req *r, const char *key, int64_t min, int64_t max, int64_t *out)
{
	const char *s = http_query(r, key);
	int64_t v = 0;
	size_t n;

	if (!s)
		return true;
	n = strspn(s, "0123456789");
	/* Digits only, and few enough that no overflow can wrap them around. */
	if (n == 0 || s[n] || n > 18 || (v = strtoll(s, NULL, 10)) < min || v > max) {
		http_reply_status(r, 400, key, arena_printf(&r->arena, "a whole number from %lld to %lld", (long long)min,
			(long long)max));
		return false;
	}
	*out = v;
	return true;
}

json_t *http_json_body(struct http_req *r, const char *const *fields)
{
	json_error_t je;
	json_t *j;

	if (!r->body_len) {
		http_reply_status(r, 400, NULL, "a JSON object is expected in the body");
		return NULL;
	}
	j = json_loadb(r->body, r->body_len, JSON_REJECT_DUPLICATES, &je);
	if (!j || !json_is_object(j)) {
		char *msg = j ? "the body must be a JSON object"
			      : arena_printf(&r->arena, "the body is not JSON: %s (line %d, column %d)", je.text,
				  je.line, je.column);

		json_decref(j);
		http_reply_status(r, 400, NULL, msg);
		return NULL;
	}
	json_decref(r->json);
	r->json = j;   /* freed with the request */
	if (fields) {
		const char *key;
		json_t *v;

		json_object_foreach(j, key, v) {
			bool known = false;

			for (size_t i = 0; fields[i] && !known; i++)
				known = strcmp(key, fields[i]) == 0;
			if (!known) {
				struct strbuf list;

				sb_init(&list);
				for (size_t i = 0; fields[i]; i++)
					sb_addf(&list, "%s%s", i ? ", " : "", fields[i]);
				http_reply_status(r, 400, arena_strdup(&r->arena, key), arena_printf(&r->arena,
					"unknown field '%.60s' (this request takes %s)", key, list.buf));
				sb_release(&list);
				return NULL;
			}
		}
	}
	return j;
}

/* Decodes one x-www-form-urlencoded component into the arena. */
static char *form_decode(struct arena *a, const char *s, size_t n)
{
	char *out = arena_alloc(a, n + 1), *o = out;

	for (size_t i = 0; i < n; i++) {
		if (s[i] == '+') {
			*o++ = ' ';
		} else if (s[i] == '%' && i + 2 < n && net_hexval(s[i + 1]) >= 0 && net_hexval(s[i + 2]) >= 0) {
			*o++ = (char)(net_hexval(s[i + 1]) * 16 + net_hexval(s[i + 2]));
			i += 2;
		} else {
			*o++ = s[i];
		}
	}
	*o = '\0';
	return out;
}

void http_parse_form(struct http_req *r)
{
	const char *p = r->body, *end = r->body + r->body_len;
	size_t n = 1;

	for (const char *q = p; q < end; q++)
		n += *q == '&';
	r->form = arena_alloc(&r->arena, n * sizeof(*r->form));
	while (p < end) {
		const char *amp = memchr(p, '&', (size_t)(end - p)), *eq;

		if (!amp)
			amp = end;
		eq = memchr(p, '=', (size_t)(amp - p));
		if (amp > p) {
			r->form[r->nform].key = form_decode(&r->arena, p, (size_t)((eq ? eq : amp) - p));
			r->form[r->nform].value = eq ? form_decode(&r->arena, eq + 1, (size_t)(amp - eq - 1)) : "";
			r->nform++;
		}
		p = amp + 1;
	}
}

/* Answers ----------------------------------------------------------------------------- */

void http_add_header(struct http_req *r, const char *key, const char *value)
{
	if (r->nheaders < HTTP_HEADERS_MAX) {
		r->headers[r->nheaders].key = key;
		r->headers[r->nheaders].value = value;
		r->nheaders++;
	}
}

void http_reply_json(struct http_req *r, int status, json_t *j)
{
	char *s = json_dumps(j, JSON_COMPACT | JSON_ENSURE_ASCII);

	json_decref(j);
	sb_reset(&r->out);
	sb_adds(&r->out, s ? s : "null");
	sb_addc(&r->out, '\n');
	free(s);
	r->status = status;
	r->content_type = "application/json; charset=utf-8";
}

int http_status_of(int code)
{
	switch (code) {
	case TP_OK:
		return 200;
	case TP_EUSAGE:
		return 400;
	case TP_ENOTFOUND:
		return 404;
	case TP_EEXIST:
		return 409;
	case TP_ENOTHING:
		return 409;
	case TP_EFORBIDDEN:
		return 403;
	case TP_ECONFLICT:
	case TP_ECONFIRM:
		return 409;
	case TP_EUNAVAILABLE:
		return 503;
	case TP_ETOOMANY:
		return 429;
	default:
		return 500;
	}
}

void http_reply_status(struct http_req *r, int status, const char *field, const char *reason)
{
	json_t *j = json_pack("{s:s}", "error", reason);

	if (field && *field)
		json_object_set_new(j, "field", json_string(field));
	http_reply_json(r, status, j);
}

const char *http_reason(struct http_req *r, const struct tp_error *err)
{
	char text[1024];

	if (!err->msgid)
		return err->reason;
	tp_error_say(err, i18n_tr, (void *)r->lang, text, sizeof(text));
	return arena_strdup(&r->arena, text);
}

void http_reply_error(struct http_req *r, const struct tp_error *err)
{
	int status = http_status_of(err->code);
	char msg[1024];

	tp_error_format(err, msg, sizeof(msg));
	if (status == 503) {
		/* The database is away (restarting): nothing was done; try again shortly. */
		r->log_cause = arena_strdup(&r->arena, msg);
		http_add_header(r, "Retry-After", "5");
		http_reply_status(r, 503, NULL, "the database cannot be reached now: nothing was done, try again in a"
			" few seconds");
		return;
	}
	if (status == 500) {
		r->log_cause = arena_strdup(&r->arena, msg);
		http_reply_status(r, 500, NULL, "internal error (the server's log says more)");
		return;
	}
	r->log_cause = arena_strdup(&r->arena, msg);
	if (err->code == TP_ECONFIRM) {
		/* The client asks the user, then sends the same request with "confirm": true. */
		json_t *j = json_pack("{s:s,s:b}", "error", http_reason(r, err), "confirm", 1);

		if (err->field[0])
			json_object_set_new(j, "field", json_string(err->field));
		http_reply_json(r, status, j);
		return;
	}
	http_reply_status(r, status, err->field[0] ? err->field : NULL, http_reason(r, err));
}

void http_redirect(struct http_req *r, const char *location)
{
	sb_reset(&r->out);
	r->status = 303;
	r->content_type = "text/plain; charset=utf-8";
	http_add_header(r, MHD_HTTP_HEADER_LOCATION, arena_strdup(&r->arena, location));
}

void http_reply_bytes(struct http_req *r, int status, const char *type, const char *data, size_t len)
{
	sb_reset(&r->out);
	sb_add(&r->out, data, len);
	r->status = status;
	r->content_type = type;
}

void http_reply_html(struct http_req *r, int status)
{
	r->status = status;
	r->content_type = "text/html; charset=utf-8";
}

void http_set_session_cookie(struct http_req *r, const char *token, int64_t max_age)
{
	const char *proto = http_header(r, "X-Forwarded-Proto");
	bool secure = r->opt->secure_cookies || (proto && strcmp(proto, "https") == 0);

	http_add_header(r, MHD_HTTP_HEADER_SET_COOKIE,
		arena_printf(&r->arena, "%s=%s; Path=/; Max-Age=%lld; HttpOnly; SameSite=Lax%s", HTTP_COOKIE, token,
			(long long)max_age, secure ? "; Secure" : ""));
}

/* Dispatch ---------------------------------------------------------------------------- */
