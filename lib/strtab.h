/*
 * strtab: strings numbered from 0, added in order and then looked up at
 * random, in bounded memory: an .xlsx's shared strings, which a sheet's
 * cells name by number and which can be larger than the memory a reader
 * should hold.  Until the strings and their offsets pass memmax bytes
 * they are kept in memory; then they move to two unlinked temporary files
 * and are read back with pread, each string once per look-up (a sheet
 * names the same few strings over and over, which the page cache keeps).
 */
#ifndef WY_STRTAB_H
#define WY_STRTAB_H

#include <stddef.h>
#include <stdint.h>

#include "util.h"

#define STRTAB_MEMMAX (32u << 20)

struct strtab {
	size_t memmax;
	size_t n; /* strings ended */
	/* in memory: string i is mem[end[i - 1]..end[i]) (end[-1] is 0) */
	char *mem;
	size_t len, cap;
	uint64_t *end;
	size_t endcap;
	size_t cur; /* where the string being added starts in mem */
	/* spilled (-1 while in memory): mem[0..cur) and end[0..n - nwritten)
	 * are what is not yet written to the files */
	int bytesfd, endfd;
	uint64_t filelen; /* bytes of the strings ended, in bytesfd or due */
	size_t nwritten;  /* ends in endfd */
	char *got;	  /* the last string looked up */
	size_t gotcap;
};

void strtab_init(struct strtab *t, size_t memmax);

/* Add bytes to the string being built; 0 or -1 with e set. */
int strtab_add(struct strtab *t, const char *s, size_t n, struct wy_err *e);

/* The string being built so far, which the caller may shorten in place
 * with strtab_cut (to decode escapes). */
char *strtab_building(struct strtab *t, size_t *n);
void strtab_cut(struct strtab *t, size_t n);

/* End the string being built: it is string t->n - 1.  0 or -1. */
int strtab_end(struct strtab *t, struct wy_err *e);

/*
 * String i (i < t->n) into *p, *n.  In memory the bytes stay put until
 * strtab_free; spilled, they last until the next look-up, and *spilled
 * is set so that the caller copies them.  0, or -1 with e set.
 */
int strtab_get(struct strtab *t, size_t i, const char **p, size_t *n,
    int *spilled, struct wy_err *e);

void strtab_free(struct strtab *t);

#endif
