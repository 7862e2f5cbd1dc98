/*
 * The HTTP server (http.h): libmicrohttpd with its internal thread pool, the route
 * table's dispatch, sessions, CSRF, limits, security headers and the access log.
 *
 * A request goes: first call (headers read) → route found, body limit checked against
 * Content-Length (413 before any byte of the body is read, before the session is even
 * looked at) → body calls (appended up to the limit) → last call: session, role, CSRF,
 * handler, answer → completion: one access-log line, the arena freed.
 */
#include <arpa/inet.h>
#include <errno.h>
#include <netdb.h>
#include <pthread.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>
#include <microhttpd.h>
#include <sodium.h>

#include "http/html.h"
#include "http/http.h"
#include "http/i18n.h"
#include "http/net.h"
#include "http/guard.h"
#include "core/utf8.h"

/* The proxies whose X-Forwarded-For is believed: set once before the first request. */
static struct net_cidrs trusted_proxies;

/* The connection's watch (http/guard.h). */
static void *watch_of(struct MHD_Connection *conn)
{
	const union MHD_ConnectionInfo *ci = MHD_get_connection_info(conn, MHD_CONNECTION_INFO_SOCKET_CONTEXT);

	return ci ? ci->socket_context : NULL;
}

/* One struct app (one database connection) per pool thread, opened on first use; the list
 * lets the main thread close them all when the server stops. */
struct thread_app {
	struct app *app;
	bool open;
	struct thread_app *next;
};
static pthread_mutex_t apps_lock = PTHREAD_MUTEX_INITIALIZER;
static struct thread_app *apps;
static __thread struct thread_app *my_app;

static int64_t now_us(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (int64_t)ts.tv_sec * 1000000 + ts.tv_nsec / 1000;
}

static struct app *thread_app(const struct http_options *o, struct tp_error *err)
{
	if (!my_app) {
		my_app = xcalloc(1, sizeof(*my_app));
		pthread_mutex_lock(&apps_lock);
		my_app->next = apps;
		apps = my_app;
		pthread_mutex_unlock(&apps_lock);
	}
	if (!my_app->open) {
		/* A database that cannot be reached says so (TP_EUNAVAILABLE: 503); the next
		 * request tries again. */
		if (app_open(&my_app->app, o->db_url, o->os_user, NULL, err))
			return NULL;
		my_app->open = true;
		if (app_set_cache_kib(my_app->app, (int64_t)o->db_cache_kib, err))
			return NULL;
	}
	return my_app->app;
}

static void close_apps(void)
{
	pthread_mutex_lock(&apps_lock);
	while (apps) {
		struct thread_app *t = apps;

		apps = t->next;
		if (t->open)
			app_close(t->app);
		free(t);
	}
	pthread_mutex_unlock(&apps_lock);
}

/*
 * Report workers: a request of an HTTP_REPORT route (the dashboard, KPIs, insights, the
 * PDF report) is answered on a thread of its own, its connection suspended meanwhile, so
 * that the pool thread goes on at once with the desk's requests of its other connections
 * (a pool thread serves its connections one at a time: a report of a large campaign, a
 * tenth of a second, would make each of them wait). Each worker has its database
 * connection, like a pool thread. While the server stops, reports are answered in place.
 */
#define REPORT_WORKERS 2

static struct {
	pthread_mutex_t lock;
	pthread_cond_t wake;
	struct http_req *head, *tail;
	bool running, stopping;
	pthread_t threads[REPORT_WORKERS];
	int nthreads;
} reports = {.lock = PTHREAD_MUTEX_INITIALIZER, .wake = PTHREAD_COND_INITIALIZER};

static void handle(struct http_req *r);
static void forget_dropped_connection(const struct http_req *r);

static void *report_worker(void *arg)
{
	(void)arg;
	for (;;) {
		struct http_req *r;

		pthread_mutex_lock(&reports.lock);
		while (!reports.head && !reports.stopping)
			pthread_cond_wait(&reports.wake, &reports.lock);
		if (!(r = reports.head)) {
			pthread_mutex_unlock(&reports.lock);
			break;
		}
		if (!(reports.head = r->next_report))
			reports.tail = NULL;
		pthread_mutex_unlock(&reports.lock);
		handle(r);
		forget_dropped_connection(r);
		/* The connection's next turn sends the answer (on_request). */
		MHD_resume_connection(r->conn);
	}
	return NULL;
}

