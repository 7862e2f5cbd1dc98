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

/* The dashboard's charts and numbers (page_reports.c), which the PDF report (report.c)
 * draws too: SVG into r->out, words in r->lang. */
void page_chart_hours(struct http_req *r, json_t *groups);
void page_chart_heatmap(struct http_req *r, json_t *groups);
void page_bars(struct http_req *r, const char *title, int nbars, const char *const *labels, const long long *values);
const char *page_pct(struct http_req *r, double v);
const char *page_num(struct http_req *r, double v, int decimals);

#endif
