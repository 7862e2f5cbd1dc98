/*
 * bench/web_load.c: simulated agents on the calling desk over HTTP, for bench/web.sh.
 *
 *   web_load setup N FIRST_USER_ID        SQL on stdout: N sessions for users FIRST..FIRST+N-1,
 *                                         their tokens and CSRF tokens in web_load.tokens
 *   web_load run HOST PORT CAMPAIGN_ID N THINK_MS SECONDS
 *
 * Each agent has one keep-alive connection and loops: POST next, then POST calls for the
 * lead it got (a no-answer), then waits THINK_MS ± 50 %. All agents run in one thread
 * over poll(). Prints the pairs done, the latencies (p50, p99, max) of next and of call
 * log, the errors, and how many times a lead was handed to an agent while another agent
 * held it (must be 0).
 */
#include <arpa/inet.h>
#include <errno.h>
#include <fcntl.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <poll.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>
#include <sodium.h>

struct agent {
	int fd;
	char token[65], csrf[65];
	enum { IDLE, SENDING, READING } state;
	int step;                   /* 0: next, 1: call log */
	int64_t lead;
	int64_t wake_us, sent_us;
	char out[1024];
	size_t out_len, out_off;
	char in[16384];
	size_t in_len;
};

static int64_t now_us(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (int64_t)ts.tv_sec * 1000000 + ts.tv_nsec / 1000;
}

static int setup(int n, long first)
{
	FILE *tok = fopen("web_load.tokens", "w");
	int64_t now = (int64_t)time(NULL);

	if (!tok || sodium_init() < 0)
		return 1;
	puts("BEGIN;");
	for (int i = 0; i < n; i++) {
		unsigned char raw[32], h[32];
		char token[65], csrf[65], hash[65];

		randombytes_buf(raw, sizeof(raw));
		sodium_bin2hex(token, sizeof(token), raw, sizeof(raw));
		randombytes_buf(raw, sizeof(raw));
		sodium_bin2hex(csrf, sizeof(csrf), raw, sizeof(raw));
		crypto_generichash(h, sizeof(h), (unsigned char *)token, 64, NULL, 0);
		sodium_bin2hex(hash, sizeof(hash), h, sizeof(h));
		printf("INSERT INTO web_sessions (token_hash, user_id, csrf, created_at, expires_at)"
		       " VALUES ('%s', %ld, '%s', %lld, %lld);\n", hash, first + i, csrf, (long long)now,
		       (long long)now + 86400);
		fprintf(tok, "%s %s\n", token, csrf);
	}
	puts("COMMIT;");
	return fclose(tok) != 0;
}

static int cmp64(const void *a, const void *b)
{
	int64_t x = *(const int64_t *)a, y = *(const int64_t *)b;

	return x < y ? -1 : x > y;
}

static void report(const char *what, int64_t *v, size_t n)
{
	if (!n) {
		printf("%s: none\n", what);
		return;
	}
	qsort(v, n, sizeof(*v), cmp64);
	printf("%s: %zu requests, p50 %.2f ms, p99 %.2f ms, max %.2f ms\n", what, n, v[n / 2] / 1000.0,
	       v[n * 99 / 100] / 1000.0, v[n - 1] / 1000.0);
}

static int connect_to(const char *host, int port)
{
	struct sockaddr_in sa = {0};
	int fd = socket(AF_INET, SOCK_STREAM, 0), one = 1;

	sa.sin_family = AF_INET;
	sa.sin_port = htons((uint16_t)port);
	inet_pton(AF_INET, host, &sa.sin_addr);
	if (fd < 0 || connect(fd, (struct sockaddr *)&sa, sizeof(sa)) != 0) {
		perror("connect");
		exit(1);
	}
	setsockopt(fd, IPPROTO_TCP, TCP_NODELAY, &one, sizeof(one));
	fcntl(fd, F_SETFL, O_NONBLOCK);
	return fd;
}

static void prepare(struct agent *a, long campaign)
{
	char body[128];
	int blen;

	if (a->step == 0) {
		blen = snprintf(body, sizeof(body), "{}");
		a->out_len = (size_t)snprintf(a->out, sizeof(a->out),
			"POST /api/v1/campaigns/%ld/next HTTP/1.1\r\nHost: b\r\nCookie: tp_session=%s\r\n"
			"X-CSRF-Token: %s\r\nContent-Type: application/json\r\nContent-Length: %d\r\n\r\n%s",
			campaign, a->token, a->csrf, blen, body);
	} else {
		blen = snprintf(body, sizeof(body), "{\"lead_id\":%lld,\"result\":\"no_answer\"}", (long long)a->lead);
		a->out_len = (size_t)snprintf(a->out, sizeof(a->out),
			"POST /api/v1/calls HTTP/1.1\r\nHost: b\r\nCookie: tp_session=%s\r\n"
			"X-CSRF-Token: %s\r\nContent-Type: application/json\r\nContent-Length: %d\r\n\r\n%s",
			a->token, a->csrf, blen, body);
	}
	a->out_off = 0;
	a->in_len = 0;
	a->state = SENDING;
	a->sent_us = now_us();
}

