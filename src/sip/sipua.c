/* The SIP user agent on sofia-sip's NUA (sipua.h). */
#include <errno.h>
#include <fcntl.h>
#include <pthread.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#define SU_ROOT_MAGIC_T struct sipua
#define NUA_MAGIC_T struct sipua
#define NUA_HMAGIC_T struct sipua_leg
#define SU_TIMER_ARG_T struct sipua_timer
#define SU_WAKEUP_ARG_T void
#include <sofia-sip/nua.h>
#include <sofia-sip/sdp.h>
#include <sofia-sip/sip_header.h>
#include <sofia-sip/sip_status.h>
#include <sofia-sip/su.h>
#include <sofia-sip/su_alloc.h>
#include <sofia-sip/su_wait.h>
#include <sofia-sip/tport_tag.h>
#include <sofia-sip/nta.h>

#include "core/xalloc.h"
#include "sip/sipua.h"

#define SDP_TYPE "application/sdp"

struct sipua {
	struct sipconf conf;
	char password[256];
	const struct sipua_handlers *h;
	void *arg;

	pthread_t thread;
	su_home_t home[1];
	su_root_t *root;
	nua_t *nua;
	nua_handle_t *reg;
	int reg_tries;              /* challenges answered since the last final answer */
	int wake_fd[2];             /* a byte written wakes the SIP thread */
	su_wait_t wait[1];
	struct sipua_leg *legs;     /* live legs, to hang up at the end */
	char black_hole[512];
	uint64_t sdp_id;            /* our origin's session ids (one per leg) */

	/* Start-up's outcome, and the registration's state, read by other threads. */
	pthread_mutex_t lock;
	pthread_cond_t cond;
	int started;                /* 0 starting, 1 running, -1 failed */
	char start_error[320];
	int reg_status;
	char reg_phrase[128];
	bool stopping, shut_down;
};

struct sipua_leg {
	struct sipua *ua;
	nua_handle_t *nh;
	void *arg;
	bool answered;              /* the first INVITE had its 2xx */
	bool acked;
	bool reoffering;
	bool hung_up;
	int auth_tries;
	uint64_t sdp_id, sdp_version;
	struct sipua_leg *next, **prev;
};

struct sipua_timer {
	su_timer_t *t;
	void (*fn)(void *arg);
	void *arg;
};

static void set_reg(struct sipua *ua, int status, const char *phrase)
{
	pthread_mutex_lock(&ua->lock);
	ua->reg_status = status;
	snprintf(ua->reg_phrase, sizeof(ua->reg_phrase), "%s", phrase ? phrase : "");
	pthread_mutex_unlock(&ua->lock);
	if (ua->h->registration)
		ua->h->registration(ua->arg, status, phrase);
}

/* Answers a digest challenge once per request with the account's user and password;
 * false when it cannot (no password, or the same challenge failed already). */
static bool authenticate(struct sipua *ua, nua_handle_t *nh, int *tries, sip_t const *sip)
{
	msg_auth_t const *au = sip ? (sip->sip_www_authenticate ? (msg_auth_t const *)sip->sip_www_authenticate
		: (msg_auth_t const *)sip->sip_proxy_authenticate) : NULL;
	char cred[640];
	const char *realm;

	if (!au || !ua->password[0] || !ua->conf.user[0] || (*tries)++ >= 2)
		return false;
	realm = msg_params_find(au->au_params, "realm=");
	if (!realm)
		return false;
	/* scheme:"realm":user:password, the realm with its quotes as the header has it. */
	if (snprintf(cred, sizeof(cred), "%s:%s:%s:%s", au->au_scheme, realm, ua->conf.user, ua->password) >=
	    (int)sizeof(cred))
		return false;
	nua_authenticate(nh, NUTAG_AUTH(cred), TAG_END());
	return true;
}

static const char *body(sip_t const *sip)
{
	return sip && sip->sip_payload && sip->sip_payload->pl_len ? sip->sip_payload->pl_data : NULL;
}

static void leg_event(struct sipua_leg *leg, enum sipua_event e, int status, const char *phrase, const char *sdp)
{
	leg->ua->h->leg(leg->ua->arg, leg, leg->arg, e, status, phrase, sdp);
}

static void leg_free(struct sipua_leg *leg)
{
	*leg->prev = leg->next;
	if (leg->next)
		leg->next->prev = leg->prev;
	nua_handle_bind(leg->nh, NULL);
	nua_handle_destroy(leg->nh);
	free(leg);
}

