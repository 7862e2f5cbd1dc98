#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <jansson.h>

#include "cli/cli.h"
#include "cli/options.h"

static const char help[] =
	"usage: telepro export prospects --campaign NAME [--format csv|json|xlsx] [--delimiter C]\n"
	"                                [--output FILE] [--raw] [--excel]\n"
	"\n"
	"Writes the campaign's prospects in import order: one column per known field\n"
	"(company, last_name, first_name, civility, role, phone, mobile, email, siren, siret,\n"
	"address, postcode, city, country, sector, size_band, website), phones in E.164, then\n"
	"one column per qualification key. A CSV export imports again to the same data.\n"
	"A CSV cell a spreadsheet would run as a formula (=, +, -, @, tab or CR first, but\n"
	"not a plain number such as +33142685300) is written with an apostrophe before it,\n"
	"which the import takes off again; --raw writes cells as they are.\n"
	"JSON: an array of objects with lead_id, the fields and a qualification object.\n"
	"\n"
	"usage: telepro export screening [--campaign NAME] [--output FILE]\n"
	"\n"
	"Writes the numbers to screen against Bloctel: the open leads' French numbers, each\n"
	"once, ten digits a line (the form the service takes), of the campaign or of every\n"
	"campaign under the French consumer rules. Load Bloctel's answer with telepro import\n"
	"dnc FILE --source bloctel.\n";

struct export_ctx {
	FILE *out;
	enum output_format format;
	char delimiter;
	long rows;
	bool raw;
};


static void write_header(void *vctx, size_t n, const char *const *keys)
{
	struct export_ctx *ctx = vctx;

	if (ctx->format != FORMAT_CSV)
		return;
	for (size_t i = 0; i < app_export_ncolumns; i++) {
		if (i)
			fputc(ctx->delimiter, ctx->out);
		fputs(field_name(app_export_columns[i]), ctx->out);
	}
	for (size_t k = 0; k < n; k++) {
		fputc(ctx->delimiter, ctx->out);
		cli_csv_field(ctx->out, keys[k], ctx->delimiter, ctx->raw);
	}
	fputs("\r\n", ctx->out);
}

static int write_row(void *vctx, const struct export_row *row)
{
	struct export_ctx *ctx = vctx;

	if (ctx->format == FORMAT_CSV) {
		for (size_t i = 0; i < app_export_ncolumns; i++) {
			if (i)
				fputc(ctx->delimiter, ctx->out);
			cli_csv_field(ctx->out, row->field[app_export_columns[i]], ctx->delimiter, ctx->raw);
		}
		for (size_t k = 0; k < row->nqual; k++) {
			fputc(ctx->delimiter, ctx->out);
			cli_csv_field(ctx->out, row->qual_value[k], ctx->delimiter, ctx->raw);
		}
		fputs("\r\n", ctx->out);
	} else {
		json_t *o = app_export_row_json(row);
		fputs(ctx->rows ? ",\n  " : "[\n  ", ctx->out);
		json_dumpf(o, ctx->out, JSON_COMPACT | JSON_PRESERVE_ORDER);
		json_decref(o);
	}
	ctx->rows++;
	return ferror(ctx->out) ? 1 : 0;
}

/* --delimiter , ; or tab */
static int export_delimiter(void *target, const char *value)
{
	char *d = target;

	if (strcmp(value, "tab") == 0)
		*d = '\t';
	else if (strlen(value) == 1 && strchr(",;\t", value[0]))
		*d = value[0];
	else
		return cli_usage("export", "--delimiter is one of , ; or tab");
	return 0;
}

