/*
 * The application layer (src/app): the actor, roles, logins, the clock, and campaign
 * settings read and written in one go. Runs against the backend of the run.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>
#include <cmocka.h>

#include "app/app.h"
#include "testdb.h"

static int64_t fixed_clock(void *arg)
{
	return *(int64_t *)arg;
}

struct fixture {
	char url[512];
	struct app a;
	int64_t now;
};

static int setup(void **state)
{
	static struct fixture f;
	struct tp_error err;

	tp_error_clear(&err);
	testdb_url("app", f.url, sizeof(f.url));
	if (app_open(&f.a, f.url, "root", NULL, &err))
		return -1;
	f.now = 1764000000;
	f.a.clock = fixed_clock;
	f.a.clock_arg = &f.now;
	*state = &f;
	return 0;
}

static int teardown(void **state)
{
	struct fixture *f = *state;

	app_close(&f->a);
	testdb_drop(f->url);
	return 0;
}

static void test_actor_and_roles(void **state)
{
	struct fixture *f = *state;
	struct campaign c;
	struct tp_error err;
	struct user u;
	int64_t id;
	json_t *list = NULL;
	static const struct campaign_setting calls40[] = {{"daily-calls", "40"}};

	tp_error_clear(&err);
	/* The system actor (the OS user of the CLI) may do everything. */
	assert_int_equal(app_user_add(&f->a, "ana", "agent", "correct horse", &id, &err), 0);
	assert_int_equal(app_user_add(&f->a, "max", "manager", "battery staple", &id, &err), 0);
	assert_int_equal(app_user_add(&f->a, "zed", "boss", "battery staple", &id, &err), TP_EUSAGE);
	assert_string_equal(err.field, "role");
	assert_int_equal(app_user_add(&f->a, "bob", "agent", "short", &id, &err), TP_EUSAGE);
	assert_string_equal(err.reason, "at least 8 characters");

	/* Logins: the right password, and the same refusal for every wrong case. */
	assert_int_equal(app_user_login(&f->a, "ana", "correct horse", &u, &err), 0);
	assert_string_equal(u.role, "agent");
	assert_int_equal(app_user_login(&f->a, "ana", "wrong horse", &u, &err), TP_EUSAGE);
	assert_string_equal(err.reason, "wrong login or password");
	assert_int_equal(app_user_login(&f->a, "nobody", "correct horse", &u, &err), TP_EUSAGE);
	assert_string_equal(err.reason, "wrong login or password");

	/* An agent may not add a campaign nor list users; a manager may. */
	assert_int_equal(app_act_as(&f->a, "ana", &err), 0);
	campaign_init(&c);
	assert_int_equal(app_campaign_add(&f->a, "C", NULL, 0, &c, &err), TP_EFORBIDDEN);
	assert_string_equal(err.reason, "campaign add: your role may not do that (ana)");
	assert_int_equal(app_user_list(&f->a, &list, &err), TP_EFORBIDDEN);
	/* ... but may change their own password, giving the current one, not someone else's. */
	assert_int_equal(app_user_passwd(&f->a, "ana", NULL, "new password", NULL, &err), TP_EUSAGE);
	assert_string_equal(err.field, "current_password");
	assert_string_equal(err.reason, "give your current password");
	assert_int_equal(app_user_passwd(&f->a, "ana", "wrong horse", "new password", NULL, &err), TP_EUSAGE);
	assert_string_equal(err.reason, "the current password is wrong");
	assert_int_equal(app_user_passwd(&f->a, "ana", "correct horse", "new password", NULL, &err), 0);
	assert_int_equal(app_user_passwd(&f->a, "max", NULL, "new password", NULL, &err), TP_EFORBIDDEN);
	assert_int_equal(app_user_set_role(&f->a, "ana", "admin", &err), TP_EFORBIDDEN);
	assert_int_equal(app_act_as(&f->a, "max", &err), 0);
	assert_int_equal(app_campaign_add(&f->a, "C", calls40, 1, &c, &err), 0);
	assert_int_equal(c.daily_calls, 40);
	assert_string_equal(c.timezone, "Europe/Paris");
	assert_int_equal(c.created_at, f->now);
	campaign_release(&c);

	/* Disabled users can neither log in nor be acted as. */
	assert_int_equal(app_user_set_disabled(&f->a, "ana", true, &err), TP_EFORBIDDEN);
	f->a.role = APP_SYSTEM;
	assert_int_equal(app_user_set_disabled(&f->a, "ana", true, &err), 0);
	assert_int_equal(app_user_login(&f->a, "ana", "new password", &u, &err), TP_EUSAGE);
	assert_int_equal(app_act_as(&f->a, "ana", &err), TP_EFORBIDDEN);
	assert_int_equal(app_act_as(&f->a, "ghost", &err), TP_EUSAGE);

	assert_string_equal(err.reason, "no user named 'ghost' to act as");

	/* The last enabled admin can be neither disabled nor demoted; with a second, either. */
	{
		int64_t id;

		assert_int_equal(app_user_add(&f->a, "root", "admin", "correct horse", &id, &err), 0);
		assert_int_equal(app_user_set_disabled(&f->a, "root", true, &err), TP_ECONFLICT);
		assert_string_equal(err.reason, "'root' is the last admin: make another user admin before disabling or"
			" demoting them");
		assert_int_equal(app_user_set_role(&f->a, "root", "manager", &err), TP_ECONFLICT);
		assert_int_equal(app_user_set_role(&f->a, "max", "emperor", &err), TP_EUSAGE);
		assert_int_equal(app_user_set_role(&f->a, "max", "admin", &err), 0);
		assert_int_equal(app_user_set_role(&f->a, "root", "manager", &err), 0);
		assert_int_equal(app_user_get(&f->a, "root", &u, &err), 0);
		assert_string_equal(u.role, "manager");
		assert_int_equal(app_user_set_disabled(&f->a, "max", true, &err), TP_ECONFLICT);
	}
}

/* campaign set applies on top of the stored campaign, in one transaction: a bad setting
 * changes nothing, a good one keeps the others. */
static void test_campaign_set(void **state)
{
	struct fixture *f = *state;
	static const struct campaign_setting good[] = {{"hourly-cost", "28,50"}, {"block", "14:00-16:00"}};
	static const struct campaign_setting bad[] = {{"weekly-calls", "100"}, {"idle-limit", "2d"}};
	static const struct campaign_setting unknown[] = {{"colour", "red"}};
	struct campaign c;
	struct tp_error err;

	tp_error_clear(&err);
	assert_int_equal(app_campaign_set(&f->a, "C", good, 2, &err), 0);
	assert_int_equal(app_campaign_set(&f->a, "C", bad, 2, &err), TP_EUSAGE);
	assert_string_equal(err.field, "idle-limit");
	assert_int_equal(app_campaign_set(&f->a, "C", unknown, 1, &err), TP_EUSAGE);
	assert_string_equal(err.reason, "not a campaign setting");
	assert_int_equal(app_campaign_set(&f->a, "Nope", good, 2, &err), TP_ENOTFOUND);
	campaign_init(&c);
	assert_int_equal(app_campaign_get(&f->a, "C", &c, &err), 0);
	assert_int_equal(c.hourly_cost_cents, 2850);
	assert_int_equal(c.daily_calls, 40);
	assert_int_equal(c.weekly_calls, -1);
	assert_int_equal(c.nblocks, 5);
	campaign_release(&c);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_actor_and_roles),
		cmocka_unit_test(test_campaign_set),
	};

	return cmocka_run_group_tests(tests, setup, teardown);
}
