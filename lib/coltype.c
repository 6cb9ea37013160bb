#include <stdio.h>
#include <string.h>

#include "coltype.h"

static const struct {
	const char *name;
	enum coltype type;
} names[] = {
	{ "", COLTYPE_TEXT },
	{ "string", COLTYPE_TEXT },
	{ "integer", COLTYPE_INT64 },
	{ "number", COLTYPE_NUMBER },
	{ "boolean", COLTYPE_BOOLEAN },
	{ "date", COLTYPE_DATE },
	{ "datetime", COLTYPE_DATETIME },
	{ "year", COLTYPE_YEAR },
	{ "yearmonth", COLTYPE_YEARMONTH },
};

int
coltype_lookup(const char *s, size_t n, enum coltype *t)
{
	for (size_t i = 0; i < sizeof names / sizeof names[0]; i++)
		if (strlen(names[i].name) == n && memcmp(names[i].name, s, n) == 0) {
			*t = names[i].type;
			return 0;
		}
	return -1;
}

static int
isdigit_(int c)
{
	return c >= '0' && c <= '9';
}

/* The number made of the n digits at s (n small enough not to overflow). */
static int
digits(const char *s, size_t n)
{
	int v = 0;

	for (size_t i = 0; i < n; i++) {
		if (!isdigit_(s[i]))
			return -1;
		v = v * 10 + (s[i] - '0');
	}
	return v;
}

/*
 * A decimal [+-]digits[.digits] (a + only with allow_plus): returns 0 and
 * fills v, or -1.  One pass, as it runs for every numeric cell.
 */
struct num {
	int isint;  /* no fraction, and within int64 */
	int64_t iv; /* the value then */
	unsigned ndig; /* significant digits */
	size_t intlen; /* digits before the point */
};

static int
read_number(const char *s, size_t n, int allow_plus, struct num *v)
{
	size_t i = 0, start;
	uint64_t mag = 0;
	int neg = 0, overflow, frac = 0;
	unsigned sig = 0, zeros = 0; /* zeros: of the fraction, not yet known to count */

	if (i < n && (s[i] == '-' || (allow_plus && s[i] == '+')))
		neg = s[i++] == '-';
	for (start = i; i < n && isdigit_(s[i]); i++) {
		unsigned d = s[i] - '0';

		mag = mag * 10 + d; /* exact up to 19 digits, which fit 64 bits */
		sig += sig > 0 || d != 0;
	}
	if ((v->intlen = i - start) == 0)
		return -1;
	overflow = sig > 19;
	if (i < n) {
		if (s[i] != '.' || ++i == n)
			return -1;
		frac = 1;
		for (; i < n; i++) {
			if (!isdigit_(s[i]))
				return -1;
			if (s[i] == '0') {
				zeros += sig > 0;
			} else {
				sig += zeros + 1;
				zeros = 0;
			}
		}
	}
	v->ndig = sig;
	v->isint = !frac && !overflow && mag <= (uint64_t)INT64_MAX + neg;
	v->iv = v->isint ? (neg ? (int64_t)(0 - mag) : (int64_t)mag) : 0;
	return 0;
}

static int
leap(int y)
{
	return (y % 4 == 0 && y % 100 != 0) || y % 400 == 0;
}

/* YYYY-MM-DD, a real date from year 1 on. */
static int
is_date(const char *s, size_t n)
{
	static const int mdays[] = { 31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31 };
	int y, m, d;

	if (n != 10 || s[4] != '-' || s[7] != '-')
		return 0;
	if ((y = digits(s, 4)) < 1 || (m = digits(s + 5, 2)) < 1 || m > 12 ||
	    (d = digits(s + 8, 2)) < 1)
		return 0;
	return d <= mdays[m - 1] + (m == 2 && leap(y));
}

/* hh:mm:ss[.ffffff][Z] after a date and T or space. */
static const char *
time_why(const char *s, size_t n)
{
	size_t i = 8;
	int h, m, sec;

	if (n > 0 && s[n - 1] == 'Z')
		n--;
	if (n < 8 || s[2] != ':' || s[5] != ':' || (h = digits(s, 2)) < 0 ||
	    (m = digits(s + 3, 2)) < 0 || (sec = digits(s + 6, 2)) < 0)
		return "is not a date and time";
	if (h > 23 || m > 59 || sec > 59)
		return "is not a date and time: no such time";
	if (i < n && s[i++] != '.')
		return "is not a date and time";
	if (i == n && n > 8)
		return "is not a date and time";
	if (n - i > 6)
		return "has more than 6 digits after the second";
	for (; i < n; i++)
		if (!isdigit_(s[i]))
			return "is not a date and time";
	return NULL;
}

static int
check_int(enum coltype t, const char *s, size_t n, int64_t *iv, int *isint,
    char *why)
{
	static const int64_t lim[] = { [COLTYPE_INT16] = INT16_MAX,
		[COLTYPE_INT32] = INT32_MAX, [COLTYPE_INT64] = INT64_MAX };
	static const char *const bits[] = { [COLTYPE_INT16] = "16",
		[COLTYPE_INT32] = "32", [COLTYPE_INT64] = "64" };
	struct num v;

	if (read_number(s, n, 1, &v) < 0 || v.intlen != n - (s[0] == '-' || s[0] == '+')) {
		snprintf(why, COLTYPE_WHYMAX, "is not an integer");
		return -1;
	}
	if (!v.isint || v.iv > lim[t] || v.iv < -lim[t] - 1) {
		snprintf(why, COLTYPE_WHYMAX, "is beyond int%s", bits[t]);
		return -1;
	}
	*iv = v.iv;
	*isint = 1;
	return 0;
}

