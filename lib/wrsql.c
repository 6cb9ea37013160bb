#include <string.h>

#include "coltype.h"
#include "wrsql.h"

/* p[0..len) between quote characters q, each q inside doubled. */
static void
quoted(struct tsv_writer *w, const char *p, size_t len, char q)
{
	const char *hit;

	tsv_put_raw(w, &q, 1);
	while ((hit = memchr(p, q, len)) != NULL) {
		tsv_put_raw(w, p, hit - p + 1);
		tsv_put_raw(w, &q, 1);
		len -= hit - p + 1;
		p = hit + 1;
	}
	tsv_put_raw(w, p, len);
	tsv_put_raw(w, &q, 1);
}

void
wrsql_ident(struct tsv_writer *w, const char *p, size_t len)
{
	quoted(w, p, len, '"');
}

void
wrsql_value(struct tsv_writer *w, const struct fld *f)
{
	enum coltype_class c;

	if (f->p == NULL) {
		tsv_put_raw(w, "NULL", 4);
		return;
	}
	c = coltype_classify(f->p, f->len, NULL);
	if (c == COLTYPE_C_INT || c == COLTYPE_C_DECIMAL)
		tsv_put_raw(w, f->p, f->len);
	else
		quoted(w, f->p, f->len, '\'');
}
