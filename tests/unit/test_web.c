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
	assert_non_null(arena_alloc(&a, 100000));   /* larger than a chunk */
	assert_true(a.used >= 1000 * 100 + 100000);
	assert_string_equal(s, "lead-42");          /* earlier allocations stay put */
	arena_release(&a);
	assert_int_equal(a.used, 0);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_script_merge), cmocka_unit_test(test_catalogue), cmocka_unit_test(test_numbers),
		cmocka_unit_test(test_escape), cmocka_unit_test(test_arena),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
