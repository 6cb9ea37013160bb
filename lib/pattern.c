#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "pattern.h"

/* What size() refuses. */
enum { P_BACKREF = -1, P_PAREN = -2, P_REPEAT = -3, P_NULLREP = -4, P_BYTES = -5 };

/* The end of the bracket expression that starts at p[i] == '[', or n. */
static size_t
bracket_end(const char *p, size_t n, size_t i)
{
	i++;
	if (i < n && p[i] == '^')
		i++;
	if (i < n && p[i] == ']')
		i++;
	for (; i < n && p[i] != ']'; i++) {
		if (p[i] == '[' && i + 1 < n && strchr(":=.", p[i + 1]) != NULL) {
			char kind = p[i + 1];

			for (i += 2; i + 1 < n && !(p[i] == kind && p[i + 1] == ']'); i++)
				;
			i++;
		}
	}
	return i;
}

/*
 * Read {m}, {m,}, {,n} or {m,n} at p[*i] (moving *i to its }) into *lo
 * and *hi (-1: no upper bound).  0, or -1 if it is not one.
 */
static int
bound(const char *p, size_t n, size_t *i, long *lo, long *hi)
{
	size_t k = *i + 1;
	int comma = 0, nlo = 0, nhi = 0;

	*lo = *hi = 0;
	for (; k < n && p[k] >= '0' && p[k] <= '9' && *lo < 100000; k++, nlo++)
		*lo = *lo * 10 + (p[k] - '0');
	if (k < n && p[k] == ',') {
		comma = 1;
		for (k++; k < n && p[k] >= '0' && p[k] <= '9' && *hi < 100000; k++, nhi++)
			*hi = *hi * 10 + (p[k] - '0');
	}
	if (nlo + nhi == 0 || k >= n || p[k] != '}')
		return -1;
	*i = k;
	if (!comma)
		*hi = *lo;
	else if (nhi == 0)
		*hi = -1;
	return 0;
}

/* The nesting of groups as size() reads them. */
struct group {
	unsigned long sum; /* size of the group so far */
	int seqnull;	   /* the current alternative can match nothing so far */
	int altnull;	   /* an earlier alternative can match nothing */
};

/*
 * An upper bound of the size of the automaton regcomp builds for p[0..n):
 * atoms count 1, a group the sum of its parts, {m,n} repeats the atom
 * before it n times.  Refuses back-references and a ) without its (,
 * which the ^(...)$ around a pattern would change; counts past
 * PATTERN_MAXREP; and repeating what can match nothing, as (a?)+ or
 * (){9}*, on which regcomp spends minutes (and which says nothing more
 * than a*).
 */
static long
size(const char *p, size_t n)
{
	struct group g[PATTERN_MAXLEN + 1];
	unsigned long last = 0, cap = PATTERN_MAXSIZE + 1;
	size_t depth = 0, i;
	long lo, hi, times;
	int lastnull = 0, before = 1; /* the atom's nullity, the sequence's before it */

	memset(&g[0], 0, sizeof g[0]);
	g[0].seqnull = 1;
	for (i = 0; i < n; i++) {
		lo = 1;
		hi = 1;
		switch (p[i]) {
		case '\\':
			if (i + 1 < n && p[i + 1] >= '1' && p[i + 1] <= '9')
				return P_BACKREF;
			i++;
			last = 1;
			lastnull = 0;
			break;
		case '[':
			i = bracket_end(p, n, i);
			last = 1;
			lastnull = 0;
			break;
		case '(':
			depth++;
			g[depth].sum = 0;
			g[depth].seqnull = 1;
			g[depth].altnull = 0;
			continue;
		case ')':
			if (depth == 0)
				return P_PAREN;
			last = g[depth].sum + 1;
			lastnull = g[depth].seqnull || g[depth].altnull;
			depth--;
			break;
		case '|':
			g[depth].altnull |= g[depth].seqnull;
			g[depth].seqnull = 1;
			continue;
		case '^':
		case '$':
			last = 1;
			lastnull = 1;
			break;
		case '*':
			lo = 0;
			hi = -1;
			goto repeat;
		case '+':
			hi = -1;
			goto repeat;
		case '?':
			lo = 0;
			goto repeat;
		case '{':
			if (bound(p, n, &i, &lo, &hi) < 0) {
				last = 1;
				lastnull = 0;
				break;
			}
repeat:
			if (lastnull && (hi < 0 || hi > 1))
				return P_NULLREP;
			times = hi < 0 ? lo + 1 : hi > lo ? hi : lo;
			if (times > PATTERN_MAXREP)
				return P_REPEAT;
			if (times < 1)
				times = 1;
			/* the atom was counted once already */
			g[depth].sum += last * (times - 1);
			last = last * times > cap ? cap : last * times;
			if (g[depth].sum > cap)
				g[depth].sum = cap;
			lastnull |= lo == 0;
			g[depth].seqnull = before && lastnull;
			continue;
		default:
			last = 1;
			lastnull = 0;
			break;
		}
		before = g[depth].seqnull;
		g[depth].seqnull = before && lastnull;
		g[depth].sum += last;
		if (g[depth].sum > cap)
			g[depth].sum = cap;
	}
	for (; depth > 0; depth--) /* unclosed groups: regcomp refuses them */
		g[depth - 1].sum += g[depth].sum;
	return (long)(g[0].sum > cap ? cap : g[0].sum);
}

