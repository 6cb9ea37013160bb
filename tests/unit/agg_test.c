/* agg and hash: operations, exactness, NULLs, modes, the partial format. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "agg.h"
#include "t.h"

#define OUTMAX 8192

/* A file descriptor reading the given bytes. */
static int
bytes_fd(const char *s, size_t n)
{
	FILE *f = tmpfile();
	int fd;

	fwrite(s, 1, n, f);
	fflush(f);
	rewind(f);
	fd = dup(fileno(f));
	fclose(f);
	return fd;
}

/* What was written to fd, as a string. */
static void
slurp(int fd, char *out, size_t outsz)
{
	ssize_t n = pread(fd, out, outsz - 1, 0);

	out[n > 0 ? n : 0] = '\0';
}

struct run {
	const char *keys;  /* -g, or NULL */
	const char *ops;   /* operations separated by spaces */
	int sorted, merge, partial, sort, pivot, scale;
	const char *in;	   /* TSV with its header */
	const char *want;  /* what is written, or the error message */
};

static struct tsv_writer *emit_w;

static int
emit(void *arg, struct agg *a, uint32_t gid, struct wy_err *e)
{
	(void)arg;
	if (agg_put_group(a, gid, emit_w, e) < 0)
		return -1;
	tsv_end(emit_w);
	return 0;
}

/* Parse r->ops into ops (fields resolved against hdr); returns how many. */
static size_t
make_ops(const struct run *r, const struct rec *hdr, struct agg_op *ops,
    char *buf)
{
	struct wy_err e;
	size_t n = 0, *sel, nsel;

	strcpy(buf, r->ops);
	for (char *tok = strtok(buf, " "); tok != NULL; tok = strtok(NULL, " ")) {
		CHECK(agg_parse_op(tok, &ops[n], &e) == 0, "%s: %s", tok, e.msg);
		if (ops[n].field != NULL && !r->merge &&
		    tsv_select(hdr, NULL, ops[n].field, &sel, &nsel, &e) == 0) {
			ops[n].col = sel[0];
			free(sel);
		}
		n++;
	}
	return n;
}

/* Write the result of the whole aggregation to w; -1 with e set. */
static int
write_all(struct agg *a, const struct run *r, struct tsv_writer *w,
    struct wy_err *e)
{
	uint32_t *ids;
	size_t nrows;

	if (agg_finish(a, e) < 0)
		return -1;
	if (r->sorted)
		return 0;
	if (r->pivot && !r->partial) {
		if (agg_pivot(a, r->sort, &nrows, e) < 0 ||
		    agg_put_pivot_header(a, w, e) < 0)
			return -1;
		tsv_end(w);
		for (size_t i = 0; i < nrows; i++) {
			if (agg_put_pivot_row(a, i, w, e) < 0)
				return -1;
			tsv_end(w);
		}
		return 0;
	}
	agg_put_header(a, w);
	tsv_end(w);
	if (agg_order(a, r->sort, &ids, e) < 0)
		return -1;
	for (size_t i = 0; i < agg_ngroups(a); i++) {
		if (agg_put_group(a, ids[i], w, e) < 0) {
			free(ids);
			return -1;
		}
		tsv_end(w);
	}
	free(ids);
	return 0;
}

/*
 * Run r: the output, or "bad N: why" for a bad row N, or "error: msg".
 */
