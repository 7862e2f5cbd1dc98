/* telepro serve: the web application and the JSON API (docs/WEB.md, docs/API.md). */
#include <getopt.h>
#include <sodium.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli/cli.h"
#include "core/sipconf.h"
#include "http/http.h"

static const char help[] =
	"usage: telepro serve [--listen HOST:PORT] [--threads N] [--call-link TEMPLATE]\n"
	"                     [--max-connections N] [--max-per-ip N] [--timeout SECONDS]\n"
	"                     [--max-upload MB] [--db-cache MB] [--secure-cookies]\n"
	"                     [--trust-proxy CIDR[,CIDR...]] [--header-timeout SECONDS]\n"
	"                     [--sip-config FILE]\n"
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
	"--sip-config FILE: Telepro dials through the SIP account of FILE (docs/TELEPHONY.md):\n"
	"click-to-call and progressive dialing; its password comes from the variable or the\n"
	"file the account names, never from the command line.\n"
	"Sessions live in the database: several servers can share one PostgreSQL database.\n"
	"--routes lists every route and who may use it.\n";

/* The SIP account of path, and its password from the variable or the file it names
 * (trailing newline dropped); 0, or 2 after saying why. */
static int sip_account(const char *path, struct sipconf *c, char *password, size_t size)
{
	struct tp_error err;
	char *text = NULL, *pw = NULL;
	size_t len;
	int rc;

	if ((rc = cli_read_file(path, 64 * 1024, &text, &len)))
		return rc;
	tp_error_clear(&err);
	rc = sipconf_parse(c, path, text, len, &err);
	free(text);
	if (rc)
		return cli_fail(&err);
	password[0] = '\0';
	if (c->password_env[0]) {
		const char *v = getenv(c->password_env);

		if (!v || !*v) {
			fprintf(stderr, "telepro serve: %s: password_env: the variable %s is not set\n", path, c->password_env);
			return 2;
		}
		snprintf(password, size, "%s", v);
	} else if (c->password_file[0]) {
		if ((rc = cli_read_file(c->password_file, 4096, &pw, &len)))
			return rc;
		while (len && (pw[len - 1] == '\n' || pw[len - 1] == '\r'))
			pw[--len] = '\0';
		snprintf(password, size, "%s", pw);
		free(pw);
	}
	return 0;
}

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
		{"sip-config", required_argument, NULL, 'S'},
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
	const char *sip_config = NULL;
	long v;
	int opt, rc;

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
		case 'S':
			sip_config = optarg;
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
	if (sip_config) {
		struct sipconf c;
		struct tp_error err;
		char password[512];

		if ((rc = sip_account(sip_config, &c, password, sizeof(password))))
			return rc;
		tp_error_clear(&err);
		rc = app_dialer_start(&o.dialer, o.db_url, &c, password[0] ? password : NULL, &err);
		sodium_memzero(password, sizeof(password));
		if (rc)
			return cli_fail(&err);
		fprintf(stderr, "serve: dialing through SIP from %s (%s)\n", c.local,
			c.do_register ? "registering" : "no registration");
	}
	rc = http_serve(&o);
	app_dialer_stop(o.dialer);
	return rc;
}
