#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/sipconf.h"

static bool sip_uri_like(const char *v)
{
	return (strncmp(v, "sip:", 4) == 0 && v[4]) || (strncmp(v, "sips:", 5) == 0 && v[5]);
}

/* HOST:PORT, [IPv6]:PORT, or HOST (port 5060). */
static bool host_port(const char *v)
{
	const char *colon = strrchr(v, ':');
	char *end;
	long port;

	if (!*v || strchr(v, ' '))
		return false;
	if (v[0] == '[') {
		const char *close = strchr(v, ']');

		/* [IPv6] alone, or [IPv6]:PORT. */
		if (!close)
			return false;
		if (!close[1])
			return true;
		if (close[1] != ':')
			return false;
		colon = close + 1;
	} else if (!colon) {
		return true;
	}
	port = strtol(colon + 1, &end, 10);
	return colon > v && !*end && port >= 1 && port <= 65535;
}

static int bad(struct tp_error *err, const char *file, long line, const char *key, const char *msgid,
	const char *value)
{
	return tp_error_msg(err, TP_EUSAGE, file, line, key, 0, msgid, 1, value);
}

static int set_text(char *slot, size_t size, const char *v, const char *file, long line, const char *key,
	struct tp_error *err)
{
	if (strlen(v) >= size)
		return bad(err, file, line, key, TP_MSG("'%s': too long"), v);
	snprintf(slot, size, "%s", v);
	return 0;
}

static int set_key(struct sipconf *c, const char *key, const char *v, const char *file, long line,
	struct tp_error *err)
{
	if (strcmp(key, "register") == 0) {
		if (strcmp(v, "yes") && strcmp(v, "no"))
			return bad(err, file, line, key, TP_MSG("'%s': yes or no"), v);
		c->do_register = strcmp(v, "yes") == 0;
		return 0;
	}
	if (strcmp(key, "registrar") == 0 || strcmp(key, "outbound_proxy") == 0) {
		if (!sip_uri_like(v))
			return bad(err, file, line, key, TP_MSG("'%s': a SIP URI, e.g. sip:pbx.example"), v);
		return key[0] == 'r' ? set_text(c->registrar, sizeof(c->registrar), v, file, line, key, err)
			: set_text(c->outbound_proxy, sizeof(c->outbound_proxy), v, file, line, key, err);
	}
	if (strcmp(key, "uri") == 0) {
		if (!sip_uri_like(v) || (!strstr(v, "{e164}") && !strstr(v, "{digits}")))
			return bad(err, file, line, key, TP_MSG("'%s': a SIP URI with {e164} or {digits} where the number"
				" goes, e.g. sip:{e164}@trunk.example"), v);
		return set_text(c->uri, sizeof(c->uri), v, file, line, key, err);
	}
	if (strcmp(key, "local") == 0) {
		if (!host_port(v))
			return bad(err, file, line, key, TP_MSG("'%s': HOST:PORT, e.g. 127.0.0.1:5060"), v);
		return set_text(c->local, sizeof(c->local), v, file, line, key, err);
	}
	if (strcmp(key, "transport") == 0) {
		if (strcmp(v, "udp") == 0)
			c->transport = SIP_UDP;
		else if (strcmp(v, "tcp") == 0)
			c->transport = SIP_TCP;
		else if (strcmp(v, "tls") == 0)
			c->transport = SIP_TLS;
		else
			return bad(err, file, line, key, TP_MSG("'%s': udp, tcp or tls"), v);
		return 0;
	}
	if (strcmp(key, "user") == 0)
		return set_text(c->user, sizeof(c->user), v, file, line, key, err);
	if (strcmp(key, "password_env") == 0)
		return set_text(c->password_env, sizeof(c->password_env), v, file, line, key, err);
	if (strcmp(key, "password_file") == 0)
		return set_text(c->password_file, sizeof(c->password_file), v, file, line, key, err);
	if (strcmp(key, "ring_timeout") == 0) {
		char *end;
		long s = strtol(v, &end, 10);

		if (*end || s < 5 || s > 120)
			return bad(err, file, line, key, TP_MSG("'%s': seconds, from 5 to 120"), v);
		c->ring_timeout = (int)s;
		return 0;
	}
	if (strcmp(key, "tls_certificates") == 0)
		return set_text(c->tls_certificates, sizeof(c->tls_certificates), v, file, line, key, err);
	if (strcmp(key, "password") == 0)
		return bad(err, file, line, key, TP_MSG("'%s': the password is not written here: password_env ="
			" VARIABLE or password_file = PATH"), "password");
	return bad(err, file, line, key, TP_MSG("'%s' is not a SIP setting (register, registrar, outbound_proxy, uri,"
		" local, transport, user, password_env, password_file, ring_timeout, tls_certificates)"), key);
}

/* Trims blanks at both ends of [*s, *e). */
static void trim(const char **s, const char **e)
{
	while (*s < *e && (**s == ' ' || **s == '\t'))
		(*s)++;
	while (*e > *s && ((*e)[-1] == ' ' || (*e)[-1] == '\t' || (*e)[-1] == '\r'))
		(*e)--;
}

/* True when uri is reached over TLS: sips:, or ;transport=tls. */
static bool over_tls(const char *uri)
{
	return strncmp(uri, "sips:", 5) == 0 || strstr(uri, ";transport=tls");
}

/* TLS needs the certificates, and a first hop reached over it (else the request would
 * find no transport, or leave in clear text); the certificates mean nothing without it. */
