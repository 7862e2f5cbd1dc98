#ifndef TP_HTTP_GUARD_H
#define TP_HTTP_GUARD_H
/*
 * Slow clients (docs/DEPLOY.md, "Limits"): libmicrohttpd's timeout is an idle one, reset
 * by every byte, so a client sending one header line every few seconds would hold its
 * connection for ever, and enough of them the whole server. The guard gives the request
 * head a deadline (from the connection's start, or the previous answer's end on a kept-
 * alive connection) and the body a floor rate once its first seconds are past; a
 * connection that misses either is shut down (the server then closes it). One watcher
 * thread for the process, the connections in a list under a mutex.
 */
#include <stddef.h>
#include <stdint.h>

/* Starts the watcher: heads must be complete within head_seconds; bodies must come at
 * bytes_per_second at least, averaged, after head_seconds. 0 on success. */
int guard_start(unsigned head_seconds, unsigned bytes_per_second);
void guard_stop(void);

/* A connection opened on socket fd (its context in *ctx) and closed. */
void guard_open(void **ctx, int fd);
void guard_close(void **ctx);
/* The connection's request head is complete; bytes of its body came; its answer is sent
 * (a next request's head may follow: its deadline starts now). */
void guard_head_done(void *ctx);
void guard_body(void *ctx, size_t bytes);
/* The whole body came: the request is being answered (no deadline while it is). */
void guard_processing(void *ctx);
void guard_answered(void *ctx);

#endif
