#ifndef TP_HTML_H
#define TP_HTML_H
/*
 * Writing HTML safely: html_f's %s escapes its argument (text from users and the
 * database never becomes markup), %S writes trusted markup as is; the page layout
 * (head, navigation by role, CSRF token for forms and scripts) lives here once.
 */
#include "http/http.h"
#include "http/i18n.h"

/* The request's language's translation of msgid. */
#define T(r, msgid) i18n((r)->lang, msgid)

void html_esc(struct strbuf *sb, const char *s);
/* printf-like into r->out: %s escaped text (NULL writes nothing), %S raw markup, %d int,
 * %ld long, %lld long long, %% a percent sign. */
void html_f(struct http_req *r, const char *fmt, ...);
/* The head, the navigation of the user's role and the page's heading. */
void html_begin(struct http_req *r, const char *title, const char *active);
void html_end(struct http_req *r);
/* A hidden input with the session's CSRF token. */
void html_csrf(struct http_req *r);
/* Writes ' data-t="{...}"': the words app.js shows, translated for the request. */
void html_script_words(struct http_req *r);
/* s percent-encoded for a URL's query, in the request's arena. */
const char *html_url(struct http_req *r, const char *s);
/* A complete page with a message (e.g. an error), in the layout. */
void html_message(struct http_req *r, int status, const char *title, const char *message);

#endif
