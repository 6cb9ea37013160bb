#include <stdio.h>
#include <string.h>

#include "util.h"
#include "value.h"

static const char *const names[VALUE_NTYPES] = {
	"string", "integer", "number", "boolean", "date", "datetime", "year",
	"yearmonth"
};

static const char *const nouns[VALUE_NTYPES] = {
	"a string", "an integer", "a number", "a boolean (true or false)",
	"a date", "a date and time", "a year", "a year and month"
};

int
value_type_lookup(const char *s, size_t n)
{
	for (int t = 0; t < VALUE_NTYPES; t++)
		if (strlen(names[t]) == n && memcmp(names[t], s, n) == 0)
			return t;
	return -1;
}

const char *
value_type_name(enum value_type t)
{
	return names[t];
}

const char *
value_type_noun(enum value_type t)
{
	return nouns[t];
}

long
value_utf8_len(const char *s, size_t n)
{
	const unsigned char *p = (const unsigned char *)s;
	size_t i = 0;
	long chars = 0;
	uint64_t x;

	while (i < n) {
		if (i + 8 <= n && (memcpy(&x, p + i, 8), (x & WY_HIGHS) == 0)) {
			i += 8;
			chars += 8;
			continue;
		}
		if (p[i] < 0x80) {
			i++;
			chars++;
			continue;
		}
		/* three bytes, as CJK: not overlong (E0 80..9F), not a surrogate (ED A0..) */
		if (p[i] >= 0xe0 && p[i] <= 0xef && n - i >= 3 &&
		    (p[i + 1] & 0xc0) == 0x80 && (p[i + 2] & 0xc0) == 0x80 &&
		    !(p[i] == 0xe0 && p[i + 1] < 0xa0) && !(p[i] == 0xed && p[i + 1] >= 0xa0)) {
			i += 3;
			chars++;
			continue;
		}
		size_t len = p[i] >= 0xf0 ? 4 : p[i] >= 0xe0 ? 3 : 2;
		uint32_t cp = p[i] & (0x7f >> len);
		static const uint32_t least[5] = { 0, 0, 0x80, 0x800, 0x10000 };

		if (p[i] < 0xc2 || p[i] > 0xf4 || n - i < len)
			return -1;
		for (size_t k = 1; k < len; k++) {
			if ((p[i + k] & 0xc0) != 0x80)
				return -1;
			cp = cp << 6 | (p[i + k] & 0x3f);
		}
		if (cp < least[len] || cp > 0x10ffff || (cp >= 0xd800 && cp <= 0xdfff))
			return -1;
		i += len;
		chars++;
	}
	return chars;
}

/* int64 from [+-]digits; 0, -1 not an integer, -2 beyond int64. */
static int
parse_int(const char *s, size_t n, int64_t *out)
{
	size_t i = 0;
	uint64_t m = 0;
	int neg = 0;

	if (n > 0 && (s[0] == '+' || s[0] == '-'))
		neg = s[i++] == '-';
	if (i == n)
		return -1;
	for (size_t at = i; i < n; i++) {
		unsigned c = (unsigned char)s[i] - '0';

		if (c > 9)
			return -1;
		/* 19 digits always fit 64 bits: check only past them */
		if (i - at >= 19 && (__builtin_mul_overflow(m, 10, &m) ||
		    __builtin_add_overflow(m, c, &m)))
			return -2;
		if (i - at < 19)
			m = m * 10 + c;
	}
	if (m > (uint64_t)INT64_MAX + neg)
		return -2;
	*out = neg ? -(int64_t)(m - 1) - 1 : (int64_t)m;
	return 0;
}

/*
 * A plain decimal as dec_parse reads it, without its 128-bit division per
 * digit while the digits fit int64 (up to 18): the same value, maybe with
 * trailing zeros in the fraction (12.50 stays 1250 at scale 2).
 */
static int
parse_number(const char *s, size_t n, struct dec *d)
{
	size_t i = 0, at;
	uint64_t m = 0;
	int neg = 0, digits = 0, scale = 0;

	if (n > 0 && (s[0] == '+' || s[0] == '-'))
		neg = s[i++] == '-';
	for (at = i; i < n && s[i] >= '0' && s[i] <= '9'; i++, digits++)
		m = m * 10 + (s[i] - '0');
	if (i == at)
		return DEC_ESYNTAX;
	if (i < n && s[i] == '.') {
		for (at = ++i; i < n && s[i] >= '0' && s[i] <= '9'; i++, digits++, scale++)
			m = m * 10 + (s[i] - '0');
		if (i == at)
			return DEC_ESYNTAX;
	}
	if (i != n)
		return DEC_ESYNTAX;
	if (digits > 18)
		return dec_parse(s, n, d);
	d->mant = neg ? -(dec_i128)m : (dec_i128)m;
	d->scale = scale;
	return 0;
}