static void on_event(nua_event_t event, int status, char const *phrase, nua_t *nua, struct sipua *ua,
	nua_handle_t *nh, struct sipua_leg *leg, sip_t const *sip, tagi_t tags[])
{
	(void)nua;
	switch (event) {
	case nua_r_shutdown:
		if (status >= 200) {
			ua->shut_down = true;
			su_root_break(ua->root);
		}
		return;
	case nua_r_register:
		/* One answer per challenge: a registrar that challenges again refuses us. */
		if ((status == 401 || status == 407) && authenticate(ua, nh, &ua->reg_tries, sip))
			return;
		if (status >= 200) {
			ua->reg_tries = 0;
			set_reg(ua, status, phrase);
		}
		return;
	case nua_i_invite:
		/* Telepro calls out only. */
		nua_respond(nh, SIP_603_DECLINE, TAG_END());
		nua_handle_destroy(nh);
		return;
	default:
		break;
	}
	if (!leg)
		return;
	switch (event) {
	case nua_r_invite:
		if ((status == 401 || status == 407) && authenticate(ua, nh, &leg->auth_tries, sip))
			return;
		if (status < 200) {
			if (!leg->answered && (status == 180 || status == 183))
				leg_event(leg, SIPUA_RINGING, status, phrase, NULL);
			return;
		}
		if (!leg->answered) {
			if (status < 300) {
				leg->answered = true;
				leg_event(leg, SIPUA_ANSWERED, status, phrase, body(sip));
			} else {
				/* No answer from the network: our stack's own (a transport or TLS
				 * failure, no response in time). */
				leg->hung_up = true;
				leg_event(leg, nta_sip_is_internal(sip) ? SIPUA_UNREACHED : SIPUA_FAILED, status, phrase, NULL);
			}
		} else if (leg->reoffering) {
			leg->reoffering = false;
			if (status < 300) {
				nua_ack(nh, TAG_END());
				leg_event(leg, SIPUA_REOFFERED, status, phrase, body(sip));
			} else {
				leg_event(leg, SIPUA_REOFFER_FAILED, status, phrase, NULL);
			}
		}
		return;
	case nua_i_bye:
		if (!leg->hung_up) {
			leg->hung_up = true;
			leg_event(leg, SIPUA_BYE, status, phrase, NULL);
		}
		return;
	case nua_i_state: {
		int state = nua_callstate_init;

		tl_gets(tags, NUTAG_CALLSTATE_REF(state), TAG_END());
		if (state == nua_callstate_terminated) {
			leg_event(leg, SIPUA_GONE, status, phrase, NULL);
			leg_free(leg);
		}
		return;
	}
	default:
		return;
	}
}

static int on_wake(struct sipua *ua, su_wait_t *w, void *arg)
{
	char buf[64];

	(void)w, (void)arg;
	while (read(ua->wake_fd[0], buf, sizeof(buf)) > 0)
		;
	if (ua->stopping) {
		/* Every leg ends, the registration is removed, then the stack shuts down. */
		for (struct sipua_leg *l = ua->legs; l; l = l->next)
			sipua_hangup(l);
		if (ua->reg)
			nua_unregister(ua->reg, TAG_END());
		nua_shutdown(ua->nua);
		return 0;
	}
	ua->h->wake(ua->arg);
	return 0;
}

static void fail_start(struct sipua *ua, const char *why)
{
	pthread_mutex_lock(&ua->lock);
	snprintf(ua->start_error, sizeof(ua->start_error), "%s", why);
	ua->started = -1;
	pthread_cond_signal(&ua->cond);
	pthread_mutex_unlock(&ua->lock);
}

