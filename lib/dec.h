/*
 * dec: exact decimal numbers.
 *
 * A value is mant * 10^-scale with a signed 128-bit mantissa.  No floating
 * point is used anywhere; every operation either gives the exact result or
 * reports overflow.  wy-norm, wy-facts, wy-check and wy-agg share it.
 */
#ifndef WY_DEC_H
#define WY_DEC_H

#include <stddef.h>
#include <stdint.h>

/* The largest scale kept; 10^DEC_MAXSCALE still fits comfortably in 128 bits. */
#define DEC_MAXSCALE 30

/* Room for any formatted dec: sign, 39 digits, point, leading zeros, NUL. */
#define DEC_STRMAX 80

typedef __int128 dec_i128;

struct dec {
	dec_i128 mant;
	int scale; /* 0 <= scale <= DEC_MAXSCALE */
};

enum dec_round {
	DEC_ROUND_NONE, /* inexact results are an error */
	DEC_ROUND_HALF_EVEN,
	DEC_ROUND_HALF_UP, /* half away from zero */
	DEC_ROUND_FLOOR,
	DEC_ROUND_CEIL,
	DEC_ROUND_TRUNC
};

/*
 * Status codes of every function below: 0 on success, or one of these.
 */
enum {
	DEC_EOVERFLOW = 1, /* the exact result does not fit */
	DEC_EINEXACT,	   /* rounding needed but DEC_ROUND_NONE given */
	DEC_ESYNTAX	   /* dec_parse: not a plain decimal */
};

/* Parse a plain ASCII decimal: [+-]digits[.digits].  Whole string must match. */
int dec_parse(const char *s, size_t n, struct dec *out);

/* *r = a + b, a - b, a * b, exactly (the result scale is the larger or the sum). */
int dec_add(struct dec a, struct dec b, struct dec *r);
int dec_sub(struct dec a, struct dec b, struct dec *r);
int dec_mul(struct dec a, struct dec b, struct dec *r);

/* *r = a * 10^exp10 (exp10 may be negative: then the scale grows). */
int dec_shift(struct dec a, int exp10, struct dec *r);

/*
 * *r = num / den rounded to `scale` digits after the point with `mode`.
 * With DEC_ROUND_NONE, a quotient that is not exact at that scale is
 * DEC_EINEXACT.  den must not be zero.
 */
int dec_div(struct dec num, struct dec den, int scale, enum dec_round mode,
    struct dec *r);

/* Round a to `scale` digits (never adds digits beyond what is exact). */
int dec_round(struct dec a, int scale, enum dec_round mode, struct dec *r);

/* Remove trailing zeros of the fraction: 12.500 -> 12.5, scale 0 stays. */
struct dec dec_normalize(struct dec a);

/* -1, 0, 1 as a <, ==, > b, exactly. */
int dec_cmp(struct dec a, struct dec b);

/* The value as int64 if it is whole and in range; DEC_EINEXACT / DEC_EOVERFLOW. */
int dec_to_i64(struct dec a, int64_t *out);

/*
 * Write the shortest exact decimal ("12.5", "-0.25", "1182000000") with
 * NUL; buf must hold DEC_STRMAX bytes.  Returns the length.
 */
size_t dec_format(struct dec a, char *buf);

/* Write a 128-bit integer in decimal; buf holds DEC_STRMAX bytes.  Returns length. */
size_t dec_format_i128(dec_i128 v, char *buf);

#endif