static void
run(const struct run *r, char *out, size_t outsz)
{
	struct tsv_reader rd;
	struct tsv_writer w;
	struct rec hdr = { 0 }, row = { 0 };
	struct agg_op ops[16];
	struct agg_conf c = { 0 };
	struct agg a;
	struct wy_err e;
	size_t *keys = NULL, nkeys = 0;
	char buf[256], why[WY_ERRMAX / 2];
	int in = bytes_fd(r->in, strlen(r->in)), wfd = fileno(tmpfile()), st;

	tsv_open(&rd, in, "t.tsv");
	tsv_wopen(&w, wfd, "out", &e);
	emit_w = &w;
	CHECK(tsv_read(&rd, &hdr, &e) == 1, "no header");
	for (size_t i = 0; i < hdr.nf; i++)
		hdr.f[i].p = hdr.f[i].p ? strndup(hdr.f[i].p, hdr.f[i].len) : NULL;
	if (r->keys != NULL && tsv_select(&hdr, NULL, r->keys, &keys, &nkeys, &e) < 0)
		nkeys = 0;
	c.keycols = keys;
	c.nkeys = nkeys;
	c.sorted = r->sorted;
	c.merge = r->merge;
	c.partial = r->partial;
	c.scale = r->scale;
	c.emit = emit;
	st = agg_init(&a, ops, make_ops(r, &hdr, ops, buf), &c, &hdr, &e);
	if (st == 0 && c.sorted) {
		agg_put_header(&a, &w);
		tsv_end(&w);
	}
	while (st == 0 && (st = tsv_read(&rd, &row, &e)) > 0)
		if ((st = agg_add(&a, &row, "t.tsv", why, sizeof why, &e)) > 0)
			snprintf(e.msg, sizeof e.msg, "bad %ld: %s", row.line, why);
	if (st == 0)
		st = write_all(&a, r, &w, &e);
	tsv_flush(&w, &e);
	if (st == 0)
		slurp(wfd, out, outsz);
	else
		snprintf(out, outsz, "%s%s", st < 0 ? "error: " : "", e.msg);
	agg_free(&a);
	tsv_wclose(&w, &e);
	tsv_close(&rd);
	for (size_t i = 0; i < hdr.nf; i++)
		free((char *)hdr.f[i].p);
	rec_free(&hdr);
	rec_free(&row);
	free(keys);
	close(in);
	close(wfd);
}

static void
test_parse_op(void)
{
	static const struct {
		const char *arg;
		int rc, kind;
		const char *field, *msg;
	} cases[] = {
		{ "count", 0, AGG_COUNT, NULL, NULL },
		{ "count:人数", 0, AGG_COUNT, "人数", NULL },
		{ "sum:数值", 0, AGG_SUM, "数值", NULL },
		{ "median:a:b", 0, AGG_MEDIAN, "a:b", NULL },
		{ "last:3", 0, AGG_LAST, "3", NULL },
		{ "sum", -1, 0, NULL, "sum needs a field: sum:FIELD" },
		{ "mean:", -1, 0, NULL, "mean:: no field after the colon" },
		{ "avg:数值", -1, 0, NULL, "unknown operation \"avg\": count, sum, "
		    "min, max, mean, median, distinct, first or last" },
		{ "data.tsv", 1, 0, NULL, NULL },
		{ "./count", 1, 0, NULL, NULL },
		{ "Sum:x", 1, 0, NULL, NULL },
		{ ":x", 1, 0, NULL, NULL },
		{ "-", 1, 0, NULL, NULL },
	};
	struct agg_op op;
	struct wy_err e;

	for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
		int rc = agg_parse_op(cases[i].arg, &op, &e);

		CHECK(rc == cases[i].rc, "%s: rc %d, want %d", cases[i].arg, rc,
		    cases[i].rc);
		if (rc == 0) {
			CHECK((int)op.kind == cases[i].kind, "%s: kind %d", cases[i].arg,
			    op.kind);
			CHECK(cases[i].field ? op.field && !strcmp(op.field, cases[i].field) :
			    op.field == NULL, "%s: field", cases[i].arg);
		}
		if (rc < 0)
			CHECK_STR(e.msg, cases[i].msg);
	}
}