static int
check_number(enum coltype t, const char *s, size_t n, int64_t *iv, int *isint,
    char *why)
{
	struct num v;

	if (read_number(s, n, 1, &v) < 0) {
		snprintf(why, COLTYPE_WHYMAX, "is not a number");
		return -1;
	}
	if (t == COLTYPE_NUMBER15 && !v.isint && v.ndig > COLTYPE_DOUBLE_DIGITS) {
		snprintf(why, COLTYPE_WHYMAX,
		    "has more than %d digits: SQLite would round it",
		    COLTYPE_DOUBLE_DIGITS);
		return -1;
	}
	*iv = v.iv;
	*isint = v.isint;
	return 0;
}

static int
check_boolean(const char *s, size_t n, int64_t *iv, char *why)
{
	static const char *const words[] = { "false", "False", "FALSE", "0",
		"true", "True", "TRUE", "1" };

	for (int i = 0; i < 8; i++)
		if (strlen(words[i]) == n && memcmp(words[i], s, n) == 0) {
			*iv = i >= 4;
			return 0;
		}
	snprintf(why, COLTYPE_WHYMAX, "is not a boolean (true, false, 1, 0)");
	return -1;
}

static const char *
date_why(enum coltype t, const char *s, size_t n, int64_t *iv)
{
	int v;

	switch (t) {
	case COLTYPE_DATE:
		return is_date(s, n) ? NULL : "is not a date (2025-03-01)";
	case COLTYPE_DATETIME:
		if (n < 19 || !is_date(s, 10) || (s[10] != 'T' && s[10] != ' '))
			return "is not a date and time (2025-03-01T08:30:00)";
		return time_why(s + 11, n - 11);
	case COLTYPE_YEAR:
		if (n != 4 || (v = digits(s, 4)) < 0)
			return "is not a year (2025)";
		*iv = v;
		return NULL;
	default: /* COLTYPE_YEARMONTH */
		if (n != 7 || s[4] != '-' || digits(s, 4) < 1 ||
		    (v = digits(s + 5, 2)) < 1 || v > 12)
			return "is not a year and month (2025-03)";
		return NULL;
	}
}

int
coltype_check(enum coltype t, const char *s, size_t n, int64_t *iv,
    int *isint, char *why)
{
	const char *reason;

	*isint = 0;
	switch (t) {
	case COLTYPE_TEXT:
		return 0;
	case COLTYPE_INT16:
	case COLTYPE_INT32:
	case COLTYPE_INT64:
		return check_int(t, s, n, iv, isint, why);
	case COLTYPE_NUMBER:
	case COLTYPE_NUMBER15:
		return check_number(t, s, n, iv, isint, why);
	case COLTYPE_BOOLEAN:
		*isint = 1;
		return check_boolean(s, n, iv, why);
	default:
		if ((reason = date_why(t, s, n, iv)) == NULL) {
			*isint = t == COLTYPE_YEAR;
			return 0;
		}
		snprintf(why, COLTYPE_WHYMAX, "%s", reason);
		return -1;
	}
}

enum coltype_class
coltype_classify(const char *s, size_t n, unsigned *ndigits)
{
	struct num v;
	size_t lead = n > 0 && s[0] == '-';

	if (n == 10 && is_date(s, n))
		return COLTYPE_C_DATE;
	if (read_number(s, n, 0, &v) < 0 || (v.intlen > 1 && s[lead] == '0'))
		return COLTYPE_C_TEXT;
	if (ndigits != NULL)
		*ndigits = v.ndig;
	if (v.intlen + lead < n)
		return COLTYPE_C_DECIMAL;
	return v.isint ? COLTYPE_C_INT : COLTYPE_C_BIGINT;
}

void
coltype_see(struct coltype_guess *g, const char *s, size_t n)
{
	unsigned nd = 0;

	if (s == NULL || n == 0)
		return;
	g->seen = 1;
	switch (coltype_classify(s, n, &nd)) {
	case COLTYPE_C_INT:
		g->notdate = 1;
		break;
	case COLTYPE_C_BIGINT:
		g->notdate = g->big = 1;
		break;
	case COLTYPE_C_DECIMAL:
		g->notdate = g->notint = 1;
		g->long15 |= nd > COLTYPE_DOUBLE_DIGITS;
		break;
	case COLTYPE_C_DATE:
		g->notint = g->notnum = 1;
		break;
	default:
		g->notint = g->notnum = g->notdate = 1;
	}
}

enum coltype
coltype_guessed(const struct coltype_guess *g, int double_only)
{
	if (!g->seen)
		return COLTYPE_TEXT;
	if (!g->notdate)
		return COLTYPE_DATE;
	if (g->notnum)
		return COLTYPE_TEXT;
	if (double_only)
		return g->big || g->long15 ? COLTYPE_TEXT :
		    g->notint ? COLTYPE_NUMBER15 : COLTYPE_INT64;
	return g->big || g->notint ? COLTYPE_NUMBER : COLTYPE_INT64;
}
