#include <string.h>

#include "store/migrations.h"
#include "core/xalloc.h"

/*
 * Indexes on optional columns are partial (WHERE c IS NOT NULL): rows without a value
 * cost no index work, and lookups by value (c = ?) still use them.
 *
 * CHECK constraints on enumerations are written as OR chains, not IN lists: SQLite
 * builds a temporary index for an IN list on every row it checks.
 *
 * Migration 1: the whole logical model of docs/DOMAIN.md. Times are integer UTC
 * seconds; local_day is YYYYMMDD and local_hour 0..23 in the campaign's time zone.
 */
/* The counter columns of kpi_counters and its rollups (store_kpi.c lists them too). */
#define KPI_COLUMNS \
	" calls BIGINT NOT NULL DEFAULT 0, conversations BIGINT NOT NULL DEFAULT 0," \
	" appointments BIGINT NOT NULL DEFAULT 0, sales BIGINT NOT NULL DEFAULT 0," \
	" talk_seconds BIGINT NOT NULL DEFAULT 0, talk_seconds_sq BIGINT NOT NULL DEFAULT 0," \
	" qualified BIGINT NOT NULL DEFAULT 0, hot BIGINT NOT NULL DEFAULT 0," \
	" callbacks BIGINT NOT NULL DEFAULT 0, refusals BIGINT NOT NULL DEFAULT 0," \
	" appointments_won BIGINT NOT NULL DEFAULT 0, appointments_known BIGINT NOT NULL DEFAULT 0," \
	" appointments_held BIGINT NOT NULL DEFAULT 0, appointments_no_show BIGINT NOT NULL DEFAULT 0," \
	" appointments_relevant BIGINT NOT NULL DEFAULT 0, appointments_rated BIGINT NOT NULL DEFAULT 0," \
	" amount_cents BIGINT NOT NULL DEFAULT 0, calling_seconds BIGINT NOT NULL DEFAULT 0,"