/* A complete answer in a->in: its status, body and total length; 0 when incomplete. */
static size_t complete(struct agent *a, int *status, const char **body)
{
	char *end, *cl;
	size_t hlen, blen;

	a->in[a->in_len] = '\0';
	if (!(end = strstr(a->in, "\r\n\r\n")))
		return 0;
	hlen = (size_t)(end - a->in) + 4;
	cl = strcasestr(a->in, "Content-Length:");
	blen = cl && cl < end ? strtoul(cl + 15, NULL, 10) : 0;
	if (a->in_len < hlen + blen)
		return 0;
	*status = (int)strtol(a->in + 9, NULL, 10);
	*body = a->in + hlen;
	return hlen + blen;
}

static int run(const char *host, int port, long campaign, int n, int think_ms, int seconds)
{
	struct agent *agents = calloc((size_t)n, sizeof(*agents));
	struct pollfd *pfd = calloc((size_t)n, sizeof(*pfd));
	size_t cap = 1 << 20, nnext = 0, nlog = 0;
	int64_t *next_lat = malloc(cap * sizeof(int64_t)), *log_lat = malloc(cap * sizeof(int64_t));
	int *holder = calloc(1 << 24, sizeof(int));   /* lead id -> agent + 1 holding it */
	long errors = 0, nothing = 0, double_handed = 0, pairs = 0;
	FILE *tok = fopen("web_load.tokens", "r");
	int64_t start, stop;

	if (!tok)
		return 1;
	for (int i = 0; i < n; i++) {
		if (fscanf(tok, "%64s %64s", agents[i].token, agents[i].csrf) != 2) {
			fprintf(stderr, "web_load: too few tokens\n");
			return 1;
		}
		agents[i].fd = connect_to(host, port);
		agents[i].wake_us = now_us() + (int64_t)(rand() % (think_ms + 1)) * 1000;
	}
	fclose(tok);
	start = now_us();
	stop = start + (int64_t)seconds * 1000000;
	while (now_us() < stop) {
		int64_t t = now_us();

		for (int i = 0; i < n; i++) {
			struct agent *a = &agents[i];

			if (a->state == IDLE && t >= a->wake_us)
				prepare(a, campaign);
			pfd[i].fd = a->fd;
			pfd[i].events = a->state == SENDING ? POLLOUT : a->state == READING ? POLLIN : 0;
			pfd[i].revents = 0;
		}
		if (poll(pfd, (nfds_t)n, 5) < 0 && errno != EINTR)
			return 1;
		t = now_us();
		for (int i = 0; i < n; i++) {
			struct agent *a = &agents[i];
			ssize_t k;

			if (a->state == SENDING && (pfd[i].revents & POLLOUT)) {
				k = send(a->fd, a->out + a->out_off, a->out_len - a->out_off, MSG_NOSIGNAL);
				if (k > 0 && (a->out_off += (size_t)k) == a->out_len)
					a->state = READING;
			} else if (a->state == READING && (pfd[i].revents & (POLLIN | POLLHUP))) {
				int status = 0;
				const char *body;
				size_t used;

				k = recv(a->fd, a->in + a->in_len, sizeof(a->in) - 1 - a->in_len, 0);
				if (k <= 0) {
					fprintf(stderr, "web_load: agent %d: connection closed\n", i);
					return 1;
				}
				a->in_len += (size_t)k;
				if (!(used = complete(a, &status, &body)))
					continue;
				if (a->step == 0) {
					const char *p = strstr(body, "\"lead_id\":");

					if (nnext < cap)
						next_lat[nnext++] = t - a->sent_us;
					a->lead = p ? strtoll(p + 10, NULL, 10) : 0;
					if (status != 200) {
						errors++;
					} else if (a->lead <= 0) {
						nothing++;
					} else if (a->lead < (1 << 24)) {
						if (holder[a->lead] && holder[a->lead] != i + 1)
							double_handed++;
						holder[a->lead] = i + 1;
					}
					a->step = status == 200 && a->lead > 0 ? 1 : 0;
					if (a->step == 1) {
						prepare(a, campaign);
						continue;
					}
				} else {
					if (nlog < cap)
						log_lat[nlog++] = t - a->sent_us;
					if (status != 201)
						errors++;
					else
						pairs++;
					if (a->lead > 0 && a->lead < (1 << 24) && holder[a->lead] == i + 1)
						holder[a->lead] = 0;
					a->step = 0;
				}
				a->state = IDLE;
				a->wake_us = t + (int64_t)think_ms * (500 + rand() % 1000);
			}
		}
	}
	printf("agents: %d, think time %d ms, %d s: %ld next + log pairs (%.0f a second), %ld errors,"
	       " %ld times nothing to call, %ld leads handed to two agents at once\n", n, think_ms, seconds, pairs,
	       pairs / (double)seconds, errors, nothing, double_handed);
	report("next", next_lat, nnext);
	report("call log", log_lat, nlog);
	return errors || double_handed ? 1 : 0;
}

int main(int argc, char **argv)
{
	if (argc == 4 && strcmp(argv[1], "setup") == 0)
		return setup((int)strtol(argv[2], NULL, 10), strtol(argv[3], NULL, 10));
	if (argc == 8 && strcmp(argv[1], "run") == 0)
		return run(argv[2], (int)strtol(argv[3], NULL, 10), strtol(argv[4], NULL, 10), (int)strtol(argv[5], NULL, 10),
			(int)strtol(argv[6], NULL, 10), (int)strtol(argv[7], NULL, 10));
	fprintf(stderr, "usage: web_load setup N FIRST_USER_ID | run HOST PORT CAMPAIGN_ID N THINK_MS SECONDS\n");
	return 2;
}
