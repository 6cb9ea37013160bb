/*
 * cell: how a workbook's stored numbers and dates read as text.
 *
 * A double is printed as the shortest decimal that reads back as it:
 * glibc's printf and strtod are exact, so trying 1..17 significant digits
 * finds it.  This is the one place in wanyi where a double is met, and it
 * is only ever turned back into the decimal text it was typed as.
 */
#include <float.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "book.h"

/* Write digits d[0..nd) scaled by 10^exp10 (d[0] is the units digit). */
static int
plain_decimal(int neg, const char *d, int nd, int exp10, char *out)
{
	char *o = out;

	if (neg)
		*o++ = '-';
	if (exp10 >= nd - 1) {
		memcpy(o, d, nd);
		o += nd;
		for (int i = 0; i < exp10 - (nd - 1); i++)
			*o++ = '0';
	} else if (exp10 >= 0) {
		memcpy(o, d, exp10 + 1);
		o += exp10 + 1;
		*o++ = '.';
		memcpy(o, d + exp10 + 1, nd - exp10 - 1);
		o += nd - exp10 - 1;
	} else {
		*o++ = '0';
		*o++ = '.';
		for (int i = 0; i < -exp10 - 1; i++)
			*o++ = '0';
		memcpy(o, d, nd);
		o += nd;
	}
	*o = '\0';
	return o - out;
}

int
cell_number(double v, char *out)
{
	char buf[40], digits[20], *ep;
	int nd = 0;

	if (!isfinite(v))
		return -1;
	if (v == 0) {
		strcpy(out, "0");
		return 1;
	}
	/*
	 * A number's shortest decimal of up to 15 digits is also its 15-digit
	 * rounding less trailing zeros (no two 15-digit decimals read as one
	 * double), so the search starts there; subnormals have fewer digits
	 * of precision and are searched from 1.
	 */
	for (int prec = fabs(v) >= DBL_MIN ? 15 : 1; prec <= 17; prec++) {
		snprintf(buf, sizeof buf, "%.*e", prec - 1, v);
		if (strtod(buf, NULL) == v)
			break;
	}
	/* buf is [-]d[.ddd]e±XX */
	for (const char *p = buf + (buf[0] == '-'); *p != 'e'; p++)
		if (*p != '.')
			digits[nd++] = *p;
	while (nd > 1 && digits[nd - 1] == '0')
		nd--;
	ep = strchr(buf, 'e');
	return plain_decimal(buf[0] == '-', digits, nd, atoi(ep + 1), out);
}

/*
 * A plain decimal -?[0-9]+(.[0-9]*)? of at most 15 significant digits,
 * into out as cell_number would write its double: without leading zeros,
 * trailing fraction zeros and "-" before zero.  Two such decimals never
 * read as the same double (DBL_DIG is 15), so none shorter reads back as
 * it.  Most cells are like this, and formatting a double is slow.
 * Returns the length, or -1.
 */
static int
short_decimal(const char *s, size_t n, char *out)
{
	size_t i, len = 0, sig = 0, end = n, dot;
	int neg = n > 0 && s[0] == '-';

	i = neg;
	while (i < n && s[i] == '0' && i + 1 < n && s[i + 1] != '.')
		i++; /* leading zeros */
	for (dot = i; dot < n && s[dot] != '.'; dot++)
		if (s[dot] < '0' || s[dot] > '9')
			return -1;
	if (dot == i)
		return -1; /* no integer digits */
	if (dot < n) {
		for (size_t k = dot + 1; k < n; k++)
			if (s[k] < '0' || s[k] > '9')
				return -1;
		while (end > dot + 1 && s[end - 1] == '0')
			end--;
		if (end == dot + 1)
			end = dot; /* "12." or "12.00" */
	}
	for (size_t k = i; k < end; k++)
		if (s[k] != '.' && (sig > 0 || s[k] != '0'))
			sig++;
	if (sig > 15)
		return -1;
	if (sig == 0)
		neg = 0; /* "-0" is "0" */
	if (neg)
		out[len++] = '-';
	memcpy(out + len, s + i, end - i);
	len += end - i;
	out[len] = '\0';
	return (int)len;
}

