#include <stdio.h>
#include <string.h>

#include "core/error.h"

/* What "no error" needs: the code, the strings' first bytes and the message's counts. The
 * struct is a few kilobytes (a message's arguments and sentences) and is cleared once per
 * row of an import: the rest is written before it is read. */
void tp_error_clear(struct tp_error *err)
{
	err->code = 0;
	err->file[0] = err->field[0] = err->reason[0] = '\0';
	err->line = 0;
	err->msgid = NULL;
	err->nargs = err->nparts = 0;
	err->words = 0;
}

static void copy_str(char *dst, size_t size, const char *src)
{
	snprintf(dst, size, "%s", src ? src : "");
}

int tp_error_set(struct tp_error *err, int code, const char *fmt, ...)
{
	va_list ap;

	err->code = code;
	err->msgid = NULL;
	err->nargs = 0;
	err->nparts = 0;
	va_start(ap, fmt);
	vsnprintf(err->reason, sizeof(err->reason), fmt, ap);
	va_end(ap);
	return code;
}

int tp_error_at(struct tp_error *err, int code, const char *file, long line, const char *field,
	const char *fmt, ...)
{
	va_list ap;

	err->code = code;
	err->msgid = NULL;
	err->nargs = 0;
	err->nparts = 0;
	copy_str(err->file, sizeof(err->file), file);
	err->line = line;
	copy_str(err->field, sizeof(err->field), field);
	va_start(ap, fmt);
	vsnprintf(err->reason, sizeof(err->reason), fmt, ap);
	va_end(ap);
	return code;
}

void tp_format_args(const char *fmt, const char *const *args, int nargs, char *out, size_t size)
{
	size_t len = 0;
	int arg = 0;

	for (const char *p = fmt; *p && len + 1 < size; p++) {
		if (p[0] == '%' && p[1] == 's') {
			len += (size_t)snprintf(out + len, size - len, "%s", arg < nargs && args[arg] ? args[arg] : "");
			if (len >= size)
				len = size - 1;
			arg++;
			p++;
		} else {
			out[len++] = *p;
		}
	}
	out[len] = '\0';
}

int tp_error_msg(struct tp_error *err, int code, const char *file, long line, const char *field, unsigned words,
	const char *msgid, int nargs, ...)
{
	const char *args[TP_ERROR_ARGS];
	va_list ap;

	err->code = code;
	copy_str(err->file, sizeof(err->file), file);
	err->line = line;
	copy_str(err->field, sizeof(err->field), field);
	err->msgid = msgid;
	err->words = words;
	err->nparts = 0;
	err->nargs = nargs < TP_ERROR_ARGS ? nargs : TP_ERROR_ARGS;
	va_start(ap, nargs);
	for (int i = 0; i < err->nargs; i++) {
		copy_str(err->args[i], sizeof(err->args[i]), va_arg(ap, const char *));
		args[i] = err->args[i];
	}
	va_end(ap);
	tp_format_args(msgid, args, err->nargs, err->reason, sizeof(err->reason));
	return code;
}

void tp_error_format(const struct tp_error *err, char *buf, size_t size)
{
	size_t n = 0;

	buf[0] = '\0';
	if (err->file[0] && err->line > 0)
		n += snprintf(buf + n, size - n, "%s:%ld: ", err->file, err->line);
	else if (err->file[0])
		n += snprintf(buf + n, size - n, "%s: ", err->file);
	if (n < size && err->field[0])
		n += snprintf(buf + n, size - n, "%s: ", err->field);
	if (n < size)
		snprintf(buf + n, size - n, "%s", err->reason);
}

int tp_error_exit_code(int code)
{
	switch (code) {
	case TP_OK:
		return 0;
	case TP_EUSAGE:
	case TP_ENOTFOUND:
	case TP_EEXIST:
	case TP_EFORBIDDEN:
	case TP_ECONFLICT:
	case TP_ECONFIRM:
		return 2;
	case TP_ENOTHING:
		return 3;
	default:
		return 1;
	}
}

static int vpart(struct tp_error *err, const char *sep, unsigned words, const char *msgid, int nargs, va_list ap)
{
	size_t len = strlen(err->reason), seplen = strlen(sep);
	const char *args[4] = {"", "", "", ""};

	nargs = nargs < 4 ? nargs : 4;
	for (int i = 0; i < nargs; i++)
		args[i] = va_arg(ap, const char *);
	if (err->nparts < TP_ERROR_PARTS) {
		int k = err->nparts++;

		err->part_msgid[k] = msgid;
		err->part_sep[k] = sep;
		err->part_nargs[k] = nargs;
		err->part_words[k] = words;
		for (int i = 0; i < nargs; i++)
			copy_str(err->part_args[k][i], sizeof(err->part_args[k][i]), args[i]);
	}
	if (len + seplen < sizeof(err->reason)) {
		memcpy(err->reason + len, sep, seplen + 1);
		tp_format_args(msgid, args, nargs, err->reason + len + seplen, sizeof(err->reason) - len - seplen);
	}
	return err->code;
}

int tp_error_part(struct tp_error *err, unsigned words, const char *msgid, int nargs, ...)
{
	va_list ap;
	int rc;

	va_start(ap, nargs);
	rc = vpart(err, TP_MSG("; "), words, msgid, nargs, ap);
	va_end(ap);
	return rc;
}

int tp_error_part_after(struct tp_error *err, const char *sep, unsigned words, const char *msgid, int nargs, ...)
{
	va_list ap;
	int rc;

	va_start(ap, nargs);
	rc = vpart(err, sep, words, msgid, nargs, ap);
	va_end(ap);
	return rc;
}

void tp_error_say(const struct tp_error *err, const char *(*tr)(void *ctx, const char *msgid), void *ctx, char *out,
	size_t size)
{
	const char *args[TP_ERROR_ARGS];
	size_t len;

	if (!err->msgid || !tr) {
		copy_str(out, size, err->reason);
		return;
	}
	for (int i = 0; i < err->nargs && i < TP_ERROR_ARGS; i++)
		args[i] = (err->words & (1u << i)) ? tr(ctx, err->args[i]) : err->args[i];
	tp_format_args(tr(ctx, err->msgid), args, err->nargs, out, size);
	for (int k = 0; k < err->nparts; k++) {
		const char *part[4], *sep = tr(ctx, err->part_sep[k]);   /* French: " ; ", " : " */
		size_t seplen = strlen(sep);

		if ((len = strlen(out)) + seplen >= size)
			break;
		for (int i = 0; i < err->part_nargs[k]; i++)
			part[i] = (err->part_words[k] & (1u << i)) ? tr(ctx, err->part_args[k][i]) : err->part_args[k][i];
		memcpy(out + len, sep, seplen + 1);
		tp_format_args(tr(ctx, err->part_msgid[k]), part, err->part_nargs[k], out + len + seplen, size - len - seplen);
	}
}
