/*
 * libFuzzer target: what lib/cell makes of a workbook's stored values and
 * number formats, both hostile (styles.xml and <v> are the file's words).
 * A number written by cell_number must read back as the same double, and
 * the sniffer and header joiner must take any bytes.
 */
#include "fuzz.h" /* first: it asks for _GNU_SOURCE */

#include <assert.h>
#include <math.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "book.h"

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	char *s = malloc(size + 1), out[CELL_MAX], text[CELL_MAX];
	double v;
	int n;

	if (s == NULL)
		return 0;
	memcpy(s, data, size);
	s[size] = '\0';
	book_sniff(s, size);
	cell_date_format(size > 0 ? data[0] : 0, s);
	v = strtod(s, NULL);
	n = cell_number(v, out);
	assert(isfinite(v) ? n > 0 && strtod(out, NULL) == v : n < 0);
	assert(n < 0 || (size_t)n == strlen(out));
	/* a number's text, read the fast way, is what its double prints as */
	if (cell_number_text(s, size, text) >= 0) {
		n = cell_number(strtod(s, NULL), out);
		assert(n >= 0 && strcmp(text, out) == 0);
	}
	for (int kind = CELL_DATE; kind <= CELL_TIME; kind++) {
		n = cell_date(v, size & 1, kind, out);
		assert(n < 0 || (n >= 8 && (size_t)n == strlen(out)));
	}
	free(s);
	return 0;
}
