/* The server's SIP account file (core/sipconf.h): the keys of docs/TELEPHONY.md, comments,
 * refusals naming file, line and key, and how a number becomes a URI. */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <string.h>
#include <cmocka.h>

#include "core/sipconf.h"

static int parse(struct sipconf *c, const char *text, struct tp_error *err)
{
	tp_error_clear(err);
	return sipconf_parse(c, "sip.conf", text, strlen(text), err);
}

static void test_the_documented_file(void **state)
{
	static const char text[] =
		"# Telepro's SIP account\n"
		"[sip]\n"
		"register = no                       # yes: REGISTER to `registrar` with user/password\n"
		"registrar = sip:pbx.example\n"
		"outbound_proxy = sip:127.0.0.1:5070 # where every request goes\n"
		"uri = sip:{e164}@127.0.0.1:5070     # how a number becomes a SIP URI\n"
		"local = 127.0.0.1:5060              # our SIP address\n"
		"transport = udp                     # udp | tcp | tls\n"
		"user = telepro\n"
		"password_env = TELEPRO_SIP_PASSWORD # or password_file = PATH\n"
		"ring_timeout = 25                   # seconds before an unanswered attempt is cancelled\n";
	struct sipconf c;
	struct tp_error err;
	char uri[128];

	(void)state;
	assert_int_equal(parse(&c, text, &err), 0);
	assert_false(c.do_register);
	assert_string_equal(c.registrar, "sip:pbx.example");
	assert_string_equal(c.outbound_proxy, "sip:127.0.0.1:5070");
	assert_string_equal(c.uri, "sip:{e164}@127.0.0.1:5070");
	assert_string_equal(c.local, "127.0.0.1:5060");
	assert_int_equal(c.transport, SIP_UDP);
	assert_string_equal(c.user, "telepro");
	assert_string_equal(c.password_env, "TELEPRO_SIP_PASSWORD");
	assert_string_equal(c.password_file, "");
	assert_int_equal(c.ring_timeout, 25);
	assert_int_equal(sipconf_uri(&c, "+33478123456", uri, sizeof(uri)), 0);
	assert_string_equal(uri, "sip:+33478123456@127.0.0.1:5070");
	assert_int_equal(sipconf_uri(&c, "+33478123456", uri, 10), -1);
}