static void
test_hash(void)
{
	struct hash_map m;
	struct wy_err e;
	char key[64], big[HASH_BLOCK];
	uint32_t id;
	size_t len;
	int ok = 1;

	hash_init(&m);
	for (int i = 0; i < 100000; i++) {
		int n = snprintf(key, sizeof key, "k%d", i);

		ok &= hash_put(&m, key, n, hash_bytes(key, n), &id, &e) == 1 &&
		    id == (uint32_t)i;
	}
	CHECK(ok, "new keys get ids 0, 1, 2, ...");
	for (int i = 0; i < 100000; i += 7) {
		int n = snprintf(key, sizeof key, "k%d", i);
		const char *p;

		ok &= hash_put(&m, key, n, hash_bytes(key, n), &id, &e) == 0 &&
		    id == (uint32_t)i;
		p = hash_get(&m, id, &len);
		ok &= len == (size_t)n && memcmp(p, key, n) == 0;
	}
	CHECK(ok, "keys put again keep their ids and bytes");
	CHECK(hash_put(&m, "a\0b", 3, hash_bytes("a\0b", 3), &id, &e) == 1 &&
	    hash_put(&m, "a", 1, hash_bytes("a", 1), &id, &e) == 1 &&
	    hash_put(&m, "", 0, hash_bytes("", 0), &id, &e) == 1 &&
	    hash_put(&m, "", 0, hash_bytes("", 0), &id, &e) == 0,
	    "NUL bytes, prefixes and the empty key are keys");
	memset(big, 'x', sizeof big);
	CHECK(hash_put(&m, big, sizeof big, hash_bytes(big, sizeof big), &id, &e) == 1 &&
	    hash_put(&m, "after", 5, hash_bytes("after", 5), &id, &e) == 1 &&
	    memcmp(hash_get(&m, id - 1, &len), big, sizeof big) == 0 &&
	    len == sizeof big, "a key bigger than a block");
	hash_clear(&m);
	CHECK(m.n == 0 && hash_put(&m, "k7", 2, hash_bytes("k7", 2), &id, &e) == 1 &&
	    id == 0, "cleared: ids start again");
	hash_free(&m);
	CHECK(hash_bytes("ab", 2) != hash_bytes("ab\0", 3) &&
	    hash_bytes("", 0) != hash_bytes("\0", 1), "the length counts");
}