/* The bytes of an ASCII bracket expression at s[*i] == '[' into set; -1 if not one. */
static int
fast_bracket(const char *s, size_t n, size_t *i, uint64_t set[2])
{
	size_t k = *i + 1;

	set[0] = set[1] = 0;
	if (k < n && s[k] == '^')
		return -1;
	for (int first = 1; k < n && (first || s[k] != ']'); first = 0) {
		unsigned char lo = s[k], hi = lo;

		if (lo >= 0x80 || (lo == '[' && k + 1 < n && strchr(":=.", s[k + 1])))
			return -1;
		if (k + 2 < n && s[k + 1] == '-' && s[k + 2] != ']') {
			hi = s[k + 2];
			k += 2;
		}
		if (hi >= 0x80 || hi < lo)
			return -1;
		for (unsigned c = lo; c <= hi; c++)
			set[c >> 6] |= 1ull << (c & 63);
		k++;
	}
	if (k >= n)
		return -1;
	*i = k + 1;
	return 0;
}

/* The quantifier at s[*i], if any, into lo and hi (-1: unbounded). */
static int
fast_quantifier(const char *s, size_t n, size_t *i, long *lo, long *hi)
{
	*lo = *hi = 1;
	if (*i == n)
		return 0;
	switch (s[*i]) {
	case '?': *lo = 0; break;
	case '*': *lo = 0; *hi = -1; break;
	case '+': *hi = -1; break;
	case '{':
		if (bound(s, n, i, lo, hi) < 0)
			return -1;
		break;
	default:
		return 0;
	}
	(*i)++;
	return *i < n && strchr("?*+{", s[*i]) ? -1 : 0;
}

/* Add count states taking set (the last ones optional past lo, one looping). */
static int
fast_states(struct pattern *p, const uint64_t set[2], long lo, long hi)
{
	long count = hi < 0 ? (lo > 0 ? lo + 1 : 1) : hi;

	if (p->nstate + count > 63)
		return -1;
	for (long k = 0; k < count; k++, p->nstate++) {
		for (unsigned c = 0; c < 128; c++)
			if (set[c >> 6] >> (c & 63) & 1)
				p->cls[c] |= 1ull << p->nstate;
		if (k >= lo)
			p->opt |= 1ull << p->nstate;
		if (hi < 0 && k == count - 1)
			p->loop |= 1ull << p->nstate;
	}
	return 0;
}

