/* tsv: reading, writing, escapes, NULL, field selection. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <fcntl.h>
#include <unistd.h>

#include "t.h"
#include "tsv.h"

/* A file descriptor reading the given bytes. */
static int
bytes_fd(const char *s, size_t n)
{
	FILE *f = tmpfile();

	fwrite(s, 1, n, f);
	fflush(f);
	rewind(f);
	return dup(fileno(f));
}

/* Read all records of s, joined as "a|b;c|<NULL>;" for comparison. */
static void
read_all(const char *s, char *out, size_t outsz, int *rc)
{
	struct tsv_reader r;
	struct rec rec = { 0 };
	struct wy_err e;
	size_t len = 0;
	int st, fd = bytes_fd(s, strlen(s));

	tsv_open(&r, fd, "t");
	out[0] = '\0';
	while ((st = tsv_read(&r, &rec, &e)) > 0) {
		for (size_t i = 0; i < rec.nf; i++)
			len += snprintf(out + len, outsz - len, "%s%.*s", i ? "|" : "",
			    rec.f[i].p ? (int)rec.f[i].len : 6,
			    rec.f[i].p ? rec.f[i].p : "<NULL>");
		len += snprintf(out + len, outsz - len, ";");
	}
	*rc = st;
	tsv_close(&r);
	rec_free(&rec);
	close(fd);
}

static void
test_read(void)
{
	static const struct {
		const char *in, *want;
	} cases[] = {
		{ "a\tb\n1\t2\n", "a|b;1|2;" },
		{ "a\tb\r\n1\t2\r\n", "a|b;1|2;" },
		{ "a\tb\n1\t2", "a|b;1|2;" },
		{ "a\n\\N\n", "a;<NULL>;" },
		{ "a\n\\\\N\n", "a;\\N;" },
		{ "a\n\\N \n", "a;\\N ;" },
		{ "a\nx\\ty\\nz\\r\\\\\n", "a;x\ty\nz\r\\;" },
		{ "a\tb\n\t\n", "a|b;|;" },
		{ "a\n\n", "a;;" },
		{ "", "" },
		{ "x\\", "x\\;" },
		{ "雁塔区\t16.19万\n", "雁塔区|16.19万;" },
	};
	char got[256];
	int rc;

	for (size_t i = 0; i < sizeof cases / sizeof *cases; i++) {
		read_all(cases[i].in, got, sizeof got, &rc);
		CHECK(rc == 0, "case %zu: rc %d", i, rc);
		CHECK_STR(got, cases[i].want);
	}
}

/* The record of line s[0..n) by the format's rules, joined as read_all does. */
static size_t
reference(const char *s, size_t n, char *out)
{
	size_t o = 0;

	if (n > 0 && s[n - 1] == '\r')
		n--;
	for (size_t i = 0;; i++) {
		size_t j = i;

		while (j < n && s[j] != '\t')
			j++;
		if (i > 0)
			out[o++] = '|';
		if (j - i == 2 && s[i] == '\\' && s[i + 1] == 'N') {
			o += (size_t)sprintf(out + o, "<NULL>");
		} else {
			for (size_t k = i; k < j; k++) {
				char c = s[k];

				if (c == '\\' && k + 1 < j) {
					c = s[++k];
					c = c == 't' ? '\t' : c == 'n' ? '\n' :
					    c == 'r' ? '\r' :
					    c == '\\' ? '\\' : 0;
					if (c == 0) {
						out[o++] = '\\';
						c = s[k];
					}
				}
				out[o++] = c;
			}
		}
		if (j >= n)
			break;
		i = j;
	}
	out[o++] = ';';
	out[o] = '\0';
	return o;
}

/*
 * Records split the fast way (a whole line in the buffer) and the careful
 * way (a line across the buffer's end) are the same, and a record said
 * to be plain is: many random lines, over more than one buffer.
 */
