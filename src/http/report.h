#ifndef TP_REPORT_H
#define TP_REPORT_H
/*
 * The campaign report as PDF (report.c, docs/REPORT.md): what `telepro report` writes and
 * the dashboard's "Download the report" sends.
 */
#include "app/app.h"
#include "core/xalloc.h"
#include "http/http.h"

struct report_query {
	const char *campaign;       /* required */
	const char *agent;          /* NULL: the team */
	const char *period;         /* 2026-W49, 2026-11, a day, or FROM..TO (core/date.h) */
};

/* The report's PDF appended to pdf; lang "fr" (default) or "en". */
TP_MUST_USE int http_report_pdf(struct app *a, const struct report_query *q, const char *lang, struct strbuf *pdf,
	struct tp_error *err);
/* GET /api/v1/report?campaign=&period=&agent= */
void page_report_pdf(struct http_req *r);

#endif
