/*
 * libFuzzer target: the figure reader.  For any bytes, num_parse,
 * num_scan and num_result must return a known status with a reason in
 * valid UTF-8, and what they read must hold together: a value read
 * formats and reads back as itself, a whole cell read by num_parse is
 * read the same by num_scan and by the general reader alone (the fast
 * readers are shortcuts, never a second grammar), num_scan reads any
 * text as its general reader alone does (bytes used too), and a result
 * fits what it promises.
 */
#include "fuzz.h" /* first: it asks for _GNU_SOURCE */

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "num.h"

static int
valid_utf8(const char *s)
{
	const unsigned char *p = (const unsigned char *)s;

	while (*p != '\0') {
		size_t l = *p < 0x80 ? 1 : *p >= 0xc2 && *p < 0xe0 ? 2 :
		    *p >= 0xe0 && *p < 0xf0 ? 3 : *p >= 0xf0 && *p < 0xf5 ? 4 : 0;

		if (l == 0)
			return 0;
		for (size_t k = 1; k < l; k++)
			if ((p[k] & 0xc0) != 0x80)
				return 0;
		p += l;
	}
	return 1;
}

static void
check_why(int st, const char *why)
{
	CHECK(memchr(why, '\0', NUM_WHYMAX) != NULL);
	CHECK(valid_utf8(why));
	if (st != NUM_OK && st != NUM_NULL)
		CHECK(why[0] != '\0');
}

static void
check_val(const struct num_val *v)
{
	CHECK(memchr(v->unit, '\0', UNIT_NAMEMAX) != NULL);
	CHECK(v->qual >= NUM_EXACT && v->qual <= NUM_APPROX);
	CHECK(v->v.scale >= 0 && v->v.scale <= DEC_MAXSCALE);
	CHECK(v->den.scale >= 0 && v->den.scale <= DEC_MAXSCALE);
	CHECK(v->den.mant != 0);
}

/* The value formats and reads back as itself, and as a plain dec. */
static void
check_roundtrip(const struct num_val *v)
{
	char buf[DEC_STRMAX], why[NUM_WHYMAX];
	struct num_val w;
	struct dec d;
	size_t n = dec_format(v->v, buf);

	CHECK(n == strlen(buf) && n < DEC_STRMAX);
	CHECK(dec_parse(buf, n, &d) == 0 && dec_cmp(d, v->v) == 0);
	CHECK(num_parse(buf, n, NULL, &w, why) == NUM_OK);
	CHECK(dec_cmp(w.v, v->v) == 0 && w.unit[0] == '\0');
}

static void
check_results(const struct num_val *v)
{
	static const struct {
		int scale;
		enum dec_round mode;
	} ways[] = { { -1, DEC_ROUND_NONE }, { 0, DEC_ROUND_NONE },
		{ 0, DEC_ROUND_HALF_EVEN }, { 2, DEC_ROUND_HALF_UP },
		{ 3, DEC_ROUND_FLOOR } };
	const struct unit *to = unit_lookup(v->unit, strlen(v->unit));
	char why[NUM_WHYMAX];
	struct dec r, ip;

	for (size_t k = 0; k < sizeof(ways) / sizeof(ways[0]); k++) {
		for (int t = 0; t < 2; t++) {
			int st = num_result(v, t ? to : NULL, ways[k].scale,
			    ways[k].mode, &r, why);

			CHECK(st == NUM_OK || st == NUM_EUNIT ||
			    st == NUM_EINEXACT || st == NUM_EOVERFLOW);
			check_why(st, why);
			if (st != NUM_OK)
				continue;
			CHECK(ways[k].scale < 0 || r.scale <= ways[k].scale);
			CHECK(dec_round(r, 0, DEC_ROUND_TRUNC, &ip) == 0);
			CHECK(ip.mant <= INT64_MAX && ip.mant >= INT64_MIN);
		}
	}
}

/* num_parse and the general reader alone: the same status, reading, reason. */
static void
check_general(const char *s, size_t n, const struct num_opts *o, int st,
    const struct num_val *v, const char *why)
{
	struct num_val g;
	char gwhy[NUM_WHYMAX];

	CHECK(num_parse_general(s, n, o, &g, gwhy) == st);
	if (st != NUM_OK) {
		CHECK(strcmp(why, gwhy) == 0);
		return;
	}
	CHECK(dec_cmp(v->v, g.v) == 0 && dec_cmp(v->den, g.den) == 0);
	CHECK(strcmp(v->unit, g.unit) == 0 && v->qual == g.qual);
}

/* num_scan and its general reader alone: the same status, bytes, reading. */
static void
check_scan_general(const char *s, size_t n, const struct num_opts *o, int st,
    size_t used, const struct num_val *v, const char *why)
{
	struct num_val g;
	char gwhy[NUM_WHYMAX];
	size_t gused = n + 1;

	CHECK(num_scan_general(s, n, o, &g, &gused, gwhy) == st);
	CHECK(gused == used);
	if (st != NUM_OK) {
		CHECK(strcmp(why, gwhy) == 0);
		return;
	}
	CHECK(dec_cmp(v->v, g.v) == 0 && dec_cmp(v->den, g.den) == 0);
	CHECK(strcmp(v->unit, g.unit) == 0 && v->qual == g.qual);
}

static int
is_space_edge(const uint8_t *d, size_t n)
{
	if (n == 0)
		return 1;
	return d[0] <= ' ' || d[0] == 0xc2 || d[0] == 0xe3 ||
	    d[n - 1] <= ' ' || d[n - 1] == 0xa0 || d[n - 1] == 0x80;
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	const char *s = (const char *)data;
	struct num_opts opts[3];
	struct num_val v, w;
	char why[NUM_WHYMAX];
	size_t used;

	memset(opts, 0, sizeof(opts));
	opts[1].hdr_unit = unit_lookup("万元", strlen("万元"));
	opts[1].range = NUM_RANGE_MID;
	opts[2].hdr_unit = unit_lookup("%", 1);
	opts[2].range = NUM_RANGE_LOW;
	for (int k = 0; k < 3; k++) {
		int st = num_parse(s, size, &opts[k], &v, why);

		CHECK(st >= NUM_OK && st <= NUM_EOVERFLOW);
		check_why(st, why);
		check_general(s, size, &opts[k], st, &v, why);
		if (st == NUM_OK) {
			check_val(&v);
			check_roundtrip(&v);
			check_results(&v);
		}
		int st2 = num_scan(s, size, &opts[k], &w, &used, why);

		CHECK(st2 >= NUM_OK && st2 <= NUM_EOVERFLOW && st2 != NUM_NULL);
		CHECK(used <= size);
		check_why(st2, why);
		check_scan_general(s, size, &opts[k], st2, used, &w, why);
		if (st2 == NUM_OK) {
			CHECK(used > 0);
			check_val(&w);
		}
		/* A whole cell reads the same either way. */
		if (st == NUM_OK && !is_space_edge(data, size) && size <= 512) {
			CHECK(st2 == NUM_OK && used == size);
			CHECK(dec_cmp(v.v, w.v) == 0 && dec_cmp(v.den, w.den) == 0);
			CHECK(strcmp(v.unit, w.unit) == 0 && v.qual == w.qual);
		}
	}
	return 0;
}