static int tls_check(const struct sipconf *c, const char *file, struct tp_error *err)
{
	const char *hop = c->outbound_proxy[0] ? c->outbound_proxy : c->uri;

	if (c->transport != SIP_TLS) {
		if (c->tls_certificates[0])
			return tp_error_msg(err, TP_EUSAGE, file, 0, "tls_certificates", 0,
				TP_MSG("goes with transport = tls only"), 0);
		return 0;
	}
	if (!c->tls_certificates[0])
		return tp_error_msg(err, TP_EUSAGE, file, 0, "tls_certificates", 0, TP_MSG("missing: transport = tls needs"
			" the directory of cafile.pem (the authorities that signed the PBX's certificate) and agent.pem"
			" (Telepro's certificate and key)"), 0);
	if (!over_tls(hop))
		return tp_error_msg(err, TP_EUSAGE, file, 0, c->outbound_proxy[0] ? "outbound_proxy" : "uri", 0,
			TP_MSG("'%s': with transport = tls, a sips: URI or one with ;transport=tls"), 1, hop);
	if (c->do_register && !c->outbound_proxy[0] && !over_tls(c->registrar))
		return tp_error_msg(err, TP_EUSAGE, file, 0, "registrar", 0,
			TP_MSG("'%s': with transport = tls, a sips: URI or one with ;transport=tls"), 1, c->registrar);
	return 0;
}

int sipconf_parse(struct sipconf *c, const char *file, const char *text, size_t len, struct tp_error *err)
{
	const char *p = text, *end = text + len;
	bool in_sip = false, seen = false;
	long line = 0;

	memset(c, 0, sizeof(*c));
	snprintf(c->local, sizeof(c->local), "0.0.0.0:5060");
	c->ring_timeout = 25;
	if (memchr(text, '\0', len))
		return tp_error_msg(err, TP_EUSAGE, file, 0, NULL, 0, TP_MSG("a NUL byte: not a text file"), 0);
	while (p < end) {
		const char *nl = memchr(p, '\n', (size_t)(end - p)), *le = nl ? nl : end, *s = p, *e = le, *eq, *hash;
		char key[64], value[512];

		line++;
		p = nl ? nl + 1 : end;
		trim(&s, &e);
		if (s == e || *s == '#' || *s == ';')
			continue;
		if (*s == '[') {
			if ((size_t)(e - s) != 5 || memcmp(s, "[sip]", 5) != 0) {
				char sect[64];

				snprintf(sect, sizeof(sect), "%.*s", (int)(e - s < 60 ? e - s : 60), s);
				return tp_error_msg(err, TP_EUSAGE, file, line, NULL, 0, TP_MSG("'%s': the file has one section,"
					" [sip]"), 1, sect);
			}
			in_sip = seen = true;
			continue;
		}
		if (!in_sip)
			return tp_error_msg(err, TP_EUSAGE, file, line, NULL, 0, TP_MSG("settings go under [sip]"), 0);
		eq = memchr(s, '=', (size_t)(e - s));
		if (!eq)
			return tp_error_msg(err, TP_EUSAGE, file, line, NULL, 0, TP_MSG("expected KEY = VALUE"), 0);
		{
			const char *ks = s, *ke = eq, *vs = eq + 1, *ve = e;

			trim(&ks, &ke);
			/* A comment after the value: " # ..." (a # inside a URI has no blank before it). */
			for (hash = vs; hash < ve; hash++)
				if ((*hash == '#' || *hash == ';') && hash > vs && (hash[-1] == ' ' || hash[-1] == '\t'))
					break;
			ve = hash;
			trim(&vs, &ve);
			if (ke == ks || (size_t)(ke - ks) >= sizeof(key))
				return tp_error_msg(err, TP_EUSAGE, file, line, NULL, 0, TP_MSG("expected KEY = VALUE"), 0);
			if ((size_t)(ve - vs) >= sizeof(value))
				return tp_error_msg(err, TP_EUSAGE, file, line, NULL, 0, TP_MSG("a value has at most 511 bytes"), 0);
			memcpy(key, ks, (size_t)(ke - ks));
			key[ke - ks] = '\0';
			memcpy(value, vs, (size_t)(ve - vs));
			value[ve - vs] = '\0';
			if (set_key(c, key, value, file, line, err))
				return err->code;
		}
	}
	if (!seen)
		return tp_error_msg(err, TP_EUSAGE, file, 0, NULL, 0, TP_MSG("no [sip] section"), 0);
	/* The whole account: how numbers are dialed, where requests go, who registers. */
	if (!c->uri[0])
		return tp_error_msg(err, TP_EUSAGE, file, 0, "uri", 0, TP_MSG("missing: how a number becomes a SIP URI,"
			" e.g. uri = sip:{e164}@trunk.example"), 0);
	if (c->password_env[0] && c->password_file[0])
		return tp_error_msg(err, TP_EUSAGE, file, 0, "password_file", 0,
			TP_MSG("password_env or password_file, not both"), 0);
	if (c->do_register && (!c->registrar[0] || !c->user[0] || (!c->password_env[0] && !c->password_file[0])))
		return tp_error_msg(err, TP_EUSAGE, file, 0, "register", 0, TP_MSG("register = yes needs registrar, user,"
			" and password_env or password_file"), 0);
	return tls_check(c, file, err);
}

int sipconf_uri(const struct sipconf *c, const char *e164, char *out, size_t size)
{
	const char *p = c->uri;
	size_t n = 0;

	while (*p) {
		const char *put = NULL;
		size_t skip = 1, len = 1;

		if (strncmp(p, "{e164}", 6) == 0) {
			put = e164;
			skip = 6;
		} else if (strncmp(p, "{digits}", 8) == 0) {
			put = e164[0] == '+' ? e164 + 1 : e164;
			skip = 8;
		}
		len = put ? strlen(put) : 1;
		if (n + len >= size)
			return -1;
		memcpy(out + n, put ? put : p, len);
		n += len;
		p += skip;
	}
	out[n] = '\0';
	return 0;
}