static const char m1_schema[] =
	"CREATE TABLE users ("
	" id %ID%, name TEXT NOT NULL UNIQUE,"
	" role TEXT NOT NULL CHECK (role = 'agent' OR role = 'sales' OR role = 'manager' OR role = 'admin'),"
	" password_hash TEXT NOT NULL, disabled INTEGER NOT NULL DEFAULT 0,"
	" hourly_cost_cents BIGINT, created_at BIGINT NOT NULL);"

	"CREATE TABLE companies ("
	" id %ID%, name TEXT, siren TEXT, siret TEXT, sector TEXT, size_band TEXT,"
	" address TEXT, postcode TEXT, city TEXT, country TEXT, website TEXT,"
	" created_at BIGINT NOT NULL);"
	"CREATE INDEX companies_siren ON companies (siren) WHERE siren IS NOT NULL;"
	"CREATE INDEX companies_name ON companies (name);"

	"CREATE TABLE contacts ("
	" id %ID%, company_id BIGINT REFERENCES companies (id),"
	" civility TEXT, first_name TEXT, last_name TEXT, role TEXT,"
	" decision_maker INTEGER NOT NULL DEFAULT 1,"
	" phone TEXT, mobile TEXT, email TEXT,"
	" address TEXT, postcode TEXT, city TEXT, country TEXT,"
	" consent_source TEXT, consent_at BIGINT, consent_wording TEXT,"
	" last_contacted_at BIGINT, created_at BIGINT NOT NULL);"
	"CREATE INDEX contacts_phone ON contacts (phone) WHERE phone IS NOT NULL;"
	"CREATE INDEX contacts_mobile ON contacts (mobile) WHERE mobile IS NOT NULL;"
	"CREATE INDEX contacts_company ON contacts (company_id) WHERE company_id IS NOT NULL;"

	"CREATE TABLE campaigns ("
	" id %ID%, name TEXT NOT NULL UNIQUE,"
	" kind TEXT NOT NULL CHECK (kind = 'appointment' OR kind = 'event' OR kind = 'qualification' OR kind = 'survey' OR kind = 'sales' OR kind = 'custom'),"
	" audience TEXT NOT NULL CHECK (audience = 'b2b' OR audience = 'b2c'),"
	" timezone TEXT NOT NULL, region TEXT NOT NULL DEFAULT 'FR', script TEXT,"
	" expected_call_seconds BIGINT, daily_calls BIGINT, weekly_calls BIGINT,"
	" daily_appointments BIGINT, weekly_appointments BIGINT,"
	" max_attempts BIGINT NOT NULL DEFAULT 6, hourly_cost_cents BIGINT,"
	" hold_seconds BIGINT NOT NULL DEFAULT 900, idle_limit_seconds BIGINT NOT NULL DEFAULT 1800,"
	" archived INTEGER NOT NULL DEFAULT 0, created_at BIGINT NOT NULL);"

	"CREATE TABLE calling_blocks ("
	" id %ID%, campaign_id BIGINT NOT NULL REFERENCES campaigns (id),"
	" weekday INTEGER NOT NULL CHECK (weekday BETWEEN 0 AND 6),"
	" start_minute INTEGER NOT NULL, end_minute INTEGER NOT NULL,"
	" CHECK (start_minute >= 0 AND start_minute < end_minute AND end_minute <= 1440));"
	"CREATE INDEX calling_blocks_campaign ON calling_blocks (campaign_id);"

	"CREATE TABLE retry_rules ("
	" campaign_id BIGINT NOT NULL REFERENCES campaigns (id), result TEXT NOT NULL,"
	" delay_seconds BIGINT NOT NULL, PRIMARY KEY (campaign_id, result));"

	"CREATE TABLE outcomes ("
	" id %ID%, campaign_id BIGINT REFERENCES campaigns (id), code TEXT NOT NULL,"
	" label_fr TEXT NOT NULL, label_en TEXT NOT NULL,"
	" is_refusal INTEGER NOT NULL DEFAULT 0, is_final INTEGER NOT NULL DEFAULT 0,"
	" is_hot INTEGER NOT NULL DEFAULT 0, followup_days INTEGER,"
	" is_callback INTEGER NOT NULL DEFAULT 0, is_appointment INTEGER NOT NULL DEFAULT 0,"
	" is_sale INTEGER NOT NULL DEFAULT 0, is_do_not_call INTEGER NOT NULL DEFAULT 0,"
	" UNIQUE (campaign_id, code));"

	"CREATE TABLE qualification_fields ("
	" id %ID%, campaign_id BIGINT NOT NULL REFERENCES campaigns (id), key TEXT NOT NULL,"
	" label TEXT NOT NULL, type TEXT NOT NULL CHECK (type = 'text' OR type = 'number' OR type = 'date' OR type = 'yesno' OR type = 'choice'),"
	" choices TEXT, UNIQUE (campaign_id, key));"

	"CREATE TABLE leads ("
	" id %ID%, campaign_id BIGINT NOT NULL REFERENCES campaigns (id),"
	" contact_id BIGINT NOT NULL REFERENCES contacts (id), phone TEXT NOT NULL,"
	" state TEXT NOT NULL DEFAULT 'new' CHECK (state = 'new' OR state = 'in_progress' OR state = 'callback' OR state = 'hot' OR state = 'appointment' OR state = 'refused' OR state = 'do_not_call' OR state = 'exhausted' OR state = 'invalid' OR state = 'done'),"
	" priority INTEGER NOT NULL DEFAULT 0, attempts INTEGER NOT NULL DEFAULT 0, last_result TEXT,"
	" last_call_at BIGINT, next_call_at BIGINT, callback_agent_id BIGINT REFERENCES users (id),"
	" held_by BIGINT REFERENCES users (id), held_until BIGINT,"
	" source_line BIGINT, created_at BIGINT NOT NULL, UNIQUE (campaign_id, phone));"
	"CREATE INDEX leads_contact ON leads (contact_id);"
	"CREATE INDEX leads_queue ON leads (campaign_id, state, next_call_at);"
	"CREATE INDEX leads_new ON leads (campaign_id, state, priority DESC, id);"
	"CREATE INDEX leads_held ON leads (held_by) WHERE held_by IS NOT NULL;"

	"CREATE TABLE qualification_values ("
	" id %ID%, company_id BIGINT REFERENCES companies (id),"
	" contact_id BIGINT REFERENCES contacts (id), key TEXT NOT NULL, value TEXT NOT NULL,"
	" set_by BIGINT REFERENCES users (id), set_at BIGINT NOT NULL, call_id BIGINT);"
	"CREATE INDEX qualification_values_contact ON qualification_values (contact_id, key)"
	" WHERE contact_id IS NOT NULL;"
	"CREATE INDEX qualification_values_company ON qualification_values (company_id, key)"
	" WHERE company_id IS NOT NULL;"

	"CREATE TABLE agent_sessions ("
	" id %ID%, agent_id BIGINT NOT NULL REFERENCES users (id),"
	" campaign_id BIGINT NOT NULL REFERENCES campaigns (id),"
	" started_at BIGINT NOT NULL, ended_at BIGINT, paused_seconds BIGINT NOT NULL DEFAULT 0,"
	" paused_since BIGINT, last_activity_at BIGINT NOT NULL, credited_until BIGINT NOT NULL);"
	"CREATE INDEX agent_sessions_agent ON agent_sessions (agent_id, ended_at);"

	"CREATE TABLE calls ("
	" id %ID%, campaign_id BIGINT NOT NULL REFERENCES campaigns (id),"
	" lead_id BIGINT REFERENCES leads (id), agent_id BIGINT REFERENCES users (id),"
	" session_id BIGINT REFERENCES agent_sessions (id),"
	" started_at BIGINT NOT NULL, ring_seconds BIGINT NOT NULL DEFAULT 0,"
	" talk_seconds BIGINT NOT NULL DEFAULT 0,"
	" result TEXT NOT NULL CHECK (result = 'no_answer' OR result = 'busy' OR result = 'voicemail' OR result = 'gatekeeper' OR result = 'wrong_number' OR result = 'invalid_number' OR result = 'conversation'),"
	" outcome_id BIGINT REFERENCES outcomes (id), notes TEXT, callback_at BIGINT,"
	" qualification_changed INTEGER NOT NULL DEFAULT 0,"
	" local_day INTEGER NOT NULL, local_hour INTEGER NOT NULL, local_weekday INTEGER NOT NULL,"
	" idempotency_key TEXT UNIQUE);"
	"CREATE INDEX calls_campaign_time ON calls (campaign_id, started_at);"
	"CREATE INDEX calls_lead ON calls (lead_id);"
	"CREATE INDEX calls_agent ON calls (agent_id, started_at);"
	"CREATE INDEX calls_session ON calls (session_id) WHERE session_id IS NOT NULL;"

	"CREATE TABLE appointments ("
	" id %ID%, call_id BIGINT NOT NULL REFERENCES calls (id),"
	" lead_id BIGINT REFERENCES leads (id), campaign_id BIGINT NOT NULL REFERENCES campaigns (id),"
	" agent_id BIGINT REFERENCES users (id), sales_id BIGINT REFERENCES users (id),"
	" scheduled_at BIGINT NOT NULL,"
	" status TEXT NOT NULL DEFAULT 'scheduled' CHECK (status = 'scheduled' OR status = 'held' OR status = 'no_show' OR status = 'cancelled'),"
	" relevant INTEGER, result TEXT NOT NULL DEFAULT 'pending' CHECK (result = 'pending' OR result = 'won' OR result = 'lost'),"
	" amount_cents BIGINT, local_day INTEGER NOT NULL, local_hour INTEGER NOT NULL,"
	" updated_at BIGINT NOT NULL);"
	"CREATE INDEX appointments_campaign ON appointments (campaign_id, scheduled_at);"
	"CREATE INDEX appointments_sales ON appointments (sales_id, scheduled_at);"
	"CREATE INDEX appointments_call ON appointments (call_id);"

	"CREATE TABLE kpi_counters ("
	" campaign_id BIGINT NOT NULL REFERENCES campaigns (id), agent_id BIGINT NOT NULL,"
	" local_day INTEGER NOT NULL, local_hour INTEGER NOT NULL,"
	KPI_COLUMNS
	" PRIMARY KEY (campaign_id, agent_id, local_day, local_hour));"
	"CREATE INDEX kpi_counters_agent ON kpi_counters (agent_id, local_day);"
	"CREATE INDEX kpi_counters_day ON kpi_counters (local_day);"

	/* Rollups of kpi_counters, written in the same transaction: a report over years reads
	 * a few thousand rows whatever the number of calls (store_kpi.c picks the table). */
	"CREATE TABLE kpi_agent_month ("
	" campaign_id BIGINT NOT NULL REFERENCES campaigns (id), agent_id BIGINT NOT NULL, month INTEGER NOT NULL,"
	KPI_COLUMNS
	" PRIMARY KEY (campaign_id, agent_id, month));"
	"CREATE INDEX kpi_agent_month_agent ON kpi_agent_month (agent_id, month);"
	"CREATE TABLE kpi_hour_month ("
	" campaign_id BIGINT NOT NULL REFERENCES campaigns (id), month INTEGER NOT NULL,"
	" local_weekday INTEGER NOT NULL, local_hour INTEGER NOT NULL,"
	KPI_COLUMNS
	" PRIMARY KEY (campaign_id, month, local_weekday, local_hour));"
	"CREATE TABLE kpi_day ("
	" campaign_id BIGINT NOT NULL REFERENCES campaigns (id), local_day INTEGER NOT NULL,"
	KPI_COLUMNS
	" PRIMARY KEY (campaign_id, local_day));"
	"CREATE INDEX kpi_day_day ON kpi_day (local_day);"

	/* Calling time of calls recorded without a session (imported history): the span from
	 * the agent's first call start to last call end of each local day (docs/KPI.md). */
	"CREATE TABLE agent_day_spans ("
	" campaign_id BIGINT NOT NULL REFERENCES campaigns (id), agent_id BIGINT NOT NULL,"
	" local_day INTEGER NOT NULL, first_start BIGINT NOT NULL, last_end BIGINT NOT NULL,"
	" PRIMARY KEY (campaign_id, agent_id, local_day));"

	"CREATE TABLE calling_windows ("
	" id %ID%, campaign_id BIGINT NOT NULL REFERENCES campaigns (id),"
	" weekday INTEGER NOT NULL CHECK (weekday BETWEEN 0 AND 6),"
	" start_minute INTEGER NOT NULL, end_minute INTEGER NOT NULL,"
	" CHECK (start_minute >= 0 AND start_minute < end_minute AND end_minute <= 1440));"
	"CREATE INDEX calling_windows_campaign ON calling_windows (campaign_id);"

	"CREATE TABLE opposition ("
	" id %ID%, phone TEXT NOT NULL, source TEXT NOT NULL CHECK (source = 'internal' OR source = 'bloctel' OR source = 'other'),"
	" since BIGINT NOT NULL, note TEXT, UNIQUE (phone, source));"

	"CREATE TABLE imports ("
	" id %ID%, campaign_id BIGINT REFERENCES campaigns (id), kind TEXT NOT NULL, file TEXT NOT NULL,"
	" at BIGINT NOT NULL, imported BIGINT NOT NULL, duplicates BIGINT NOT NULL,"
	" rejected BIGINT NOT NULL);"

	"CREATE TABLE audit_log ("
	" id %ID%, at BIGINT NOT NULL, actor TEXT NOT NULL, action TEXT NOT NULL,"
	" entity TEXT NOT NULL, entity_id BIGINT, detail TEXT);"
	"CREATE INDEX audit_log_entity ON audit_log (entity, entity_id);"

	/* Built-in outcomes (docs/CALLING.md, "Results, outcomes and what they do to the lead"); campaign_id NULL. */
	"INSERT INTO outcomes (campaign_id, code, label_fr, label_en, is_refusal, is_final, is_hot,"
	" followup_days, is_callback, is_appointment, is_sale, is_do_not_call) VALUES"
	" (NULL, 'refused', 'Pas intéressé', 'Not interested', 1, 1, 0, NULL, 0, 0, 0, 0),"
	" (NULL, 'hot_short', 'Prospect chaud, court terme', 'Hot prospect, short term', 0, 0, 1, 30, 0, 0, 0, 0),"
	" (NULL, 'hot_medium', 'Prospect chaud, moyen terme', 'Hot prospect, medium term', 0, 0, 1, 91, 0, 0, 0, 0),"
	" (NULL, 'hot_long', 'Prospect chaud, long terme', 'Hot prospect, long term', 0, 0, 1, 182, 0, 0, 0, 0),"
	" (NULL, 'callback', 'Rappel', 'Callback', 0, 0, 0, NULL, 1, 0, 0, 0),"
	" (NULL, 'appointment', 'Rendez-vous', 'Appointment set', 0, 0, 0, NULL, 0, 1, 0, 0),"
	" (NULL, 'sale', 'Vente', 'Sale closed on the call', 0, 1, 0, NULL, 0, 0, 1, 0),"
	" (NULL, 'do_not_call', 'Ne plus appeler', 'Do not call me', 1, 1, 0, NULL, 0, 0, 0, 1),"
	" (NULL, 'not_target', 'Hors cible', 'Not the target', 0, 1, 0, NULL, 0, 0, 0, 0);";

