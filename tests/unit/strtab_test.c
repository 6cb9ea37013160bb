/*
 * strtab_test: strings added in order and read back at random give what
 * was added, whether they stay in memory or spill to the temporary files
 * at once, part way, or past the write buffers' flush points.
 */
#include <stdlib.h>

#include "strtab.h"
#include "t.h"

/* String i: a length from 0 to 299, bytes that depend on i. */
static size_t
make(size_t i, char *buf)
{
	size_t n = (i * 7919) % 300;

	for (size_t k = 0; k < n; k++)
		buf[k] = (char)('a' + (i + k) % 26);
	return n;
}

static void
run(size_t count, size_t memmax, const char *what)
{
	struct strtab t;
	struct wy_err e;
	char want[300];
	const char *p;
	size_t n, bad = 0;
	int spilled = 0, err = 0;

	strtab_init(&t, memmax);
	for (size_t i = 0; i < count; i++) {
		size_t len = make(i, want), half = len / 2;
		char *b;

		/* in two pieces, the first with a byte too many, cut back */
		err |= strtab_add(&t, want, half, &e) < 0;
		err |= strtab_add(&t, want + half, len - half, &e) < 0;
		err |= strtab_add(&t, "!", 1, &e) < 0;
		b = strtab_building(&t, &n);
		err |= n != len + 1 || memcmp(b, want, len) != 0;
		strtab_cut(&t, len);
		err |= strtab_end(&t, &e) < 0;
	}
	CHECK(!err && t.n == count, "%s: adding", what);
	for (size_t k = 0; k < count; k++) {
		size_t i = (k * 104729) % count, len = make(i, want);

		if (strtab_get(&t, i, &p, &n, &spilled, &e) < 0 || n != len ||
		    memcmp(p, want, len) != 0)
			bad++;
	}
	CHECK(bad == 0, "%s: %zu of %zu strings differ", what, bad, count);
	CHECK(spilled == (memmax < count * 160), "%s: spilled %d", what, spilled);
	strtab_free(&t);
}

int
main(void)
{
	run(1000, 1u << 30, "in memory");
	run(1000, 1, "spilled at once");
	run(1000, 50000, "spilled part way");
	run(200000, 100000, "past the flush points");
	return t_done("strtab");
}
