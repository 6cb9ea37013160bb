/*
 * keyset: a set of byte strings, each with a number attached (a line,
 * a group's index), for wy-check's uniqueness and group checks.
 *
 * An open-addressing hash table over one growing arena of key bytes:
 * memory grows with the distinct keys (their bytes plus 37 to 73 bytes of
 * table each), never with repeats.  Nothing is allocated per lookup.
 */
#ifndef WY_KEYSET_H
#define WY_KEYSET_H

#include <stddef.h>
#include <stdint.h>

#include "util.h"

struct keyset_slot;

struct keyset {
	struct keyset_slot *tab;
	size_t cap, n; /* slots, keys */
	char *arena;
	size_t alen, acap;
};

/* An empty set: struct keyset ks = { 0 }, or this. */
void keyset_init(struct keyset *ks);

/*
 * Look key[0..len) up.  If it is new, add it with `tag` and return 1; if
 * it is there, set *old to its tag and return 0.  Returns -1 with e set
 * (WY_EXIT_IO) when out of memory.
 */
int keyset_put(struct keyset *ks, const void *key, size_t len, long tag,
    long *old, struct wy_err *e);

/* The number of keys. */
size_t keyset_count(const struct keyset *ks);

void keyset_free(struct keyset *ks);

#endif
