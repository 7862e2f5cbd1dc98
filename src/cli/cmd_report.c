/* telepro report: the campaign report as PDF (docs/REPORT.md). */
#include <stdio.h>
#include <string.h>

#include "cli/cli.h"
#include "cli/options.h"
#include "http/i18n.h"
#include "http/report.h"

static const char usage[] =
	"usage: telepro report --campaign NAME --period 2026-W49|2026-11|YYYY-MM-DD|FROM..TO [--agent NAME]\n"
	"                      [--lang fr|en] --output FILE\n";
static const char about[] =
	"The campaign's report for the period as a PDF (A4, fonts embedded): the key figures with\n"
	"their 95% intervals and n, the funnel, objectives against actual, what the figures say,\n"
	"the hour chart, the weekday x hour heatmap and the agents' table. French unless --lang en.\n";

int cmd_report(int argc, char **argv)
{
	struct report_query q = {0};
	const char *output = NULL, *lang = NULL;
	const struct cli_opt opts[] = {
		CLI_OPT_STRING("campaign", &q.campaign, "NAME", "the campaign"),
		CLI_OPT_STRING("period", &q.period, "PERIOD", "a week (2026-W49), a month (2026-11), a day, or FROM..TO"),
		CLI_OPT_STRING("agent", &q.agent, "NAME", "one agent's figures (default: the team's)"),
		CLI_OPT_STRING("lang", &lang, "fr|en", "the report's language (default fr)"),
		CLI_OPT_STRING("output", &output, "FILE", "the PDF to write"),
		CLI_OPT_END,
	};
	const struct cli_command cmd = {"report", usage, about, opts};
	struct tp_error err;
	struct app *a = NULL;
	struct strbuf pdf;
	int nargs, rc;

	if ((rc = cli_options(&cmd, 1, argc, argv, &nargs)))
		return rc < 0 ? 0 : rc;
	if (nargs)
		return cli_usage("report", "unexpected argument '%s'", argv[1]);
	if (!q.campaign || !q.period || !output)
		return cli_usage("report", "--campaign, --period and --output are required");
	if (lang && strcmp(lang, "fr") && strcmp(lang, "en"))
		return cli_usage("report", "--lang fr or en");
	tp_error_clear(&err);
	/* The report's words: the server's catalogue (embedded). */
	if (i18n_init(&err))
		return cli_fail(&err);
	if ((rc = cli_open_app(&a, NULL)))
		return rc;
	sb_init(&pdf);
	if (http_report_pdf(a, &q, lang ? lang : "fr", &pdf, &err)) {
		rc = cli_fail(&err);
	} else {
		FILE *f = fopen(output, "wb");

		if (!f || fwrite(pdf.buf, 1, pdf.len, f) != pdf.len || fclose(f) != 0) {
			fprintf(stderr, "telepro: %s: cannot write it\n", output);
			rc = 1;
		}
	}
	sb_release(&pdf);
	app_close(a);
	return rc;
}
