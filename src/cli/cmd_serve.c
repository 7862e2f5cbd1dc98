/* telepro serve: the web application and the JSON API (docs/WEB.md, docs/API.md). */
#include <sodium.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli/cli.h"
#include "cli/options.h"
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

/* --call-link: a template with {phone}. */
static int call_link(void *target, const char *value)
{
	if (!strstr(value, "{phone}")) {
		fprintf(stderr, "telepro serve: --call-link: '%s' must contain {phone}\n", value);
		return 2;
	}
	*(const char **)target = value;
	return 0;
}

int cmd_serve(int argc, char **argv)
{
	struct http_options o = {
		.db_url = cli_db_url, .listen = "127.0.0.1:8080", .call_link = "tel:{phone}", .os_user = getenv("USER"),
		.max_body = 64 * 1024,
	};
	int64_t threads = 4, connections = 1000, per_ip = 50, timeout = 30, header = 0, upload_mb = 32, cache_mb = 8;
	const char *sip_config = NULL;
	int64_t webhook_retry = 30;
	struct app_webhooks *hooks = NULL;
	bool routes = false;
	const struct cli_opt opts[] = {
		CLI_OPT_STRING("listen", &o.listen, "HOST:PORT", "where to listen (default 127.0.0.1:8080)"),
		CLI_OPT_INT("threads", &threads, "N", 1, 256, "worker threads, one database connection each (4)"),
		CLI_OPT_CALL("call-link", &o.call_link, "TEMPLATE", "the desk's link to dial by hand (tel:{phone})", call_link),
		CLI_OPT_INT("max-connections", &connections, "N", 1, 100000, "connections in total (1000)"),
		CLI_OPT_INT("max-per-ip", &per_ip, "N", 1, 100000, "connections per address (50)"),
		CLI_OPT_INT("timeout", &timeout, "SECONDS", 1, 3600, "an idle connection is closed (30)"),
		CLI_OPT_INT("header-timeout", &header, "SECONDS", 1, 600, "a request's head takes at most (10)"),
		CLI_OPT_INT("max-upload", &upload_mb, "MB", 1, 1024, "the largest prospect file (32)"),
		CLI_OPT_INT("db-cache", &cache_mb, "MB", 1, 4096, "each thread's database page cache (8)"),
		CLI_OPT_FLAG("secure-cookies", &o.secure_cookies, "mark the session cookie Secure (behind TLS)"),
		CLI_OPT_STRING("trust-proxy", &o.trust_proxy, "CIDR[,CIDR...]", "proxies whose X-Forwarded-For is believed"),
		CLI_OPT_STRING("sip-config", &sip_config, "FILE", "Telepro dials through this SIP account"),
		CLI_OPT_INT("webhook-retry", &webhook_retry, "SECONDS", 1, 3600,
			"a failed webhook delivery's first retry; each next one doubles (30)"),
		CLI_OPT_FLAG("routes", &routes, "list every route and who may use it, then exit"),
		CLI_OPT_END,
	};
	const struct cli_command cmd = {"serve", help, NULL, opts};
	int nargs, rc;

	if ((rc = cli_options(&cmd, 1, argc, argv, &nargs)))
		return rc < 0 ? 0 : rc;
	if (routes) {
		http_print_routes(stdout);
		return 0;
	}
	if (nargs)
		return cli_usage("serve", "unexpected argument '%s'", argv[1]);
	o.threads = (unsigned)threads;
	o.max_connections = (unsigned)connections;
	o.max_per_ip = (unsigned)per_ip;
	o.timeout_seconds = (unsigned)timeout;
	o.header_seconds = (unsigned)header;
	o.max_upload = (size_t)upload_mb << 20;
	o.db_cache_kib = (size_t)cache_mb << 10;
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
	{
		struct tp_error err;

		/* The webhooks' deliveries, sent by a worker of their own (docs/WEBHOOKS.md). */
		tp_error_clear(&err);
		if (app_webhooks_start(&hooks, o.db_url, (int)webhook_retry, &err)) {
			app_dialer_stop(o.dialer);
			return cli_fail(&err);
		}
	}
	rc = http_serve(&o);
	app_webhooks_stop(hooks);
	app_dialer_stop(o.dialer);
	return rc;
}
