#ifndef TP_HTTP_H
#define TP_HTTP_H
/*
 * telepro serve: the JSON API and the HTML pages over libmicrohttpd (docs/API.md,
 * docs/ARCHITECTURE.md). The server is thin: a handler reads its inputs from the request
 * (path parameters, query, form or JSON body), calls one use case of src/app with the
 * session's user as the actor, and writes the answer. Every request owns an arena
 * (r->arena) freed when it completes; handlers allocate from it and never free.
 *
 * Threads: libmicrohttpd's internal pool; each pool thread opens its own database
 * connection (its own struct app) on first use, so a request never waits for another's.
 */
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <jansson.h>

#include "app/app.h"
#include "core/xalloc.h"
#include "http/arena.h"

struct MHD_Connection;

struct http_options {
	const char *db_url;
	const char *listen;          /* "127.0.0.1:8080", "[::1]:8080", ":8080" */
	unsigned threads;            /* pool size, 0: 2 */
	unsigned max_connections;    /* in total */
	unsigned max_per_ip;
	unsigned timeout_seconds;    /* an idle connection is closed */
	unsigned header_seconds;     /* a request head takes at most this long (http/guard.h), 0: 10 */
	size_t max_body;             /* JSON and forms */
	size_t max_upload;           /* prospect files */
	size_t db_cache_kib;         /* each thread's database page cache */
	const char *call_link;       /* "tel:{phone}", "sip:{phone}@pbx.example" */
	bool secure_cookies;         /* always mark cookies Secure (behind TLS) */
	const char *trust_proxy;     /* CIDRs whose X-Forwarded-For is believed (http/net.h), may be NULL */
	const char *os_user;
	struct app_dialer *dialer;   /* Telepro dials (--sip-config), NULL: it does not */
};

/* Runs the server until SIGINT or SIGTERM; returns the exit code. */
int http_serve(const struct http_options *o);
/* Lists the routes, one "METHOD PATTERN WHO" a line (WHO: public, signed-in, or roles). */
void http_print_routes(FILE *out);

#define HTTP_PARAMS_MAX 4
#define HTTP_HEADERS_MAX 8

struct http_kv {
	const char *key, *value;
};

enum http_route_flags {
	HTTP_PUBLIC = 1,    /* no session needed */
	HTTP_PAGE = 2,      /* HTML: no session redirects to the login page */
	HTTP_UPLOAD = 4,    /* the body may be as large as max_upload */
	HTTP_REPORT = 8,    /* reads reports (KPIs over a period): answered by a report worker,
	                       so that no desk request waits behind it (server.c) */
};

struct http_req;

struct http_route {
	const char *method;
	const char *pattern;         /* "/api/v1/campaigns/{id}/next" */
	void (*fn)(struct http_req *r);
	unsigned roles;              /* enum app_role mask; 0: any signed-in user */
	unsigned flags;
};

struct http_req {
	struct MHD_Connection *conn;
	struct http_req *next_report;   /* in the report workers' queue (server.c) */
	bool deferred;                  /* handed to a report worker, its connection suspended */
	const struct http_options *opt;
	struct arena arena;
	const char *method, *path, *ip;
	int64_t started_us;
	/* The body, read up to the route's limit. */
	char *body;
	size_t body_len, body_cap, body_alloc;
	bool too_big;
	const struct http_route *route;
	const char *params[HTTP_PARAMS_MAX];
	int nparams;
	struct http_kv *form;        /* an application/x-www-form-urlencoded body, decoded */
	size_t nform;
	json_t *json;                /* the body as JSON, once http_json_body parsed it */
	/* The context of this request's thread, acting as the session's user. */
	struct app *app;
	bool signed_in;
	struct app_web_session session;
	const char *lang;            /* "fr" or "en" */
	/* The answer. */
	int status;
	const char *content_type;
	struct strbuf out;
	struct http_kv headers[HTTP_HEADERS_MAX];
	int nheaders;
	const char *log_cause;       /* why it failed, for the log */
	/* Set up by the first call of the request handler; before it, only refusal may be set
	 * (by the check of the raw request line: a 400 or 414 to answer at once). */
	bool ready;
	int refusal;
	const char *refusal_reason;
};

/* Request inputs ---------------------------------------------------------------------- */

/* A query-string argument, NULL when absent. */
const char *http_query(struct http_req *r, const char *key);
/* A request header, NULL when absent. */
const char *http_header(struct http_req *r, const char *key);
/* A field of the form body, NULL when absent. */
const char *http_form(struct http_req *r, const char *key);
/* The route r->method and r->path reach (r->params filled), NULL when none; *path_known
 * when some route has that path (another method: 405). */
const struct http_route *http_route_find(struct http_req *r, bool *path_known);

/* Reads the request's x-www-form-urlencoded body into its form fields (http_form). */
void http_parse_form(struct http_req *r);
/* Path parameter i as a positive id; 0 when it is not one. */
int64_t http_param_id(struct http_req *r, int i);
/* The body parsed as a JSON object; NULL after answering 400 when it is not one. The
 * object belongs to the request. */
/* The request's JSON object, whose keys must be among fields (NULL-terminated; NULL: the
 * handler checks them itself); NULL after a 400 reply (not JSON, not an object, or an
 * unknown field, named). HTTP_FIELDS("a", "b") builds such a list. */
json_t *http_json_body(struct http_req *r, const char *const *fields);
/* The query parameter key as a whole number from min to max into *out (left as it is when
 * the parameter is absent); false after a 400 naming it otherwise. */
bool http_query_int(struct http_req *r, const char *key, int64_t min, int64_t max, int64_t *out);
#define HTTP_FIELDS(...) ((const char *const[]){__VA_ARGS__, NULL})

/* Answers ----------------------------------------------------------------------------- */

void http_add_header(struct http_req *r, const char *key, const char *value);
/* Takes a reference to j (json_decref'd here). */
void http_reply_json(struct http_req *r, int status, json_t *j);
/* {"error":reason,"field":field} with the status that err's code calls for; an internal
 * error is logged with its cause and answered without it. */
void http_reply_error(struct http_req *r, const struct tp_error *err);
/* err's reason in the reader's language when it is a message (tp_error_msg), else as it
 * is (in the request's arena). */
const char *http_reason(struct http_req *r, const struct tp_error *err);
/* The same for an error of the request itself. */
void http_reply_status(struct http_req *r, int status, const char *field, const char *reason);
void http_redirect(struct http_req *r, const char *location);
/* data (len bytes) as the answer, of that content type (a file: .ics, .pdf, .xlsx). */
void http_reply_bytes(struct http_req *r, int status, const char *type, const char *data, size_t len);
/* The HTML in r->out, as a page. */
void http_reply_html(struct http_req *r, int status);
/* The HTTP status for a tp_status. */
int http_status_of(int code);

/* The routes: the API's (api.c) and the pages' (pages.c). */
extern const struct http_route api_routes[], page_routes[];
extern const size_t api_nroutes, page_nroutes;

/* Session cookie name. */
#define HTTP_COOKIE "tp_session"

/* Opens the session cookie and sets it (login) or clears it (logout). */
void http_set_session_cookie(struct http_req *r, const char *token, int64_t max_age);

#endif