/* Hands r to a report worker and suspends its connection: true; false when r is not a
 * report or the workers stopped (r is answered in place). */
static bool report_defer(struct http_req *r)
{
	bool queued = false;

	if (!(r->route->flags & HTTP_REPORT))
		return false;
	pthread_mutex_lock(&reports.lock);
	if (reports.running && !reports.stopping) {
		r->deferred = true;
		r->next_report = NULL;
		MHD_suspend_connection(r->conn);
		if (reports.tail)
			reports.tail->next_report = r;
		else
			reports.head = r;
		reports.tail = r;
		pthread_cond_signal(&reports.wake);
		queued = true;
	}
	pthread_mutex_unlock(&reports.lock);
	return queued;
}

static void reports_start(void)
{
	pthread_mutex_lock(&reports.lock);
	reports.stopping = false;
	for (int i = 0; i < REPORT_WORKERS; i++)
		if (pthread_create(&reports.threads[reports.nthreads], NULL, report_worker, NULL) == 0)
			reports.nthreads++;
	reports.running = reports.nthreads > 0;
	pthread_mutex_unlock(&reports.lock);
}

/* The workers answer what is queued, then end; reports are answered in place from then on. */
static void reports_stop(void)
{
	pthread_mutex_lock(&reports.lock);
	reports.stopping = true;
	pthread_cond_broadcast(&reports.wake);
	pthread_mutex_unlock(&reports.lock);
	for (int i = 0; i < reports.nthreads; i++)
		pthread_join(reports.threads[i], NULL);
	reports.nthreads = 0;
	reports.running = false;
}

static bool is_api(const struct http_req *r)
{
	return strncmp(r->path, "/api/", 5) == 0;
}

/* Matches path against pattern, capturing {name} segments into r->params. */
static bool route_match(struct http_req *r, const char *pattern, const char *path)
{
	int n = 0;

	while (*pattern && *path) {
		if (*pattern == '{') {
			const char *pe = strchr(pattern, '}'), *se = strchr(path, '/');

			if (!pe || n == HTTP_PARAMS_MAX)
				return false;
			if (!se)
				se = path + strlen(path);
			if (se == path)
				return false;
			r->params[n++] = arena_strndup(&r->arena, path, (size_t)(se - path));
			pattern = pe + 1;
			path = se;
			continue;
		}
		if (*pattern != *path)
			return false;
		pattern++;
		path++;
	}
	if (*pattern || *path)
		return false;
	r->nparams = n;
	return true;
}

/* The route for method and path; *path_known says whether another method would do. */
const struct http_route *http_route_find(struct http_req *r, bool *path_known)
{
	const struct http_route *table = is_api(r) ? api_routes : page_routes;
	size_t n = is_api(r) ? api_nroutes : page_nroutes;

	*path_known = false;
	for (size_t i = 0; i < n; i++) {
		if (!route_match(r, table[i].pattern, r->path))
			continue;
		*path_known = true;
		if (strcmp(table[i].method, r->method) == 0 ||
		    (strcmp(r->method, "HEAD") == 0 && strcmp(table[i].method, "GET") == 0))
			return &table[i];
	}
	return NULL;
}

static const char *accept_language(struct http_req *r)
{
	const char *al = http_header(r, MHD_HTTP_HEADER_ACCEPT_LANGUAGE);

	/* The first of French or English the browser names; French when it names neither. */
	for (const char *p = al; p && *p; p++) {
		if ((p == al || p[-1] == ',' || p[-1] == ' ') && (strncmp(p, "fr", 2) == 0 || strncmp(p, "en", 2) == 0))
			return strncmp(p, "fr", 2) == 0 ? "fr" : "en";
	}
	return "fr";
}

