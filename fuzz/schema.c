/*
 * libFuzzer target: the schema reader, TSV and Frictionless JSON (the
 * first byte chooses).  Any bytes must give a schema or an error with a
 * message; a schema read must hold together: names, bounds that read back
 * in their type, patterns that run.
 */
#include "fuzz.h" /* first: it asks for _GNU_SOURCE */

#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <unistd.h>

#include "schema.h"

/* The pattern's two matchers agree on s. */
static void
check_match(const struct pattern *p, const char *s, size_t n)
{
	regmatch_t m[1];
	char buf[16];
	int slow;

	CHECK(n < sizeof buf);
	memcpy(buf, s, n);
	buf[n] = '\0';
	m[0].rm_so = 0;
	m[0].rm_eo = (regoff_t)n;
	slow = regexec(&p->re, buf, 1, m, REG_STARTEND) == 0;
	CHECK(pattern_match(p, s, n) == slow);
}

static void
check_field(const struct schema_field *f, const uint8_t *data, size_t size)
{
	static const char *const probes[] = { "", "0", "610113", "雁塔区", "a|b",
		"2025-03-01", "aaaa", "ab-]", "999999" };
	char why[VALUE_WHYMAX];
	struct value v;

	CHECK(f->name != NULL && f->name[0] != '\0');
	CHECK(f->type >= VALUE_STRING && f->type < VALUE_NTYPES);
	CHECK(!f->hasmin || value_parse(f->type, f->mintext, strlen(f->mintext), &v, why) == 0);
	CHECK(!f->hasmax || value_parse(f->type, f->maxtext, strlen(f->maxtext), &v, why) == 0);
	CHECK(!f->hasmin || !f->hasmax || value_cmp(&f->min, &f->max) <= 0);
	CHECK(f->minlen < 0 || f->maxlen < 0 || f->minlen <= f->maxlen);
	for (size_t k = 0; k < f->nenum; k++)
		CHECK(f->enums[k] != NULL);
	for (size_t k = 0; k < f->nmissing; k++)
		CHECK(f->missing[k] != NULL);
	if (f->pattern == NULL)
		return;
	for (size_t k = 0; k < sizeof probes / sizeof *probes; k++)
		check_match(&f->pat, probes[k], strlen(probes[k]));
	/* and the input's own bytes, in short slices */
	for (size_t k = 0; k + 1 < size && k < 64; k++)
		check_match(&f->pat, (const char *)data + k, size - k < 8 ? size - k : 8);
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct schema s;
	struct wy_err e;
	int fd, rc;

	if (size < 1)
		return 0;
	fd = fuzz_fd("fuzz", NULL, data + 1, size - 1);
	e.msg[0] = '\0';
	rc = data[0] & 1 ? schema_read_json(fd, "s.json", &s, &e) :
	    schema_read_tsv(fd, "s.tsv", &s, &e);
	close(fd);
	if (rc < 0) {
		CHECK(memchr(e.msg, '\0', sizeof e.msg) != NULL && e.msg[0] != '\0');
		CHECK(e.exit == WY_EXIT_USAGE || e.exit == WY_EXIT_IO);
		return 0;
	}
	CHECK(s.nf > 0);
	for (size_t i = 0; i < s.nf; i++)
		check_field(&s.f[i], data, size);
	for (size_t k = 0; k < s.nkey; k++)
		CHECK(schema_find(&s, s.key[k], strlen(s.key[k])) != NULL);
	schema_free(&s);
	return 0;
}
