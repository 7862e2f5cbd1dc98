/* Keyed hashes of erased people's numbers (privacy.h). */
#include <string.h>
#include <sodium.h>

#include "core/privacy.h"

void privacy_number_hash(const unsigned char key[PRIVACY_KEY_BYTES], const char *e164, char out[PRIVACY_HASH_MAX])
{
	unsigned char h[32];

	crypto_generichash(h, sizeof(h), (const unsigned char *)e164, strlen(e164), key, PRIVACY_KEY_BYTES);
	out[0] = '#';
	sodium_bin2hex(out + 1, PRIVACY_HASH_MAX - 1, h, sizeof(h));
}

void privacy_key_hex(const unsigned char key[PRIVACY_KEY_BYTES], char out[2 * PRIVACY_KEY_BYTES + 1])
{
	sodium_bin2hex(out, 2 * PRIVACY_KEY_BYTES + 1, key, PRIVACY_KEY_BYTES);
}

int privacy_key_parse(const char *hex, unsigned char key[PRIVACY_KEY_BYTES])
{
	size_t len = 0;

	if (!hex || strlen(hex) != 2 * PRIVACY_KEY_BYTES ||
	    sodium_hex2bin(key, PRIVACY_KEY_BYTES, hex, strlen(hex), NULL, &len, NULL) != 0 || len != PRIVACY_KEY_BYTES)
		return -1;
	return 0;
}
