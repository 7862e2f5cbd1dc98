#ifndef TP_ERROR_H
#define TP_ERROR_H
/*
 * The error every fallible function fills in: where the fault is (file, line, field) and
 * why, in words a user can act on. The caller owns the struct (usually on its stack);
 * functions only write into it. A zeroed struct means "no error".
 */
#include <stdarg.h>

/* On a function whose result says whether it worked: ignoring it does not compile
 * (-Werror), so a failure is never dropped on the floor. */
#define TP_MUST_USE __attribute__((warn_unused_result))

enum tp_status {
	TP_OK = 0,
	TP_ERR = -1,        /* runtime failure: exit code 1 */
	TP_EUSAGE = -2,     /* bad usage or bad input: exit code 2 */
	TP_ENOTFOUND = -3,  /* a named thing does not exist: exit code 2 */
	TP_EEXIST = -4,     /* a thing with that name exists already: exit code 2 */
	TP_ENOTHING = -5,   /* nothing to do now (e.g. no lead to call): exit code 3 */
	TP_EFORBIDDEN = -6, /* the actor's role may not do that: exit code 2 (HTTP 403) */
	TP_ETOOMANY = -7,   /* too many attempts for now (failed logins): exit code 1 (HTTP 429) */
	TP_ECONFLICT = -8,  /* the thing is not in a state that allows it (a closed lead, a key
	                       reused with another request): exit code 2 (HTTP 409) */
	TP_EUNAVAILABLE = -9, /* the database cannot be reached now (restarting): exit code 1
	                         (HTTP 503 with Retry-After); nothing was done */
	TP_ECONFIRM = -10,  /* allowed, but unusual enough to be asked again (a callback at
	                       03:00): nothing was done; the same request confirmed goes
	                       through: exit code 2 (HTTP 409 with "confirm": true) */
};

/* A message the catalogue translates (po/fr.po; tests/web/po_check.sh extracts them). */
#define TP_MSG(text) text
/* A number constant as a message's argument: TP_STR(APP_PASSWORD_MIN) is "8". */
#define TP_STR_(x) #x
#define TP_STR(x) TP_STR_(x)
#define TP_ERROR_ARGS 4
#define TP_ERROR_PARTS 5

struct tp_error {
	int code;               /* one of enum tp_status, 0 when no error */
	char file[256];         /* file at fault, "" when none */
	long line;              /* line in that file, 0 when none */
	char field[64];         /* field at fault, "" when none */
	char reason[512];       /* in English */
	/* The reason as a message (tp_error_msg), NULL when it is not one: its English text
	 * with a %s for each argument, the arguments, and which of them are words of the
	 * catalogue too (bit i: argument i), so that a page says it in its reader's language. */
	const char *msgid;
	char args[TP_ERROR_ARGS][160];
	int nargs;
	unsigned words;
	/* Further sentences of the message (tp_error_part), each a message id with up to
	 * four arguments (part_words: which are words), said after it, each after its
	 * separator ("; " unless said otherwise). */
	const char *part_msgid[TP_ERROR_PARTS], *part_sep[TP_ERROR_PARTS];
	char part_args[TP_ERROR_PARTS][4][96];
	int part_nargs[TP_ERROR_PARTS];
	unsigned part_words[TP_ERROR_PARTS];
	int nparts;
};

void tp_error_clear(struct tp_error *err);

/* Sets code and reason (printf-style); leaves file, line and field as they are. Returns code. */
int tp_error_set(struct tp_error *err, int code, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));

/* Sets everything at once; file or field may be NULL. Returns code. */
int tp_error_at(struct tp_error *err, int code, const char *file, long line, const char *field,
	const char *fmt, ...) __attribute__((format(printf, 6, 7)));

/* Sets everything, the reason as a message: msgid (English, a %s for each of the nargs
 * string arguments that follow), words its arguments that are messages too. Returns code. */
int tp_error_msg(struct tp_error *err, int code, const char *file, long line, const char *field, unsigned words,
	const char *msgid, int nargs, ...);

/* Adds a sentence to err's message (a message id with a %s for each of the nargs, at most
 * four, string arguments; words: which are words of the catalogue); the English reason
 * grows by "; " and the sentence (tp_error_part_after: by sep). Returns err->code. */
int tp_error_part(struct tp_error *err, unsigned words, const char *msgid, int nargs, ...);
int tp_error_part_after(struct tp_error *err, const char *sep, unsigned words, const char *msgid, int nargs, ...);

/* err's reason in a language: each message id and word argument through tr (NULL: the
 * English reason as it is), into out. */
void tp_error_say(const struct tp_error *err, const char *(*tr)(void *ctx, const char *msgid), void *ctx, char *out,
	size_t size);

/* fmt with args[0..nargs) in place of its %s, in order, into out. */
void tp_format_args(const char *fmt, const char *const *args, int nargs, char *out, size_t size);

/* Writes "FILE:LINE: FIELD: reason" (parts that are unset are left out) into buf. */
void tp_error_format(const struct tp_error *err, char *buf, size_t size);

/* Maps an error code to the process exit code (docs/API.md and the commands' help): 0, 1 runtime, 2 usage/input. */
int tp_error_exit_code(int code);

#endif
