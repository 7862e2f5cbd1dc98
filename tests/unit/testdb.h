#ifndef TP_TESTDB_H
#define TP_TESTDB_H
/*
 * A fresh, empty database for a store test, on the backend the run asks for
 * (TELEPRO_TEST_BACKEND=sqlite, the default, or pg with TELEPRO_TEST_PG the directory of a
 * cluster started by scripts/pg.sh): the same tests run against both (scripts/check.sh).
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "store/store.h"

/* Who the tests' audited writes name. */
static const struct store_who test_who = {"test", 1764000000};

static int testdb_seq;

/* Writes the URL of a new database into url; removes a SQLite file of the same name. */
static void testdb_url(const char *tag, char *url, size_t size)
{
	const char *backend = getenv("TELEPRO_TEST_BACKEND");

	testdb_seq++;
	if (backend && strcmp(backend, "pg") == 0) {
		char cmd[1024];
		FILE *p;
		size_t n;

		snprintf(cmd, sizeof(cmd), "%s/scripts/pg.sh createdb '%s' t_%s_%d_%d", TELEPRO_SOURCE_ROOT,
			getenv("TELEPRO_TEST_PG") ? getenv("TELEPRO_TEST_PG") : "", tag, (int)getpid(), testdb_seq);
		p = popen(cmd, "r");
		if (!p || !fgets(url, (int)size, p)) {
			fprintf(stderr, "testdb: %s failed\n", cmd);
			exit(1);
		}
		pclose(p);
		n = strlen(url);
		while (n && (url[n - 1] == '\n' || url[n - 1] == '\r'))
			url[--n] = '\0';
	} else {
		const char *dir = getenv("TMPDIR") ? getenv("TMPDIR") : "/tmp";
		char path[400], extra[420];

		snprintf(path, sizeof(path), "%s/telepro-test-%s-%d-%d.db", dir, tag, (int)getpid(), testdb_seq);
		unlink(path);
		snprintf(extra, sizeof(extra), "%s-wal", path);
		unlink(extra);
		snprintf(extra, sizeof(extra), "%s-shm", path);
		unlink(extra);
		snprintf(url, size, "sqlite:%s", path);
	}
}

/* Removes what testdb_url made for url (SQLite files; PostgreSQL databases go with the
 * throw-away cluster). */
static void testdb_drop(const char *url)
{
	char extra[530];

	if (strncmp(url, "sqlite:", 7) != 0)
		return;
	unlink(url + 7);
	snprintf(extra, sizeof(extra), "%s-wal", url + 7);
	unlink(extra);
	snprintf(extra, sizeof(extra), "%s-shm", url + 7);
	unlink(extra);
}

#endif