int
value_dec_cmp(struct dec a, struct dec b)
{
	static const int64_t p10[19] = { 1, 10, 100, 1000, 10000, 100000, 1000000,
		10000000, 100000000, 1000000000, 10000000000, 100000000000,
		1000000000000, 10000000000000, 100000000000000, 1000000000000000,
		10000000000000000, 100000000000000000, 1000000000000000000 };
	dec_i128 big = (dec_i128)1 << 63;
	int diff = a.scale - b.scale;

	/* |mant| < 2^63 times 10^18 < 2^60 fits 128 bits: no overflow, no division */
	if (diff > 0 && diff <= 18 && b.mant < big && b.mant > -big)
		b.mant *= p10[diff];
	else if (diff < 0 && diff >= -18 && a.mant < big && a.mant > -big)
		a.mant *= p10[-diff];
	else if (diff != 0)
		return dec_cmp(a, b);
	return (a.mant > b.mant) - (a.mant < b.mant);
}

/* From lo to hi ASCII digits at s[*i], as a number; -1 if fewer than lo. */
static int
digits(const char *s, size_t n, size_t *i, int lo, int hi)
{
	int v = 0, k = 0;

	while (*i < n && k < hi && s[*i] >= '0' && s[*i] <= '9') {
		v = v * 10 + (s[(*i)++] - '0');
		k++;
	}
	return k < lo ? -1 : v;
}

/* Does s[*i..] start with the bytes of word?  If so, step over them. */
static int
skip(const char *s, size_t n, size_t *i, const char *word)
{
	size_t len = strlen(word);

	if (n - *i < len || memcmp(s + *i, word, len) != 0)
		return 0;
	*i += len;
	return 1;
}

/*
 * Read a date (nparts 3) or a year and month (nparts 2) in one of the
 * forms 2025-03-01, 2025-3-1, 2025.3.1, 2025/3/1, 2025年3月1日 into
 * ymd[0..nparts).  *iso: written as 2025-03-01 (or 2025-03).  0 or -1.
 */
static int
read_ymd(const char *s, size_t n, int nparts, int *ymd, int *iso)
{
	size_t i = 0, at;
	char sep;

	if ((ymd[0] = digits(s, n, &i, 4, 4)) < 0 || i == n)
		return -1;
	if (skip(s, n, &i, "年")) {
		if ((ymd[1] = digits(s, n, &i, 1, 2)) < 0 || !skip(s, n, &i, "月"))
			return -1;
		if (nparts == 3 && ((ymd[2] = digits(s, n, &i, 1, 2)) < 0 ||
		    !skip(s, n, &i, "日")))
			return -1;
		*iso = 0;
		return i == n ? 0 : -1;
	}
	sep = s[i++];
	if (sep != '-' && sep != '.' && sep != '/')
		return -1;
	at = i;
	if ((ymd[1] = digits(s, n, &i, 1, 2)) < 0)
		return -1;
	*iso = sep == '-' && i - at == 2;
	if (nparts == 3) {
		if (i == n || s[i++] != sep)
			return -1;
		at = i;
		if ((ymd[2] = digits(s, n, &i, 1, 2)) < 0)
			return -1;
		*iso = *iso && i - at == 2;
	}
	return i == n ? 0 : -1;
}

static int
leap(int y)
{
	return (y % 4 == 0 && y % 100 != 0) || y % 400 == 0;
}

static int
month_days(int y, int m)
{
	static const int days[12] = { 31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31 };

	return days[m - 1] + (m == 2 && leap(y));
}

/* Days since 1970-01-01 of a proleptic Gregorian date (H. Hinnant's method). */
static int64_t
days_from_civil(int64_t y, int m, int d)
{
	int64_t era;
	unsigned yoe, doy, doe;

	y -= m <= 2;
	era = (y >= 0 ? y : y - 399) / 400;
	yoe = (unsigned)(y - era * 400);
	doy = (153 * (unsigned)(m > 2 ? m - 3 : m + 9) + 2) / 5 + (unsigned)d - 1;
	doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
	return era * 146097 + (int64_t)doe - 719468;
}

