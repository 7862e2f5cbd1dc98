#ifndef TP_SIPUA_H
#define TP_SIPUA_H
/*
 * The server's SIP user agent (docs/TELEPHONY.md): the only code that speaks SIP, as the
 * store is the only code that speaks SQL. It runs sofia-sip's NUA (FreeSWITCH's stack,
 * Debian's libsofia-sip-ua) on a thread of its own and knows nothing of leads or rules:
 * it places calls ("legs"), re-offers media on them, acknowledges, cancels and hangs up,
 * authenticates (digest, 401/407) and registers when the account says so, and reports what
 * the far ends said. The dialer (src/app/app_dialer.c) decides what to do with it.
 *
 * Threads: sipua_start starts the SIP thread; every callback runs on it, and every other
 * function but sipua_wake, sipua_registration and sipua_stop may be called on it only
 * (from a callback). A leg belongs to the user agent; it stays valid until its
 * SIPUA_GONE event has returned.
 */
#include <stdint.h>

#include "core/error.h"
#include "core/sipconf.h"

struct sipua;
struct sipua_leg;
struct sipua_timer;

enum sipua_event {
	SIPUA_RINGING,              /* 180/183 to the first INVITE */
	SIPUA_ANSWERED,             /* 2xx to the first INVITE (sdp: its body): ack it (sipua_ack) */
	SIPUA_FAILED,               /* a final refusal of the first INVITE (status, phrase) */
	SIPUA_UNREACHED,            /* the first INVITE's end said by our own stack, nothing
				     * from the network: the far end could not be reached (a
				     * transport or TLS failure, no response in time) */
	SIPUA_REOFFERED,            /* 2xx to a re-INVITE (sdp: the answer); acknowledged already */
	SIPUA_REOFFER_FAILED,       /* a refusal of a re-INVITE (status) */
	SIPUA_BYE,                  /* the far end hung up */
	SIPUA_GONE,                 /* the leg is over: forget it once this returns */
};

struct sipua_handlers {
	/* What a leg's far end said. sdp is NULL when the message had no body. */
	void (*leg)(void *arg, struct sipua_leg *leg, void *leg_arg, enum sipua_event event, int status,
		const char *phrase, const char *sdp);
	/* sipua_wake was called: work queued by other threads may be run. */
	void (*wake)(void *arg);
	/* The registration's state changed (status 200: registered). May be NULL. */
	void (*registration)(void *arg, int status, const char *phrase);
};

/* Starts the user agent for the account c (password: the account's, NULL without one)
 * and returns once it listens (0), or with the reason it cannot (TP_EUNAVAILABLE: the
 * local address is taken or invalid). handlers and arg are kept until sipua_stop. */
TP_MUST_USE int sipua_start(struct sipua **out, const struct sipconf *c, const char *password,
	const struct sipua_handlers *handlers, void *arg, struct tp_error *err);
/* Hangs up every leg, unregisters, stops the thread and frees ua (any thread but its own). */
void sipua_stop(struct sipua *ua);
/* From any thread: handlers->wake runs soon on the SIP thread. */
void sipua_wake(struct sipua *ua);
/* From any thread: the registration's last status (0: none tried, -1: not registering)
 * and its phrase. */
int sipua_registration(struct sipua *ua, char *phrase, size_t size);

/* Calls to_uri, presenting from_user ("+33162000000"; NULL: the account's user) as the
 * caller, with sdp as the offer (NULL: none, the far end offers in its 200). leg_arg is
 * given back with the leg's events. NULL when to_uri is not a SIP URI. */
struct sipua_leg *sipua_invite(struct sipua *ua, const char *to_uri, const char *from_user, const char *sdp,
	void *leg_arg);
/* Acknowledges the leg's 2xx, with sdp as the answer to its offer (NULL: no body). */
void sipua_ack(struct sipua_leg *leg, const char *sdp);
/* Sends a re-INVITE offering sdp (its origin line made ours: RFC 3264, 8). */
void sipua_reoffer(struct sipua_leg *leg, const char *sdp);
/* Ends the leg however far it went: CANCEL before an answer, ACK and BYE after one. */
void sipua_hangup(struct sipua_leg *leg);

/* The offer that carries no media (RFC 3725, flow II): a line up, nobody heard. */
const char *sipua_black_hole(struct sipua *ua);

/* fn(arg) after ms milliseconds, on the SIP thread; sipua_timer_cancel before it fires
 * (NULL is fine) frees it, as does its firing. */
struct sipua_timer *sipua_timer_start(struct sipua *ua, int64_t ms, void (*fn)(void *arg), void *arg);
void sipua_timer_cancel(struct sipua_timer *t);

#endif
