#ifndef TP_SHEET_H
#define TP_SHEET_H
/*
 * Spreadsheets for Excel and LibreOffice (docs/EXPORTS.md): one worksheet written row by
 * row by libxlsxwriter (Debian's libxlsxwriter-dev), in its constant-memory mode (a row is
 * on disk once the next one starts, so 100,000 prospects fit in little memory). Numbers
 * are numbers, rates percentages, dates dates; the header row is frozen and filtered.
 */
#include <stddef.h>
#include <stdint.h>

#include "core/error.h"

enum sheet_kind {
	SHEET_TEXT,
	SHEET_INT,
	SHEET_DECIMAL,              /* one decimal: 12.3 calls per hour */
	SHEET_PERCENT,              /* a rate from 0 to 1, shown 12.3 % */
	SHEET_MONEY,                /* euros, two decimals */
	SHEET_DATETIME,             /* "YYYY-MM-DD HH:MM[:SS]" local, shown 03/12/2026 10:00 */
	SHEET_DATE,                 /* "YYYY-MM-DD" */
};

struct sheet_col {
	const char *title;
	enum sheet_kind kind;
};

struct sheet;

/* A workbook at path with one worksheet (name: at most 31 characters) of those columns;
 * NULL with the reason. The columns are copied. */
struct sheet *sheet_open(const char *path, const char *name, const struct sheet_col *cols, size_t ncols,
	struct tp_error *err);
/* The next row: cell i as text (NULL or "": empty) read by column i's kind; a value its
 * kind cannot read is written as text. */
TP_MUST_USE int sheet_row(struct sheet *s, const char *const *cells, struct tp_error *err);
/* Writes the workbook and frees s (even on failure): 0, or the reason. */
TP_MUST_USE int sheet_close(struct sheet *s, struct tp_error *err);

#endif
