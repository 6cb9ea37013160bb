/*
 * load: what wy-load asks of a database, and the checks of its rows.
 *
 * A database is reached through a struct load_db whose ops a writer module
 * fills: wrsqlite (SQLite) or wrpg (PostgreSQL), chosen by the URL.  A run
 * is one transaction: begin, look the table up, create it if it is
 * missing, start (remove what the mode replaces, get ready for rows), the
 * rows, commit.  Closing a database that has not committed rolls the whole
 * run back, so a failure leaves the table as it was.
 *
 * Identifiers are always double-quoted (with "" for a quote): a column
 * named  x"; DROP TABLE t; --  is just a name.  Values never become SQL
 * text: they are bound as parameters (SQLite) or sent as COPY data.
 */
#ifndef WY_LOAD_H
#define WY_LOAD_H

#include <stdint.h>

#include "coltype.h"
#include "tsv.h"
#include "util.h"

enum load_mode {
	LOAD_APPEND,	   /* add the rows */
	LOAD_REPLACE,	   /* delete every row first */
	LOAD_UPSERT,	   /* insert, or update the row of the same key */
	LOAD_REPLACE_WHERE /* delete the rows where a column has a value first */
};

struct load_col {
	char *name; /* NUL-terminated, owned by the spec's user */
	enum coltype type;
};

/* The table and how rows go into it. */
struct load_spec {
	const char *table;
	enum load_mode mode;
	struct load_col *cols;
	size_t ncols;	/* the input's columns, then _src with --src */
	size_t nfields; /* fields of an input row */
	size_t *key;	/* LOAD_UPSERT: the key's columns */
	size_t nkey;
	size_t wherecol; /* LOAD_REPLACE_WHERE: the column and its value */
	const char *whereval;
	int textok; /* the rows' text is known to be UTF-8 without NUL */
};

/* A value ready for the database. */
struct load_cell {
	const char *p; /* the text, NULL for NULL */
	size_t len;
	int64_t iv; /* the value, when isint (integers, years, booleans) */
	int isint;
};

struct load_ops {
	int double_only;  /* numbers are int64 or double, as in SQLite */
	int (*begin)(void *h, struct wy_err *e);
	/*
	 * Returns 1 if the table exists, with the types of s->cols set from
	 * the table's; 0 if it does not; -1 with e set (a column the table
	 * does not have is WY_EXIT_USAGE).
	 */
	int (*lookup)(void *h, struct load_spec *s, struct wy_err *e);
	/* Create the table from s->cols' types; may narrow them to what it keeps. */
	int (*create)(void *h, struct load_spec *s, struct wy_err *e);
	/* Remove what the mode replaces (where: the checked value) and prepare. */
	int (*start)(void *h, const struct load_spec *s,
	    const struct load_cell *where, struct wy_err *e);
	/* One row of s->ncols cells, checked by load_cells. */
	int (*row)(void *h, const struct load_cell *cells, struct wy_err *e);
	int (*commit)(void *h, struct wy_err *e);
	/* Roll back unless committed; free everything. */
	void (*close)(void *h);
};

struct load_db {
	const struct load_ops *ops;
	void *h;
};

/*
 * Open the database of url: "sqlite:PATH", "postgresql://...",
 * "postgres://..." or "postgresql:" followed by libpq's key=value words.
 * Returns 0, or -1 with e set (another URL: WY_EXIT_USAGE; cannot open or
 * connect: WY_EXIT_IO).
 */
int load_open(struct load_db *db, const char *url, struct wy_err *e);

/* Is url one of those?  Returns 0, or -1 with e set (WY_EXIT_USAGE). */
int load_check_url(const char *url, struct wy_err *e);

/* Close (rolling back if not committed); harmless when not open. */
void load_close(struct load_db *db);

/*
 * Set the types of s->cols from a wy-check schema file: a TSV whose
 * columns `field` and `type` (others are ignored) give each column's
 * Frictionless type.  Every input column must be in it; _src (past
 * s->nfields) is text.  Returns 0, or -1 with e set (WY_EXIT_USAGE for a
 * schema that does not fit, WY_EXIT_IO when it cannot be read).
 */
int load_schema(const char *path, struct load_spec *s, struct wy_err *e);

/*
 * Find the column of a --replace-where argument "col=value" and keep the
 * value in s.  Returns 0, or -1 with e set (WY_EXIT_USAGE).
 */
int load_where(struct load_spec *s, const char *arg, struct wy_err *e);

/*
 * Start the load (ops->start) once the types are known: a --replace-where
 * value that does not fit its column is WY_EXIT_USAGE.
 */
int load_start(struct load_db *db, const struct load_spec *s, struct wy_err *e);

/* Room for the reasons of one row. */
#define LOAD_WHYMAX (4 * WY_ERRMAX)

/*
 * Check an input row against s and fill cells[0..s->nfields).  A NULL
 * field is NULL; an empty one is NULL too, except in a text column, where
 * it is the empty string.  Returns 0, or -1 with why (LOAD_WHYMAX bytes)
 * holding the reasons, separated by "; ": the wrong number of fields,
 * bytes that are not UTF-8 or NUL (unless s->textok), values that do not
 * fit their column's
 * type, a key that is NULL or empty (upsert), a value other than
 * --replace-where's.
 */
int load_cells(const struct load_spec *s, const struct rec *row,
    struct load_cell *cells, char *why);

/* SQL text being built; failed is set when memory ran out. */
struct load_sql {
	char *p;
	size_t len, cap;
	int failed;
};

/* Append s / the identifier name, double-quoted. */
void load_sql_add(struct load_sql *q, const char *s);
void load_sql_ident(struct load_sql *q, const char *name);

/* The identifiers of s's columns, separated by ", ". */
void load_sql_cols(struct load_sql *q, const struct load_spec *s);

/* ' ("k1", "k2")': the columns of s's key (an upsert's), in parentheses. */
void load_sql_keys(struct load_sql *q, const struct load_spec *s);

/* The text (NUL-terminated), or NULL with e set when memory ran out. */
const char *load_sql_text(struct load_sql *q, struct wy_err *e);

void load_sql_free(struct load_sql *q);

#endif
