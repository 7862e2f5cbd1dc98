#ifndef TP_PAGES_H
#define TP_PAGES_H
/* Pages shared between pages.c and page_reports.c / page_campaigns.c. */
#include "http/http.h"

void page_dashboard(struct http_req *r);
void page_campaigns(struct http_req *r);
void page_campaign(struct http_req *r);
void page_campaign_post(struct http_req *r);
/* The lead's campaign script (lead: the next JSON) merged and rendered to HTML by cmark
 * in safe mode (raw HTML and javascript: links dropped); in the request's arena. */
const char *page_script_html(struct http_req *r, json_t *lead);

#endif
