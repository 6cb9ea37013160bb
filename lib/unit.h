/*
 * unit: the table of units that follow Chinese figures.
 *
 * Every unit has a base (a simplified name such as 元, 人, 亩, 千克, %)
 * and a power of ten that takes the unit to its base: 万元 is 元 x 10^4,
 * 角 is 元 x 10^-1, 人 is 人 x 10^0.  Traditional spellings (萬元, 個, 畝,
 * 場次, 張, ...) are entries of their own with the simplified base.
 * Units are matched longest first.
 */
#ifndef WY_UNIT_H
#define WY_UNIT_H

#include <stddef.h>

#define UNIT_NAMEMAX 32 /* bytes of the longest base name, with NUL */

struct unit {
	const char *name; /* as written, UTF-8: "萬元" */
	const char *base; /* simplified base unit: "元" */
	int exp10;	  /* value in base = value in unit * 10^exp10 */
	unsigned char len; /* strlen(name) */
};

/*
 * The longest unit that is a prefix of s[0..n), or NULL.  Skips nothing:
 * the caller removes spaces and pinyin annotations first.
 */
const struct unit *unit_match(const char *s, size_t n);

/* The unit whose name is exactly s[0..n) (e.g. an --unit argument), or NULL. */
const struct unit *unit_lookup(const char *s, size_t n);

#endif
