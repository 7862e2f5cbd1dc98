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

#include "app/app_int.h"
#include "testdb.h"

static int64_t fixed_clock(void *arg)
{
	return *(int64_t *)arg;
}

struct fixture {
	char url[512];
	struct app *a;
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
	app_set_clock(f.a, fixed_clock, &f.now);
	*state = &f;
	return 0;
}

static int teardown(void **state)
{
	struct fixture *f = *state;

	app_close(f->a);
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
	assert_int_equal(app_user_add(f->a, "ana", "agent", "correct horse", &id, &err), 0);
	assert_int_equal(app_user_add(f->a, "max", "manager", "battery staple", &id, &err), 0);
	assert_int_equal(app_user_add(f->a, "zed", "boss", "battery staple", &id, &err), TP_EUSAGE);
	assert_string_equal(err.field, "role");
	assert_int_equal(app_user_add(f->a, "bob", "agent", "short", &id, &err), TP_EUSAGE);
	assert_string_equal(err.reason, "at least 8 characters");

	/* Logins: the right password, and the same refusal for every wrong case. */
	assert_int_equal(app_user_login(f->a, "ana", "correct horse", &u, &err), 0);
	assert_string_equal(u.role, "agent");
	assert_int_equal(app_user_login(f->a, "ana", "wrong horse", &u, &err), TP_EUSAGE);
	assert_string_equal(err.reason, "wrong login or password");
	assert_int_equal(app_user_login(f->a, "nobody", "correct horse", &u, &err), TP_EUSAGE);
	assert_string_equal(err.reason, "wrong login or password");

	/* An agent may not add a campaign nor list users; a manager may. */
	assert_int_equal(app_act_as(f->a, "ana", &err), 0);
	campaign_init(&c);
	assert_int_equal(app_campaign_add(f->a, "C", NULL, 0, &c, &err), TP_EFORBIDDEN);
	assert_string_equal(err.reason, "campaign add: your role may not do that (ana)");
	assert_int_equal(app_user_list(f->a, &list, &err), TP_EFORBIDDEN);
	/* ... but may change their own password, giving the current one, not someone else's. */
	assert_int_equal(app_user_passwd(f->a, "ana", NULL, "new password", NULL, &err), TP_EUSAGE);
	assert_string_equal(err.field, "current_password");
	assert_string_equal(err.reason, "give your current password");
	assert_int_equal(app_user_passwd(f->a, "ana", "wrong horse", "new password", NULL, &err), TP_EUSAGE);
	assert_string_equal(err.reason, "the current password is wrong");
	assert_int_equal(app_user_passwd(f->a, "ana", "correct horse", "new password", NULL, &err), 0);
	assert_int_equal(app_user_passwd(f->a, "max", NULL, "new password", NULL, &err), TP_EFORBIDDEN);
	assert_int_equal(app_user_set_role(f->a, "ana", "admin", &err), TP_EFORBIDDEN);
	assert_int_equal(app_act_as(f->a, "max", &err), 0);
	assert_int_equal(app_campaign_add(f->a, "C", calls40, 1, &c, &err), 0);
	assert_int_equal(c.daily_calls, 40);
	assert_string_equal(c.timezone, "Europe/Paris");
	assert_int_equal(c.created_at, f->now);
	campaign_release(&c);

	/* Disabled users can neither log in nor be acted as. */
	assert_int_equal(app_user_set_disabled(f->a, "ana", true, &err), TP_EFORBIDDEN);
	f->a->role = APP_SYSTEM;
	assert_int_equal(app_user_set_disabled(f->a, "ana", true, &err), 0);
	assert_int_equal(app_user_login(f->a, "ana", "new password", &u, &err), TP_EUSAGE);
	assert_int_equal(app_act_as(f->a, "ana", &err), TP_EFORBIDDEN);
	assert_int_equal(app_act_as(f->a, "ghost", &err), TP_EUSAGE);

	assert_string_equal(err.reason, "no user named 'ghost' to act as");

	/* The last enabled admin can be neither disabled nor demoted; with a second, either. */
	{
		int64_t id;

		assert_int_equal(app_user_add(f->a, "root", "admin", "correct horse", &id, &err), 0);
		assert_int_equal(app_user_set_disabled(f->a, "root", true, &err), TP_ECONFLICT);
		assert_string_equal(err.reason, "'root' is the last admin: make another user admin before disabling or"
			" demoting them");
		assert_int_equal(app_user_set_role(f->a, "root", "manager", &err), TP_ECONFLICT);
		assert_int_equal(app_user_set_role(f->a, "max", "emperor", &err), TP_EUSAGE);
		assert_int_equal(app_user_set_role(f->a, "max", "admin", &err), 0);
		assert_int_equal(app_user_set_role(f->a, "root", "manager", &err), 0);
		assert_int_equal(app_user_get(f->a, "root", &u, &err), 0);
		assert_string_equal(u.role, "manager");
		assert_int_equal(app_user_set_disabled(f->a, "max", true, &err), TP_ECONFLICT);
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
	assert_int_equal(app_campaign_set(f->a, "C", good, 2, &err), 0);
	assert_int_equal(app_campaign_set(f->a, "C", bad, 2, &err), TP_EUSAGE);
	assert_string_equal(err.field, "idle-limit");
	assert_int_equal(app_campaign_set(f->a, "C", unknown, 1, &err), TP_EUSAGE);
	assert_string_equal(err.reason, "not a campaign setting");
	assert_int_equal(app_campaign_set(f->a, "Nope", good, 2, &err), TP_ENOTFOUND);
	campaign_init(&c);
	assert_int_equal(app_campaign_get(f->a, "C", &c, &err), 0);
	assert_int_equal(c.hourly_cost_cents, 2850);
	assert_int_equal(c.daily_calls, 40);
	assert_int_equal(c.weekly_calls, -1);
	assert_int_equal(c.nblocks, 5);
	campaign_release(&c);
}

/* Each use case as each role (docs/API.md, "Who may do what"): the roles it is refused
 * to get TP_EFORBIDDEN naming the use case and the actor; the others get past the role
 * check (their own refusal, if any, is another one). */
enum { AGENT = 1, SALES = 2, MANAGER = 4, ADMIN = 8 };

static const struct {
	const char *what;           /* the use case, as its refusal names it */
	unsigned roles;             /* the roles allowed */
} use_cases[] = {
	{"campaign add", MANAGER | ADMIN}, {"campaign set", MANAGER | ADMIN}, {"team", MANAGER | ADMIN},
	{"appointment list", SALES | MANAGER | ADMIN}, {"appointment result", SALES | MANAGER | ADMIN},
	{"why", AGENT | MANAGER | ADMIN}, {"consent", AGENT | MANAGER | ADMIN}, {"export", MANAGER | ADMIN},
	{"export screening", MANAGER | ADMIN}, {"insights", AGENT | MANAGER | ADMIN},
	{"insights agents", MANAGER | ADMIN}, {"person", ADMIN}, {"person review", ADMIN},
	{"kpi", AGENT | SALES | MANAGER | ADMIN}, {"user add", ADMIN}, {"user role", ADMIN},
	{"user list", MANAGER | ADMIN}, {"sales people", AGENT | SALES | MANAGER | ADMIN}, {"demo", ADMIN},
	{"backup", ADMIN},
};

static void no_number(void *ctx, const char *number)
{
	(void)ctx;
	(void)number;
}

static int no_row(void *ctx, const struct export_row *row)
{
	(void)ctx;
	(void)row;
	return 0;
}

/* Runs use case i as the current actor; the result code. */
static int run_use_case(struct app *a, size_t i, struct tp_error *err)
{
	static const struct campaign_setting calls30[] = {{"daily-calls", "30"}};
	const char *what = use_cases[i].what;
	struct app_kpi_query kq = {"R", NULL, NULL, NULL, NULL, false};
	struct app_insights_query iq = {"R", NULL, NULL, NULL, "hour", "contact_rate", false};
	struct app_demo_result demo;
	struct campaign c;
	json_t *out = NULL;
	int64_t id = 0;
	long n = 0;
	int erased = 0, rc;

	campaign_init(&c);
	if (!strcmp(what, "campaign add"))
		rc = app_campaign_add(a, "R2", NULL, 0, &c, err);
	else if (!strcmp(what, "campaign set"))
		rc = app_campaign_set(a, "R", calls30, 1, err);
	else if (!strcmp(what, "team"))
		rc = app_campaign_agents_now(a, "R", &out, err);
	else if (!strcmp(what, "appointment list"))
		rc = app_appointment_list(a, NULL, NULL, &out, err);
	else if (!strcmp(what, "appointment result"))
		rc = app_appointment_result(a, 999999, "held", NULL, NULL, NULL, err);
	else if (!strcmp(what, "why"))
		rc = app_why(a, 999999, NULL, &out, err);
	else if (!strcmp(what, "consent"))
		rc = app_consent_record(a, 999999, "web form", NULL, NULL, err);
	else if (!strcmp(what, "export"))
		rc = app_export_prospects(a, "R", NULL, no_row, NULL, err);
	else if (!strcmp(what, "export screening"))
		rc = app_export_screening(a, "R", no_number, NULL, &n, err);
	else if (!strcmp(what, "insights"))
		rc = app_insights_slots(a, &iq, &out, err);
	else if (!strcmp(what, "insights agents"))
		rc = app_insights_agents(a, &iq, &out, err);
	else if (!strcmp(what, "person"))
		rc = app_person_erase(a, "+33612345678", NULL, false, &erased, err);
	else if (!strcmp(what, "person review"))
		rc = app_person_review(a, 3, &out, err);
	else if (!strcmp(what, "kpi"))
		rc = app_kpi(a, &kq, &out, err);
	else if (!strcmp(what, "user add"))
		rc = app_user_add(a, "newcomer", "agent", "correct horse", &id, err);
	else if (!strcmp(what, "user role"))
		rc = app_user_set_role(a, "r_sales", "sales", err);
	else if (!strcmp(what, "user list"))
		rc = app_user_list(a, &out, err);
	else if (!strcmp(what, "sales people"))
		rc = app_sales_people(a, &out, err);
	else if (!strcmp(what, "demo"))
		rc = app_demo(a, 1, 0, "nonsense", &demo, err);
	else if (!strcmp(what, "backup"))
		rc = app_backup(a, "", err);
	else
		fail_msg("no way to run '%s'", what);
	json_decref(out);
	campaign_release(&c);
	return rc;
}

static void test_roles_of_each_use_case(void **state)
{
	struct fixture *f = *state;
	static const struct {
		const char *login, *role;
		unsigned bit;
	} actors[] = {{"r_agent", "agent", AGENT}, {"r_sales", "sales", SALES}, {"r_manager", "manager", MANAGER},
		{"r_admin", "admin", ADMIN}};
	struct campaign c;
	struct tp_error err;
	int64_t id;
	int allowed = 0, refused = 0;

	tp_error_clear(&err);
	f->a->role = APP_SYSTEM;
	snprintf(f->a->actor, sizeof(f->a->actor), "root");
	for (size_t k = 0; k < sizeof(actors) / sizeof(actors[0]); k++)
		assert_int_equal(app_user_add(f->a, actors[k].login, actors[k].role, "correct horse", &id, &err), 0);
	campaign_init(&c);
	assert_int_equal(app_campaign_add(f->a, "R", NULL, 0, &c, &err), 0);
	campaign_release(&c);
	for (size_t i = 0; i < sizeof(use_cases) / sizeof(use_cases[0]); i++) {
		for (size_t k = 0; k < sizeof(actors) / sizeof(actors[0]); k++) {
			char want[160];
			int rc;

			assert_int_equal(app_act_as(f->a, actors[k].login, &err), 0);
			tp_error_clear(&err);
			rc = run_use_case(f->a, i, &err);
			if (use_cases[i].roles & actors[k].bit) {
				if (rc == TP_EFORBIDDEN && strstr(err.reason, "your role may not do that"))
					fail_msg("%s as %s: refused by role (%s)", use_cases[i].what, actors[k].role, err.reason);
				allowed++;
			} else {
				snprintf(want, sizeof(want), "%s: your role may not do that (%s)", use_cases[i].what,
					actors[k].login);
				if (rc != TP_EFORBIDDEN || strcmp(err.reason, want) != 0)
					fail_msg("%s as %s: expected '%s', got %d '%s'", use_cases[i].what, actors[k].role, want, rc,
						err.reason);
				refused++;
			}
		}
	}
	/* Every use case was tried by every role, some allowed, some refused. */
	assert_int_equal(allowed + refused, 4 * (int)(sizeof(use_cases) / sizeof(use_cases[0])));
	assert_true(allowed > 20 && refused > 20);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_actor_and_roles),
		cmocka_unit_test(test_campaign_set),
		cmocka_unit_test(test_roles_of_each_use_case),
	};

	return cmocka_run_group_tests(tests, setup, teardown);
}