/* 2: the web server's sessions (stateless servers share them through the database),
 * failed logins (throttling, counted across servers), each user's language, the open
 * calling sessions of a campaign (the team screen), and outcome counters (the dashboard). */
static const char m2_web[] =
	"CREATE TABLE web_sessions ("
	" token_hash TEXT PRIMARY KEY, user_id BIGINT NOT NULL REFERENCES users (id),"
	" csrf TEXT NOT NULL, created_at BIGINT NOT NULL, expires_at BIGINT NOT NULL);"
	"CREATE INDEX web_sessions_user ON web_sessions (user_id);"
	"CREATE INDEX web_sessions_expires ON web_sessions (expires_at);"
	"CREATE TABLE login_failures ("
	" id %ID%, login TEXT NOT NULL, ip TEXT NOT NULL, at BIGINT NOT NULL);"
	"CREATE INDEX login_failures_login ON login_failures (login, at);"
	"CREATE INDEX login_failures_ip ON login_failures (ip, at);"
	"CREATE INDEX login_failures_at ON login_failures (at);"
	"ALTER TABLE users ADD COLUMN lang TEXT;"
	/* The rules of the trade a campaign applies: NULL, the default of its audience. */
	"ALTER TABLE campaigns ADD COLUMN rule_set TEXT;"
	/* The calls to one number across campaigns (4 calls in 30 days, 60 days after a refusal). */
	"CREATE INDEX leads_phone ON leads (phone);"
	/* Consumers' consents to be called (B2C, since 2026-08-11), by number: imported with a
	 * prospect file or recorded at the desk, never overwritten. */
	"CREATE TABLE consents ("
	" id %ID%, phone TEXT NOT NULL, source TEXT NOT NULL, consented_at BIGINT NOT NULL, wording TEXT,"
	" recorded_at BIGINT NOT NULL, recorded_by TEXT NOT NULL, UNIQUE (phone, source, consented_at));"
	/* Each screening of the prospect files against an opposition service (Bloctel): when
	 * the list was produced, and when it was loaded. */
	"CREATE TABLE screenings ("
	" id %ID%, source TEXT NOT NULL, screened_at BIGINT NOT NULL, numbers BIGINT NOT NULL,"
	" imported_at BIGINT NOT NULL);"
	"CREATE INDEX screenings_source ON screenings (source, screened_at);"
	/* The rank of a call among its lead's calls (the insights by attempt). */
	"ALTER TABLE calls ADD COLUMN attempt INTEGER;"
	/* A person erased at their request (GDPR): when. */
	"ALTER TABLE contacts ADD COLUMN erased_at BIGINT;"
	"CREATE INDEX agent_sessions_open ON agent_sessions (campaign_id, ended_at);"
	/* Conversations by outcome, per agent and day and per agent and month, written with
	 * each call like the other counters (the dashboard's outcome breakdown), filled here
	 * from the calls already recorded. */
	"CREATE TABLE kpi_outcome_day ("
	" campaign_id BIGINT NOT NULL REFERENCES campaigns (id), agent_id BIGINT NOT NULL REFERENCES users (id),"
	" local_day INTEGER NOT NULL, outcome_id BIGINT NOT NULL REFERENCES outcomes (id),"
	KPI_COLUMNS
	" PRIMARY KEY (campaign_id, agent_id, local_day, outcome_id));"
	"CREATE INDEX kpi_outcome_day_day ON kpi_outcome_day (local_day);"
	"CREATE TABLE kpi_outcome_month ("
	" campaign_id BIGINT NOT NULL REFERENCES campaigns (id), agent_id BIGINT NOT NULL REFERENCES users (id),"
	" month INTEGER NOT NULL, outcome_id BIGINT NOT NULL REFERENCES outcomes (id),"
	KPI_COLUMNS
	" PRIMARY KEY (campaign_id, agent_id, month, outcome_id));"
	"CREATE INDEX kpi_outcome_month_month ON kpi_outcome_month (month);"
	"INSERT INTO kpi_outcome_day (campaign_id, agent_id, local_day, outcome_id, calls, conversations,"
	" appointments, sales, talk_seconds, talk_seconds_sq, qualified, hot, callbacks, refusals)"
	" SELECT c.campaign_id, c.agent_id, c.local_day, c.outcome_id, COUNT(*), COUNT(*),"
	" SUM(o.is_appointment), SUM(o.is_sale), SUM(c.talk_seconds), SUM(c.talk_seconds * c.talk_seconds),"
	" SUM(c.qualification_changed), SUM(o.is_hot), SUM(o.is_callback), SUM(o.is_refusal)"
	" FROM calls c JOIN outcomes o ON o.id = c.outcome_id WHERE c.result = 'conversation'"
	" GROUP BY c.campaign_id, c.agent_id, c.local_day, c.outcome_id;"
	"INSERT INTO kpi_outcome_month (campaign_id, agent_id, month, outcome_id, calls, conversations,"
	" appointments, sales, talk_seconds, talk_seconds_sq, qualified, hot, callbacks, refusals)"
	" SELECT campaign_id, agent_id, local_day / 100, outcome_id, SUM(calls), SUM(conversations),"
	" SUM(appointments), SUM(sales), SUM(talk_seconds), SUM(talk_seconds_sq), SUM(qualified), SUM(hot),"
	" SUM(callbacks), SUM(refusals) FROM kpi_outcome_day GROUP BY campaign_id, agent_id, local_day / 100, outcome_id;";

