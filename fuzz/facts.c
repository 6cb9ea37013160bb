/*
 * libFuzzer target: the whole path from a document's bytes to its facts,
 * as wy-facts takes it.  A first byte "h" makes the rest an HTML page,
 * any other a text; then clean_check, html_text for a page, and
 * facts_scan, whose facts must hold together: sentences and offsets in
 * order, the text a part of the input at the place it says, values,
 * units, kinds and contexts well formed, all in valid UTF-8, and a fact
 * said to be plain (no escaping for TSV) free of TAB, LF, CR and
 * backslash.  facts_scan also runs on bytes that clean_check refused: it
 * must not crash on them (and what it finds there is not checked).
 */
#include "fuzz.h" /* first: it asks for _GNU_SOURCE */

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "facts.h"
#include "html.h"

/* What the facts of one document must agree with. */
struct seen {
	const char *doc;
	size_t n;
	int valid;		/* the input is UTF-8 text */
	unsigned long sent;	/* of the last fact */
	size_t end, srcend;	/* of the last fact */
	size_t nfacts;
};

static int
valid_utf8(const char *s, size_t n)
{
	long line;
	const char *why;

	return clean_check(s, n, &line, &why) == 0;
}

static int
well_formed_value(const char *v)
{
	size_t n = strlen(v);

	CHECK(n > 0 && n < FACTS_VALUEMAX);
	for (size_t i = 0; i < n; i++)
		if (!((v[i] >= '0' && v[i] <= '9') || v[i] == '.' ||
		    v[i] == '-' || v[i] == '/'))
			return 0;
	return 1;
}

/* Does s[0..n) hold a byte that TSV escapes? */
static int
has_escape(const char *s, size_t n)
{
	for (size_t i = 0; i < n; i++)
		if (s[i] == '\t' || s[i] == '\n' || s[i] == '\r' || s[i] == '\\')
			return 1;
	return 0;
}

static int
check_fact(void *arg, const struct facts_fact *f, struct wy_err *e)
{
	struct seen *s = arg;

	(void)e;
	CHECK(f->sent >= 1 && f->sent >= s->sent);
	CHECK(f->start < f->end);
	CHECK(s->nfacts == 0 || f->start >= s->end);
	CHECK(f->text == s->doc + f->srcoff);
	CHECK(f->srcoff <= s->n && f->textlen <= s->n - f->srcoff);
	CHECK(f->textlen > 0);
	CHECK(s->nfacts == 0 || f->srcoff >= s->srcend);
	CHECK(f->line >= 1);
	CHECK(well_formed_value(f->value));
	CHECK(memchr(f->unit, '\0', UNIT_NAMEMAX) != NULL);
	CHECK(f->qual >= NUM_EXACT && f->qual <= NUM_APPROX);
	CHECK(f->kind >= FACTS_QUANTITY && f->kind <= FACTS_RANGE);
	CHECK(strlen(facts_kind_name(f->kind)) > 0);
	CHECK(f->ctx != NULL && f->ctxlen <= 4 * s->n + 16);
	if (s->valid) {
		CHECK(valid_utf8(f->text, f->textlen));
		CHECK(valid_utf8(f->ctx, f->ctxlen));
		CHECK(valid_utf8(f->unit, strlen(f->unit)));
		CHECK(!f->plain || (!has_escape(f->text, f->textlen) &&
		    !has_escape(f->ctx, f->ctxlen)));
	}
	s->sent = f->sent;
	s->end = f->end;
	s->srcend = f->srcoff + f->textlen;
	s->nfacts++;
	return 0;
}

static void
scan(struct facts *f, const char *s, size_t n, int valid)
{
	struct seen seen = { s, n, valid, 0, 0, 0, 0 };
	struct wy_err e;

	CHECK(facts_scan(f, s, n, check_fact, &seen, &e) == 0);
	CHECK(f->nsent >= seen.sent);
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static struct facts f;
	static struct html h;
	const char *s = (const char *)data + 1;
	size_t n = size > 0 ? size - 1 : 0;
	struct wy_err e;
	int valid;

	if (size == 0)
		return 0;
	valid = valid_utf8(s, n);
	if (data[0] != 'h') {
		scan(&f, s, n, valid);
		return 0;
	}
	if (!valid)
		return 0;
	if (html_text(&h, s, n, &e) != 0) {
		CHECK(e.exit == WY_EXIT_DATA);
		return 0;
	}
	for (size_t i = 1; i < h.len; i++)
		CHECK(html_line(&h, i) >= html_line(&h, i - 1));
	scan(&f, h.text, h.len, valid_utf8(h.text, h.len));
	return 0;
}