static void
test_split_paths(void)
{
	static const char *const bits[] = { "a", "中", "\t", "\\", "n", "N",
		"t", "\r", "\\N", "1234567890", "\t\t" };
	size_t nbits = sizeof bits / sizeof *bits, n = 0, w = 0, cap = 1 << 21;
	char *in = malloc(cap), *want = malloc(2 * cap), *got = malloc(2 * cap);
	unsigned long x = 1;
	struct tsv_reader r;
	struct rec rec = { 0 };
	struct wy_err e;
	int fd, st, bad = 0;

	while (n < 700000) {
		size_t start = n, len = 1 + (x >> 40) % 12;

		for (size_t k = 0; k < len; k++) {
			x = x * 6364136223846793005UL + 1442695040888963407UL;
			n += (size_t)sprintf(in + n, "%s",
			    bits[(x >> 33) % nbits]);
		}
		w += reference(in + start, n - start, want + w);
		in[n++] = '\n';
	}
	fd = bytes_fd(in, n);
	tsv_open(&r, fd, "t");
	w = 0;
	while ((st = tsv_read(&r, &rec, &e)) > 0) {
		for (size_t i = 0; i < rec.nf; i++) {
			const struct fld *f = &rec.f[i];

			w += (size_t)sprintf(got + w, "%s%.*s", i ? "|" : "",
			    f->p ? (int)f->len : 6, f->p ? f->p : "<NULL>");
			if (rec.plain && (f->p == NULL ||
			    memchr(f->p, '\r', f->len) ||
			    memchr(f->p, '\\', f->len)))
				bad++;
		}
		got[w++] = ';';
	}
	got[w] = '\0';
	CHECK(st == 0 && strcmp(got, want) == 0,
	    "split paths agree with the format");
	CHECK(bad == 0, "%d plain records hold what needs escaping", bad);
	tsv_close(&r);
	rec_free(&rec);
	close(fd);
	free(in);
	free(want);
	free(got);
}

static void
test_long_record(void)
{
	size_t n = 3 << 20;
	char *s = malloc(n + 3), *got = malloc(n + 16);
	int rc;

	memset(s, 'x', n);
	memcpy(s + n, "\ny", 3);
	read_all(s, got, n + 16, &rc);
	CHECK(rc == 0 && strlen(got) == n + 3, "a 3 MiB record reads whole");
	free(s);
	free(got);
}

static void
test_write(void)
{
	struct tsv_writer w;
	struct wy_err e;
	FILE *f = tmpfile();
	char got[128] = "";
	struct fld nul = { NULL, 0 }, txt = { "\\N", 2 };

	CHECK(tsv_wopen(&w, fileno(f), "t", &e) == 0, "open");
	tsv_put(&w, "a\tb", 3);
	tsv_put(&w, "c\nd\re\\", 6);
	tsv_put_fld(&w, &nul);
	tsv_put_fld(&w, &txt);
	tsv_put_long(&w, -42);
	tsv_end(&w);
	tsv_put(&w, "", 0);
	tsv_end(&w);
	CHECK(tsv_wclose(&w, &e) == 0, "close");
	rewind(f);
	got[fread(got, 1, sizeof got - 1, f)] = '\0';
	CHECK_STR(got, "a\\tb\tc\\nd\\re\\\\\t\\N\t\\\\N\t-42\n\n");
	fclose(f);
}

static void
test_write_error(void)
{
	struct tsv_writer w;
	struct wy_err e;
	int fd = open("/dev/full", O_WRONLY);

	if (fd < 0)
		return;
	tsv_wopen(&w, fd, "full", &e);
	tsv_put(&w, "x", 1);
	tsv_end(&w);
	CHECK(tsv_wclose(&w, &e) < 0 && e.exit == WY_EXIT_IO &&
	    strstr(e.msg, "full: write error: No space left") != NULL,
	    "write error reported: %s", e.msg);
	close(fd);
}

static void
test_select(void)
{
	struct rec hdr = { 0 };
	struct wy_err e;
	size_t *sel, n;

	rec_push(&hdr, "地区", strlen("地区"), &e);
	rec_push(&hdr, "数值", strlen("数值"), &e);
	rec_push(&hdr, "3", 1, &e);
	CHECK(tsv_select(&hdr, NULL, "数值,1", &sel, &n, &e) == 0 && n == 2 &&
	    sel[0] == 1 && sel[1] == 0, "by name and index");
	free(sel);
	CHECK(tsv_select(&hdr, NULL, "3", &sel, &n, &e) == 0 && sel[0] == 2,
	    "a name that looks like an index is a name first");
	free(sel);
	CHECK(tsv_select(&hdr, NULL, "金额", &sel, &n, &e) < 0 && e.exit == WY_EXIT_USAGE,
	    "unknown name");
	CHECK_STR(e.msg, "no field 金额 in the header");
	CHECK(tsv_select(&hdr, NULL, "4", &sel, &n, &e) < 0, "index past the end");
	CHECK(tsv_select(&hdr, NULL, "0", &sel, &n, &e) < 0, "index 0");
	rec_free(&hdr);
}

int
main(void)
{
	test_read();
	test_split_paths();
	test_long_record();
	test_write();
	test_write_error();
	test_select();
	return t_done("tsv");
}