static void *run(void *p)
{
	struct sipua *ua = p;
	const char *scheme = ua->conf.transport == SIP_TLS ? "sips" : "sip";
	const char *tp = ua->conf.transport == SIP_TCP ? "tcp" : ua->conf.transport == SIP_TLS ? "tls" : "udp";
	char url[300], from[700], host[300];
	const char *colon;

	su_init();
	su_home_init(ua->home);
	if (!(ua->root = su_root_create(ua))) {
		fail_start(ua, "cannot start the SIP event loop");
		goto out;
	}
	snprintf(url, sizeof(url), "%s:%s;transport=%s", scheme, ua->conf.local, tp);
	/* Our From: the account's user at the registrar's host, or at our own address. */
	snprintf(host, sizeof(host), "%s", ua->conf.local);
	if (ua->conf.registrar[0]) {
		const char *h = strchr(ua->conf.registrar, ':');

		snprintf(host, sizeof(host), "%s", h ? h + 1 : ua->conf.registrar);
	} else if ((colon = strrchr(host, ':')) && !strchr(colon, ']')) {
		host[colon - host] = '\0';
	}
	snprintf(from, sizeof(from), "<%s:%s@%s>", scheme, ua->conf.user[0] ? ua->conf.user : "telepro", host);
	/* TLS: the far end's certificate must be signed by an authority of cafile.pem, be in
	 * its dates, and name the host we connect to (sofia-sip's "subjects out" policy). A
	 * connection closed (a certificate refused, the far end gone) fails the requests that
	 * waited on it at once (SDWN_ERROR) instead of letting them time out. */
	ua->nua = nua_create(ua->root, on_event, ua, NUTAG_URL(url), NUTAG_MEDIA_ENABLE(0), NUTAG_AUTOACK(0),
		NUTAG_AUTOANSWER(0), NUTAG_ENABLEINVITE(1), SIPTAG_FROM_STR(from), SIPTAG_USER_AGENT_STR("Telepro"),
		TAG_IF(ua->conf.outbound_proxy[0], NUTAG_PROXY(ua->conf.outbound_proxy)),
		TAG_IF(ua->conf.transport == SIP_TLS, NUTAG_CERTIFICATE_DIR(ua->conf.tls_certificates)),
		TAG_IF(ua->conf.transport == SIP_TLS, TPTAG_TLS_VERIFY_POLICY(TPTLS_VERIFY_SUBJECTS_OUT)),
		TAG_IF(ua->conf.transport == SIP_TLS, TPTAG_TLS_VERIFY_DATE(1)), TPTAG_SDWN_ERROR(1), TAG_END());
	if (!ua->nua) {
		char why[300];

		snprintf(why, sizeof(why), "cannot listen for SIP on %s (%s): the address is taken or not ours",
			ua->conf.local, tp);
		fail_start(ua, why);
		goto out;
	}
	su_wait_create(ua->wait, ua->wake_fd[0], SU_WAIT_IN);
	su_root_register(ua->root, ua->wait, on_wake, NULL, 0);
	if (ua->conf.do_register) {
		char aor[800];

		snprintf(aor, sizeof(aor), "<%s:%s@%s>", scheme, ua->conf.user, host);
		ua->reg = nua_handle(ua->nua, NULL, SIPTAG_TO_STR(aor), TAG_END());
		nua_register(ua->reg, NUTAG_M_USERNAME(ua->conf.user), NUTAG_REGISTRAR(ua->conf.registrar), TAG_END());
	}
	pthread_mutex_lock(&ua->lock);
	ua->started = 1;
	pthread_cond_signal(&ua->cond);
	pthread_mutex_unlock(&ua->lock);

	su_root_run(ua->root);
	while (!ua->shut_down)
		su_root_step(ua->root, 100);
	while (ua->legs)
		leg_free(ua->legs);
	if (ua->reg)
		nua_handle_destroy(ua->reg);
	nua_destroy(ua->nua);
	su_root_deregister(ua->root, 0);
out:
	if (ua->root)
		su_root_destroy(ua->root);
	su_home_deinit(ua->home);
	su_deinit();
	return NULL;
}

/* The TLS directory holds cafile.pem (the authorities trusted for the far end's
 * certificate) and agent.pem (our certificate and its key, for the connections the PBX
 * opens to us), both readable. */
static int tls_files(const struct sipconf *c, struct tp_error *err)
{
	static const char *const names[] = {"cafile.pem", "agent.pem"};
	static const char *const what[] = {"the authorities that signed the PBX's certificate",
		"Telepro's certificate and its key"};
	char path[300];

	for (size_t i = 0; i < sizeof(names) / sizeof(names[0]); i++) {
		snprintf(path, sizeof(path), "%s/%s", c->tls_certificates, names[i]);
		if (access(path, R_OK) != 0)
			return tp_error_set(err, TP_EUNAVAILABLE, "sip: tls_certificates: %s: %s (%s, PEM)", path,
				strerror(errno), what[i]);
	}
	return 0;
}