static int export_prospects(int argc, char **argv)
{
	struct export_ctx ctx = {stdout, FORMAT_CSV, ',', 0, false};
	const char *campaign_name = NULL, *output = NULL;
	bool excel = false;
	const struct cli_opt opts[] = {
		CLI_OPT_STRING("campaign", &campaign_name, "NAME", "the campaign"),
		CLI_OPT_FORMAT(&ctx.format, 1u << FORMAT_CSV | 1u << FORMAT_JSON | 1u << FORMAT_XLSX,
			"csv (default), json or xlsx (--output required)"),
		CLI_OPT_FLAG("excel", &excel, "csv for French Excel: ';' and a UTF-8 BOM"),
		CLI_OPT_CALL("delimiter", &ctx.delimiter, "C", "the CSV delimiter: , (default), ; or tab", export_delimiter),
		CLI_OPT_STRING("output", &output, "FILE", "write there (default: standard output)"),
		CLI_OPT_FLAG("raw", &ctx.raw, "cells as they are, without the formula guard"),
		CLI_OPT_END,
	};
	const struct cli_command cmd = {"export prospects", NULL, NULL, opts};
	struct campaign c;
	struct tp_error err;
	struct app *a = NULL;
	int nargs, rc;

	if ((rc = cli_options(&cmd, 1, argc, argv, &nargs)))
		return rc < 0 ? 0 : rc;
	if (nargs)
		return cli_usage("export", "unexpected argument '%s'", argv[1]);
	if (!campaign_name)
		return cli_usage("export", "--campaign NAME is required");
	if ((rc = cli_open_app(&a, NULL)))
		return rc;
	tp_error_clear(&err);
	campaign_init(&c);
	if ((rc = app_campaign_get(a, campaign_name, &c, &err))) {
		rc = cli_fail(&err);
		goto out;
	}
	if (ctx.format == FORMAT_XLSX) {
		if (!output)
			rc = cli_usage("export", "--format xlsx needs --output FILE");
		else if (app_export_prospects_xlsx(a, campaign_name, output, &err))
			rc = cli_fail(&err);
		goto out;
	}
	if (excel && ctx.format != FORMAT_CSV) {
		rc = cli_usage("export", "--excel goes with --format csv");
		goto out;
	}
	if (excel)
		ctx.delimiter = ';';
	if (output && !(ctx.out = fopen(output, "wb"))) {
		fprintf(stderr, "telepro: %s: %s\n", output, strerror(errno));
		rc = 1;
		goto out;
	}
	if (excel)
		fputs("\xEF\xBB\xBF", ctx.out);   /* UTF-8, as Excel knows it by its BOM */
	rc = app_export_prospects(a, campaign_name, write_header, write_row, &ctx, &err);
	if (rc == 0 && ctx.format == FORMAT_JSON)
		fputs(ctx.rows ? "\n]\n" : "[]\n", ctx.out);
	if (rc < 0)
		rc = cli_fail(&err);
	else if (fflush(ctx.out) != 0 || ferror(ctx.out))
		rc = 1, fprintf(stderr, "telepro: write error: %s\n", strerror(errno));
	if (output)
		fclose(ctx.out);
out:
	campaign_release(&c);
	app_close(a);
	return rc;
}

static void print_number(void *ctx, const char *number)
{
	fprintf(ctx, "%s\r\n", number);
}

/* telepro export screening [--campaign NAME] [--output FILE]: the numbers to screen. */
static int export_screening(int argc, char **argv)
{
	const char *campaign = NULL, *output = NULL;
	const struct cli_opt opts[] = {
		CLI_OPT_STRING("campaign", &campaign, "NAME", "one campaign (default: every one under the consumer rules)"),
		CLI_OPT_STRING("output", &output, "FILE", "write there (default: standard output)"),
		CLI_OPT_END,
	};
	const struct cli_command cmd = {"export screening", NULL, NULL, opts};
	struct tp_error err;
	struct app *a = NULL;
	FILE *out = stdout;
	long n = 0;
	int nargs, rc;

	if ((rc = cli_options(&cmd, 1, argc, argv, &nargs)))
		return rc < 0 ? 0 : rc;
	if (nargs)
		return cli_usage("export", "unexpected argument '%s'", argv[1]);
	if ((rc = cli_open_app(&a, NULL)))
		return rc;
	if (output && !(out = fopen(output, "w"))) {
		fprintf(stderr, "telepro: %s: %s\n", output, strerror(errno));
		app_close(a);
		return 1;
	}
	tp_error_clear(&err);
	if (app_export_screening(a, campaign, print_number, out, &n, &err))
		rc = cli_fail(&err);
	if (out != stdout && fclose(out) != 0 && rc == 0) {
		fprintf(stderr, "telepro: %s: %s\n", output, strerror(errno));
		rc = 1;
	}
	if (rc == 0)
		fprintf(stderr, "%ld numbers to screen\n", n);
	app_close(a);
	return rc;
}

int cmd_export(int argc, char **argv)
{
	if (argc < 2)
		return cli_usage("export", "prospects or screening?");
	if (cli_wants_help(argc, argv)) {
		fputs(help, stdout);
		return export_prospects(2, (char *[]){"prospects", "--help", NULL}) ||
			export_screening(2, (char *[]){"screening", "--help", NULL});
	}
	if (strcmp(argv[1], "prospects") == 0)
		return export_prospects(argc - 1, argv + 1);
	if (strcmp(argv[1], "screening") == 0)
		return export_screening(argc - 1, argv + 1);
	return cli_usage("export", "unknown subcommand '%s' (prospects or screening)", argv[1]);
}
