#include <libpq-fe.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "wrpg.h"

struct wrpg {
	PGconn *conn;
	const struct load_spec *spec;
	char *buf; /* COPY data not sent yet */
	size_t len, cap;
	int intx, incopy, committed;
	char tmp[WRPG_NAMEMAX + 1];   /* upsert: the temporary table */
	char rowno[WRPG_NAMEMAX + 1]; /* and its column of row numbers */
};

/* Copy msg into e as one line (libpq's messages span several). */
static int
set_err(struct wy_err *e, int status, const char *what, const char *msg,
    const char *detail)
{
	char *p;

	wy_errf(e, status, "postgresql: %s%s%s%s%s", what, *what ? ": " : "",
	    msg, detail ? ": " : "", detail ? detail : "");
	for (p = e->msg; *p; p++)
		if (*p == '\n' || *p == '\t')
			*p = ' ';
	while (p > e->msg && p[-1] == ' ')
		*--p = '\0';
	return -1;
}

/* The status of an SQLSTATE: bad data, a table that does not fit, else I/O. */
static int
state_status(const char *state)
{
	if (state == NULL)
		return WY_EXIT_IO;
	if (strncmp(state, "22", 2) == 0 || strncmp(state, "23", 2) == 0 ||
	    strncmp(state, "21", 2) == 0)
		return WY_EXIT_DATA;
	if (strncmp(state, "42", 2) == 0 || strncmp(state, "0A", 2) == 0)
		return WY_EXIT_USAGE;
	return WY_EXIT_IO;
}

/* Fill e from a failed result (which is cleared). */
static int
fail(struct wrpg *w, PGresult *res, struct wy_err *e)
{
	const char *msg = res ? PQresultErrorField(res, PG_DIAG_MESSAGE_PRIMARY) : NULL;

	if (msg == NULL)
		set_err(e, WY_EXIT_IO, "", PQerrorMessage(w->conn), NULL);
	else
		set_err(e, state_status(PQresultErrorField(res, PG_DIAG_SQLSTATE)), "",
		    msg, PQresultErrorField(res, PG_DIAG_MESSAGE_DETAIL));
	PQclear(res);
	return -1;
}

/* Run sql with text parameters; *out gets the result (NULL: cleared). */
static int
run(struct wrpg *w, const char *sql, int nparam, const char *const *params,
    PGresult **out, struct wy_err *e)
{
	PGresult *res = PQexecParams(w->conn, sql, nparam, NULL, params, NULL, NULL, 0);
	ExecStatusType st = PQresultStatus(res);

	if (st != PGRES_COMMAND_OK && st != PGRES_TUPLES_OK && st != PGRES_COPY_IN)
		return fail(w, res, e);
	if (out != NULL)
		*out = res;
	else
		PQclear(res);
	return 0;
}

/* Run the SQL text of q (then freed). */
static int
run_sql(struct wrpg *w, struct load_sql *q, int nparam, const char *const *params,
    struct wy_err *e)
{
	const char *sql = load_sql_text(q, e);
	int rc = sql == NULL ? -1 : run(w, sql, nparam, params, NULL, e);

	load_sql_free(q);
	return rc;
}

static int
wrpg_begin(void *h, struct wy_err *e)
{
	struct wrpg *w = h;

	if (run(w, "BEGIN", 0, NULL, NULL, e) < 0)
		return -1;
	w->intx = 1;
	return 0;
}

static enum coltype
pg_type(const char *typname)
{
	static const struct {
		const char *name;
		enum coltype type;
	} types[] = { { "int2", COLTYPE_INT16 }, { "int4", COLTYPE_INT32 },
		{ "int8", COLTYPE_INT64 }, { "numeric", COLTYPE_NUMBER },
		{ "float4", COLTYPE_NUMBER }, { "float8", COLTYPE_NUMBER },
		{ "bool", COLTYPE_BOOLEAN }, { "date", COLTYPE_DATE },
		{ "timestamp", COLTYPE_DATETIME }, { "timestamptz", COLTYPE_DATETIME } };

	for (size_t i = 0; i < sizeof types / sizeof types[0]; i++)
		if (strcmp(typname, types[i].name) == 0)
			return types[i].type;
	return COLTYPE_TEXT;
}

/* Names PostgreSQL would cut are refused. */
static int
check_names(const struct load_spec *s, struct wy_err *e)
{
	if (strlen(s->table) > WRPG_NAMEMAX)
		return wy_errf(e, WY_EXIT_USAGE,
		    "postgresql: table name %s is longer than %d bytes", s->table,
		    WRPG_NAMEMAX);
	for (size_t i = 0; i < s->ncols; i++)
		if (strlen(s->cols[i].name) > WRPG_NAMEMAX)
			return wy_errf(e, WY_EXIT_DATA,
			    "postgresql: column name %s is longer than %d bytes",
			    s->cols[i].name, WRPG_NAMEMAX);
	return 0;
}

