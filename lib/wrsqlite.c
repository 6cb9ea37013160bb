#include <sqlite3.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "wrsqlite.h"

struct wrsqlite {
	sqlite3 *db;
	const char *path;
	sqlite3_stmt *ins;
	const struct load_spec *spec;
	int intx, committed;
};

/* Fill e from the connection's last error; the status follows its kind. */
static int
fail(struct wrsqlite *w, int rc, struct wy_err *e)
{
	int status;

	switch (rc & 0xff) {
	case SQLITE_CONSTRAINT:
	case SQLITE_MISMATCH:
	case SQLITE_TOOBIG:
		status = WY_EXIT_DATA;
		break;
	case SQLITE_ERROR:
		status = WY_EXIT_USAGE;
		break;
	default:
		status = WY_EXIT_IO;
	}
	return wy_errf(e, status, "%s: %s", w->path, sqlite3_errmsg(w->db));
}

static int
exec(struct wrsqlite *w, const char *sql, struct wy_err *e)
{
	int rc = sqlite3_exec(w->db, sql, NULL, NULL, NULL);

	return rc == SQLITE_OK ? 0 : fail(w, rc, e);
}

static int
wrsqlite_begin(void *h, struct wy_err *e)
{
	struct wrsqlite *w = h;

	if (exec(w, "BEGIN IMMEDIATE", e) < 0)
		return -1;
	w->intx = 1;
	return 0;
}

/* The column type of a declared type, by SQLite's affinity rules. */
static enum coltype
declared_type(const char *decl)
{
	static const struct {
		const char *word;
		enum coltype type;
	} exact[] = { { "DATE", COLTYPE_DATE }, { "DATETIME", COLTYPE_DATETIME },
		{ "TIMESTAMP", COLTYPE_DATETIME }, { "BOOLEAN", COLTYPE_BOOLEAN } };
	char up[32];
	size_t n = 0;

	for (; decl[n] && n < sizeof up - 1; n++)
		up[n] = decl[n] >= 'a' && decl[n] <= 'z' ? decl[n] - 32 : decl[n];
	up[n] = '\0';
	for (size_t i = 0; i < sizeof exact / sizeof exact[0]; i++)
		if (strcmp(up, exact[i].word) == 0)
			return exact[i].type;
	if (strstr(up, "INT"))
		return COLTYPE_INT64;
	if (n == 0 || strstr(up, "CHAR") || strstr(up, "CLOB") ||
	    strstr(up, "TEXT") || strstr(up, "BLOB"))
		return COLTYPE_TEXT;
	return COLTYPE_NUMBER15; /* REAL and NUMERIC affinities */
}

/* Find name among s's columns (as SQLite does: ASCII letters in any case). */
static long
spec_col(const struct load_spec *s, const char *name)
{
	for (size_t i = 0; i < s->ncols; i++)
		if (strcmp(s->cols[i].name, name) == 0)
			return i;
	for (size_t i = 0; i < s->ncols; i++)
		if (sqlite3_stricmp(s->cols[i].name, name) == 0)
			return i;
	return -1;
}

static int
wrsqlite_lookup(void *h, struct load_spec *s, struct wy_err *e)
{
	struct wrsqlite *w = h;
	sqlite3_stmt *st;
	unsigned char *found = calloc(s->ncols + 1, 1);
	int rc, ncol = 0;

	if (found == NULL)
		return wy_errf(e, WY_EXIT_IO, "out of memory");
	if ((rc = sqlite3_prepare_v2(w->db,
	    "SELECT name, type FROM pragma_table_info(?1)", -1, &st, NULL)) != SQLITE_OK) {
		free(found);
		return fail(w, rc, e);
	}
	sqlite3_bind_text(st, 1, s->table, -1, SQLITE_STATIC);
	while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
		long col = spec_col(s, (const char *)sqlite3_column_text(st, 0));
		const char *decl = (const char *)sqlite3_column_text(st, 1);

		ncol++;
		if (col >= 0) {
			s->cols[col].type = declared_type(decl ? decl : "");
			found[col] = 1;
		}
	}
	sqlite3_finalize(st);
	if (rc != SQLITE_DONE)
		rc = fail(w, rc, e);
	for (size_t i = 0; rc == SQLITE_DONE && ncol > 0 && i < s->ncols; i++)
		if (!found[i])
			rc = wy_errf(e, WY_EXIT_USAGE, "%s: table %s has no column %s",
			    w->path, s->table, s->cols[i].name);
	free(found);
	return rc == SQLITE_DONE ? ncol > 0 : -1;
}