/* The automaton of a simple pattern; fast stays 0 for any other. */
static void
compile_fast(struct pattern *p, const char *s, size_t n)
{
	size_t i = 0;
	uint64_t set[2];
	long lo, hi;

	if (n > 0 && s[0] == '^')
		i++;
	if (n > i && s[n - 1] == '$' && (n < 2 || s[n - 2] != '\\'))
		n--;
	while (i < n) {
		unsigned char c = s[i];

		if (c == '[') {
			if (fast_bracket(s, n, &i, set) < 0)
				return;
		} else if (c >= 0x80 || strchr(".()|*+?{}\\^$[]", c) != NULL) {
			return;
		} else {
			set[0] = set[1] = 0;
			set[c >> 6] |= 1ull << (c & 63);
			i++;
		}
		if (fast_quantifier(s, n, &i, &lo, &hi) < 0 || fast_states(p, set, lo, hi) < 0)
			return;
	}
	p->fast = 1;
}

int
pattern_compile(struct pattern *p, const char *s, size_t n, char *why, size_t whysz)
{
	char msg[200], *text;
	regex_t raw;
	long sz;
	int rc;

	memset(p, 0, sizeof *p);
	sz = n > PATTERN_MAXLEN || memchr(s, '\0', n) != NULL ? P_BYTES : size(s, n);
	if (sz < 0 || sz > PATTERN_MAXSIZE) {
		snprintf(why, whysz, sz == P_BYTES ? "longer than %d bytes, or holds a NUL byte" :
		    sz == P_BACKREF ? "back-references (\\1) are not supported" :
		    sz == P_PAREN ? "a ) without its (" :
		    sz == P_NULLREP ? "repeats what can match nothing, as (a?)+: write a* instead" :
		    sz == P_REPEAT ? "a count of repetitions above %d" :
		    "too large once its repetitions are expanded (more than %d)",
		    sz == P_REPEAT ? PATTERN_MAXREP : sz == P_BYTES ? PATTERN_MAXLEN : PATTERN_MAXSIZE);
		return -1;
	}
	if ((text = malloc(n + 5)) == NULL)
		return -2;
	/* the pattern alone first, for its own messages */
	snprintf(text, n + 5, "%.*s", (int)n, s);
	if ((rc = regcomp(&raw, text, REG_EXTENDED | REG_NOSUB)) == 0) {
		regfree(&raw);
		snprintf(text, n + 5, "^(%.*s)$", (int)n, s);
		rc = regcomp(&raw, text, REG_EXTENDED | REG_NOSUB);
	}
	free(text);
	if (rc != 0) {
		regerror(rc, &raw, msg, sizeof msg);
		snprintf(why, whysz, "bad regular expression: %s", msg);
		return -1;
	}
	p->re = raw;
	compile_fast(p, s, n);
	return 0;
}

/*
 * regexec on s[0..n).  REG_STARTEND gives the length (the text may hold
 * NUL bytes); the copy ends in NUL all the same, as sanitizers' regexec
 * reads up to one.
 */
static int
slow_match(const struct pattern *p, const char *s, size_t n)
{
	char buf[256], *t = n < sizeof buf ? buf : malloc(n + 1);
	regmatch_t m[1];
	int rc;

	if (t == NULL) {
		t = (char *)s; /* glibc honours REG_STARTEND all the same */
	} else {
		memcpy(t, s, n);
		t[n] = '\0';
	}
	m[0].rm_so = 0;
	m[0].rm_eo = (regoff_t)n;
	rc = regexec(&p->re, t, 1, m, REG_STARTEND);
	if (t != buf && t != s)
		free(t);
	return rc == 0;
}

int
pattern_match(const struct pattern *p, const char *s, size_t n)
{
	const unsigned char *u = (const unsigned char *)s;
	uint64_t r = 1, x, accept;

	if (!p->fast)
		return slow_match(p, s, n);
	/* r: bit j, the positions before state j that the bytes so far reach */
	accept = 1ull << p->nstate;
	while ((x = r | ((r & p->opt) << 1)) != r)
		r = x;
	for (size_t i = 0; i < n && r != 0; i++) {
		uint64_t took = r & p->cls[u[i]];

		r = (took << 1) | (took & p->loop);
		while ((x = r | ((r & p->opt) << 1)) != r)
			r = x;
	}
	return (r & accept) != 0;
}

void
pattern_free(struct pattern *p)
{
	regfree(&p->re);
}
