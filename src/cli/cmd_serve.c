/* telepro serve: the web application and the JSON API (docs/WEB.md, docs/API.md). */
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli/cli.h"
#include "http/http.h"

static const char help[] =
	"usage: telepro serve [--listen HOST:PORT] [--threads N] [--call-link TEMPLATE]\n"
	"                     [--max-connections N] [--max-per-ip N] [--timeout SECONDS]\n"
	"                     [--max-upload MB] [--db-cache MB] [--secure-cookies]\n"
	"       telepro serve --routes\n"
	"\n"
	"Serves the pages (calling desk, team screen, dashboard, campaigns, appointments,\n"
	"users) and the JSON API under /api/v1 until SIGINT or SIGTERM. Defaults: --listen\n"
	"127.0.0.1:8080, --threads 4 (one database connection each), --call-link 'tel:{phone}'\n"
	"(e.g. 'sip:{phone}@pbx.example' for a softphone), 1000 connections, 50 per address,\n"
	"a 30 s idle timeout, 64 KB bodies, 32 MB prospect files, 16 KB of request headers and\n"
	"an 8 MB database page cache per thread (SQLite). --secure-cookies marks\n"
	"the session cookie Secure (behind TLS; also automatic with X-Forwarded-Proto: https).\n"
	"Sessions live in the database: several servers can share one PostgreSQL database.\n"
	"--routes lists every route and who may use it.\n";

/* A positive integer option no larger than max; 0 after a usage message. */
static long positive(const char *name, const char *text, long max)
{
	char *end;
	long v = strtol(text, &end, 10);

	if (*end || v < 1 || v > max) {
		fprintf(stderr, "telepro serve: --%s: '%s': a whole number from 1 to %ld\n", name, text, max);
		return 0;
	}
	return v;
}

int cmd_serve(int argc, char **argv)
{
	static const struct option opts[] = {
		{"listen", required_argument, NULL, 'l'}, {"threads", required_argument, NULL, 't'},
		{"call-link", required_argument, NULL, 'c'}, {"max-connections", required_argument, NULL, 'm'},
		{"max-per-ip", required_argument, NULL, 'p'}, {"timeout", required_argument, NULL, 'o'},
		{"max-upload", required_argument, NULL, 'u'},
		{"db-cache", required_argument, NULL, 'k'}, {"secure-cookies", no_argument, NULL, 's'},
		{"routes", no_argument, NULL, 'r'}, {"help", no_argument, NULL, 'h'}, {NULL, 0, NULL, 0},
	};
	struct http_options o = {
		.db_url = cli_db_url, .listen = "127.0.0.1:8080", .threads = 4, .max_connections = 1000,
		.max_per_ip = 50, .timeout_seconds = 30, .max_body = 64 * 1024, .max_upload = 32u << 20,
		.call_link = "tel:{phone}", .os_user = getenv("USER"), .db_cache_kib = 8192,
	};
	long v;
	int opt;

	optind = 1;
	opterr = 0;
	while ((opt = getopt_long(argc, argv, ":", opts, NULL)) != -1) {
		switch (opt) {
		case 'l':
			o.listen = optarg;
			break;
		case 't':
			if (!(v = positive("threads", optarg, 256)))
				return 2;
			o.threads = (unsigned)v;
			break;
		case 'c':
			if (!strstr(optarg, "{phone}")) {
				fprintf(stderr, "telepro serve: --call-link: '%s' must contain {phone}\n", optarg);
				return 2;
			}
			o.call_link = optarg;
			break;
		case 'm':
			if (!(v = positive("max-connections", optarg, 100000)))
				return 2;
			o.max_connections = (unsigned)v;
			break;
		case 'p':
			if (!(v = positive("max-per-ip", optarg, 100000)))
				return 2;
			o.max_per_ip = (unsigned)v;
			break;
		case 'o':
			if (!(v = positive("timeout", optarg, 3600)))
				return 2;
			o.timeout_seconds = (unsigned)v;
			break;
		case 'u':
			if (!(v = positive("max-upload", optarg, 1024)))
				return 2;
			o.max_upload = (size_t)v << 20;
			break;
		case 'k':
			if (!(v = positive("db-cache", optarg, 4096)))
				return 2;
			o.db_cache_kib = (size_t)v * 1024;
			break;
		case 's':
			o.secure_cookies = true;
			break;
		case 'r':
			http_print_routes(stdout);
			return 0;
		case 'h':
			fputs(help, stdout);
			return 0;
		default:
			return cli_usage("serve", "%s: unknown option or missing value", argv[optind - 1]);
		}
	}
	if (optind < argc)
		return cli_usage("serve", "unexpected argument '%s'", argv[optind]);
	return http_serve(&o);
}