static const char *
sqltype(enum coltype t)
{
	switch (t) {
	case COLTYPE_INT16:
	case COLTYPE_INT32:
	case COLTYPE_INT64:
	case COLTYPE_YEAR:
		return " INTEGER";
	case COLTYPE_NUMBER:
	case COLTYPE_NUMBER15:
		return " NUMERIC";
	case COLTYPE_BOOLEAN:
		return " BOOLEAN";
	case COLTYPE_DATE:
		return " DATE";
	case COLTYPE_DATETIME:
		return " DATETIME";
	default:
		return " TEXT";
	}
}

static int
wrsqlite_create(void *h, struct load_spec *s, struct wy_err *e)
{
	struct wrsqlite *w = h;
	struct load_sql q = { 0 };
	const char *sql;
	int rc = -1;

	load_sql_add(&q, "CREATE TABLE ");
	load_sql_ident(&q, s->table);
	for (size_t i = 0; i < s->ncols; i++) {
		if (s->cols[i].type == COLTYPE_NUMBER)
			s->cols[i].type = COLTYPE_NUMBER15;
		load_sql_add(&q, i ? ", " : " (");
		load_sql_ident(&q, s->cols[i].name);
		load_sql_add(&q, sqltype(s->cols[i].type));
	}
	if (s->nkey > 0) {
		load_sql_add(&q, ", UNIQUE");
		load_sql_keys(&q, s);
	}
	load_sql_add(&q, ")");
	if ((sql = load_sql_text(&q, e)) != NULL)
		rc = exec(w, sql, e);
	load_sql_free(&q);
	return rc;
}

/* The INSERT of a row, with ON CONFLICT for an upsert. */
static void
insert_sql(struct load_sql *q, const struct load_spec *s)
{
	char num[24];
	size_t nset = 0;

	load_sql_add(q, "INSERT INTO ");
	load_sql_ident(q, s->table);
	load_sql_add(q, " (");
	load_sql_cols(q, s);
	load_sql_add(q, ") VALUES (");
	for (size_t i = 0; i < s->ncols; i++) {
		snprintf(num, sizeof num, "%s?%zu", i ? ", " : "", i + 1);
		load_sql_add(q, num);
	}
	load_sql_add(q, ")");
	if (s->mode != LOAD_UPSERT)
		return;
	load_sql_add(q, " ON CONFLICT");
	load_sql_keys(q, s);
	for (size_t i = 0; i < s->ncols; i++) {
		int iskey = 0;

		for (size_t k = 0; k < s->nkey; k++)
			iskey |= s->key[k] == i;
		if (iskey)
			continue;
		load_sql_add(q, nset++ ? ", " : " DO UPDATE SET ");
		load_sql_ident(q, s->cols[i].name);
		load_sql_add(q, " = excluded.");
		load_sql_ident(q, s->cols[i].name);
	}
	if (nset == 0)
		load_sql_add(q, " DO NOTHING");
}

static void
bind(sqlite3_stmt *st, int i, const struct load_cell *c)
{
	if (c->p == NULL)
		sqlite3_bind_null(st, i);
	else if (c->isint)
		sqlite3_bind_int64(st, i, c->iv);
	else
		sqlite3_bind_text(st, i, c->p, c->len, SQLITE_STATIC);
}

/* DELETE what the mode replaces. */
static int
delete_rows(struct wrsqlite *w, const struct load_spec *s,
    const struct load_cell *where, struct wy_err *e)
{
	struct load_sql q = { 0 };
	sqlite3_stmt *st = NULL;
	const char *sql;
	int rc;

	load_sql_add(&q, "DELETE FROM ");
	load_sql_ident(&q, s->table);
	if (s->mode == LOAD_REPLACE_WHERE) {
		load_sql_add(&q, " WHERE ");
		load_sql_ident(&q, s->cols[s->wherecol].name);
		load_sql_add(&q, " = ?1");
	}
	if ((sql = load_sql_text(&q, e)) == NULL) {
		load_sql_free(&q);
		return -1;
	}
	if ((rc = sqlite3_prepare_v2(w->db, sql, -1, &st, NULL)) == SQLITE_OK) {
		if (s->mode == LOAD_REPLACE_WHERE)
			bind(st, 1, where);
		rc = sqlite3_step(st);
	}
	sqlite3_finalize(st);
	load_sql_free(&q);
	return rc == SQLITE_DONE ? 0 : fail(w, rc, e);
}