/* Reads the session cookie; r->signed_in when it names a live session. */
static int load_session(struct http_req *r, struct tp_error *err)
{
	const char *token = MHD_lookup_connection_value(r->conn, MHD_COOKIE_KIND, HTTP_COOKIE);
	int rc;

	if (!token)
		return 0;
	rc = app_web_session(r->app, token, &r->session, err);
	if (rc == TP_ENOTFOUND) {
		tp_error_clear(err);
		return 0;
	}
	if (rc)
		return rc;
	r->signed_in = true;
	return 0;
}

static bool csrf_ok(struct http_req *r)
{
	const char *t = http_header(r, "X-CSRF-Token");

	if (!t)
		t = http_form(r, "csrf");
	return t && strlen(t) == strlen(r->session.csrf) && sodium_memcmp(t, r->session.csrf, strlen(t)) == 0;
}

/* False when the request names an Origin other than this server (scheme://Host). */
static bool same_origin(struct http_req *r)
{
	const char *origin = http_header(r, "Origin"), *host = http_header(r, MHD_HTTP_HEADER_HOST), *p;

	if (!origin || strcmp(origin, "null") == 0)
		return true;   /* not a browser's cross-site request, or a privacy-stripped one */
	if (!host || !(p = strstr(origin, "://")))
		return false;
	return strcmp(p + 3, host) == 0;
}

static void forbidden(struct http_req *r, const char *why)
{
	if (r->route->flags & HTTP_PAGE) {
		html_message(r, 403, T(r, "Access refused"), T(r, why));   /* in the site's layout */
	} else {
		http_reply_status(r, 403, NULL, why);
	}
}

static void handle(struct http_req *r)
{
	struct tp_error err;
	unsigned role;

	tp_error_clear(&err);
	r->lang = accept_language(r);
	if (!(r->app = thread_app(r->opt, &err))) {
		http_reply_error(r, &err);
		return;
	}
	/* Each request starts as nobody: the previous request's user is forgotten. */
	app_act_as_nobody(r->app);
	if (load_session(r, &err)) {
		http_reply_error(r, &err);
		return;
	}
	if (r->signed_in && r->session.user.lang[0])
		r->lang = r->session.user.lang;
	if (r->body_len && !(r->route->flags & HTTP_UPLOAD)) {
		const char *ct = http_header(r, MHD_HTTP_HEADER_CONTENT_TYPE);

		if (ct && strncmp(ct, "application/x-www-form-urlencoded", 33) == 0)
			http_parse_form(r);
	}
	if (!(r->route->flags & HTTP_PUBLIC)) {
		if (!r->signed_in) {
			if (r->route->flags & HTTP_PAGE) {
				http_redirect(r, strcmp(r->method, "GET") == 0
					? arena_printf(&r->arena, "/login?next=%s", r->path) : "/login");
			} else {
				http_reply_status(r, 401, NULL, "sign in first (POST /api/v1/login)");
			}
			return;
		}
		role = app_role_of(r->session.user.role);
		if (r->route->roles && !(r->route->roles & role)) {
			forbidden(r, "Your role may not open this page.");
			return;
		}
	}
	/* A state change from another site is refused when the browser says so (Origin): this
	 * covers the login form too, which has no session yet. */
	if (strcmp(r->method, "GET") && strcmp(r->method, "HEAD") && !same_origin(r)) {
		forbidden(r, "The form has expired or did not come from Telepro (CSRF token): reload the page.");
		return;
	}
	/* A state change made with the session cookie must carry the session's CSRF token:
	 * another site can make the browser send the cookie, never the token. The login form
	 * (public) opens a new session and needs none. */
	if (r->signed_in && !(r->route->flags & HTTP_PUBLIC) && strcmp(r->method, "GET") && strcmp(r->method, "HEAD") &&
	    !csrf_ok(r)) {
		forbidden(r, "The form has expired or did not come from Telepro (CSRF token): reload the page.");
		return;
	}
	r->route->fn(r);
}

