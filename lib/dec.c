/*
 * dec: exact decimal arithmetic on a signed 128-bit mantissa.
 *
 * Magnitudes are handled as unsigned 128-bit numbers so that no signed
 * operation can overflow unchecked.  The mantissa -2^127 is never
 * produced: keeping |mant| <= DEC_MANTMAX makes negation always safe.
 */
#include <limits.h>
#include <string.h>

#include "dec.h"

typedef unsigned __int128 dec_u128;

#define U128MAX (~(dec_u128)0)
#define MANTMAX ((dec_i128)(U128MAX >> 1))
#define E19 ((dec_u128)10000000000000000000ULL)

/* 10^0 .. 10^38: 10^38 < 2^127 < 10^39. */
static const dec_u128 p10[39] = {
	1ULL, 10ULL, 100ULL, 1000ULL, 10000ULL, 100000ULL, 1000000ULL,
	10000000ULL, 100000000ULL, 1000000000ULL, 10000000000ULL,
	100000000000ULL, 1000000000000ULL, 10000000000000ULL,
	100000000000000ULL, 1000000000000000ULL, 10000000000000000ULL,
	100000000000000000ULL, 1000000000000000000ULL, E19, E19 * 10,
	E19 * 100, E19 * 1000, E19 * 10000, E19 * 100000, E19 * 1000000,
	E19 * 10000000, E19 * 100000000, E19 * 1000000000,
	E19 * 10000000000ULL, E19 * 100000000000ULL, E19 * 1000000000000ULL,
	E19 * 10000000000000ULL, E19 * 100000000000000ULL,
	E19 * 1000000000000000ULL, E19 * 10000000000000000ULL,
	E19 * 100000000000000000ULL, E19 * 1000000000000000000ULL, E19 * E19
};

static dec_u128
mag(dec_i128 m)
{
	return m < 0 ? -(dec_u128)m : (dec_u128)m;
}

/* m * 10^n into *r; 0, or DEC_EOVERFLOW. */
static int
mul10n(dec_i128 m, int n, dec_i128 *r)
{
	dec_u128 a = mag(m);

	if (m == 0 || n == 0) {
		*r = m;
		return 0;
	}
	/* Below 2^64 times at most 10^18 stays below 2^127: no division. */
	if (n < 0 || n > 38 || ((a >> 64 != 0 || n > 18) &&
	    a > (dec_u128)MANTMAX / p10[n]))
		return DEC_EOVERFLOW;
	a *= p10[n];
	*r = m < 0 ? -(dec_i128)a : (dec_i128)a;
	return 0;
}

static int
fits64(dec_i128 m)
{
	return m >= INT64_MIN && m <= INT64_MAX;
}

/* strip()'s loop, apart so that the usual call stays a few instructions. */
static struct dec __attribute__((noinline))
strip_zeros(struct dec a, int lim)
{
	int64_t m;

	/* A 128-bit remainder is a library call; most mantissas fit 64 bits. */
	if (fits64(a.mant)) {
		for (m = (int64_t)a.mant; a.scale > lim && m % 10 == 0; m /= 10)
			a.scale--;
		a.mant = m;
		return a;
	}
	while (a.scale > lim && a.mant % 10 == 0) {
		a.mant /= 10;
		a.scale--;
	}
	return a;
}

/* Drop trailing zeros of the fraction while scale > lim. */
static struct dec
strip(struct dec a, int lim)
{
	if (a.mant == 0) {
		a.scale = 0;
		return a;
	}
	return a.scale <= lim ? a : strip_zeros(a, lim);
}

static int
checked(dec_i128 m, int scale, struct dec *r)
{
	if (m < -MANTMAX || scale > DEC_MAXSCALE)
		return DEC_EOVERFLOW;
	r->mant = m;
	r->scale = scale;
	return 0;
}