/* Each change of a campaign's settings counts one revision, so that a connection may keep
 * the rules it read (blocks, windows, retries, fields, outcomes) while it is unchanged. */
static const char m3_revision[] =
	"ALTER TABLE campaigns ADD COLUMN revision BIGINT NOT NULL DEFAULT 0;";

/* The lead an agent holds is looked up by agent and campaign on every "next": one index
 * on both (held leads only) finds it in one probe, where the agent's index alone made
 * PostgreSQL AND it with a scan of the whole campaign's leads. */
static const char m4_held[] =
	"DROP INDEX leads_held;"
	"CREATE INDEX leads_held ON leads (held_by, campaign_id) WHERE held_by IS NOT NULL;";

/* 5: what an erasure leaves (docs/PRIVACY.md). The database's own settings (the key of
 * the erased numbers' hashes); opposition entries whose number is kept only as a keyed
 * hash ("#" and hex in phone, hashed 1), read at each prospect import; the consents'
 * numbers out of the audit log (the consent rows keep them, and go with an erasure). */
static const char m5_privacy[] =
	"CREATE TABLE settings (key TEXT PRIMARY KEY, value TEXT NOT NULL);"
	"ALTER TABLE opposition ADD COLUMN hashed INTEGER NOT NULL DEFAULT 0;"
	"CREATE INDEX opposition_hashed ON opposition (hashed) WHERE hashed = 1;"
	"UPDATE audit_log SET detail = NULL WHERE action = 'consent.add';";