/* Security headers on every answer: no inline script, no framing, no sniffing. */
static void add_common_headers(struct MHD_Response *resp, bool cacheable)
{
	MHD_add_response_header(resp, "Content-Security-Policy",
		"default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:;"
		" connect-src 'self'; form-action 'self'; frame-ancestors 'none'; base-uri 'none'; object-src 'none'");
	MHD_add_response_header(resp, "X-Content-Type-Options", "nosniff");
	MHD_add_response_header(resp, "X-Frame-Options", "DENY");
	MHD_add_response_header(resp, "Referrer-Policy", "same-origin");
	MHD_add_response_header(resp, MHD_HTTP_HEADER_CACHE_CONTROL, cacheable ? "public, max-age=3600" : "no-store");
}

static enum MHD_Result send_answer(struct http_req *r)
{
	struct MHD_Response *resp;
	enum MHD_Result ret;

	if (!r->status)
		http_reply_status(r, 500, NULL, "internal error: the handler gave no answer");
	resp = MHD_create_response_from_buffer(r->out.len, r->out.buf, MHD_RESPMEM_MUST_COPY);
	if (!resp)
		return MHD_NO;
	add_common_headers(resp, r->status == 200 && strncmp(r->path, "/static/", 8) == 0);
	if (r->content_type)
		MHD_add_response_header(resp, MHD_HTTP_HEADER_CONTENT_TYPE, r->content_type);
	for (int i = 0; i < r->nheaders; i++)
		MHD_add_response_header(resp, r->headers[i].key, r->headers[i].value);
	ret = MHD_queue_response(r->conn, (unsigned)r->status, resp);
	MHD_destroy_response(resp);
	return ret;
}

static enum MHD_Result on_request(void *cls, struct MHD_Connection *conn, const char *url, const char *method,
	const char *version, const char *upload, size_t *upload_size, void **con_cls)
{
	const struct http_options *o = cls;
	struct http_req *r = *con_cls;

	(void)version;
	if (!r->ready) {
		const union MHD_ConnectionInfo *ci = MHD_get_connection_info(conn, MHD_CONNECTION_INFO_CLIENT_ADDRESS);
		const char *cl;
		char ip[INET6_ADDRSTRLEN] = "?";
		bool path_known;
		size_t limit;

		r->ready = true;
		guard_head_done(watch_of(conn));
		arena_init(&r->arena);
		sb_init(&r->out);
		r->conn = conn;
		r->opt = o;
		r->started_us = now_us();
		r->method = arena_strdup(&r->arena, method);
		r->path = arena_strdup(&r->arena, url);
		if (ci && ci->client_addr) {
			const struct sockaddr *sa = ci->client_addr;

			if (sa->sa_family == AF_INET)
				inet_ntop(AF_INET, &((const struct sockaddr_in *)sa)->sin_addr, ip, sizeof(ip));
			else if (sa->sa_family == AF_INET6)
				inet_ntop(AF_INET6, &((const struct sockaddr_in6 *)sa)->sin6_addr, ip, sizeof(ip));
		}
		{
			char client[INET6_ADDRSTRLEN];

			net_client(&trusted_proxies, ip, MHD_lookup_connection_value(conn, MHD_HEADER_KIND,
				"X-Forwarded-For"), client, sizeof(client));
			r->ip = arena_strdup(&r->arena, client);
		}
		if (r->refusal) {
			http_reply_status(r, r->refusal, NULL, r->refusal_reason);
			return send_answer(r);
		}
		r->route = http_route_find(r, &path_known);
		if (!r->route) {
			if (path_known) {
				http_reply_status(r, 405, NULL, "method not allowed on this path");
			} else if (is_api(r)) {
				http_reply_status(r, 404, NULL, "no such API path (docs/API.md)");
			} else {
				r->lang = accept_language(r);
				html_message(r, 404, T(r, "Page not found"), T(r, "There is no page at this address."));
			}
			return send_answer(r);
		}
		/* Too large: said from Content-Length before a byte of the body is read. */
		limit = (r->route->flags & HTTP_UPLOAD) ? o->max_upload : o->max_body;
		cl = MHD_lookup_connection_value(conn, MHD_HEADER_KIND, MHD_HTTP_HEADER_CONTENT_LENGTH);
		if (cl && strtoull(cl, NULL, 10) > limit) {
			http_reply_status(r, 413, NULL,
				arena_printf(&r->arena, "the body is larger than %zu bytes", limit));
			return send_answer(r);
		}
		r->body_cap = limit;
		return MHD_YES;
	}
	if (*upload_size) {
		guard_body(watch_of(conn), *upload_size);
		/* A body sent without Content-Length (chunked) is cut at the limit. */
		if (!r->too_big && r->body_len + *upload_size > r->body_cap) {
			r->too_big = true;
		} else if (!r->too_big) {
			/* Grown as it comes (doubling, within the limit): a small body costs little. */
			size_t need = r->body_len + *upload_size + 1;

			if (need > r->body_alloc) {
				size_t alloc = r->body_alloc ? r->body_alloc : 16384;

				while (alloc < need)
					alloc *= 2;
				if (alloc > r->body_cap + 1)
					alloc = r->body_cap + 1;
				r->body = xrealloc(r->body, alloc);
				r->body_alloc = alloc;
			}
			memcpy(r->body + r->body_len, upload, *upload_size);
			r->body_len += *upload_size;
			r->body[r->body_len] = '\0';
		}
		*upload_size = 0;
		return MHD_YES;
	}
	guard_processing(watch_of(conn));
	if (r->deferred)   /* back from a report worker, answered */
		return send_answer(r);
	if (r->status)   /* already answered (413, 404) */
		return MHD_YES;
	if (r->too_big) {
		http_reply_status(r, 413, NULL, arena_printf(&r->arena, "the body is larger than %zu bytes", r->body_cap));
	} else {
		if (report_defer(r))
			return MHD_YES;
		handle(r);
	}
	forget_dropped_connection(r);
	return send_answer(r);
}