/*
 * The positional decimal s[0..n) rounded to 15 significant digits, into
 * out without trailing fraction zeros; its length, or -1 when s is not
 * positional or has no more than 15 digits.  Excel writes 17 digits
 * ("18374.150000000001") for a typed value the binary cannot hold: when
 * the 15-digit rounding reads back as the same double it is the shortest
 * decimal that does, found without printf.
 */
static int
round15(const char *s, size_t n, char *out)
{
	char d[32];
	size_t i = s[0] == '-', nd = 0, point = 0, first;
	int seen_point = 0;
	char *o = out;

	if (n > 30)
		return -1;
	for (; i < n; i++) {
		if (s[i] == '.') {
			if (seen_point)
				return -1;
			seen_point = 1;
			point = nd;
		} else if (s[i] < '0' || s[i] > '9') {
			return -1;
		} else {
			d[nd++] = s[i];
		}
	}
	if (!seen_point)
		point = nd;
	for (first = 0; first < nd && d[first] == '0'; first++)
		;
	if (nd - first <= 15)
		return -1;
	/* round half up at the 16th significant digit */
	if (d[first + 15] >= '5') {
		size_t k = first + 15;

		while (k > first && d[k - 1] == '9')
			d[--k] = '0';
		if (k == first) {
			/* 99..9 became 100..0: one digit more before the point */
			if (first == 0)
				return -1;
			d[--first] = '1';
		} else {
			d[k - 1]++;
		}
	}
	for (i = first + 15; i < nd; i++)
		d[i] = '0';
	while (nd > point && d[nd - 1] == '0')
		nd--;
	if (s[0] == '-')
		*o++ = '-';
	for (i = 0; i < point && d[i] == '0' && i + 1 < point; i++)
		;
	if (point == 0)
		*o++ = '0';
	for (; i < point; i++)
		*o++ = d[i];
	if (nd > point) {
		*o++ = '.';
		for (i = point; i < nd; i++)
			*o++ = d[i];
	}
	*o = '\0';
	return (int)(o - out);
}

int
cell_number_text(const char *s, size_t n, char *out)
{
	char buf[CELL_TEXTMAX + 1], *end;
	double v;
	int len;

	if (n == 0 || n > CELL_TEXTMAX)
		return -1;
	for (size_t i = 0; i < n; i++)
		if (s[i] == '\0' || strchr("0123456789+-.eE", s[i]) == NULL)
			return -1;
	if ((len = short_decimal(s, n, out)) >= 0)
		return len;
	memcpy(buf, s, n);
	buf[n] = '\0';
	v = strtod(buf, &end);
	if (end != buf + n || !isfinite(v))
		return -1;
	if ((len = round15(buf, n, out)) >= 0 && strtod(out, NULL) == v &&
	    strcmp(out, "-0") != 0)
		return len;
	return cell_number(v, out);
}

/* Days since 1970-01-01 to a civil date (H. Hinnant's algorithm). */
static void
civil(long long days, int *y, int *m, int *d)
{
	long long z = days + 719468, era = (z >= 0 ? z : z - 146096) / 146097;
	long long doe = z - era * 146097;
	long long yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
	long long doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
	long long mp = (5 * doy + 2) / 153;

	*d = (int)(doy - (153 * mp + 2) / 5 + 1);
	*m = (int)(mp < 10 ? mp + 3 : mp - 9);
	*y = (int)(yoe + era * 400 + (*m <= 2));
}

/* v in 0..99 as two digits at p; returns p + 2. */
static char *
two_digits(char *p, int v)
{
	p[0] = (char)('0' + v / 10);
	p[1] = (char)('0' + v % 10);
	return p + 2;
}

/* "hh:mm:ss" of a second of the day at p; returns the end. */
static char *
time_of_day(char *p, int tod)
{
	p = two_digits(p, tod / 3600);
	*p++ = ':';
	p = two_digits(p, tod / 60 % 60);
	*p++ = ':';
	return two_digits(p, tod % 60);
}

