#ifndef TP_CAMPAIGN_H
#define TP_CAMPAIGN_H
/*
 * A campaign's settings and the rules on their values (docs/DOMAIN.md). Plain
 * data: the store reads and writes it, the CLI fills it from options. Strings are owned
 * by the struct (campaign_release frees them). A value of -1 in an integer setting
 * means "not set".
 */
#include <stdbool.h>
#include <stdint.h>

#include "core/error.h"
#include "core/slots.h"

#define CAMPAIGN_BLOCKS_MAX SLOTS_MAX

#define CAMPAIGN_RETRY_MAX 8
#define CAMPAIGN_FIELDS_MAX 32

struct retry_rule {
	char result[24];
	int64_t seconds;
};

/* A qualification field the campaign asks for (docs/DOMAIN.md, "qualification field"). */
struct qual_field {
	char key[64];
	char type[16];      /* text, number, date, yesno, choice */
	char choices[256];  /* choice: values separated by '|' */
	char label_fr[96], label_en[96];   /* what the desk says ("" none: the key, humanised) */
};

/* "KEY=TYPE[:choices][;Libellé|Label]" as the form and --field write it, into buf. */
void campaign_format_field(const struct qual_field *f, char *buf, size_t size);
/* A field's labels as the store keeps them ("Libellé|Label", "" none) and back. */
void campaign_field_labels_text(const struct qual_field *f, char *buf, size_t size);
void campaign_field_labels_read(struct qual_field *f, const char *text);

#define CAMPAIGN_OUTCOMES_MAX 16

/* Flags of an outcome (docs/CALLING.md, "Results, outcomes and what they do to the lead"): KPIs read the flags only. */
enum outcome_flag {
	OUTCOME_REFUSAL = 1,
	OUTCOME_FINAL = 2,
	OUTCOME_CALLBACK = 4,       /* needs a date and time */
	OUTCOME_APPOINTMENT = 8,    /* needs a date and time */
	OUTCOME_SALE = 16,
	OUTCOME_DO_NOT_CALL = 32,   /* the number joins the opposition list */
};

/* An outcome of the campaign's own, beside the built-in ones (e.g. "already a customer"). */
struct outcome_def {
	char code[32];              /* a-z, 0-9 and _ */
	char label_fr[96], label_en[96];
	unsigned flags;             /* enum outcome_flag */
};

struct campaign {
	int64_t id;
	char *name;
	char *kind;         /* appointment, event, qualification, survey, sales, custom */
	char *audience;     /* b2b, b2c */
	char *timezone;     /* IANA name, e.g. Europe/Paris */
	char *region;       /* ISO 3166 alpha-2 for national phone numbers, e.g. FR */
	char *script;       /* Markdown, may be NULL */
	int64_t expected_call_seconds;
	int64_t daily_calls;
	int64_t weekly_calls;
	int64_t daily_appointments;
	int64_t weekly_appointments;
	int64_t max_attempts;
	int64_t hourly_cost_cents;
	bool archived;
	int64_t created_at;
	int64_t hold_seconds;       /* how long a lead given by "next" stays held */
	int64_t idle_limit_seconds; /* a session idle longer is closed at its last activity */
	int nblocks;                /* calling blocks: focused slots, for KPIs and planning */
	struct calling_block blocks[CAMPAIGN_BLOCKS_MAX];
	int nwindows;               /* calling windows: no lead is offered outside them */
	struct calling_block windows[CAMPAIGN_BLOCKS_MAX];
	int nretry;                 /* retry delays that differ from the defaults */
	struct retry_rule retry[CAMPAIGN_RETRY_MAX];
	int nfields;
	struct qual_field fields[CAMPAIGN_FIELDS_MAX];
	int rule_set;               /* enum rules_set (core/rules.h); -1: the default of the audience */
	int noutcomes;              /* the campaign's own outcomes, added or relabelled, never dropped */
	struct outcome_def outcomes[CAMPAIGN_OUTCOMES_MAX];
	/* Telepro dials (core/dialing.h): how, from which number (E.164, NULL: none), and how
	 * long an attempt rings before it is cancelled. */
	int dialing;                /* enum dialing */
	char *caller_id;
	int64_t ring_timeout_seconds;
	int64_t leads;      /* filled by store_campaign_get: number of leads */
	int64_t revision;   /* read from the store: counts the changes of its settings */
};

void campaign_init(struct campaign *c);
void campaign_release(struct campaign *c);
/* Makes *dst (initialised or released) a copy of *src with strings of its own. */
void campaign_copy(struct campaign *dst, const struct campaign *src);

/* Replaces *slot's string with a copy of value (NULL clears). */
void campaign_set_str(char **slot, const char *value);