static void
civil_from_days(int64_t z, int *y, int *m, int *d)
{
	int64_t era;
	unsigned doe, yoe, doy, mp;

	z += 719468;
	era = (z >= 0 ? z : z - 146096) / 146097;
	doe = (unsigned)(z - era * 146097);
	yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
	doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
	mp = (5 * doy + 2) / 153;
	*d = (int)(doy - (153 * mp + 2) / 5 + 1);
	*m = (int)(mp < 10 ? mp + 3 : mp - 9);
	*y = (int)((int64_t)yoe + era * 400 + (*m <= 2));
}

/* Is ymd[0..nparts) on the calendar?  If not, why says so. */
static int
calendar(const int *ymd, int nparts, const char *noun, char *why)
{
	if (ymd[0] == 0)
		snprintf(why, VALUE_WHYMAX, "is not %s: no year 0", noun);
	else if (ymd[1] < 1 || ymd[1] > 12)
		snprintf(why, VALUE_WHYMAX, "is not %s: no month %d", noun, ymd[1]);
	else if (nparts == 3 && ymd[2] < 1)
		snprintf(why, VALUE_WHYMAX, "is not %s: no day 0", noun);
	else if (nparts == 3 && ymd[2] > month_days(ymd[0], ymd[1]))
		snprintf(why, VALUE_WHYMAX, "is not %s: %04d-%02d has only %d days",
		    noun, ymd[0], ymd[1], month_days(ymd[0], ymd[1]));
	else
		return 0;
	return -1;
}

static int
parse_date(const char *s, size_t n, struct value *v, char *why)
{
	int ymd[3];

	if (read_ymd(s, n, 3, ymd, &v->iso) < 0) {
		snprintf(why, VALUE_WHYMAX, "is not a date");
		return -1;
	}
	if (calendar(ymd, 3, "a date", why) < 0)
		return -1;
	v->i = days_from_civil(ymd[0], ymd[1], ymd[2]);
	return 0;
}

static int
parse_yearmonth(const char *s, size_t n, struct value *v, char *why)
{
	int ym[2];

	if (read_ymd(s, n, 2, ym, &v->iso) < 0) {
		snprintf(why, VALUE_WHYMAX, "is not a year and month");
		return -1;
	}
	if (calendar(ym, 2, "a year and month", why) < 0)
		return -1;
	v->i = (int64_t)ym[0] * 12 + ym[1] - 1;
	return 0;
}

/* The time and offset of a datetime, after its date: "T08:30:00.5+08:00". */
static int
read_time(const char *s, size_t n, size_t i, struct value *v)
{
	int h, mi, sec, off = 0, oh, om, k;
	char sign;

	if (i == n || (s[i] != 'T' && s[i] != ' '))
		return -1;
	i++;
	if ((h = digits(s, n, &i, 2, 2)) < 0 || !skip(s, n, &i, ":") ||
	    (mi = digits(s, n, &i, 2, 2)) < 0 || !skip(s, n, &i, ":") ||
	    (sec = digits(s, n, &i, 2, 2)) < 0 || h > 23 || mi > 59 || sec > 59)
		return -1;
	v->ns = 0;
	if (skip(s, n, &i, ".")) {
		for (k = 0; i < n && s[i] >= '0' && s[i] <= '9' && k < 9; k++)
			v->ns = v->ns * 10 + (s[i++] - '0');
		if (k == 0)
			return -1;
		for (; k < 9; k++)
			v->ns *= 10;
	}
	v->iso = 0; /* for a datetime: an offset was written */
	if (skip(s, n, &i, "Z")) {
		v->iso = 1;
	} else if (i < n && (s[i] == '+' || s[i] == '-')) {
		sign = s[i++];
		if ((oh = digits(s, n, &i, 2, 2)) < 0 || oh > 23)
			return -1;
		skip(s, n, &i, ":");
		if ((om = digits(s, n, &i, 2, 2)) < 0 || om > 59)
			return -1;
		off = (oh * 60 + om) * 60 * (sign == '-' ? -1 : 1);
		v->iso = 1;
	}
	if (i != n)
		return -1;
	v->i += (int64_t)h * 3600 + mi * 60 + sec - off;
	return 0;
}

static int
parse_datetime(const char *s, size_t n, struct value *v, char *why)
{
	size_t i = 0;
	int ymd[3];

	snprintf(why, VALUE_WHYMAX, "is not a date and time");
	if ((ymd[0] = digits(s, n, &i, 4, 4)) < 0 || !skip(s, n, &i, "-") ||
	    (ymd[1] = digits(s, n, &i, 2, 2)) < 0 || !skip(s, n, &i, "-") ||
	    (ymd[2] = digits(s, n, &i, 2, 2)) < 0)
		return -1;
	if (calendar(ymd, 3, "a date and time", why) < 0)
		return -1;
	v->i = days_from_civil(ymd[0], ymd[1], ymd[2]) * 86400;
	if (read_time(s, n, i, v) < 0) {
		snprintf(why, VALUE_WHYMAX, "is not a date and time");
		return -1;
	}
	return 0;
}