/* 6: calls of a history that did not say their time of day (core/when.h): counted apart
 * in every counters table, so that the per-hour rates leave them out (docs/KPI.md). */
#define UNTIMED(table) "ALTER TABLE " table " ADD COLUMN untimed_calls BIGINT NOT NULL DEFAULT 0;" \
	"ALTER TABLE " table " ADD COLUMN untimed_conversations BIGINT NOT NULL DEFAULT 0;"
static const char m6_untimed[] =
	UNTIMED("kpi_counters") UNTIMED("kpi_agent_month") UNTIMED("kpi_hour_month") UNTIMED("kpi_day")
	UNTIMED("kpi_outcome_day") UNTIMED("kpi_outcome_month");
#undef UNTIMED

/* 7: Telepro dials (docs/TELEPHONY.md): how a campaign dials, the number it presents and
 * how long an attempt rings; the phone that rings for an agent. */
static const char m7_dialing[] =
	"ALTER TABLE campaigns ADD COLUMN caller_id TEXT;"
	"ALTER TABLE campaigns ADD COLUMN dialing TEXT NOT NULL DEFAULT 'manual'"
	" CHECK (dialing = 'manual' OR dialing = 'click' OR dialing = 'progressive');"
	"ALTER TABLE campaigns ADD COLUMN ring_timeout_seconds BIGINT NOT NULL DEFAULT 25;"
	"ALTER TABLE users ADD COLUMN phone TEXT;";

