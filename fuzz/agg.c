/*
 * libFuzzer target: wy-agg's partial format and its numbers.  The input
 * is read twice, as the rows under two headers:
 *
 *   k v t                          data: the numbers of v, the texts of t
 *   k count sum_v ... first_t      the states of --partial, for --merge
 *
 * Either way every row is added or told bad, and what comes out must
 * hold together: the states written by --partial (after --merge too)
 * merged again give the very result of the run itself, so that splits
 * aggregated apart merge into the single run's result.
 */
#include "fuzz.h" /* first: it asks for _GNU_SOURCE */

#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <unistd.h>

#include "agg.h"

static const char data_header[] = "k\tv\tt\n";
static const char *const data_ops[] = { "count", "count:v", "sum:v", "min:v",
	"max:v", "mean:v", "median:v", "distinct:t", "first:t", "last:t" };
static const char state_header[] = "k\tcount\tcount_v\tsum_v\tmin_v\tmax_v\t"
    "mean_v:sum\tmean_v:count\tmedian_v:list\tdistinct_t:list\tfirst_t\tlast_t\n";

#define NOPS (sizeof data_ops / sizeof data_ops[0])

/* Run one aggregation of in's rows into out; 0, or -1 on a fatal error. */
static int
aggregate(int in, int out, int merge, int partial)
{
	struct agg_op ops[NOPS];
	struct agg_conf c = { 0 };
	struct tsv_reader r;
	struct tsv_writer w;
	struct rec hdr = { 0 }, row = { 0 };
	struct wy_err e;
	struct agg a;
	size_t key = 0;
	uint32_t *ids = NULL;
	char why[WY_ERRMAX];
	int st;

	for (size_t i = 0; i < NOPS; i++) {
		CHECK(agg_parse_op(data_ops[i], &ops[i], &e) == 0);
		ops[i].col = ops[i].field == NULL ? AGG_NOCOL : ops[i].field[0] == 'v' ? 1 : 2;
	}
	c.keycols = &key;
	c.nkeys = 1;
	c.merge = merge;
	c.partial = partial;
	c.scale = 2;
	tsv_open(&r, in, "in");
	CHECK(tsv_wopen(&w, out, "out", &e) == 0);
	CHECK(tsv_read(&r, &hdr, &e) == 1);
	CHECK(agg_init(&a, ops, NOPS, &c, &hdr, &e) == 0);
	agg_put_header(&a, &w);
	tsv_end(&w);
	while ((st = tsv_read(&r, &row, &e)) > 0) {
		st = agg_add(&a, &row, "in", why, sizeof why, &e);
		CHECK(st == 0 || (st == 1 && why[0] != '\0') || (st < 0 && e.msg[0]));
		if (st < 0)
			break;
	}
	if (st == 0 && (st = agg_finish(&a, &e)) == 0 && (st = agg_order(&a, 1, &ids, &e)) == 0)
		for (size_t i = 0; i < agg_ngroups(&a) && st == 0; i++) {
			st = agg_put_group(&a, ids[i], &w, &e);
			tsv_end(&w);
		}
	CHECK(tsv_wclose(&w, &e) == 0);
	free(ids);
	agg_free(&a);
	tsv_close(&r);
	rec_free(&hdr);
	rec_free(&row);
	return st;
}

/* The bytes of fd. */
static char *
slurp(int fd, size_t *n)
{
	off_t len = lseek(fd, 0, SEEK_END);
	char *p = malloc(len + 1);

	CHECK(p != NULL && pread(fd, p, len, 0) == len);
	*n = (size_t)len;
	return p;
}

/*
 * in aggregated (merge: as states) to a result, and to states merged
 * again: the two results must be the same bytes.
 */
static void
check(const char *head, const uint8_t *data, size_t size, int merge)
{
	int in = fuzz_fd("in", head, data, size), direct = memfd_create("d", 0);
	int states = memfd_create("s", 0), merged = memfd_create("m", 0);
	size_t n1, n2;
	char *a, *b;

	CHECK(direct >= 0 && states >= 0 && merged >= 0);
	if (aggregate(in, direct, merge, 0) == 0) {
		lseek(in, 0, SEEK_SET);
		CHECK(aggregate(in, states, merge, 1) == 0);
		lseek(states, 0, SEEK_SET);
		CHECK(aggregate(states, merged, 1, 0) == 0);
		a = slurp(direct, &n1);
		b = slurp(merged, &n2);
		CHECK(n1 == n2 && memcmp(a, b, n1) == 0);
		free(a);
		free(b);
	}
	close(in);
	close(direct);
	close(states);
	close(merged);
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	check(data_header, data, size, 0);
	check(state_header, data, size, 1);
	return 0;
}