int
dec_parse(const char *s, size_t n, struct dec *out)
{
	dec_u128 m = 0;
	size_t i = 0, nint = 0, nfrac = 0;
	int neg = 0, scale = 0, zeros = 0;

	if (i < n && (s[i] == '+' || s[i] == '-'))
		neg = s[i++] == '-';
	for (; i < n && s[i] >= '0' && s[i] <= '9'; i++, nint++) {
		if (m > ((dec_u128)MANTMAX - (s[i] - '0')) / 10)
			return DEC_EOVERFLOW;
		m = m * 10 + (s[i] - '0');
	}
	if (nint == 0)
		return DEC_ESYNTAX;
	if (i < n && s[i] == '.') {
		for (i++; i < n && s[i] >= '0' && s[i] <= '9'; i++, nfrac++) {
			/* Trailing zeros are kept only when a digit follows. */
			if (s[i] == '0') {
				zeros++;
				continue;
			}
			if (scale + zeros + 1 > DEC_MAXSCALE ||
			    m > ((dec_u128)MANTMAX - (s[i] - '0')) /
			    p10[zeros + 1])
				return DEC_EOVERFLOW;
			m = m * p10[zeros + 1] + (s[i] - '0');
			scale += zeros + 1;
			zeros = 0;
		}
		if (nfrac == 0)
			return DEC_ESYNTAX;
	}
	if (i != n)
		return DEC_ESYNTAX;
	out->mant = neg ? -(dec_i128)m : (dec_i128)m;
	out->scale = scale;
	return 0;
}

/* Bring a and b to one scale; on overflow try again without their trailing zeros. */
static int
align(struct dec *a, struct dec *b)
{
	if (a->scale == b->scale)
		return 0;
	for (int pass = 0; pass < 2; pass++) {
		int s = a->scale > b->scale ? a->scale : b->scale;
		dec_i128 x, y;

		if (mul10n(a->mant, s - a->scale, &x) == 0 &&
		    mul10n(b->mant, s - b->scale, &y) == 0) {
			a->mant = x;
			b->mant = y;
			a->scale = b->scale = s;
			return 0;
		}
		*a = strip(*a, 0);
		*b = strip(*b, 0);
	}
	return DEC_EOVERFLOW;
}

int
dec_add(struct dec a, struct dec b, struct dec *r)
{
	dec_i128 m;

	if (align(&a, &b) != 0 || __builtin_add_overflow(a.mant, b.mant, &m))
		return DEC_EOVERFLOW;
	return checked(m, a.scale, r);
}

int
dec_sub(struct dec a, struct dec b, struct dec *r)
{
	dec_i128 m;

	if (align(&a, &b) != 0 || __builtin_sub_overflow(a.mant, b.mant, &m))
		return DEC_EOVERFLOW;
	return checked(m, a.scale, r);
}

/* |a| * |b| with the sign, or DEC_EOVERFLOW (no library helper needed). */
static int
mul_mant(dec_i128 a, dec_i128 b, dec_i128 *r)
{
	dec_u128 x = mag(a), y = mag(b);

	if (x != 0 && y > (dec_u128)MANTMAX / x)
		return DEC_EOVERFLOW;
	x *= y;
	*r = (a < 0) != (b < 0) ? -(dec_i128)x : (dec_i128)x;
	return 0;
}

int
dec_mul(struct dec a, struct dec b, struct dec *r)
{
	dec_i128 m;
	struct dec t;

	if (mul_mant(a.mant, b.mant, &m) != 0 ||
	    a.scale + b.scale > DEC_MAXSCALE) {
		/* The same value with fewer digits may still fit. */
		a = strip(a, 0);
		b = strip(b, 0);
		if (mul_mant(a.mant, b.mant, &m) != 0)
			return DEC_EOVERFLOW;
	}
	t.mant = m;
	t.scale = a.scale + b.scale;
	t = strip(t, DEC_MAXSCALE);
	return checked(t.mant, t.scale, r);
}