/* A connection the database dropped (a restart) is not used again: the thread opens a new
 * one with its next request. */
static void forget_dropped_connection(const struct http_req *r)
{
	if (r->status == 503 && my_app && my_app->open) {
		app_close(my_app->app);
		my_app->app = NULL;
		my_app->open = false;
	}
}

static void on_completed(void *cls, struct MHD_Connection *conn, void **con_cls, enum MHD_RequestTerminationCode toe)
{
	struct http_req *r = *con_cls;
	char when[32];
	struct tm tm;
	time_t t = time(NULL);

	(void)cls;
	guard_answered(watch_of(conn));
	if (!r)
		return;
	if (!r->ready) {     /* the request line came, the request did not */
		free(r);
		*con_cls = NULL;
		return;
	}
	gmtime_r(&t, &tm);
	strftime(when, sizeof(when), "%Y-%m-%dT%H:%M:%SZ", &tm);
	/* One line per request: when, who, what, the answer, how long; the cause of errors. */
	fprintf(stderr, "%s %s %s %s %d %zu %.1fms %s%s%s%s\n", when, r->ip, r->method, r->path, r->status, r->out.len,
		(double)(now_us() - r->started_us) / 1000.0, r->signed_in ? r->session.user.name : "-",
		toe != MHD_REQUEST_TERMINATED_COMPLETED_OK ? " (connection ended early)" : "",
		r->log_cause && r->status >= 500 ? " error: " : "", r->log_cause && r->status >= 500 ? r->log_cause : "");
	json_decref(r->json);
	free(r->body);
	sb_release(&r->out);
	arena_release(&r->arena);
	free(r);
	*con_cls = NULL;
}

static void on_mhd_log(void *cls, const char *fmt, va_list ap)
{
	(void)cls;
	fputs("serve: ", stderr);
	vfprintf(stderr, fmt, ap);
}

