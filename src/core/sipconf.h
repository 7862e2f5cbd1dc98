#ifndef TP_SIPCONF_H
#define TP_SIPCONF_H
/*
 * The server's SIP account (docs/TELEPHONY.md): the [sip] file `telepro serve --sip-config`
 * reads, checked whole before anything is dialed. Key names are a contract: register,
 * registrar, outbound_proxy, uri, local, transport, user, password_env or password_file,
 * ring_timeout (more may come), and tls_certificates for transport = tls. Unknown keys and sections are refused, naming the file,
 * the line and the key; a value may be followed by a comment (" # ..."). The password
 * itself never is in the file's text handled here: its environment variable's name or its
 * file's path is, and the caller reads it (never from the command line: it shows in ps).
 */
#include <stdbool.h>
#include <stddef.h>

#include "core/error.h"

enum sip_transport { SIP_UDP, SIP_TCP, SIP_TLS };

struct sipconf {
	bool do_register;           /* register = yes: REGISTER to registrar with user and password */
	char registrar[256];        /* sip:pbx.example */
	char outbound_proxy[256];   /* where every request goes: sip:127.0.0.1:5070 */
	char uri[256];              /* how a number becomes a SIP URI: sip:{e164}@trunk.example */
	char local[128];            /* our SIP address, HOST:PORT (default 0.0.0.0:5060) */
	enum sip_transport transport;
	char user[128];
	char password_env[128];     /* the variable holding the password, "" none */
	char password_file[256];    /* the file holding it, "" none */
	int ring_timeout;           /* seconds before an unanswered attempt is cancelled (25) */
	char tls_certificates[256]; /* transport = tls: the directory of cafile.pem (the authorities
				     * trusted for the far end's certificate) and agent.pem (ours) */
};

/* Parses text (len bytes) of file into *c: 0, or TP_EUSAGE with file, line and field. */
TP_MUST_USE int sipconf_parse(struct sipconf *c, const char *file, const char *text, size_t len,
	struct tp_error *err);

/* The SIP URI that dials e164 ("+33478123456") by the template: {e164} is the number with
 * its +, {digits} without it. 0, or -1 when it does not fit size. */
int sipconf_uri(const struct sipconf *c, const char *e164, char *out, size_t size);

#endif