int sipua_start(struct sipua **out, const struct sipconf *c, const char *password,
	const struct sipua_handlers *handlers, void *arg, struct tp_error *err)
{
	struct sipua *ua = xcalloc(1, sizeof(*ua));
	char addr[128];
	const char *colon;
	int rc;

	*out = NULL;
	/* sofia-sip would only log a missing file and fail every call: said at start. */
	if (c->transport == SIP_TLS && (rc = tls_files(c, err)) != 0) {
		free(ua);
		return rc;
	}
	ua->conf = *c;
	snprintf(ua->password, sizeof(ua->password), "%s", password ? password : "");
	ua->h = handlers;
	ua->arg = arg;
	ua->reg_status = c->do_register ? 0 : -1;
	pthread_mutex_init(&ua->lock, NULL);
	pthread_cond_init(&ua->cond, NULL);
	snprintf(addr, sizeof(addr), "%s", c->local);
	if ((colon = strrchr(addr, ':')) && !strchr(colon, ']'))
		addr[colon - addr] = '\0';
	if (addr[0] == '[')
		memmove(addr, addr + 1, strlen(addr));
	if (strchr(addr, ']'))
		*strchr(addr, ']') = '\0';
	snprintf(ua->black_hole, sizeof(ua->black_hole),
		"v=0\r\no=telepro 1 1 IN %s %s\r\ns=telepro\r\nc=IN %s %s\r\nt=0 0\r\n"
		"m=audio 9 RTP/AVP 8 0 101\r\na=rtpmap:8 PCMA/8000\r\na=rtpmap:0 PCMU/8000\r\n"
		"a=rtpmap:101 telephone-event/8000\r\n",
		strchr(addr, ':') ? "IP6" : "IP4", addr, strchr(addr, ':') ? "IP6" : "IP4",
		strchr(addr, ':') ? "::" : "0.0.0.0");
	if (pipe2(ua->wake_fd, O_NONBLOCK | O_CLOEXEC) != 0) {
		rc = tp_error_set(err, TP_ERR, "sip: pipe: %s", strerror(errno));
		goto fail;
	}
	if ((rc = pthread_create(&ua->thread, NULL, run, ua)) != 0) {
		close(ua->wake_fd[0]);
		close(ua->wake_fd[1]);
		rc = tp_error_set(err, TP_ERR, "sip: cannot start its thread: %s", strerror(rc));
		goto fail;
	}
	pthread_mutex_lock(&ua->lock);
	while (ua->started == 0)
		pthread_cond_wait(&ua->cond, &ua->lock);
	pthread_mutex_unlock(&ua->lock);
	if (ua->started < 0) {
		pthread_join(ua->thread, NULL);
		close(ua->wake_fd[0]);
		close(ua->wake_fd[1]);
		rc = tp_error_set(err, TP_EUNAVAILABLE, "sip: %s", ua->start_error);
		goto fail;
	}
	*out = ua;
	return 0;
fail:
	pthread_mutex_destroy(&ua->lock);
	pthread_cond_destroy(&ua->cond);
	free(ua);
	return rc;
}

void sipua_wake(struct sipua *ua)
{
	ssize_t n = write(ua->wake_fd[1], "w", 1);

	(void)n;    /* a full pipe already wakes the thread */
}

void sipua_stop(struct sipua *ua)
{
	if (!ua)
		return;
	ua->stopping = true;
	__atomic_thread_fence(__ATOMIC_SEQ_CST);
	sipua_wake(ua);
	pthread_join(ua->thread, NULL);
	close(ua->wake_fd[0]);
	close(ua->wake_fd[1]);
	pthread_mutex_destroy(&ua->lock);
	pthread_cond_destroy(&ua->cond);
	free(ua);
}

int sipua_registration(struct sipua *ua, char *phrase, size_t size)
{
	int status;

	pthread_mutex_lock(&ua->lock);
	status = ua->reg_status;
	snprintf(phrase, size, "%s", ua->reg_phrase);
	pthread_mutex_unlock(&ua->lock);
	return status;
}

const char *sipua_black_hole(struct sipua *ua)
{
	return ua->black_hole;
}

