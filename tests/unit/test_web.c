/* The web layer's pure parts: script merge fields (core/script.c), the French catalogue
 * and number formats (http/i18n.c), HTML escaping (http/html.c), the arena. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>
#include <cmocka.h>

#include "core/script.h"
#include "http/arena.h"
#include "http/html.h"
#include "http/i18n.h"
#include "http/net.h"
#include "app/app.h"

static const char *lookup(void *ctx, const char *name)
{
	(void)ctx;
	if (strcmp(name, "company") == 0)
		return "*Best* [link](javascript:x)";
	if (strcmp(name, "first_name") == 0)
		return "Zoé";
	if (strcmp(name, "city") == 0)
		return "";
	return NULL;
}

static void test_script_merge(void **state)
{
	struct strbuf sb;

	(void)state;
	sb_init(&sb);
	script_merge(&sb, "Bonjour {{first_name}} de {{ company }} à {{city}}, {{unknown}} {{ {{first_name", lookup, NULL);
	assert_string_equal(sb.buf,
		"Bonjour Zoé de \\*Best\\* \\[link\\]\\(javascript\\:x\\) à …, {{unknown}} {{ {{first_name");
	sb_release(&sb);
}

static void test_catalogue(void **state)
{
	struct tp_error err;

	(void)state;
	tp_error_clear(&err);
	assert_int_equal(i18n_init(&err), 0);
	assert_string_equal(i18n("fr", "Calls"), "Appels");
	assert_string_equal(i18n("fr", "Wrong login or password."), "Identifiant ou mot de passe incorrect.");
	assert_string_equal(i18n("en", "Calls"), "Calls");
	assert_string_equal(i18n("fr", "not in the catalogue"), "not in the catalogue");
	assert_string_equal(i18n("fr", ""), "");
}

static void test_numbers(void **state)
{
	char buf[48];

	(void)state;
	assert_string_equal(i18n_number("fr", 1234.5, 1, buf, sizeof(buf)), "1\xe2\x80\xaf" "234,5");
	assert_string_equal(i18n_number("en", 1234.5, 1, buf, sizeof(buf)), "1,234.5");
	assert_string_equal(i18n_number("fr", -1234567, 0, buf, sizeof(buf)), "-1\xe2\x80\xaf" "234\xe2\x80\xaf" "567");
	assert_string_equal(i18n_number("en", 0.25, 2, buf, sizeof(buf)), "0.25");
	assert_string_equal(i18n_number("fr", 999, 0, buf, sizeof(buf)), "999");
	assert_string_equal(i18n_day("fr", 20261125, buf, sizeof(buf)), "25/11/2026");
	assert_string_equal(i18n_day("en", 20261125, buf, sizeof(buf)), "2026-11-25");
	assert_string_equal(i18n_datetime("fr", "2026-12-03 10:00", buf, sizeof(buf)), "03/12/2026 10:00");
	assert_string_equal(i18n_datetime("fr", "2026-12-03 10:00:05", buf, sizeof(buf)), "03/12/2026 10:00:05");
	assert_string_equal(i18n_datetime("en", "2026-12-03 10:00", buf, sizeof(buf)), "2026-12-03 10:00");
	assert_string_equal(i18n_datetime("fr", "2026-12-3 10:00", buf, sizeof(buf)), "2026-12-3 10:00");
	assert_string_equal(i18n_datetime("fr", "", buf, sizeof(buf)), "");
}

static void test_escape(void **state)
{
	struct strbuf sb;

	(void)state;
	sb_init(&sb);
	html_esc(&sb, "<script>alert('x') & \"y\"</script>");
	assert_string_equal(sb.buf, "&lt;script&gt;alert(&#39;x&#39;) &amp; &quot;y&quot;&lt;/script&gt;");
	sb_release(&sb);
}

static void test_arena(void **state)
{
	struct arena a;
	char *s;

	(void)state;
	arena_init(&a);
	s = arena_printf(&a, "%s-%d", "lead", 42);
	assert_string_equal(s, "lead-42");
	for (int i = 0; i < 1000; i++)
		memset(arena_alloc(&a, 100), 'x', 100);
	memset(arena_alloc(&a, 100000), 'y', 100000);   /* larger than a chunk: all of it usable */
	assert_true(a.used >= 1000 * 100 + 100000);
	assert_string_equal(s, "lead-42");          /* earlier allocations stay put */
	arena_release(&a);
	assert_int_equal(a.used, 0);
}

