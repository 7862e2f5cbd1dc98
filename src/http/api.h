#ifndef TP_API_H
#define TP_API_H
/* Helpers of the JSON API (api.c) that the pages share. */
#include <microhttpd.h>
#include <sodium.h>

#include "http/http.h"

/* A JSON member, or a JSON value, as the text the app layer parses (numbers and
 * booleans written out, in the request's arena); NULL when absent or null. */
const char *api_text(struct http_req *r, json_t *j, const char *key);
const char *api_value_text(struct http_req *r, json_t *v);
/* The name of the campaign whose id is path parameter i; NULL after answering 404. */
const char *api_campaign_name(struct http_req *r, int i);
/* Ends the request's session and clears its cookie. */
TP_MUST_USE int api_logout(struct http_req *r, struct tp_error *err);

/* The server's address as the client reached it ("https://host:port"), NULL when the
 * request does not say; in the request's arena. */
const char *api_base_url(struct http_req *r);

#endif
