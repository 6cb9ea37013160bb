/*
 * wrpg: wy-load's writer for PostgreSQL, through libpq.
 *
 * A run is one transaction whose rows go through COPY ... FROM STDIN in
 * text format, the interchange format itself: each row is written back
 * in its canonical escapes (\t \n \r \\, \N for NULL), so that COPY reads
 * exactly the values wy-load checked.  An upsert COPYs into a temporary
 * table and ends with INSERT ... SELECT ... ON CONFLICT DO UPDATE, the
 * last row of a key winning.  Column types made: bigint, numeric, text,
 * date, timestamp, boolean, integer (years).  The connection's
 * client_encoding is UTF8; the server's notices are not printed.
 */
#ifndef WY_WRPG_H
#define WY_WRPG_H

#include "load.h"

/* COPY data is sent in pieces of this many bytes. */
#define WRPG_CHUNK (64u << 10)

/* The longest identifier PostgreSQL keeps whole (NAMEDATALEN - 1). */
#define WRPG_NAMEMAX 63

/*
 * Connect to conninfo (a postgresql:// URI or libpq key=value words) into
 * db.  Returns 0, or -1 with e set (WY_EXIT_IO: cannot connect).
 */
int wrpg_open(struct load_db *db, const char *conninfo, struct wy_err *e);

#endif