/* Set the types of s's columns from the table's rows (name, type) in res. */
static int
take_types(PGresult *res, struct load_spec *s, struct wy_err *e)
{
	int nrows = PQntuples(res);

	for (size_t i = 0; i < s->ncols; i++) {
		int r;

		for (r = 0; r < nrows; r++)
			if (!PQgetisnull(res, r, 1) &&
			    strcmp(PQgetvalue(res, r, 1), s->cols[i].name) == 0)
				break;
		if (r == nrows)
			return wy_errf(e, WY_EXIT_USAGE,
			    "postgresql: table %s has no column %s", s->table,
			    s->cols[i].name);
		s->cols[i].type = pg_type(PQgetvalue(res, r, 2));
	}
	return 0;
}

static int
wrpg_lookup(void *h, struct load_spec *s, struct wy_err *e)
{
	struct wrpg *w = h;
	struct load_sql name = { 0 };
	const char *param;
	PGresult *res;
	int rc;

	if (check_names(s, e) < 0)
		return -1;
	load_sql_ident(&name, s->table);
	if ((param = load_sql_text(&name, e)) == NULL)
		return -1;
	rc = run(w,
	    "SELECT c.oid IS NOT NULL, a.attname, t.typname"
	    " FROM (SELECT pg_catalog.to_regclass($1) AS oid) c"
	    " LEFT JOIN pg_catalog.pg_attribute a ON a.attrelid = c.oid"
	    " AND a.attnum > 0 AND NOT a.attisdropped"
	    " LEFT JOIN pg_catalog.pg_type t ON t.oid = a.atttypid",
	    1, &param, &res, e);
	load_sql_free(&name);
	if (rc < 0)
		return -1;
	rc = PQntuples(res) > 0 && strcmp(PQgetvalue(res, 0, 0), "t") == 0;
	if (rc == 1 && take_types(res, s, e) < 0)
		rc = -1;
	PQclear(res);
	return rc;
}

static const char *
sqltype(enum coltype t)
{
	switch (t) {
	case COLTYPE_INT16:
		return " smallint";
	case COLTYPE_INT32:
	case COLTYPE_YEAR:
		return " integer";
	case COLTYPE_INT64:
		return " bigint";
	case COLTYPE_NUMBER:
	case COLTYPE_NUMBER15:
		return " numeric";
	case COLTYPE_BOOLEAN:
		return " boolean";
	case COLTYPE_DATE:
		return " date";
	case COLTYPE_DATETIME:
		return " timestamp";
	default:
		return " text";
	}
}

static int
wrpg_create(void *h, struct load_spec *s, struct wy_err *e)
{
	struct load_sql q = { 0 };

	load_sql_add(&q, "CREATE TABLE ");
	load_sql_ident(&q, s->table);
	for (size_t i = 0; i < s->ncols; i++) {
		load_sql_add(&q, i ? ", " : " (");
		load_sql_ident(&q, s->cols[i].name);
		load_sql_add(&q, sqltype(s->cols[i].type));
	}
	if (s->nkey > 0) {
		load_sql_add(&q, ", UNIQUE");
		load_sql_keys(&q, s);
	}
	load_sql_add(&q, ")");
	return run_sql(h, &q, 0, NULL, e);
}

/* A name like base that differs from the table's and every column's. */
static void
fresh_name(char *out, const char *base, const struct load_spec *s)
{
	int taken;

	strcpy(out, base);
	do {
		taken = strcmp(out, s->table) == 0;
		for (size_t i = 0; i < s->ncols; i++)
			taken |= strcmp(out, s->cols[i].name) == 0;
		if (taken)
			strcat(out, "_");
	} while (taken && strlen(out) < WRPG_NAMEMAX);
}