static const struct run cases[] = {
	/* count alone counts rows; count:F and the value ops skip NULL */
	{ "k", "count count:v sum:v min:v max:v mean:v median:v distinct:v first:v last:v",
	    0, 0, 0, 0, 0, 2,
	    "k\tv\na\t3\nb\t\\N\na\t\\N\na\t-1.5\na\t3\n",
	    "k\tcount\tcount_v\tsum_v\tmin_v\tmax_v\tmean_v\tmedian_v\tdistinct_v\t"
	    "first_v\tlast_v\n"
	    "a\t4\t3\t4.5\t-1.5\t3\t1.50\t3\t2\t3\t3\n"
	    "b\t1\t0\t\\N\t\\N\t\\N\t\\N\t\\N\t0\t\\N\t\\N\n" },
	/* exact past int64, and in 128 bits */
	{ "k", "sum:v", 0, 0, 0, 0, 0, 2,
	    "k\tv\na\t9223372036854775807\na\t9223372036854775807\na\t2\n"
	    "b\t-9223372036854775808\nb\t-9223372036854775808\n"
	    "c\t170141183460469231731687303715884105726\nc\t1\n",
	    "k\tsum_v\na\t18446744073709551616\nb\t-18446744073709551616\n"
	    "c\t170141183460469231731687303715884105727\n" },
	{ "k", "sum:v", 0, 0, 0, 0, 0, 2,
	    "k\tv\nx\t1\n雁塔区\t170141183460469231731687303715884105727\n雁塔区\t1\n",
	    "error: t.tsv:4: group (雁塔区): sum_v does not fit in 128 bits" },
	{ NULL, "mean:v", 0, 0, 0, 0, 0, 2,
	    "k\tv\nx\t-170141183460469231731687303715884105727\nx\t-1\n",
	    "error: t.tsv:3: mean_v does not fit in 128 bits" },
	/* decimals exactly, scales mixed */
	{ "k", "sum:v min:v max:v", 0, 0, 0, 0, 0, 2,
	    "k\tv\na\t0.1\na\t0.2\na\t-0.30\nb\t12.5\nb\t12.50\nb\t+1\nb\t0.000000000000000000000000000001\n",
	    "k\tsum_v\tmin_v\tmax_v\na\t0\t-0.3\t0.2\n"
	    "b\t26.000000000000000000000000000001\t0.000000000000000000000000000001\t12.5\n" },
	/* mean: half-even at the scale */
	{ "k", "mean:v", 0, 0, 0, 0, 0, 0,
	    "k\tv\na\t1\na\t2\nb\t2\nb\t3\nc\t-2\nc\t-3\nd\t5\nd\t6\ne\t1\ne\t2\ne\t2\n",
	    "k\tmean_v\na\t2\nb\t2\nc\t-2\nd\t6\ne\t2\n" },
	{ "k", "mean:v", 0, 0, 0, 0, 0, 3,
	    "k\tv\na\t1\na\t0\na\t1\nb\t0.0005\nb\t0\nc\t7\n",
	    "k\tmean_v\na\t0.667\nb\t0.000\nc\t7.000\n" },
	/* median: the middle, or the exact mean of the two middle ones */
	{ "k", "median:v", 0, 0, 0, 0, 0, 2,
	    "k\tv\na\t4\na\t1\na\t3\na\t2\nb\t2\nb\t1.5\nc\t-1\nd\t10\nd\t-10\nd\t3\n",
	    "k\tmedian_v\na\t2.5\nb\t1.75\nc\t-1\nd\t3\n" },
	/* distinct compares bytes; first and last skip NULL */
	{ "k", "distinct:v first:v last:v", 0, 0, 0, 0, 0, 2,
	    "k\tv\na\t1\na\t1.0\na\t\\N\na\t1\na\t\nb\t\\N\n",
	    "k\tdistinct_v\tfirst_v\tlast_v\na\t3\t1\t\nb\t0\t\\N\t\\N\n" },
	/* keys: NULL is a value; order first seen, or bytewise with NULL first */
	{ "k,j", "count", 0, 0, 0, 0, 0, 2,
	    "k\tj\nab\tx\na\tx\n\\N\tx\n\tx\na\t\\N\nab\tx\n\\\\N\tx\n",
	    "k\tj\tcount\nab\tx\t2\na\tx\t1\n\\N\tx\t1\n\tx\t1\na\t\\N\t1\n\\\\N\tx\t1\n" },
	{ "k,j", "count", 0, 0, 0, 1, 0, 2,
	    "k\tj\nab\tx\na\tx\n\\N\tx\n\tx\na\t\\N\nab\tx\n\\\\N\tx\n",
	    "k\tj\tcount\n\\N\tx\t1\n\tx\t1\n\\\\N\tx\t1\na\t\\N\t1\na\tx\t1\nab\tx\t2\n" },
	/* no key: one group, also of no rows */
	{ NULL, "count sum:v", 0, 0, 0, 0, 0, 2, "k\tv\n", "count\tsum_v\n0\t\\N\n" },
	{ "k", "count", 0, 0, 0, 0, 0, 2, "k\tv\n", "k\tcount\n" },
	/* bad rows */
	{ "k", "sum:v max:v count:w", 0, 0, 0, 0, 0, 2,
	    "k\tv\tw\na\t1\tx\na\t12万\tx\n",
	    "bad 3: field v: not a number: \"12万\"" },
	{ "k", "sum:v mean:w", 0, 0, 0, 0, 0, 2,
	    "k\tv\tw\na\t1e5\t1234567890123456789012345678901234567890\n",
	    "bad 2: field v: not a number: \"1e5\"; field w: out of range: "
	    "\"1234567890123456789012345678901234567890\"" },
	{ "k", "count", 0, 0, 0, 0, 0, 2, "k\tv\na\n", "bad 2: row has 1 field, header has 2" },
	/* sorted: groups as they end, a key that comes back is a new group */
	{ "k", "count sum:v median:v distinct:v last:v", 1, 0, 0, 0, 0, 2,
	    "k\tv\na\t1\na\t2\nb\t5\na\t3\n",
	    "k\tcount\tsum_v\tmedian_v\tdistinct_v\tlast_v\n"
	    "a\t2\t3\t1.5\t2\t2\nb\t1\t5\t5\t1\t5\na\t1\t3\t3\t1\t3\n" },
	{ NULL, "count", 1, 0, 0, 0, 0, 2, "k\tv\n", "count\n0\n" },
	/* pivot: one column per value; no group there, NULL */
	{ "地区,指标", "sum:数值", 0, 0, 0, 0, 1, 2,
	    "地区\t指标\t数值\n雁塔\t低保\t3\n碑林\t救助\t5\n雁塔\t救助\t1\n雁塔\t低保\t4\n",
	    "地区\t低保\t救助\n雁塔\t7\t1\n碑林\t\\N\t5\n" },
	{ "地区,指标", "sum:数值 count", 0, 0, 0, 1, 1, 2,
	    "地区\t指标\t数值\n雁塔\t低保\t3\n碑林\t救助\t5\n雁塔\t救助\t1\n雁塔\t\\N\t4\n",
	    "地区\t\\\\N_sum_数值\t\\\\N_count\t低保_sum_数值\t低保_count\t救助_sum_数值\t救助_count\n"
	    "碑林\t\\N\t\\N\t\\N\t\\N\t5\t1\n雁塔\t4\t1\t3\t1\t1\t1\n" },
	/* partial: the states */
	{ "k", "count count:v sum:v min:v mean:v median:v distinct:v first:v", 0, 0, 1, 0, 0, 2,
	    "k\tv\na\t3\na\t\\N\na\t1.5\nb\t\\N\n",
	    "k\tcount\tcount_v\tsum_v\tmin_v\tmean_v:sum\tmean_v:count\t"
	    "median_v:list\tdistinct_v:list\tfirst_v\n"
	    "a\t3\t2\t4.5\t1.5\t4.5\t2\t1.5 3\t1:3 3:1.5\t3\n"
	    "b\t1\t0\t\\N\t\\N\t\\N\t0\t\t\t\\N\n" },
	{ "k", "count:v sum:v min:v mean:v median:v distinct:v", 0, 0, 1, 0, 0, 2,
	    "k\tv\na\t3\na\t\\N\na\t1.5\na\t3\n",
	    "k\tcount_v\tsum_v\tmin_v\tmean_v:sum\tmean_v:count\tmedian_v:list\t"
	    "distinct_v:list\na\t3\t7.5\t1.5\t7.5\t3\t1.5 3 3\t1:3 3:1.5\n" },
	/* merge: partial states combined */
	{ "k", "count sum:v mean:v median:v distinct:v first:v last:v", 0, 1, 0, 0, 0, 2,
	    "k\tcount\tsum_v\tmean_v:sum\tmean_v:count\tmedian_v:list\tdistinct_v:list\t"
	    "first_v\tlast_v\n"
	    "a\t2\t3\t3\t2\t1 2\t1:1 1:2\t1\t2\n"
	    "b\t1\t\\N\t\\N\t0\t\t\t\\N\t\\N\n"
	    "a\t3\t-1.5\t-1.5\t2\t-1 -0.5\t4:-0.5 1:1 0:\t\\N\tz\n",
	    "k\tcount\tsum_v\tmean_v\tmedian_v\tdistinct_v\tfirst_v\tlast_v\n"
	    "a\t5\t1.5\t0.38\t0.25\t4\t1\tz\nb\t1\t\\N\t\\N\t\\N\t0\t\\N\t\\N\n" },
	{ "k", "count sum:v", 0, 1, 0, 0, 0, 2,
	    "k\tcount\tsum_v\na\t18446744073709551615\t1\na\t1\t1\n",
	    "error: t.tsv:3: group (a): count does not fit in 64 bits" },
	{ "k", "count", 0, 1, 0, 0, 0, 2, "k\tcount\na\t-1\n",
	    "bad 2: field count: not a count: \"-1\"" },
	{ "k", "mean:v", 0, 1, 0, 0, 0, 2, "k\tmean_v:sum\tmean_v:count\na\t\\N\t3\n",
	    "bad 2: field mean_v:sum: \"\\N\" with a count of 3" },
	{ "k", "median:v", 0, 1, 0, 0, 0, 2, "k\tmedian_v:list\na\t1  2\n",
	    "bad 2: field median_v:list: not a list of numbers: \"1  2\"" },
	{ "k", "distinct:v", 0, 1, 0, 0, 0, 2, "k\tdistinct_v:list\na\t3:ab\n",
	    "bad 2: field distinct_v:list: not a list of LENGTH:TEXT: \"3:ab\"" },
	{ "k", "distinct:v", 0, 1, 0, 0, 0, 2, "k\tdistinct_v:list\na\t1:a \n",
	    "bad 2: field distinct_v:list: not a list of LENGTH:TEXT: \"1:a \"" },
	{ "k", "sum:v", 0, 1, 0, 0, 0, 2, "k\tmax_v\n",
	    "error: not a header of wy-agg --partial with these options: column 2 is "
	    "\"max_v\", not a state of sum:v" },
	{ "k", "count", 0, 1, 0, 0, 0, 2, "k\tcount_v\n",
	    "error: not a header of wy-agg --partial with these options: column 2 is "
	    "\"count_v\", not a state of count" },
	{ "k", "mean:v", 0, 1, 0, 0, 0, 2, "k\tmean_v:sum\tmean_w:count\n",
	    "error: not a header of wy-agg --partial with these options: column 3 is "
	    "\"mean_w:count\", not a state of mean:v" },
	{ "k", "mean:v", 0, 1, 0, 0, 0, 2, "k\tmean_v:sum\n",
	    "error: not a header of wy-agg --partial with these options: it has 2 "
	    "columns, not 3" },
};