int
dec_shift(struct dec a, int exp10, struct dec *r)
{
	dec_i128 m;

	if (a.mant == 0) {
		*r = a;
		return 0;
	}
	if (exp10 >= 0) {
		if (exp10 <= a.scale) {
			a.scale -= exp10;
			*r = a;
			return 0;
		}
		if (mul10n(a.mant, exp10 - a.scale, &m) != 0)
			return DEC_EOVERFLOW;
		return checked(m, 0, r);
	}
	if (exp10 < -2 * DEC_MAXSCALE - 40)
		return DEC_EOVERFLOW;
	a.scale -= exp10;
	a = strip(a, DEC_MAXSCALE);
	return checked(a.mant, a.scale, r);
}

/*
 * Round the quotient q (remainder rem of divisor d, both magnitudes) per
 * mode; dbig says d did not even fit in 128 bits (then rem < d / 2).
 */
static int
round_q(dec_u128 *q, dec_u128 rem, dec_u128 d, int dbig, int neg,
    enum dec_round mode)
{
	int up = 0, cmp;

	if (rem == 0)
		return 0;
	/* cmp: the remainder against half the divisor, without overflow. */
	cmp = dbig ? -1 : rem > d - rem ? 1 : rem < d - rem ? -1 : 0;
	switch (mode) {
	case DEC_ROUND_NONE:
		return DEC_EINEXACT;
	case DEC_ROUND_HALF_EVEN:
		up = cmp > 0 || (cmp == 0 && (*q & 1));
		break;
	case DEC_ROUND_HALF_UP:
		up = cmp >= 0;
		break;
	case DEC_ROUND_FLOOR:
		up = neg;
		break;
	case DEC_ROUND_CEIL:
		up = !neg;
		break;
	case DEC_ROUND_TRUNC:
		break;
	}
	if (up && ++*q > (dec_u128)MANTMAX)
		return DEC_EOVERFLOW;
	return 0;
}

static int
finish(dec_u128 q, int neg, int scale, struct dec *r)
{
	if (q > (dec_u128)MANTMAX)
		return DEC_EOVERFLOW;
	r->mant = neg ? -(dec_i128)q : (dec_i128)q;
	r->scale = scale;
	return 0;
}

/* Long division of n * 10^e by d, e >= 0, one digit at a time past the fast case. */
static int
div_up(dec_u128 n, dec_u128 d, int e, dec_u128 *q, dec_u128 *rem)
{
	if (e <= 38 && n <= U128MAX / p10[e]) {
		n *= p10[e];
		*q = n / d;
		*rem = n % d;
		return 0;
	}
	*q = n / d;
	*rem = n % d;
	for (; e > 0; e--) {
		if (*rem > U128MAX / 10 || *q > ((dec_u128)MANTMAX) / 10)
			return DEC_EOVERFLOW;
		*rem *= 10;
		*q = *q * 10 + *rem / d;
		*rem %= d;
	}
	return 0;
}

int
dec_div(struct dec num, struct dec den, int scale, enum dec_round mode,
    struct dec *r)
{
	dec_u128 n = mag(num.mant), d = mag(den.mant), q, rem;
	int neg = (num.mant < 0) != (den.mant < 0), e, dbig = 0, err;

	if (d == 0 || scale < 0 || scale > DEC_MAXSCALE)
		return DEC_EOVERFLOW;
	/* quotient = n * 10^e / d at the wanted scale. */
	e = scale + den.scale - num.scale;
	if (e >= 0) {
		if ((err = div_up(n, d, e, &q, &rem)) != 0)
			return err;
	} else if (-e > 38 || d > U128MAX / p10[-e]) {
		q = 0;
		rem = n;
		dbig = 1;
	} else {
		d *= p10[-e];
		q = n / d;
		rem = n % d;
	}
	if ((err = round_q(&q, rem, d, dbig, neg, mode)) != 0)
		return err;
	return finish(q, neg, scale, r);
}