/* (Written digit by digit: printf was most of the cost of a date cell.) */
int
cell_date(double serial, int date1904, int kind, char *out)
{
	long long secs, days;
	int y, m, d, tod;
	char *p = out;

	/* 2958466 is 10000-01-01, past Excel's last date */
	if (!isfinite(serial) || serial < 0 || serial >= 2958466)
		return -1;
	secs = llround(serial * 86400.0);
	days = secs / 86400;
	tod = (int)(secs % 86400);
	if (kind == CELL_TIME && days == 0) {
		p = time_of_day(p, tod);
		*p = '\0';
		return (int)(p - out);
	}
	if (date1904) {
		civil(days + 1462 - 25569, &y, &m, &d);
	} else if (days == 60) {
		/* Lotus 1-2-3's 29 February 1900, which Excel keeps */
		y = 1900, m = 2, d = 29;
	} else {
		/* serials before that day count from 1899-12-31, later ones
		 * from 1899-12-30 (the day the bug takes back) */
		civil(days + (days < 60) - 25569, &y, &m, &d);
	}
	p = two_digits(p, y / 100);
	p = two_digits(p, y % 100);
	*p++ = '-';
	p = two_digits(p, m);
	*p++ = '-';
	p = two_digits(p, d);
	if (kind == CELL_DATETIME || kind == CELL_TIME || tod != 0) {
		*p++ = 'T';
		p = time_of_day(p, tod);
	}
	*p = '\0';
	return (int)(p - out);
}

static int
builtin_format(int id)
{
	if (id == 22)
		return CELL_DATETIME;
	if ((id >= 18 && id <= 21) || (id >= 32 && id <= 35) ||
	    (id >= 45 && id <= 47) || id == 55 || id == 56)
		return CELL_TIME;
	if ((id >= 14 && id <= 17) || (id >= 27 && id <= 31) || id == 36 ||
	    (id >= 50 && id <= 58))
		return CELL_DATE;
	return CELL_NUMBER;
}

/*
 * The date and time letters of a format's first section, in order, one
 * per run ("yyyy" is y): quoted text, escapes, [colour] brackets, AM/PM,
 * "General" and exponents (E+) are not letters of a date.
 */
static size_t
format_letters(const char *code, char *let, size_t cap)
{
	size_t n = 0;

	for (const char *p = code; *p && *p != ';' && n < cap; p++) {
		int c = *p | 0x20; /* ASCII letters to lower case */

		if (*p == '"') {
			while (p[1] && p[1] != '"')
				p++;
			p += p[1] != '\0';
		} else if (*p == '\\' || *p == '_' || *p == '*') {
			p += p[1] != '\0';
		} else if (*p == '[') {
			const char *q = strchr(p, ']');

			if (q == NULL)
				break;
			/* [h], [mm], [ss]: elapsed time */
			if (strchr("hms", p[1] | 0x20) != NULL && p[1] != '\0')
				let[n++] = 'h';
			p = q;
		} else if (strncasecmp(p, "am/pm", 5) == 0) {
			p += 4;
		} else if (strncasecmp(p, "a/p", 3) == 0) {
			p += 2;
		} else if (strncasecmp(p, "general", 7) == 0) {
			p += 6;
		} else if (c == 'e' && (p[1] == '+' || p[1] == '-')) {
			p++;
		} else if (strchr("ydehms", c) != NULL && c != 0) {
			if (n == 0 || let[n - 1] != c || p == code ||
			    (p[-1] | 0x20) != c)
				let[n++] = c;
		}
	}
	return n;
}

/*
 * A custom format shows a date if it uses the letters of dates (y, d, e,
 * or m as a month) and a time if those of times (h, s, or m as minutes:
 * an m right after h or right before s).
 */
int
cell_date_format(int id, const char *code)
{
	char let[64];
	size_t n;
	int date = 0, time = 0;

	if (code == NULL)
		return builtin_format(id);
	n = format_letters(code, let, sizeof let);
	for (size_t i = 0; i < n; i++) {
		if (let[i] == 'h' || let[i] == 's')
			time = 1;
		else if (let[i] != 'm')
			date = 1;
		else if ((i > 0 && let[i - 1] == 'h') || (i + 1 < n && let[i + 1] == 's'))
			time = 1;
		else
			date = 1;
	}
	if (date && time)
		return CELL_DATETIME;
	return date ? CELL_DATE : time ? CELL_TIME : builtin_format(id);
}