/* Trusted proxies: X-Forwarded-For counts only from them, read from the right. */
static void test_proxies(void **state)
{
	struct net_cidrs list;
	struct tp_error err;
	char ip[64];

	(void)state;
	tp_error_clear(&err);
	assert_int_equal(net_cidrs_parse("127.0.0.1/32,10.0.0.0/8,fd00::/8", &list, &err), 0);
	assert_int_equal(list.n, 3);
	assert_true(net_cidrs_has(&list, "10.200.3.4"));
	assert_false(net_cidrs_has(&list, "11.0.0.1"));
	assert_true(net_cidrs_has(&list, "fd12::1"));
	assert_false(net_cidrs_has(&list, "fe80::1"));
	assert_false(net_cidrs_has(&list, "127.0.0.2"));
	/* From a trusted proxy: the rightmost hop that is not ours. */
	net_client(&list, "127.0.0.1", "203.0.113.9, 10.1.1.1", ip, sizeof(ip));
	assert_string_equal(ip, "203.0.113.9");
	/* A client that forges the header gets its forgery ignored past the first untrusted hop. */
	net_client(&list, "127.0.0.1", "1.2.3.4, 198.51.100.7", ip, sizeof(ip));
	assert_string_equal(ip, "198.51.100.7");
	/* From anyone else, the header is nobody's word. */
	net_client(&list, "198.51.100.7", "1.2.3.4", ip, sizeof(ip));
	assert_string_equal(ip, "198.51.100.7");
	net_client(&list, "127.0.0.1", NULL, ip, sizeof(ip));
	assert_string_equal(ip, "127.0.0.1");
	net_client(&list, "127.0.0.1", "garbage", ip, sizeof(ip));
	assert_string_equal(ip, "127.0.0.1");
	assert_int_equal(net_cidrs_parse("10.0.0.0/33", &list, &err), TP_EUSAGE);
	assert_string_equal(err.reason, "'10.0.0.0/33': the prefix length is 0 to 32");
	assert_int_equal(net_cidrs_parse("proxy.example", &list, &err), TP_EUSAGE);
	assert_string_equal(err.reason, "'proxy.example': not an IPv4 or IPv6 address");
	assert_int_equal(net_cidrs_parse(NULL, &list, &err), 0);
	assert_int_equal(list.n, 0);
}

/* Failed logins slow down, never lock out: free ones, then 30 s doubling to 15 minutes. */
static void test_login_wait(void **state)
{
	(void)state;
	assert_int_equal(app_login_wait(4, 1000, 5, 1001), 0);
	assert_int_equal(app_login_wait(5, 1000, 5, 1001), 29);
	assert_int_equal(app_login_wait(5, 1000, 5, 1030), 0);
	assert_int_equal(app_login_wait(6, 1000, 5, 1000), 60);
	assert_int_equal(app_login_wait(8, 1000, 5, 1000), 240);
	assert_int_equal(app_login_wait(40, 1000, 5, 1000), 900);
	assert_int_equal(app_login_wait(40, 1000, 5, 1900), 0);
	assert_int_equal(app_login_wait(30, 1000, 30, 1010), 20);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_script_merge), cmocka_unit_test(test_catalogue), cmocka_unit_test(test_numbers),
		cmocka_unit_test(test_escape), cmocka_unit_test(test_arena), cmocka_unit_test(test_proxies),
		cmocka_unit_test(test_login_wait),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
