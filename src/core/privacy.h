#ifndef TP_PRIVACY_H
#define TP_PRIVACY_H
/*
 * What remains of a person erased at their request who asked not to be called again
 * (docs/PRIVACY.md): not their number, but a keyed hash of it, kept in the opposition list
 * so that the next purchased file that brings the number back is refused. The key is the
 * database's own (32 random bytes, store_privacy_key), so a hash says nothing outside it.
 */
#include <stddef.h>

#define PRIVACY_KEY_BYTES 32
/* '#', 64 hex digits, NUL: the form kept in opposition.phone, which no number has. */
#define PRIVACY_HASH_MAX 66

/* The hash of an E.164 number under key (BLAKE2b-256, keyed), as '#' and hex. */
void privacy_number_hash(const unsigned char key[PRIVACY_KEY_BYTES], const char *e164, char out[PRIVACY_HASH_MAX]);

/* A key as 64 hex digits and back; privacy_key_parse returns -1 when hex is not one. */
void privacy_key_hex(const unsigned char key[PRIVACY_KEY_BYTES], char out[2 * PRIVACY_KEY_BYTES + 1]);
int privacy_key_parse(const char *hex, unsigned char key[PRIVACY_KEY_BYTES]);

#endif