static void
test_cases(void)
{
	char out[OUTMAX];

	for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
		run(&cases[i], out, sizeof out);
		CHECK(strcmp(out, cases[i].want) == 0, "case %zu (%s):\n got: %s\nwant: %s",
		    i, cases[i].ops, out, cases[i].want);
	}
}

/* The header of --partial made from the options, and agg_init takes it. */
static void
test_partial_header(void)
{
	static const char *const args[] = { "count", "sum:数值", "mean:数值",
		"median:x", "first:3" };
	struct agg_op ops[5];
	struct agg_conf c = { 0 };
	struct rec hdr;
	struct wy_err e;
	struct agg a;
	char got[512];
	size_t n = 0;

	for (size_t i = 0; i < 5; i++)
		agg_parse_op(args[i], &ops[i], &e);
	CHECK(agg_partial_header(ops, 5, "地区", "年份", &hdr, &e) == 0, "%s", e.msg);
	for (size_t i = 0; i < hdr.nf; i++)
		n += snprintf(got + n, sizeof got - n, "%s%.*s", i ? " " : "",
		    (int)hdr.f[i].len, hdr.f[i].p);
	CHECK_STR(got, "地区 年份 count sum_数值 mean_数值:sum mean_数值:count "
	    "median_x:list first_3");
	c.nkeys = 2;
	c.merge = 1;
	CHECK(agg_init(&a, ops, 5, &c, &hdr, &e) == 0, "%s", e.msg);
	CHECK_STR(ops[2].name, "mean_数值");
	agg_free(&a);
	for (size_t i = 0; i < hdr.nf; i++)
		free((char *)hdr.f[i].p);
	rec_free(&hdr);
}

