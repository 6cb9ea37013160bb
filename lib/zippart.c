#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <unzip.h>

#include "zippart.h"

int
zip_open(struct zip *z, const char *path, const char *name,
    unsigned long long limit, struct wy_err *e)
{
	int fd;

	memset(z, 0, sizeof *z);
	z->name = name;
	z->limit = limit;
	/* minizip cannot tell a missing file from a bad one: ask first */
	if ((fd = open(path, O_RDONLY)) < 0)
		return wy_syserr(e, errno, "%s", name);
	close(fd);
	if ((z->uf = unzOpen64(path)) == NULL)
		return wy_errf(e, WY_EXIT_DATA,
		    "%s: not a zip file, or a truncated or corrupt one", name);
	return 0;
}

/* Make part's entry the current one; 0 or -1 when there is none. */
static int
locate(struct zip *z, const char *part)
{
	while (*part == '/')
		part++;
	/* 2: case-insensitive, as OPC part names are */
	return unzLocateFile(z->uf, part, 2) == UNZ_OK ? 0 : -1;
}

int
zip_has(struct zip *z, const char *part)
{
	zip_part_close(z);
	return locate(z, part) == 0;
}

int
zip_part_open(struct zip *z, const char *part, struct wy_err *e)
{
	unz_file_info64 info;

	zip_part_close(z);
	if (locate(z, part) < 0)
		return wy_errf(e, WY_EXIT_DATA, "%s: no part %s in the zip",
		    z->name, part);
	if (unzGetCurrentFileInfo64(z->uf, &info, NULL, 0, NULL, 0, NULL, 0) !=
	    UNZ_OK)
		return wy_errf(e, WY_EXIT_DATA, "%s: %s: corrupt zip entry",
		    z->name, part);
	if (info.flag & 1)
		return wy_errf(e, WY_EXIT_DATA, "%s: %s is encrypted", z->name,
		    part);
	/*
	 * A part that says it is too big is refused before a byte is
	 * inflated (an honest bomb then costs nothing); one that says less
	 * is still counted as it inflates.
	 */
	if (info.uncompressed_size > z->limit)
		return wy_errf(e, WY_EXIT_DATA,
		    "%s: %s inflates past %llu bytes (--max-inflate)", z->name,
		    part, z->limit);
	if (info.compression_method != 0 && info.compression_method != Z_DEFLATED)
		return wy_errf(e, WY_EXIT_DATA,
		    "%s: %s: unknown compression method %lu", z->name, part,
		    info.compression_method);
	if (unzOpenCurrentFile(z->uf) != UNZ_OK)
		return wy_errf(e, WY_EXIT_DATA, "%s: %s: corrupt zip entry",
		    z->name, part);
	if ((z->part = strdup(part)) == NULL) {
		unzCloseCurrentFile(z->uf);
		return wy_errf(e, WY_EXIT_IO, "out of memory");
	}
	z->ninflated = 0;
	z->eof = 0;
	return 0;
}

ssize_t
zip_part_read(struct zip *z, char *buf, size_t cap, struct wy_err *e)
{
	int n;

	if (z->part == NULL || z->eof)
		return 0;
	if (cap > INT_MAX)
		cap = INT_MAX;
	if ((n = unzReadCurrentFile(z->uf, buf, (unsigned)cap)) < 0)
		return wy_errf(e, WY_EXIT_DATA,
		    "%s: %s: corrupt or truncated zip data", z->name, z->part);
	if (n == 0) {
		z->eof = 1;
		/* minizip checks the CRC on closing a part read to its end */
		if (unzCloseCurrentFile(z->uf) != UNZ_OK)
			return wy_errf(e, WY_EXIT_DATA,
			    "%s: %s: corrupt zip data (bad CRC)", z->name,
			    z->part);
		return 0;
	}
	z->ninflated += (unsigned)n;
	if (z->ninflated > z->limit)
		return wy_errf(e, WY_EXIT_DATA,
		    "%s: %s inflates past %llu bytes (--max-inflate)", z->name,
		    z->part, z->limit);
	return n;
}

void
zip_part_close(struct zip *z)
{
	if (z->part == NULL)
		return;
	if (!z->eof)
		unzCloseCurrentFile(z->uf);
	free(z->part);
	z->part = NULL;
}

void
zip_close(struct zip *z)
{
	if (z->uf == NULL)
		return;
	zip_part_close(z);
	unzClose(z->uf);
	z->uf = NULL;
}