int
dec_round(struct dec a, int scale, enum dec_round mode, struct dec *r)
{
	dec_u128 n = mag(a.mant), q, rem, d;
	int neg = a.mant < 0, digits, dbig = 0, err;
	dec_i128 m;

	if (scale >= a.scale) {
		*r = a;
		return 0;
	}
	/* A negative scale rounds to tens, hundreds, ... */
	if (scale < -100)
		scale = -100; /* as good as any: the result is 0 or overflows */
	digits = a.scale - scale;
	if (digits > 38) {
		q = 0;
		rem = n;
		d = 0;
		dbig = 1;
	} else if (n >> 64 == 0 && digits <= 19) {
		/* 10^19 < 2^64: a 64-bit division, not a library call. */
		d = p10[digits];
		q = (uint64_t)n / (uint64_t)d;
		rem = (uint64_t)n % (uint64_t)d;
	} else {
		d = p10[digits];
		q = n / d;
		rem = n % d;
	}
	if ((err = round_q(&q, rem, d, dbig, neg, mode)) != 0)
		return err;
	if ((err = finish(q, neg, scale > 0 ? scale : 0, r)) != 0)
		return err;
	if (scale < 0) {
		if (mul10n(r->mant, -scale, &m) != 0)
			return DEC_EOVERFLOW;
		r->mant = m;
	}
	return 0;
}

struct dec
dec_normalize(struct dec a)
{
	return strip(a, 0);
}

int
dec_cmp(struct dec a, struct dec b)
{
	dec_i128 ia, ib, fa, fb;

	if (a.scale == b.scale)
		return a.mant < b.mant ? -1 : a.mant > b.mant;
	if ((a.mant < 0) != (b.mant < 0))
		return a.mant < 0 ? -1 : 1;
	/* Same sign: compare integer parts, then fractions at one scale. */
	ia = a.mant / (dec_i128)p10[a.scale];
	ib = b.mant / (dec_i128)p10[b.scale];
	if (ia != ib)
		return ia < ib ? -1 : 1;
	fa = a.mant % (dec_i128)p10[a.scale];
	fb = b.mant % (dec_i128)p10[b.scale];
	if (a.scale < b.scale)
		fa *= (dec_i128)p10[b.scale - a.scale];
	else
		fb *= (dec_i128)p10[a.scale - b.scale];
	return fa < fb ? -1 : fa > fb;
}

int
dec_to_i64(struct dec a, int64_t *out)
{
	dec_i128 p = (dec_i128)p10[a.scale], q;

	if (a.scale == 0) {
		if (!fits64(a.mant))
			return DEC_EOVERFLOW;
		*out = (int64_t)a.mant;
		return 0;
	}
	if (a.mant % p != 0)
		return DEC_EINEXACT;
	q = a.mant / p;
	if (q > INT64_MAX || q < INT64_MIN)
		return DEC_EOVERFLOW;
	*out = (int64_t)q;
	return 0;
}

static const char digit_pairs[] =
    "00010203040506070809101112131415161718192021222324252627282930313233"
    "34353637383940414243444546474849505152535455565758596061626364656667"
    "6869707172737475767778798081828384858687888990919293949596979899";

/* The number of decimal digits of v. */
static size_t
ndigits64(uint64_t v)
{
	/* From the bit length: 1233 / 4096 is just above log10(2). */
	unsigned t = (unsigned)(64 - __builtin_clzll(v | 1)) * 1233 >> 12;

	return t + 1 - ((v | 1) < (uint64_t)p10[t]);
}