struct sipua_leg *sipua_invite(struct sipua *ua, const char *to_uri, const char *from_user, const char *sdp,
	void *leg_arg)
{
	struct sipua_leg *leg;
	char to[512], from[512], pai[560];
	sip_from_t const *ours;

	if (strncmp(to_uri, "sip:", 4) != 0 && strncmp(to_uri, "sips:", 5) != 0)
		return NULL;
	if (snprintf(to, sizeof(to), "<%s>", to_uri) >= (int)sizeof(to))
		return NULL;
	leg = xcalloc(1, sizeof(*leg));
	leg->ua = ua;
	leg->arg = leg_arg;
	leg->sdp_id = ++ua->sdp_id;
	leg->sdp_version = 1;
	leg->nh = nua_handle(ua->nua, leg, SIPTAG_TO_STR(to), TAG_END());
	if (!leg->nh) {
		free(leg);
		return NULL;
	}
	/* The caller presented: the campaign's number as the From's user, at our host. */
	from[0] = '\0';
	ours = nua_handle_local(leg->nh);
	if (from_user && *from_user && ours && ours->a_url->url_host)
		snprintf(from, sizeof(from), "<%s:%s@%s>", ours->a_url->url_scheme ? ours->a_url->url_scheme : "sip",
			from_user, ours->a_url->url_host);
	snprintf(pai, sizeof(pai), "P-Asserted-Identity: %s", from);
	leg->next = ua->legs;
	leg->prev = &ua->legs;
	if (ua->legs)
		ua->legs->prev = &leg->next;
	ua->legs = leg;
	nua_invite(leg->nh, TAG_IF(from[0], SIPTAG_FROM_STR(from)),
		TAG_IF(from[0], SIPTAG_HEADER_STR(pai)),
		TAG_IF(sdp, SIPTAG_CONTENT_TYPE_STR(SDP_TYPE)), TAG_IF(sdp, SIPTAG_PAYLOAD_STR(sdp)), TAG_END());
	return leg;
}

void sipua_ack(struct sipua_leg *leg, const char *sdp)
{
	if (leg->acked)
		return;
	leg->acked = true;
	nua_ack(leg->nh, TAG_IF(sdp, SIPTAG_CONTENT_TYPE_STR(SDP_TYPE)), TAG_IF(sdp, SIPTAG_PAYLOAD_STR(sdp)), TAG_END());
}

/* sdp with our origin line (one session per leg, its version one more each offer), so
 * that the phone sees one session changing, not another's: NULL when it does not parse. */
static char *our_origin(struct sipua_leg *leg, const char *sdp)
{
	su_home_t home[1] = {SU_HOME_INIT(home)};
	sdp_parser_t *p = sdp_parse(home, sdp, (issize_t)strlen(sdp), 0);
	sdp_session_t *s = p ? sdp_session(p) : NULL;
	sdp_printer_t *pr;
	char *out = NULL;

	if (s && s->sdp_origin) {
		s->sdp_origin->o_username = "telepro";
		s->sdp_origin->o_id = leg->sdp_id;
		s->sdp_origin->o_version = ++leg->sdp_version;
		pr = sdp_print(home, s, NULL, 0, 0);
		if (pr && !sdp_printing_error(pr))
			out = xstrdup(sdp_message(pr));
		if (pr)
			sdp_printer_free(pr);
	}
	if (p)
		sdp_parser_free(p);
	su_home_deinit(home);
	return out;
}

void sipua_reoffer(struct sipua_leg *leg, const char *sdp)
{
	char *ours = our_origin(leg, sdp);

	leg->reoffering = true;
	nua_invite(leg->nh, SIPTAG_CONTENT_TYPE_STR(SDP_TYPE), SIPTAG_PAYLOAD_STR(ours ? ours : sdp), TAG_END());
	free(ours);
}

void sipua_hangup(struct sipua_leg *leg)
{
	if (leg->hung_up)
		return;
	leg->hung_up = true;
	if (!leg->answered) {
		nua_cancel(leg->nh, TAG_END());
		return;
	}
	if (!leg->acked)
		sipua_ack(leg, NULL);
	nua_bye(leg->nh, TAG_END());
}

static void on_timer(su_root_magic_t *magic, su_timer_t *t, struct sipua_timer *tm)
{
	(void)magic;
	tm->fn(tm->arg);
	su_timer_destroy(t);
	free(tm);
}

struct sipua_timer *sipua_timer_start(struct sipua *ua, int64_t ms, void (*fn)(void *arg), void *arg)
{
	struct sipua_timer *tm = xcalloc(1, sizeof(*tm));

	tm->fn = fn;
	tm->arg = arg;
	tm->t = su_timer_create(su_root_task(ua->root), (su_duration_t)ms);
	if (!tm->t || su_timer_set(tm->t, on_timer, tm) != 0) {
		su_timer_destroy(tm->t);
		free(tm);
		return NULL;
	}
	return tm;
}

void sipua_timer_cancel(struct sipua_timer *t)
{
	if (!t)
		return;
	su_timer_destroy(t->t);
	free(t);
}
