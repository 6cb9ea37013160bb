/*
 * zippart: the parts of a zip file (an .xlsx package), read one at a time,
 * with every part's inflated size capped.
 *
 * The cap counts the bytes actually inflated, never trusting the sizes
 * the zip headers claim, so a zip bomb ends with an error after at most
 * limit bytes (plus one read's worth); a part whose header owns up to
 * more than limit is refused at once.  Part names are matched as OPC names
 * are: ASCII case-insensitively, without a leading "/".  One part is
 * open at a time.  minizip does the work (its header is not included
 * here: only lib/zippart.c needs to see unzip.h).
 */
#ifndef WY_ZIPPART_H
#define WY_ZIPPART_H

#include <stddef.h>
#include <sys/types.h>

#include "util.h"

struct zip {
	void *uf;	  /* minizip's unzFile */
	const char *name; /* the file's name for messages */
	unsigned long long limit; /* bytes one part may inflate to */
	/* the open part */
	char *part;		   /* its name, or NULL when none is open */
	unsigned long long ninflated; /* bytes inflated from it so far */
	int eof;		   /* read to its end (and CRC checked) */
};

/*
 * Open the zip file at path; name is used in messages (as "NAME: ...").
 * Returns 0, or -1 with e set: WY_EXIT_IO when the file cannot be opened,
 * WY_EXIT_DATA when it is not a zip (or a truncated one: its directory
 * is at the end).
 */
int zip_open(struct zip *z, const char *path, const char *name,
    unsigned long long limit, struct wy_err *e);

/* Does the zip hold this part? 1 or 0. */
int zip_has(struct zip *z, const char *part);

/*
 * Start reading a part (closing the one open, if any).  Returns 0, or -1
 * with e set (WY_EXIT_DATA): the part is missing, encrypted, stored with
 * a compression method minizip cannot undo, or says it inflates to more
 * than z->limit bytes.
 */
int zip_part_open(struct zip *z, const char *part, struct wy_err *e);

/*
 * Up to cap bytes of the open part's inflated data into buf.  Returns the
 * count, 0 at its end (after checking its CRC), or -1 with e set
 * (WY_EXIT_DATA): corrupt or truncated data, a bad CRC, or more than
 * z->limit bytes inflated ("NAME: PART inflates past LIMIT bytes").
 */
ssize_t zip_part_read(struct zip *z, char *buf, size_t cap, struct wy_err *e);

/* Stop reading the open part (if any). */
void zip_part_close(struct zip *z);

/* Close the zip file (and its open part). */
void zip_close(struct zip *z);

#endif