/* 8: the calls Telepro places (docs/TELEPHONY.md, core/dial.h): one row per attempt, kept
 * as the signalling goes (times in milliseconds), so that a server restarted mid-call
 * finds what it was doing; call_id is the call logged for it (written with that call). */
static const char m8_dials[] =
	"CREATE TABLE dials ("
	" id %ID%, lead_id BIGINT NOT NULL REFERENCES leads (id),"
	" agent_id BIGINT NOT NULL REFERENCES users (id),"
	" campaign_id BIGINT NOT NULL REFERENCES campaigns (id),"
	" mode TEXT NOT NULL CHECK (mode = 'click' OR mode = 'progressive'),"
	" state TEXT NOT NULL CHECK (state = 'ringing_agent' OR state = 'ringing_prospect' OR state = 'joining'"
	" OR state = 'connected' OR state = 'ended'),"
	" end_reason TEXT, result TEXT, sip_status INTEGER NOT NULL DEFAULT 0,"
	" agent_status INTEGER NOT NULL DEFAULT 0, started_ms BIGINT NOT NULL DEFAULT 0,"
	" prospect_ms BIGINT NOT NULL DEFAULT 0, answered_ms BIGINT NOT NULL DEFAULT 0,"
	" ended_ms BIGINT NOT NULL DEFAULT 0, updated_ms BIGINT NOT NULL,"
	" call_id BIGINT REFERENCES calls (id));"
	"CREATE INDEX dials_live ON dials (state) WHERE state <> 'ended';"
	"CREATE INDEX dials_agent ON dials (agent_id, id);"
	"CREATE INDEX dials_call ON dials (call_id) WHERE call_id IS NOT NULL;";

