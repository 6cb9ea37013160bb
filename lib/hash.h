/*
 * hash: a map from byte strings to dense ids 0, 1, 2, ... in the order the
 * strings were first put, for group-by and distinct counts.
 *
 * Open addressing with linear probing; each slot holds 32 bits of the
 * hash beside the id, so a probe rarely touches a key it does not want.
 * The keys are copied into an arena of large blocks: putting a key that
 * is already there allocates nothing, and a new key allocates only when
 * a block or the table fills up (never one malloc per key).
 */
#ifndef WY_HASH_H
#define WY_HASH_H

#include <stddef.h>
#include <stdint.h>

#include "util.h"

/* Ids are 32-bit: more keys than this is an error, not a wrap. */
#define HASH_MAXKEYS 0xfffffffeu

/* Bytes of a fresh arena block (a longer key gets a block of its own). */
#define HASH_BLOCK (1u << 20)

struct hash_key {
	const char *p;
	uint32_t len;
	uint32_t hash; /* its low 32 bits, to grow the table without rehashing */
};

struct hash_block;

struct hash_map {
	uint64_t *slot;	     /* hash high bits << 32 | (id + 1); 0 is empty */
	size_t mask;	     /* slots - 1; slots a power of two */
	struct hash_key *key; /* by id */
	size_t n, cap;	     /* keys, and room in key[] */
	struct hash_block *block; /* the arena, newest first */
	size_t used;	     /* bytes used in the newest block */
};

/*
 * A 64-bit hash of n bytes (wyhash-style multiply-fold, 8 bytes a step).
 * Not for adversaries: a fixed seed, no secret.
 */
uint64_t hash_bytes(const void *p, size_t n);

/* An empty map; no allocation until the first hash_put. */
void hash_init(struct hash_map *m);

/*
 * Find key (len bytes, h = hash_bytes(key, len)) or add a copy of it.
 * *id gets its id.  Returns 1 if it was added, 0 if it was there, or -1
 * with e set (WY_EXIT_IO: out of memory; WY_EXIT_DATA: more than
 * HASH_MAXKEYS keys or a key of 4 GiB).
 */
int hash_put(struct hash_map *m, const void *key, size_t len, uint64_t h,
    uint32_t *id, struct wy_err *e);

/* The bytes and length of key id (id < m->n); valid until hash_clear. */
static inline const char *
hash_get(const struct hash_map *m, uint32_t id, size_t *len)
{
	*len = m->key[id].len;
	return m->key[id].p;
}

/* Forget every key, keeping one arena block and a small table for reuse. */
void hash_clear(struct hash_map *m);

/* Free everything; the map is empty afterwards and may be used again. */
void hash_free(struct hash_map *m);

#endif
