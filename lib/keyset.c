#include <stdlib.h>
#include <string.h>

#include "keyset.h"

struct keyset_slot {
	uint64_t hash; /* 0: empty */
	size_t off, len;
	long tag;
};

/* Grow the table past this load (n / cap): 7/8 keeps probes short. */
#define LOAD_NUM 7
#define LOAD_DEN 8

void
keyset_init(struct keyset *ks)
{
	memset(ks, 0, sizeof *ks);
}

/* 64-bit hash of bytes, 8 at a time (never 0: 0 marks an empty slot). */
static uint64_t
hash(const unsigned char *p, size_t n)
{
	uint64_t h = 0x9e3779b97f4a7c15ull ^ n, x;

	for (; n >= 8; p += 8, n -= 8) {
		memcpy(&x, p, 8);
		h = (h ^ x) * 0xff51afd7ed558ccdull;
		h ^= h >> 32;
	}
	x = 0;
	memcpy(&x, p, n);
	h = (h ^ x) * 0xc4ceb9fe1a85ec53ull;
	h ^= h >> 29;
	return h | 1;
}

static struct keyset_slot *
find(const struct keyset *ks, uint64_t h, const void *key, size_t len)
{
	size_t mask = ks->cap - 1, i = h & mask;

	for (;; i = (i + 1) & mask) {
		struct keyset_slot *s = &ks->tab[i];

		if (s->hash == 0 || (s->hash == h && s->len == len &&
		    memcmp(ks->arena + s->off, key, len) == 0))
			return s;
	}
}

static int
rehash(struct keyset *ks, struct wy_err *e)
{
	size_t ncap = ks->cap ? ks->cap * 2 : 1024;
	struct keyset_slot *old = ks->tab;
	size_t ocap = ks->cap;

	if ((ks->tab = calloc(ncap, sizeof *ks->tab)) == NULL) {
		ks->tab = old;
		return wy_errf(e, WY_EXIT_IO, "out of memory");
	}
	ks->cap = ncap;
	for (size_t i = 0; i < ocap; i++) {
		struct keyset_slot *s = &old[i];

		if (s->hash != 0)
			*find(ks, s->hash, ks->arena + s->off, s->len) = *s;
	}
	free(old);
	return 0;
}

int
keyset_put(struct keyset *ks, const void *key, size_t len, long tag,
    long *old, struct wy_err *e)
{
	uint64_t h = hash(key, len);
	struct keyset_slot *s;

	if ((ks->n + 1) * LOAD_DEN > ks->cap * LOAD_NUM && rehash(ks, e) < 0)
		return -1;
	s = find(ks, h, key, len);
	if (s->hash != 0) {
		*old = s->tag;
		return 0;
	}
	if (wy_grow(&ks->arena, &ks->acap, ks->alen + len + 1, SIZE_MAX / 2, e) < 0)
		return -1;
	memcpy(ks->arena + ks->alen, key, len);
	s->hash = h;
	s->off = ks->alen;
	s->len = len;
	s->tag = tag;
	ks->alen += len;
	ks->n++;
	return 1;
}

size_t
keyset_count(const struct keyset *ks)
{
	return ks->n;
}

void
keyset_free(struct keyset *ks)
{
	free(ks->tab);
	free(ks->arena);
	keyset_init(ks);
}