static int
parse_boolean(const char *s, size_t n, struct value *v, char *why)
{
	static const char *const words[] = { "false", "False", "FALSE", "0",
		"true", "True", "TRUE", "1" };

	for (int k = 0; k < 8; k++)
		if (strlen(words[k]) == n && memcmp(words[k], s, n) == 0) {
			v->i = k >= 4;
			return 0;
		}
	snprintf(why, VALUE_WHYMAX, "is not a boolean (true or false)");
	return -1;
}

int
value_parse(enum value_type t, const char *s, size_t n, struct value *v,
    char *why)
{
	size_t i = 0;
	int rc;

	v->type = t;
	switch (t) {
	case VALUE_STRING:
		if ((v->i = value_utf8_len(s, n)) >= 0)
			return 0;
		snprintf(why, VALUE_WHYMAX, "is not valid UTF-8");
		return -1;
	case VALUE_INTEGER:
		if ((rc = parse_int(s, n, &v->i)) == 0)
			return 0;
		snprintf(why, VALUE_WHYMAX, "is not an integer%s",
		    rc == -2 ? ": beyond int64" : "");
		return -1;
	case VALUE_NUMBER:
		if ((rc = parse_number(s, n, &v->d)) == 0)
			return 0;
		snprintf(why, VALUE_WHYMAX, "is not a number%s",
		    rc == DEC_EOVERFLOW ? ": too many digits" : "");
		return -1;
	case VALUE_BOOLEAN:
		return parse_boolean(s, n, v, why);
	case VALUE_DATE:
		return parse_date(s, n, v, why);
	case VALUE_DATETIME:
		return parse_datetime(s, n, v, why);
	case VALUE_YEAR:
		if (n == 4 && (v->i = digits(s, n, &i, 4, 4)) > 0)
			return 0;
		snprintf(why, VALUE_WHYMAX, "is not a year");
		return -1;
	case VALUE_YEARMONTH:
		return parse_yearmonth(s, n, v, why);
	default:
		break;
	}
	snprintf(why, VALUE_WHYMAX, "has no type");
	return -1;
}

int
value_cmp(const struct value *a, const struct value *b)
{
	if (a->type == VALUE_NUMBER)
		return value_dec_cmp(a->d, b->d);
	if (a->i != b->i)
		return a->i < b->i ? -1 : 1;
	if (a->type == VALUE_DATETIME && a->ns != b->ns)
		return a->ns < b->ns ? -1 : 1;
	return 0;
}

static size_t
format_datetime(const struct value *v, char *buf)
{
	int64_t days = v->i / 86400, secs = v->i % 86400;
	int y, m, d, len;

	if (secs < 0) {
		secs += 86400;
		days--;
	}
	civil_from_days(days, &y, &m, &d);
	len = snprintf(buf, VALUE_STRMAX, "%04d-%02d-%02dT%02d:%02d:%02d", y, m,
	    d, (int)(secs / 3600), (int)(secs / 60 % 60), (int)(secs % 60));
	if (v->ns != 0) {
		len += snprintf(buf + len, VALUE_STRMAX - len, ".%09d", (int)v->ns);
		while (buf[len - 1] == '0')
			buf[--len] = '\0';
	}
	if (v->iso)
		len += snprintf(buf + len, VALUE_STRMAX - len, "Z");
	return len;
}

size_t
value_format(const struct value *v, char *buf)
{
	int y, m, d;

	switch (v->type) {
	case VALUE_NUMBER:
		return dec_format(v->d, buf);
	case VALUE_BOOLEAN:
		return snprintf(buf, VALUE_STRMAX, "%s", v->i ? "true" : "false");
	case VALUE_DATE:
		civil_from_days(v->i, &y, &m, &d);
		return snprintf(buf, VALUE_STRMAX, "%04d-%02d-%02d", y, m, d);
	case VALUE_DATETIME:
		return format_datetime(v, buf);
	case VALUE_YEAR:
		return snprintf(buf, VALUE_STRMAX, "%04d", (int)v->i);
	case VALUE_YEARMONTH:
		return snprintf(buf, VALUE_STRMAX, "%04d-%02d", (int)(v->i / 12),
		    (int)(v->i % 12) + 1);
	default:
		return snprintf(buf, VALUE_STRMAX, "%lld", (long long)v->i);
	}
}
