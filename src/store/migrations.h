#ifndef TP_MIGRATIONS_H
#define TP_MIGRATIONS_H
/*
 * Numbered schema migrations, applied in order at open, each in its own write
 * transaction together with its row in schema_migrations. The SQL is portable; the token
 * %ID% stands for the driver's auto-increment primary key column type.
 */
#include "store/db.h"

/* Brings the schema up to the latest version; *applied (may be NULL) gets the number of
 * migrations run. Safe to run from several processes at once. */
TP_MUST_USE int migrations_apply(struct db *db, int *applied, struct tp_error *err);

/* The version a fully migrated database has. */
int migrations_latest(void);

#endif