/* The statement that moves the temporary table's rows into the table. */
static void
upsert_sql(struct wrpg *w, struct load_sql *q, const struct load_spec *s)
{
	size_t nset = 0;

	load_sql_add(q, "INSERT INTO ");
	load_sql_ident(q, s->table);
	load_sql_add(q, " (");
	load_sql_cols(q, s);
	load_sql_add(q, ") SELECT DISTINCT ON");
	load_sql_keys(q, s);
	load_sql_add(q, " ");
	load_sql_cols(q, s);
	load_sql_add(q, " FROM pg_temp.");
	load_sql_ident(q, w->tmp);
	load_sql_add(q, " ORDER BY ");
	for (size_t k = 0; k < s->nkey; k++) {
		load_sql_ident(q, s->cols[s->key[k]].name);
		load_sql_add(q, ", ");
	}
	load_sql_ident(q, w->rowno);
	load_sql_add(q, " DESC ON CONFLICT");
	load_sql_keys(q, s);
	for (size_t i = 0; i < s->ncols; i++) {
		int iskey = 0;

		for (size_t k = 0; k < s->nkey; k++)
			iskey |= s->key[k] == i;
		if (iskey)
			continue;
		load_sql_add(q, nset++ ? ", " : " DO UPDATE SET ");
		load_sql_ident(q, s->cols[i].name);
		load_sql_add(q, " = EXCLUDED.");
		load_sql_ident(q, s->cols[i].name);
	}
	if (nset == 0)
		load_sql_add(q, " DO NOTHING");
}

/* fail, with a hint when the key has no unique index (42P10). */
static int
upsert_fail(struct wrpg *w, PGresult *res, struct wy_err *e)
{
	const char *state = PQresultErrorField(res, PG_DIAG_SQLSTATE);
	int nokey = state != NULL && strcmp(state, "42P10") == 0;
	size_t n;

	fail(w, res, e);
	if (!nokey)
		return -1;
	n = strlen(e->msg);
	snprintf(e->msg + n, sizeof e->msg - n,
	    " (--key needs a UNIQUE constraint or index on its columns)");
	return -1;
}

/* The temporary table of an upsert, and the statement prepared early. */
static int
start_upsert(struct wrpg *w, const struct load_spec *s, struct wy_err *e)
{
	struct load_sql q = { 0 };
	const char *sql;
	PGresult *res;

	fresh_name(w->tmp, "wy_upsert", s);
	fresh_name(w->rowno, "wy_row", s);
	load_sql_add(&q, "CREATE TEMPORARY TABLE ");
	load_sql_ident(&q, w->tmp);
	load_sql_add(&q, " ON COMMIT DROP AS SELECT ");
	load_sql_cols(&q, s);
	load_sql_add(&q, " FROM ");
	load_sql_ident(&q, s->table);
	load_sql_add(&q, " WITH NO DATA");
	if (run_sql(w, &q, 0, NULL, e) < 0)
		return -1;
	load_sql_add(&q, "ALTER TABLE pg_temp.");
	load_sql_ident(&q, w->tmp);
	load_sql_add(&q, " ADD COLUMN ");
	load_sql_ident(&q, w->rowno);
	load_sql_add(&q, " bigint GENERATED ALWAYS AS IDENTITY");
	if (run_sql(w, &q, 0, NULL, e) < 0)
		return -1;
	upsert_sql(w, &q, s);
	if ((sql = load_sql_text(&q, e)) == NULL)
		return -1;
	res = PQprepare(w->conn, "wy_upsert", sql, 0, NULL);
	load_sql_free(&q);
	if (PQresultStatus(res) != PGRES_COMMAND_OK)
		return upsert_fail(w, res, e);
	PQclear(res);
	/* planning finds the key's unique index, or fails: now, not at the end */
	res = PQexec(w->conn, "EXPLAIN (COSTS OFF) EXECUTE wy_upsert");
	if (PQresultStatus(res) != PGRES_TUPLES_OK)
		return upsert_fail(w, res, e);
	PQclear(res);
	return 0;
}

static int
wrpg_start(void *h, const struct load_spec *s, const struct load_cell *where,
    struct wy_err *e)
{
	struct wrpg *w = h;
	struct load_sql q = { 0 };

	w->spec = s;
	if (s->mode == LOAD_REPLACE || s->mode == LOAD_REPLACE_WHERE) {
		load_sql_add(&q, "DELETE FROM ");
		load_sql_ident(&q, s->table);
		if (s->mode == LOAD_REPLACE_WHERE) {
			load_sql_add(&q, " WHERE ");
			load_sql_ident(&q, s->cols[s->wherecol].name);
			load_sql_add(&q, " = $1");
		}
		if (run_sql(w, &q, s->mode == LOAD_REPLACE_WHERE, &where->p, e) < 0)
			return -1;
	}
	if (s->mode == LOAD_UPSERT && start_upsert(w, s, e) < 0)
		return -1;
	load_sql_add(&q, "COPY ");
	if (s->mode == LOAD_UPSERT) {
		load_sql_add(&q, "pg_temp.");
		load_sql_ident(&q, w->tmp);
	} else {
		load_sql_ident(&q, s->table);
	}
	load_sql_add(&q, " (");
	load_sql_cols(&q, s);
	load_sql_add(&q, ") FROM STDIN");
	if (run_sql(w, &q, 0, NULL, e) < 0)
		return -1;
	w->incopy = 1;
	return 0;
}