bool campaign_kind_valid(const char *kind);
bool campaign_audience_valid(const char *audience);
/* True when name is a time zone the system knows (a file under /usr/share/zoneinfo). */
bool campaign_timezone_valid(const char *name);

/*
 * Parses "HH:MM-HH:MM" or "DAYS HH:MM-HH:MM" (DAYS: mon-fri, mon,wed, sat, ...; default
 * Monday to Friday) and appends one block per day to c. TP_EUSAGE with a reason when the
 * text is not such a block or there are too many blocks.
 */
TP_MUST_USE int campaign_add_blocks(struct campaign *c, const char *text, struct tp_error *err);

/* The same for calling windows ("mon-fri 09:00-19:00"). */
TP_MUST_USE int campaign_add_windows(struct campaign *c, const char *text, struct tp_error *err);

/* Writes "mon-fri 14:00-16:00"-like text for blocks into buf. */
void campaign_format_slots(const struct calling_block *b, int n, char *buf, size_t size);
/* The same with another separator: "\n" writes one a line, as the campaign form reads them. */
void campaign_format_slots_sep(const struct calling_block *b, int n, const char *sep, char *buf, size_t size);

/* The retry delay after result: the campaign's rule, else the default. */
int64_t campaign_retry_seconds(const struct campaign *c, const char *result);

/* Sets (or replaces) a retry rule "RESULT=DELAY". */
TP_MUST_USE int campaign_set_retry(struct campaign *c, const char *text, struct tp_error *err);

/* Adds or replaces a qualification field from "KEY=TYPE" or "KEY=choice:a|b|c". */
TP_MUST_USE int campaign_set_field(struct campaign *c, const char *text, struct tp_error *err);

/* Parses "CODE=Libellé|Label;flag,flag" (the English label and the flags optional; flags:
 * refusal, final, callback, appointment, sale, do_not_call) and adds or replaces that
 * outcome of c. TP_EUSAGE naming "outcome" when it is not one or is a built-in code. */
TP_MUST_USE int campaign_set_outcome(struct campaign *c, const char *text, struct tp_error *err);
/* Writes an outcome back in that form. */
void campaign_format_outcome(const struct outcome_def *o, char *buf, size_t size);
/* The flags' names, for messages and JSON: flag i of OUTCOME_FLAG_COUNT. */
#define OUTCOME_FLAG_COUNT 6
const char *campaign_outcome_flag_name(int i);

/* The script a consumer campaign starts from when none is given: it opens with what the
 * law requires the caller to say first (Code de la consommation, art. L.221-16): who
 * calls, for whom, and that the call is commercial. */
extern const char campaign_b2c_script[];

/* The rule set the campaign applies (its own choice, else its audience's default). */
int campaign_rules(const struct campaign *c);

/* The field named key, or NULL. */
const struct qual_field *campaign_field(const struct campaign *c, const char *key);

/* The defaults of a new campaign: kind appointment, audience b2b, Europe/Paris, region FR
 * (campaign_init gives the numbers: 6 attempts, 15 min hold, 30 min idle limit). */
void campaign_defaults(struct campaign *c);

/* How long an attempt may ring before Telepro cancels it (seconds). */
#define CAMPAIGN_RING_MIN 5
#define CAMPAIGN_RING_MAX 120

#define CAMPAIGN_SCRIPT_KIB_ 256
#define CAMPAIGN_SCRIPT_MAX (CAMPAIGN_SCRIPT_KIB_ * 1024)
#define CAMPAIGN_SCRIPT_KIB TP_STR(CAMPAIGN_SCRIPT_KIB_) /* as a message's argument */

/* One setting as the CLI's option (without "--") and the API name it, e.g.
 * {"daily-calls", "40"}, {"block", "14:00-16:00"}, {"no-blocks", NULL}; value is the
 * script's text for "script". */
struct campaign_setting {
	const char *key;
	const char *value;
};

/* The index of a setting's key (-1 when there is none); *takes_value says whether it
 * needs a value. campaign_setting_name gives the key of an index back. */
int campaign_setting_find(const char *key, bool *takes_value);
const char *campaign_setting_name(int i);

/* Applies settings in order: durations, money and objectives through their one parser,
 * blocks and windows given replace the old ones (the first of a list clears them).
 * TP_EUSAGE naming the setting; c may be half changed then (the caller drops it). */
TP_MUST_USE int campaign_apply_settings(struct campaign *c, const struct campaign_setting *set, size_t n,
	struct tp_error *err);

/* Checks the whole struct (kind, audience, time zone, numbers); TP_EUSAGE naming the field. */
TP_MUST_USE int campaign_validate(const struct campaign *c, struct tp_error *err);

#endif
