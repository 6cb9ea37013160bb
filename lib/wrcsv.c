#include <string.h>

#include "wrcsv.h"

int
wrcsv_formula(const char *p, size_t len)
{
	size_t i = 0, ndig = 0;

	if (len == 0 || strchr("=+-@\t\r", p[0]) == NULL)
		return 0;
	/* a plain number, [+-]digits[.digits], is no formula */
	if (p[0] == '+' || p[0] == '-')
		i++;
	for (; i < len && p[i] >= '0' && p[i] <= '9'; i++)
		ndig++;
	if (ndig > 0 && i < len && p[i] == '.' && i + 1 < len) {
		for (i++; i < len && p[i] >= '0' && p[i] <= '9'; i++)
			;
	}
	return ndig == 0 || i < len;
}

/* Does the field need quotes? */
static int
needs_quotes(const char *p, size_t len, int excel)
{
	for (size_t i = 0; i < len; i++) {
		char c = p[i];

		if (c == ',' || c == '"' || c == '\r' || c == '\n' || (excel && c == ';'))
			return 1;
	}
	return len == 0;
}

void
wrcsv_field(struct tsv_writer *w, const struct fld *f, int first, int excel)
{
	const char *p = f->p, *q;
	size_t len = f->len;
	int quote;

	if (!first)
		tsv_put_raw(w, ",", 1);
	if (p == NULL)
		return;
	quote = needs_quotes(p, len, excel);
	if (quote)
		tsv_put_raw(w, "\"", 1);
	if (excel && wrcsv_formula(p, len))
		tsv_put_raw(w, "'", 1);
	while (quote && (q = memchr(p, '"', len)) != NULL) {
		tsv_put_raw(w, p, q - p + 1);
		tsv_put_raw(w, "\"", 1);
		len -= q - p + 1;
		p = q + 1;
	}
	tsv_put_raw(w, p, len);
	if (quote)
		tsv_put_raw(w, "\"", 1);
}

void
wrcsv_cr(struct tsv_writer *w)
{
	tsv_put_raw(w, "\r", 1);
}