/* Send the COPY data buffered so far. */
static int
flush_copy(struct wrpg *w, struct wy_err *e)
{
	if (w->len > 0 && PQputCopyData(w->conn, w->buf, w->len) != 1)
		return set_err(e, WY_EXIT_IO, "COPY", PQerrorMessage(w->conn), NULL);
	w->len = 0;
	return 0;
}

/* Append a cell in COPY text form; room for 2 * len + 3 bytes is there. */
static char *
put_cell(char *d, const struct load_cell *c)
{
	if (c->p == NULL) {
		memcpy(d, "\\N", 2);
		return d + 2;
	}
	return d + tsv_escape(d, c->p, c->len);
}

static int
wrpg_row(void *h, const struct load_cell *cells, struct wy_err *e)
{
	struct wrpg *w = h;
	size_t need = 0;
	char *d;

	for (size_t i = 0; i < w->spec->ncols; i++)
		need += 2 * cells[i].len + 3;
	if (w->len + need > w->cap && flush_copy(w, e) < 0)
		return -1;
	if (need > w->cap && wy_grow(&w->buf, &w->cap, need, (size_t)-1 / 2, e) < 0)
		return -1;
	d = w->buf + w->len;
	for (size_t i = 0; i < w->spec->ncols; i++) {
		if (i > 0)
			*d++ = '\t';
		d = put_cell(d, &cells[i]);
	}
	*d++ = '\n';
	w->len = d - w->buf;
	return 0;
}

/* End the COPY; its result tells whether the server took every row. */
static int
end_copy(struct wrpg *w, const char *why, struct wy_err *e)
{
	PGresult *res;
	int rc = 0;

	w->incopy = 0;
	if (PQputCopyEnd(w->conn, why) != 1)
		return set_err(e, WY_EXIT_IO, "COPY", PQerrorMessage(w->conn), NULL);
	while ((res = PQgetResult(w->conn)) != NULL) {
		if (rc == 0 && PQresultStatus(res) != PGRES_COMMAND_OK) {
			rc = fail(w, res, e);
			continue;
		}
		PQclear(res);
	}
	return rc;
}

static int
wrpg_commit(void *h, struct wy_err *e)
{
	struct wrpg *w = h;
	PGresult *res;

	if (flush_copy(w, e) < 0 || end_copy(w, NULL, e) < 0)
		return -1;
	if (w->spec->mode == LOAD_UPSERT) {
		res = PQexecPrepared(w->conn, "wy_upsert", 0, NULL, NULL, NULL, 0);
		if (PQresultStatus(res) != PGRES_COMMAND_OK)
			return upsert_fail(w, res, e);
		PQclear(res);
	}
	if (run(w, "COMMIT", 0, NULL, NULL, e) < 0)
		return -1;
	w->committed = 1;
	return 0;
}

static void
wrpg_close(void *h)
{
	struct wrpg *w = h;
	struct wy_err e;

	if (w->incopy)
		end_copy(w, "wy-load stopped", &e);
	if (w->intx && !w->committed)
		PQclear(PQexec(w->conn, "ROLLBACK"));
	PQfinish(w->conn);
	free(w->buf);
	free(w);
}

static void
quiet(void *arg, const char *msg)
{
	(void)arg;
	(void)msg;
}

static const struct load_ops ops = {
	.double_only = 0,
	.begin = wrpg_begin,
	.lookup = wrpg_lookup,
	.create = wrpg_create,
	.start = wrpg_start,
	.row = wrpg_row,
	.commit = wrpg_commit,
	.close = wrpg_close,
};

int
wrpg_open(struct load_db *db, const char *conninfo, struct wy_err *e)
{
	static const char *const keys[] = { "dbname", "client_encoding",
		"fallback_application_name", NULL };
	const char *vals[] = { conninfo, "UTF8", "wy-load", NULL };
	struct wrpg *w = calloc(1, sizeof *w);

	if (w == NULL || (w->buf = malloc(WRPG_CHUNK)) == NULL) {
		free(w);
		return wy_errf(e, WY_EXIT_IO, "out of memory");
	}
	w->cap = WRPG_CHUNK;
	w->conn = PQconnectdbParams(keys, vals, 1);
	if (PQstatus(w->conn) != CONNECTION_OK) {
		set_err(e, WY_EXIT_IO, "cannot connect",
		    w->conn ? PQerrorMessage(w->conn) : "out of memory", NULL);
		PQfinish(w->conn);
		free(w->buf);
		free(w);
		return -1;
	}
	PQsetNoticeProcessor(w->conn, quiet, NULL);
	db->ops = &ops;
	db->h = w;
	return 0;
}