/* Why an upsert could not start, most likely. */
static void
upsert_hint(struct wy_err *e)
{
	size_t n = strlen(e->msg);

	snprintf(e->msg + n, sizeof e->msg - n,
	    " (--key needs a UNIQUE constraint or index on its columns)");
}

static int
wrsqlite_start(void *h, const struct load_spec *s, const struct load_cell *where,
    struct wy_err *e)
{
	struct wrsqlite *w = h;
	struct load_sql q = { 0 };
	const char *sql;
	int rc;

	w->spec = s;
	if ((s->mode == LOAD_REPLACE || s->mode == LOAD_REPLACE_WHERE) &&
	    delete_rows(w, s, where, e) < 0)
		return -1;
	insert_sql(&q, s);
	if ((sql = load_sql_text(&q, e)) == NULL) {
		load_sql_free(&q);
		return -1;
	}
	rc = sqlite3_prepare_v2(w->db, sql, -1, &w->ins, NULL);
	load_sql_free(&q);
	if (rc == SQLITE_OK)
		return 0;
	fail(w, rc, e);
	if (s->mode == LOAD_UPSERT)
		upsert_hint(e);
	return -1;
}

static int
wrsqlite_row(void *h, const struct load_cell *cells, struct wy_err *e)
{
	struct wrsqlite *w = h;
	int rc;

	for (size_t i = 0; i < w->spec->ncols; i++)
		bind(w->ins, i + 1, &cells[i]);
	rc = sqlite3_step(w->ins);
	sqlite3_reset(w->ins);
	return rc == SQLITE_DONE ? 0 : fail(w, rc, e);
}

static int
wrsqlite_commit(void *h, struct wy_err *e)
{
	struct wrsqlite *w = h;

	sqlite3_finalize(w->ins);
	w->ins = NULL;
	if (exec(w, "COMMIT", e) < 0)
		return -1;
	w->committed = 1;
	return 0;
}

static void
wrsqlite_close(void *h)
{
	struct wrsqlite *w = h;

	sqlite3_finalize(w->ins);
	if (w->intx && !w->committed)
		sqlite3_exec(w->db, "ROLLBACK", NULL, NULL, NULL);
	sqlite3_close(w->db);
	free(w);
}

static const struct load_ops ops = {
	.double_only = 1,
	.begin = wrsqlite_begin,
	.lookup = wrsqlite_lookup,
	.create = wrsqlite_create,
	.start = wrsqlite_start,
	.row = wrsqlite_row,
	.commit = wrsqlite_commit,
	.close = wrsqlite_close,
};

int
wrsqlite_open(struct load_db *ldb, const char *path, struct wy_err *e)
{
	struct wrsqlite *w = calloc(1, sizeof *w);
	int rc;

	if (w == NULL)
		return wy_errf(e, WY_EXIT_IO, "out of memory");
	w->path = path;
	rc = sqlite3_open_v2(path, &w->db, SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE |
	    SQLITE_OPEN_NOMUTEX, NULL);
	if (rc != SQLITE_OK) {
		wy_errf(e, WY_EXIT_IO, "%s: cannot open: %s", path,
		    w->db ? sqlite3_errmsg(w->db) : "out of memory");
		sqlite3_close(w->db);
		free(w);
		return -1;
	}
	sqlite3_extended_result_codes(w->db, 1);
	sqlite3_busy_timeout(w->db, WRSQLITE_BUSY_MS);
	if (exec(w, "PRAGMA journal_mode = WAL", e) < 0) {
		e->exit = WY_EXIT_IO;
		sqlite3_close(w->db);
		free(w);
		return -1;
	}
	ldb->ops = &ops;
	ldb->h = w;
	return 0;
}
