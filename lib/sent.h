/*
 * sent: the sentences and clauses of cleaned Chinese text.
 *
 * A sentence ends after 。！？；(or ASCII ! ? ;) with the closing quotes
 * and brackets that follow (。” ！）), or at a line end.  A clause is a
 * part of a sentence between ， and 、: what wy-facts gives as the
 * context of a figure.
 */
#ifndef WY_SENT_H
#define WY_SENT_H

#include <stddef.h>

#include "util.h"

/*
 * Bytes of the sentence that starts at s[0], with its final marks and
 * a line end right after them; n when the text ends first.
 */
size_t sent_next(const char *s, size_t n);

/* Where the clause marks of a line are: offsets of ， 、 and the stops. */
struct sent_marks {
	size_t *at; /* in order */
	size_t n, cap;
};

/* A line split into sentences, with its clause marks; zero it first. */
struct sent_line {
	struct sent_span {
		size_t end;    /* where it ends (as sent_next ends it) */
		size_t nmarks; /* marks of the line up to its end */
	} *sent;
	size_t nsent, cap;
	struct sent_marks marks; /* the marks sent_split found */
	const size_t *mark;	 /* the marks: marks.at, or the list
				    sent_split_marks was given */
	size_t nmark;
};

/*
 * Split s[0..n), a line of cleaned text, into sentences in one pass,
 * noting the clause marks on the way, into sl (reused line after line).
 * Returns 0, or -1 with e set (out of memory).
 */
int sent_split(struct sent_line *sl, const char *s, size_t n,
    struct wy_err *e);

/*
 * sent_split from the marks of the line, listed in mark[0..nmark): the
 * offsets, in order, of every ， 、 。 ！ ？ ； ! ? ; and LF of s (as
 * clean_line notes them), so that only the text after a final mark is
 * looked at.  The same result, in a fraction of the time; sl keeps mark
 * (not a copy), which must outlive its use by sent_clause.
 */
int sent_split_marks(struct sent_line *sl, const char *s, size_t n,
    const size_t *mark, size_t nmark, struct wy_err *e);

void sent_line_free(struct sent_line *sl);

/* Does s[0..n) hold nothing but spaces and line ends? */
int sent_blank(const char *s, size_t n);

/*
 * The context of the figure at s[a..b) in the sentence s[0..n): the
 * clause that holds it, without the sentence's final marks and the
 * spaces around.  A clause that says nothing but the figure (fewer than
 * two Han characters besides it, as "7814人" in "低保3560户、7814人")
 * takes in the clauses before it until it says something (or, at the
 * start of the sentence, those after it).  Sets
 * [*cb, *ce) within [0, n).
 */
void sent_context(const char *s, size_t n, size_t a, size_t b, size_t *cb,
    size_t *ce);

/*
 * sent_context for the sentence k of the line s that sent_split split
 * into sl, from the marks it noted instead of walking the text: a, b,
 * *cb and *ce are offsets in the sentence, as there.
 */
void sent_clause(const struct sent_line *sl, const char *s, size_t k,
    size_t a, size_t b, size_t *cb, size_t *ce);

#endif