static void test_refusals(void **state)
{
	struct sipconf c;
	struct tp_error err;
	char uri[128];

	(void)state;
	assert_int_equal(parse(&c, "[sip]\nuri = sip:{digits}@trunk\ncolour = red\n", &err), TP_EUSAGE);
	assert_int_equal(err.line, 3);
	assert_string_equal(err.field, "colour");
	assert_non_null(strstr(err.reason, "'colour' is not a SIP setting"));
	assert_int_equal(parse(&c, "[sip]\nuri = sip:{digits}@trunk\npassword = secret\n", &err), TP_EUSAGE);
	assert_non_null(strstr(err.reason, "the password is not written here"));
	assert_null(strstr(err.reason, "secret"));
	assert_int_equal(parse(&c, "[sip]\nuri = sip:trunk.example\n", &err), TP_EUSAGE);
	assert_string_equal(err.field, "uri");
	assert_int_equal(parse(&c, "[sip]\nuri = sip:{e164}@t\ntransport = sctp\n", &err), TP_EUSAGE);
	assert_string_equal(err.reason, "'sctp': udp, tcp or tls");
	assert_int_equal(parse(&c, "[sip]\nuri = sip:{e164}@t\nring_timeout = 2\n", &err), TP_EUSAGE);
	assert_int_equal(parse(&c, "[sip]\nuri = sip:{e164}@t\nlocal = 127.0.0.1:99999\n", &err), TP_EUSAGE);
	assert_int_equal(parse(&c, "[sip]\nuri = sip:{e164}@t\nlocal = [::1]:5060\n", &err), 0);
	assert_string_equal(c.local, "[::1]:5060");
	assert_int_equal(parse(&c, "[sip]\nuri = sip:{e164}@t\nlocal = [::1:5060\n", &err), TP_EUSAGE);
	assert_string_equal(err.field, "local");
	assert_int_equal(parse(&c, "uri = sip:{e164}@t\n", &err), TP_EUSAGE);
	assert_string_equal(err.reason, "settings go under [sip]");
	assert_int_equal(parse(&c, "[phone]\n", &err), TP_EUSAGE);
	assert_string_equal(err.reason, "'[phone]': the file has one section, [sip]");
	assert_int_equal(parse(&c, "[sip]\n", &err), TP_EUSAGE);
	assert_string_equal(err.field, "uri");
	assert_int_equal(parse(&c, "[sip]\nuri = sip:{e164}@t\nregister = yes\nregistrar = sip:pbx\n", &err), TP_EUSAGE);
	assert_string_equal(err.field, "register");
	assert_int_equal(parse(&c, "[sip]\nuri = sip:{e164}@t\npassword_env = A\npassword_file = /x\n", &err), TP_EUSAGE);
	/* Registering, over TLS, the number without its +. */
	assert_int_equal(parse(&c, "[sip]\r\nuri = sips:{digits}@trunk.example;user=phone\r\nregister = yes\r\n"
		"registrar = sips:pbx.example\r\nuser = telepro\r\npassword_file = /etc/telepro/sip.pw\r\ntransport = tls\r\n"
		"tls_certificates = /etc/telepro/tls\r\n", &err), 0);
	assert_string_equal(c.tls_certificates, "/etc/telepro/tls");
	assert_true(c.do_register);
	assert_int_equal(c.transport, SIP_TLS);
	assert_int_equal(sipconf_uri(&c, "+33478123456", uri, sizeof(uri)), 0);
	assert_string_equal(uri, "sips:33478123456@trunk.example;user=phone");
}

/* TLS: its certificates, a first hop reached over it, and the certificates with it only. */
static void test_tls(void **state)
{
	struct sipconf c;
	struct tp_error err;

	(void)state;
	assert_int_equal(parse(&c, "[sip]\nuri = sips:{e164}@t\ntransport = tls\n", &err), TP_EUSAGE);
	assert_string_equal(err.field, "tls_certificates");
	assert_non_null(strstr(err.reason, "missing: transport = tls needs the directory of cafile.pem"));
	assert_int_equal(parse(&c, "[sip]\nuri = sip:{e164}@t\ntransport = tls\ntls_certificates = d\n", &err),
		TP_EUSAGE);
	assert_string_equal(err.field, "uri");
	assert_string_equal(err.reason, "'sip:{e164}@t': with transport = tls, a sips: URI or one with ;transport=tls");
	/* The proxy is the first hop: it decides. */
	assert_int_equal(parse(&c, "[sip]\nuri = sip:{e164}@t\noutbound_proxy = sip:p;transport=tls\ntransport = tls\n"
		"tls_certificates = d\n", &err), 0);
	assert_int_equal(parse(&c, "[sip]\nuri = sips:{e164}@t\noutbound_proxy = sip:p\ntransport = tls\n"
		"tls_certificates = d\n", &err), TP_EUSAGE);
	assert_string_equal(err.field, "outbound_proxy");
	assert_int_equal(parse(&c, "[sip]\nuri = sips:{e164}@t\ntransport = tls\ntls_certificates = d\nregister = yes\n"
		"registrar = sip:pbx\nuser = u\npassword_env = P\n", &err), TP_EUSAGE);
	assert_string_equal(err.field, "registrar");
	assert_int_equal(parse(&c, "[sip]\nuri = sip:{e164}@t\ntls_certificates = d\n", &err), TP_EUSAGE);
	assert_string_equal(err.field, "tls_certificates");
	assert_string_equal(err.reason, "goes with transport = tls only");
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_the_documented_file),
		cmocka_unit_test(test_refusals),
		cmocka_unit_test(test_tls),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