/* 9: call scripts versioned and compared (docs/SCRIPTS.md, core/scripts.h): every save of
 * a variant's text is a version; a campaign's variants with their weights (stopped ones
 * kept); the variant each lead got, and the variant and version each call was made with.
 * A campaign's script so far becomes version 1 of its variant A. */
static const char m9_scripts[] =
	"CREATE TABLE script_versions ("
	" id %ID%, campaign_id BIGINT NOT NULL REFERENCES campaigns (id), variant TEXT NOT NULL,"
	" version BIGINT NOT NULL, body TEXT NOT NULL, author TEXT, created_at BIGINT NOT NULL,"
	" UNIQUE (campaign_id, variant, version));"
	"CREATE TABLE script_variants ("
	" campaign_id BIGINT NOT NULL REFERENCES campaigns (id), variant TEXT NOT NULL,"
	" position BIGINT NOT NULL, weight BIGINT NOT NULL, stopped_at BIGINT,"
	" PRIMARY KEY (campaign_id, variant));"
	"ALTER TABLE campaigns ADD COLUMN script_primary TEXT;"
	"ALTER TABLE campaigns ADD COLUMN script_seed BIGINT NOT NULL DEFAULT 0;"
	"ALTER TABLE leads ADD COLUMN script_variant TEXT;"
	"ALTER TABLE calls ADD COLUMN script_variant TEXT;"
	"ALTER TABLE calls ADD COLUMN script_version BIGINT;"
	"INSERT INTO script_versions (campaign_id, variant, version, body, created_at)"
	" SELECT id, 'A', 1, script, 0 FROM campaigns WHERE script IS NOT NULL;"
	"INSERT INTO script_variants (campaign_id, variant, position, weight)"
	" SELECT id, 'A', 0, 1 FROM campaigns WHERE script IS NOT NULL;";

/* 10: calendars (docs/CALENDARS.md): how many times an appointment changed (its events'
 * SEQUENCE), and each user's calendar feed, by the keyed hash of its secret token. */
static const char m10_calendars[] =
	"ALTER TABLE appointments ADD COLUMN sequence BIGINT NOT NULL DEFAULT 0;"
	"ALTER TABLE users ADD COLUMN calendar_token TEXT;"
	"CREATE UNIQUE INDEX users_calendar_token ON users (calendar_token) WHERE calendar_token IS NOT NULL;";

/* 11: webhooks (docs/WEBHOOKS.md): the addresses an admin registered per event, and the
 * outbox of deliveries, written in the same transaction as their event; a worker sends
 * them, each attempt kept (the delivery log). */
static const char m11_webhooks[] =
	"CREATE TABLE webhooks ("
	" id %ID%, url TEXT NOT NULL, events TEXT NOT NULL, secret TEXT NOT NULL, created_at BIGINT NOT NULL,"
	" disabled INTEGER NOT NULL DEFAULT 0);"
	"CREATE TABLE webhook_deliveries ("
	" id %ID%, hook_id BIGINT NOT NULL REFERENCES webhooks (id), event TEXT NOT NULL, body TEXT NOT NULL,"
	" created_at BIGINT NOT NULL, next_at BIGINT NOT NULL, attempts BIGINT NOT NULL DEFAULT 0,"
	" state TEXT NOT NULL DEFAULT 'pending' CHECK (state = 'pending' OR state = 'delivered' OR state = 'failed'),"
	" last_status BIGINT, last_error TEXT, delivered_at BIGINT);"
	"CREATE INDEX webhook_deliveries_due ON webhook_deliveries (next_at) WHERE state = 'pending';"
	"CREATE INDEX webhook_deliveries_hook ON webhook_deliveries (hook_id, id);";

