#include <stdlib.h>
#include <string.h>

#include "hash.h"

/* Slots of a fresh table, and the most that hash_clear keeps. */
#define SLOTS0 64u
#define SLOTS_KEPT 4096u

struct hash_block {
	struct hash_block *next;
	size_t size;
	char data[];
};

static inline uint64_t
fold(uint64_t a, uint64_t b)
{
	unsigned __int128 r = (unsigned __int128)a * b;

	return (uint64_t)r ^ (uint64_t)(r >> 64);
}

uint64_t
hash_bytes(const void *p, size_t n)
{
	const unsigned char *s = p;
	uint64_t h = 0x243f6a8885a308d3ull ^ n, w;

	for (; n >= 8; s += 8, n -= 8) {
		memcpy(&w, s, 8);
		h = fold(h ^ w, 0xa0761d6478bd642full);
	}
	w = 0;
	for (size_t i = 0; i < n; i++)
		w |= (uint64_t)s[i] << (8 * i);
	return fold(h ^ w ^ 0xe7037ed1a0b428dbull, 0x8ebc6af09c88c6e3ull ^ n);
}

void
hash_init(struct hash_map *m)
{
	memset(m, 0, sizeof *m);
}

/* Put id at its place in a table of mask + 1 slots (the key is new). */
static void
place(uint64_t *slot, size_t mask, uint64_t h, uint32_t id)
{
	size_t i = h & mask;

	while (slot[i] != 0)
		i = (i + 1) & mask;
	slot[i] = (h >> 32) << 32 | ((uint64_t)id + 1);
}

/* Double the table (or make the first); keys keep their ids. */
static int
grow_table(struct hash_map *m, struct wy_err *e)
{
	size_t nslots = m->slot == NULL ? SLOTS0 : 2 * (m->mask + 1);
	uint64_t *ns = calloc(nslots, sizeof *ns);

	if (ns == NULL)
		return wy_errf(e, WY_EXIT_IO, "out of memory");
	for (size_t i = 0; m->slot != NULL && i <= m->mask; i++) {
		uint32_t id;

		if (m->slot[i] == 0)
			continue;
		id = (uint32_t)m->slot[i] - 1;
		/* the high half is in the slot, the low half in the key */
		place(ns, nslots - 1, (m->slot[i] & 0xffffffff00000000ull) |
		    m->key[id].hash, id);
	}
	free(m->slot);
	m->slot = ns;
	m->mask = nslots - 1;
	return 0;
}

/* A copy of key in the arena, or NULL when out of memory. */
static const char *
keep(struct hash_map *m, const void *key, size_t len)
{
	struct hash_block *b = m->block;
	char *p;

	if (b == NULL || b->size - m->used < len) {
		size_t size = len > HASH_BLOCK / 4 ? len : HASH_BLOCK;

		if ((b = malloc(sizeof *b + size)) == NULL)
			return NULL;
		b->size = size;
		if (size == len && m->block != NULL) {
			/* a big key's own block goes behind the open one */
			b->next = m->block->next;
			m->block->next = b;
			memcpy(b->data, key, len);
			return b->data;
		}
		b->next = m->block;
		m->block = b;
		m->used = 0;
	}
	p = b->data + m->used;
	memcpy(p, key, len);
	m->used += len;
	return p;
}

/* Append key as a new id; the table has room. */
static int
add(struct hash_map *m, const void *key, size_t len, uint64_t h, size_t i,
    uint32_t *id, struct wy_err *e)
{
	const char *p;

	if (m->n >= HASH_MAXKEYS || len > UINT32_MAX)
		return wy_errf(e, WY_EXIT_DATA, "more than %u keys, or a key of 4 GiB",
		    HASH_MAXKEYS);
	if (m->n == m->cap) {
		size_t ncap = m->cap ? 2 * m->cap : SLOTS0 / 2;
		struct hash_key *nk = realloc(m->key, ncap * sizeof *nk);

		if (nk == NULL)
			return wy_errf(e, WY_EXIT_IO, "out of memory");
		m->key = nk;
		m->cap = ncap;
	}
	if ((p = keep(m, key, len)) == NULL)
		return wy_errf(e, WY_EXIT_IO, "out of memory");
	m->key[m->n].p = p;
	m->key[m->n].len = (uint32_t)len;
	m->key[m->n].hash = (uint32_t)h;
	m->slot[i] = (h >> 32) << 32 | ((uint64_t)m->n + 1);
	*id = (uint32_t)m->n++;
	return 1;
}

int
hash_put(struct hash_map *m, const void *key, size_t len, uint64_t h,
    uint32_t *id, struct wy_err *e)
{
	uint64_t tag = (h >> 32) << 32;
	size_t i;

	/* at most half full: probes stay short */
	if ((m->n + 1) * 2 > m->mask + 1 && grow_table(m, e) < 0)
		return -1;
	for (i = h & m->mask; m->slot[i] != 0; i = (i + 1) & m->mask) {
		uint32_t k;

		if ((m->slot[i] & 0xffffffff00000000ull) != tag)
			continue;
		k = (uint32_t)m->slot[i] - 1;
		if (m->key[k].len == len && memcmp(m->key[k].p, key, len) == 0) {
			*id = k;
			return 0;
		}
	}
	return add(m, key, len, h, i, id, e);
}

void
hash_clear(struct hash_map *m)
{
	struct hash_block *b, *next;

	if (m->slot != NULL && m->mask + 1 > SLOTS_KEPT) {
		free(m->slot);
		m->slot = NULL;
		m->mask = 0;
	} else if (m->slot != NULL) {
		memset(m->slot, 0, (m->mask + 1) * sizeof *m->slot);
	}
	/* keep the open block if it is an ordinary one */
	b = m->block;
	if (b != NULL && b->size == HASH_BLOCK) {
		next = b->next;
		b->next = NULL;
		b = next;
	} else {
		m->block = NULL;
	}
	for (; b != NULL; b = next) {
		next = b->next;
		free(b);
	}
	m->used = 0;
	m->n = 0;
}

void
hash_free(struct hash_map *m)
{
	hash_clear(m);
	free(m->block);
	free(m->slot);
	free(m->key);
	hash_init(m);
}