/* Splits aggregated with partial and merged give the single run's output. */
static void
test_split_merge(void)
{
	static const char *const ops = "count count:v sum:v min:v max:v mean:v "
	    "median:v distinct:v first:v last:v";
	char in[4096], part[OUTMAX], all[OUTMAX], merged[OUTMAX], want[OUTMAX];
	struct run r = { "k", ops, 0, 0, 0, 0, 0, 2, NULL, NULL };
	size_t n = 0, plen = 0;
	unsigned x = 7;

	n += snprintf(in + n, sizeof in - n, "k\tv\n");
	for (int i = 0; i < 120; i++) {
		x = (x * 1103515245u + 12345u) & 0x7fffffffu;
		if (x % 9 == 0)
			n += snprintf(in + n, sizeof in - n, "g%u\t\\N\n", x % 5);
		else
			n += snprintf(in + n, sizeof in - n, "g%u\t%d.%u\n", x % 5,
			    (int)(x % 1000) - 500, x % 7);
	}
	r.in = in;
	run(&r, want, sizeof want);
	/* three splits, cut at line starts; the first keeps the header */
	{
		const char *cut[4] = { in, NULL, NULL, in + n };
		char chunk[4096];

		cut[1] = strchr(in + n / 3, '\n') + 1;
		cut[2] = strchr(in + 2 * n / 3, '\n') + 1;
		for (int s = 0; s < 3; s++) {
			snprintf(chunk, sizeof chunk, "%s%.*s", s > 0 ? "k\tv\n" : "",
			    (int)(cut[s + 1] - cut[s]), cut[s]);
			r.in = chunk;
			r.partial = 1;
			run(&r, part, sizeof part);
			/* one header for the merge: the first split's */
			plen += snprintf(all + plen, sizeof all - plen, "%s",
			    s == 0 ? part : strchr(part, '\n') + 1);
		}
	}
	r.in = all;
	r.partial = 0;
	r.merge = 1;
	run(&r, merged, sizeof merged);
	CHECK(strcmp(merged, want) == 0, "split and merged:\n%s\nsingle run:\n%s",
	    merged, want);
}

int
main(void)
{
	test_parse_op();
	test_hash();
	test_cases();
	test_partial_header();
	test_split_merge();
	return t_done("agg");
}