/* 12: what a page reads, kept while nothing changed (docs/KPI.md): each campaign's
 * counters revision, bumped in the transaction that changes its counters (store_counters.c),
 * and the dials of a campaign found without reading its calls. */
static const char m12_kpi_revisions[] =
	"CREATE TABLE kpi_revisions ("
	" campaign_id BIGINT PRIMARY KEY REFERENCES campaigns (id), revision BIGINT NOT NULL);"
	"CREATE INDEX dials_campaign ON dials (campaign_id, agent_id) WHERE call_id IS NOT NULL;";

static const char *const migrations[] = {
	m1_schema,
	m2_web,
	m3_revision,
	m4_held,
	m5_privacy,
	m6_untimed,
	m7_dialing,
	m8_dials,
	m9_scripts,
	m10_calendars,
	m11_webhooks,
	m12_kpi_revisions,
};

int migrations_latest(void)
{
	return (int)(sizeof(migrations) / sizeof(migrations[0]));
}

static char *expand(const char *sql, const char *id_column)
{
	struct strbuf sb;
	const char *p;

	sb_init(&sb);
	while ((p = strstr(sql, "%ID%")) != NULL) {
		sb_add(&sb, sql, (size_t)(p - sql));
		sb_adds(&sb, id_column);
		sql = p + 4;
	}
	sb_adds(&sb, sql);
	return sb.buf;
}

static int apply_all(struct db *db, int *applied, struct tp_error *err);

static int current_version(struct db *db, int64_t *version, struct tp_error *err)
{
	int rc = db_query_int64(db, "SELECT COALESCE(MAX(version), 0) FROM schema_migrations", version, err);

	return rc;
}

int migrations_apply(struct db *db, int *applied, struct tp_error *err)
{
	int count = 0, rc;
	int64_t have = 0;

	/* Up to date (the usual case): said by one read, with no write lock to wait for. */
	if (applied)
		*applied = 0;
	if (db_query_int64(db, "SELECT COALESCE(MAX(version), 0) FROM schema_migrations", &have, err) == 0 &&
	    have >= migrations_latest())
		return 0;
	tp_error_clear(err);

	if (db->driver->lock_schema && db->driver->lock_schema(db, true, err))
		return err->code;
	rc = apply_all(db, &count, err);
	if (db->driver->lock_schema) {
		struct tp_error ignored;

		tp_error_clear(&ignored);
		db->driver->lock_schema(db, false, &ignored);
	}
	if (applied)
		*applied = count;
	return rc;
}

static int apply_all(struct db *db, int *applied, struct tp_error *err)
{
	int count = 0;

	if (db_exec(db, "CREATE TABLE IF NOT EXISTS schema_migrations ("
		" version BIGINT PRIMARY KEY, applied_at BIGINT NOT NULL)", err))
		return err->code;
	for (int v = 1; v <= migrations_latest(); v++) {
		int64_t have = 0;
		char *sql;
		struct db_stmt *st;
		int rc;

		/* Read the version inside the write transaction: two processes opening a new
		 * database at once serialise here, and the second finds nothing to do. */
		if (db_begin(db, err))
			return err->code;
		if (current_version(db, &have, err))
			goto fail;
		if (have >= v) {
			db_rollback(db);
			continue;
		}
		sql = expand(migrations[v - 1], db->driver->id_column);
		rc = db_exec(db, sql, err);
		free(sql);
		if (rc)
			goto fail;
		st = db_prepare(db, "INSERT INTO schema_migrations (version, applied_at) VALUES (?, ?)", err);
		if (!st)
			goto fail;
		db_bind_int64(st, 1, v);
		db_bind_int64(st, 2, (int64_t)time(NULL));
		rc = db_step(st, err);
		db_finalize(st);
		if (rc < 0 || db_commit(db, err))
			goto fail;
		count++;
	}
	if (applied)
		*applied = count;
	return 0;
fail:
	db_rollback(db);
	return err->code ? err->code : TP_ERR;
}