void http_print_routes(FILE *out)
{
	static const struct {
		unsigned role;
		const char *name;
	} roles[] = {{APP_AGENT, "agent"}, {APP_SALES, "sales"}, {APP_MANAGER, "manager"}, {APP_ADMIN, "admin"}};
	const struct http_route *tables[] = {api_routes, page_routes};
	size_t sizes[] = {api_nroutes, page_nroutes};

	for (int t = 0; t < 2; t++) {
		for (size_t i = 0; i < sizes[t]; i++) {
			const struct http_route *rt = &tables[t][i];

			fprintf(out, "%s %s ", rt->method, rt->pattern);
			if (rt->flags & HTTP_PUBLIC) {
				fputs("public", out);
			} else if (!rt->roles) {
				fputs("signed-in", out);
			} else {
				const char *sep = "";

				for (size_t k = 0; k < sizeof(roles) / sizeof(roles[0]); k++)
					if (rt->roles & roles[k].role) {
						fprintf(out, "%s%s", sep, roles[k].name);
						sep = ",";
					}
			}
			fputc('\n', out);
		}
	}
}

/* Startup ----------------------------------------------------------------------------- */

/* "HOST:PORT", "[V6]:PORT" or ":PORT" into a socket address. */
static int parse_listen(const char *listen, struct sockaddr_storage *ss, socklen_t *len, struct tp_error *err)
{
	char host[256];
	const char *colon, *port;
	struct addrinfo hints = {0}, *res = NULL;
	int rc;

	if (listen[0] == '[') {
		const char *close = strchr(listen, ']');

		if (!close || close[1] != ':')
			goto bad;
		snprintf(host, sizeof(host), "%.*s", (int)(close - listen - 1), listen + 1);
		port = close + 2;
	} else {
		if (!(colon = strrchr(listen, ':')))
			goto bad;
		snprintf(host, sizeof(host), "%.*s", (int)(colon - listen), listen);
		port = colon + 1;
	}
	if (!*port || strlen(port) > 5 || strspn(port, "0123456789") != strlen(port) || strtol(port, NULL, 10) < 1 ||
	    strtol(port, NULL, 10) > 65535)
		goto bad;
	hints.ai_family = AF_UNSPEC;
	hints.ai_socktype = SOCK_STREAM;
	hints.ai_flags = AI_PASSIVE | AI_NUMERICSERV;
	if ((rc = getaddrinfo(*host ? host : NULL, port, &hints, &res)) != 0)
		return tp_error_at(err, TP_EUSAGE, NULL, 0, "listen", "'%s': %s", listen, gai_strerror(rc));
	memcpy(ss, res->ai_addr, res->ai_addrlen);
	*len = res->ai_addrlen;
	freeaddrinfo(res);
	return 0;
bad:
	return tp_error_at(err, TP_EUSAGE, NULL, 0, "listen", "'%s': HOST:PORT, e.g. 127.0.0.1:8080", listen);
}

/*
 * The request line, as it came, before MHD parses or decodes it (MHD_OPTION_URI_LOG_
 * CALLBACK): the request's context is made here, marked with the refusal to answer when
 * the path or a query parameter is not text (a NUL byte, invalid UTF-8: 400), the line is
 * too long or has too many parameters (414). For the latter, the query is cut at its
 * first character (the line is MHD's own buffer, writable: cast) so that MHD parses none
 * of it and the answer can be sent.
 */
static void *on_uri(void *cls, const char *uri, struct MHD_Connection *conn)
{
	struct http_req *r = xcalloc(1, sizeof(*r));
	const char *q = strchr(uri, '?');

	(void)cls;
	(void)conn;
	r->refusal = net_uri_refusal(uri, &r->refusal_reason);
	if (r->refusal == 414 && q)
		((char *)q)[1] = '\0';
	return r;
}

static void on_connection(void *cls, struct MHD_Connection *conn, void **ctx, enum MHD_ConnectionNotificationCode code)
{
	(void)cls;
	if (code == MHD_CONNECTION_NOTIFY_STARTED) {
		const union MHD_ConnectionInfo *ci = MHD_get_connection_info(conn, MHD_CONNECTION_INFO_CONNECTION_FD);

		if (ci)
			guard_open(ctx, ci->connect_fd);
	} else {
		guard_close(ctx);
	}
}

