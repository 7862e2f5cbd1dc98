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
	"                     [--trust-proxy CIDR[,CIDR...]] [--header-timeout SECONDS]\n"
	"       telepro serve --routes\n"
	"\n"
	"Serves the pages (calling desk, team screen, dashboard, campaigns, appointments,\n"
	"users) and the JSON API under /api/v1 until SIGINT or SIGTERM. Defaults: --listen\n"
	"127.0.0.1:8080, --threads 4 (one database connection each), --call-link 'tel:{phone}'\n"
	"(e.g. 'sip:{phone}@pbx.example' for a softphone), 1000 connections, 50 per address,\n"
	"a 30 s idle timeout, 10 s for a request's head (--header-timeout: from the connection's\n"
	"start, or the previous answer, whatever trickles in), bodies at 1 KB/s at least past\n"
	"those 10 s, 64 KB bodies, 32 MB prospect files, 16 KB of request headers and\n"
	"an 8 MB database page cache per thread (SQLite). --secure-cookies marks\n"
	"the session cookie Secure (behind TLS; also automatic with X-Forwarded-Proto: https).\n"
	"--trust-proxy names the reverse proxies (e.g. 127.0.0.1/32,10.0.0.0/8) whose\n"
	"X-Forwarded-For gives the client's address (sign-in throttling, logs); from any other\n"
	"peer the header is ignored.\n"
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
		{"routes", no_argument, NULL, 'r'}, {"help", no_argument, NULL, 'h'},
		{"trust-proxy", required_argument, NULL, 'x'}, {"header-timeout", required_argument, NULL, 'H'},
		{NULL, 0, NULL, 0},
	};
	struct http_options o = {
		.db_url = cli_db_url, .listen = "127.0.0.1:8080", .threads = 4, .max_connections = 1000,
		.max_per_ip = 50, .timeout_seconds = 30, .max_body = 64 * 1024, .max_upload = 32u << 20,
		.call_link = "tel:{phone}", .os_user = getenv("USER"), .db_cache_kib = 8192,
	};
	/* The numeric options: each a whole number from 1 to max, times 2^shift. */
	const struct {
		int opt;
		const char *name;
		long max;
		unsigned *u;
		size_t *z;
		int shift;
	} numbers[] = {
		{'t', "threads", 256, &o.threads, NULL, 0}, {'m', "max-connections", 100000, &o.max_connections, NULL, 0},
		{'p', "max-per-ip", 100000, &o.max_per_ip, NULL, 0}, {'o', "timeout", 3600, &o.timeout_seconds, NULL, 0},
		{'H', "header-timeout", 600, &o.header_seconds, NULL, 0},
		{'u', "max-upload", 1024, NULL, &o.max_upload, 20}, {'k', "db-cache", 4096, NULL, &o.db_cache_kib, 10},
	};
	long v;
	int opt;

	optind = 1;
	opterr = 0;
	while ((opt = getopt_long(argc, argv, ":", opts, NULL)) != -1) {
		bool number = false;

		for (size_t i = 0; i < sizeof(numbers) / sizeof(numbers[0]); i++) {
			if (numbers[i].opt != opt)
				continue;
			if (!(v = positive(numbers[i].name, optarg, numbers[i].max)))
				return 2;
			if (numbers[i].u)
				*numbers[i].u = (unsigned)v;
			else
				*numbers[i].z = (size_t)v << numbers[i].shift;
			number = true;
		}
		if (number)
			continue;
		switch (opt) {
		case 'l':
			o.listen = optarg;
			break;
		case 'c':
			if (!strstr(optarg, "{phone}")) {
				fprintf(stderr, "telepro serve: --call-link: '%s' must contain {phone}\n", optarg);
				return 2;
			}
			o.call_link = optarg;
			break;
		case 's':
			o.secure_cookies = true;
			break;
		case 'x':
			o.trust_proxy = optarg;
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
