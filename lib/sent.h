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

/*
 * Bytes of the sentence that starts at s[0], with its final marks and
 * a line end right after them; n when the text ends first.
 */
size_t sent_next(const char *s, size_t n);

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

#endif