int http_serve(const struct http_options *o)
{
	struct sockaddr_storage ss;
	socklen_t sslen;
	struct tp_error err;
	struct app *probe = NULL;
	struct MHD_Daemon *d;
	sigset_t stop;
	int migrated = 0, sig = 0;
	unsigned flags = MHD_USE_INTERNAL_POLLING_THREAD | MHD_USE_ERROR_LOG | MHD_USE_AUTO | MHD_USE_ITC |
		MHD_ALLOW_SUSPEND_RESUME;

	tp_error_clear(&err);
	if (parse_listen(o->listen, &ss, &sslen, &err) || net_cidrs_parse(o->trust_proxy, &trusted_proxies, &err))
		goto fail;
	/* Open the database once here: migrations run before the first request, and a bad
	 * URL is said now rather than on every request. */
	if (app_open(&probe, o->db_url, o->os_user, &migrated, &err))
		goto fail;
	app_close(probe);
	if (i18n_init(&err))
		goto fail;
	if (guard_start(o->header_seconds ? o->header_seconds : 10, 1024)) {
		tp_error_set(&err, TP_ERR, "could not start the slow-client guard");
		goto fail;
	}
	if (ss.ss_family == AF_INET6)
		flags |= MHD_USE_IPv6;
	/* The pool threads inherit a mask without the stop signals: only sigwait sees them. */
	sigemptyset(&stop);
	sigaddset(&stop, SIGINT);
	sigaddset(&stop, SIGTERM);
	pthread_sigmask(SIG_BLOCK, &stop, NULL);
	signal(SIGPIPE, SIG_IGN);
	d = MHD_start_daemon(flags, 0, NULL, NULL, on_request, (void *)o,
		MHD_OPTION_EXTERNAL_LOGGER, on_mhd_log, NULL,
		MHD_OPTION_SOCK_ADDR, (struct sockaddr *)&ss,
		MHD_OPTION_THREAD_POOL_SIZE, (unsigned)(o->threads ? o->threads : 2),
		MHD_OPTION_CONNECTION_LIMIT, (unsigned)o->max_connections,
		MHD_OPTION_PER_IP_CONNECTION_LIMIT, (unsigned)o->max_per_ip,
		MHD_OPTION_CONNECTION_TIMEOUT, (unsigned)o->timeout_seconds,
		/* Request line and headers must fit in this per-connection pool (431 otherwise). */
		MHD_OPTION_CONNECTION_MEMORY_LIMIT, (size_t)16384,
		MHD_OPTION_NOTIFY_COMPLETED, on_completed, NULL,
		MHD_OPTION_URI_LOG_CALLBACK, on_uri, NULL,
		MHD_OPTION_NOTIFY_CONNECTION, on_connection, NULL,
		MHD_OPTION_END);
	if (!d) {
		tp_error_set(&err, TP_ERR, "could not listen on %s: %s", o->listen,
			errno ? strerror(errno) : "libmicrohttpd refused to start");
		goto fail;
	}
	reports_start();
	fprintf(stderr, "serve: listening on http://%s/ (%u threads, %d for reports, database %s)\n", o->listen,
		o->threads ? o->threads : 2, reports.nthreads, o->db_url);
	while (sigwait(&stop, &sig) != 0)
		;
	fprintf(stderr, "serve: %s, stopping: no new connections, finishing the requests under way\n",
		sig == SIGINT ? "SIGINT" : "SIGTERM");
	/* Graceful: stop accepting, give open requests a few seconds, then stop. */
	MHD_quiesce_daemon(d);
	for (int i = 0; i < 50; i++) {
		const union MHD_DaemonInfo *di = MHD_get_daemon_info(d, MHD_DAEMON_INFO_CURRENT_CONNECTIONS);

		if (!di || di->num_connections == 0)
			break;
		usleep(100000);
	}
	reports_stop();
	MHD_stop_daemon(d);
	guard_stop();
	close_apps();
	i18n_release();
	fprintf(stderr, "serve: stopped\n");
	return 0;
fail: {
		char msg[1024];

		tp_error_format(&err, msg, sizeof(msg));
		fprintf(stderr, "telepro serve: %s\n", msg);
		return tp_error_exit_code(err.code);
	}
}
