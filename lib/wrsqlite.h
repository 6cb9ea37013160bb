/*
 * wrsqlite: wy-load's writer for SQLite, through libsqlite3.
 *
 * The database file is put in WAL mode; a run is one BEGIN IMMEDIATE
 * transaction whose rows go through one prepared INSERT (with ON CONFLICT
 * DO UPDATE for an upsert), values bound as parameters: integers as
 * int64, the rest as text that the column's affinity reads.  Column types
 * made: INTEGER, NUMERIC, TEXT, DATE, DATETIME, BOOLEAN; a NUMERIC keeps
 * numbers as int64 or double, so the numbers it takes are those a double
 * keeps exactly (COLTYPE_NUMBER15).
 */
#ifndef WY_WRSQLITE_H
#define WY_WRSQLITE_H

#include "load.h"

/* How long to wait for another writer to finish, in milliseconds. */
#define WRSQLITE_BUSY_MS 10000

/*
 * Open (creating it if missing) the database file path into db.  Returns
 * 0, or -1 with e set (WY_EXIT_IO: cannot open, not a database).
 */
int wrsqlite_open(struct load_db *db, const char *path, struct wy_err *e);

#endif