/* Digits of v, most significant first, into buf; returns their count. */
static inline size_t
utoa64(uint64_t v, char *buf)
{
	size_t n = ndigits64(v), at = n;
	uint32_t w;

	/* Two digits a division: formatting is most of a short figure's cost. */
	while (v > UINT32_MAX) {
		unsigned d = (unsigned)(v % 100);

		v /= 100;
		at -= 2;
		memcpy(buf + at, digit_pairs + 2 * d, 2);
	}
	/* Most values: 32-bit divisions are cheaper. */
	for (w = (uint32_t)v; w >= 100; w /= 100) {
		at -= 2;
		memcpy(buf + at, digit_pairs + 2 * (w % 100), 2);
	}
	if (w >= 10)
		memcpy(buf + at - 2, digit_pairs + 2 * w, 2);
	else
		buf[at - 1] = (char)('0' + w);
	return n;
}

static size_t utoa_big(dec_u128, char *);

/* The same for 128 bits. */
static inline size_t
utoa(dec_u128 v, char *buf)
{
	return v >> 64 == 0 ? utoa64((uint64_t)v, buf) : utoa_big(v, buf);
}

/* Beyond 64 bits: pieces of 19 digits below the top one. */
static size_t
utoa_big(dec_u128 v, char *buf)
{
	size_t n = utoa(v / E19, buf), lo;

	lo = utoa64((uint64_t)(v % E19), buf + n);
	/* The low piece keeps its leading zeros. */
	memmove(buf + n + 19 - lo, buf + n, lo);
	memset(buf + n, '0', 19 - lo);
	return n + 19;
}

size_t
dec_format_i128(dec_i128 v, char *buf)
{
	size_t n = 0;

	if (v < 0)
		buf[n++] = '-';
	n += utoa(mag(v), buf + n);
	buf[n] = '\0';
	return n;
}

/*
 * dec_format's usual case, a magnitude m below 2^64: the digits go where
 * they belong and the fraction's step right makes room for the point.
 */
static size_t
format64(uint64_t m, int scale, char *buf)
{
	size_t nd = ndigits64(m), n = 0, lead;

	if (scale == 0) {
		utoa64(m, buf);
		return nd;
	}
	if ((int)nd <= scale) {
		/* 0.00ddd: the point and the zeros the mantissa lacks. */
		lead = (size_t)scale - nd;
		buf[n++] = '0';
		buf[n++] = '.';
		while (lead-- > 0)
			buf[n++] = '0';
		return n + utoa64(m, buf + n);
	}
	utoa64(m, buf);
	for (size_t i = nd; i > nd - (size_t)scale; i--)
		buf[i] = buf[i - 1];
	buf[nd - (size_t)scale] = '.';
	return nd + 1;
}

size_t
dec_format(struct dec a, char *buf)
{
	char digits[48];
	size_t nd, n = 0, lead;

	/* The usual: a whole number, below 2^64 */
	if (a.scale == 0 && a.mant >= 0 && a.mant >> 64 == 0) {
		n = utoa64((uint64_t)a.mant, buf);
		buf[n] = '\0';
		return n;
	}
	a = strip(a, 0);
	if (a.mant < 0)
		buf[n++] = '-';
	if (mag(a.mant) >> 64 == 0) {
		n += format64((uint64_t)mag(a.mant), a.scale, buf + n);
		buf[n] = '\0';
		return n;
	}
	/* A whole number needs no rearranging: write it in place. */
	if (a.scale == 0) {
		n += utoa(mag(a.mant), buf + n);
		buf[n] = '\0';
		return n;
	}
	nd = utoa(mag(a.mant), digits);
	if ((int)nd <= a.scale) {
		/* 0.00ddd: the point and the zeros the mantissa lacks. */
		lead = (size_t)a.scale - nd;
		buf[n++] = '0';
		buf[n++] = '.';
		memset(buf + n, '0', lead);
		n += lead;
		memcpy(buf + n, digits, nd);
		n += nd;
	} else {
		memcpy(buf + n, digits, nd - (size_t)a.scale);
		n += nd - (size_t)a.scale;
		buf[n++] = '.';
		memcpy(buf + n, digits + nd - a.scale, (size_t)a.scale);
		n += (size_t)a.scale;
	}
	buf[n] = '\0';
	return n;
}
