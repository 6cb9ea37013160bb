/*
 * Replays a fuzz target's corpus without libFuzzer, so that `make check`
 * (and its ASan build) runs every input a fuzzer ever kept or crashed on.
 * usage: fuzz-NAME DIR; prints "fuzz-NAME: N passed, 0 failed".
 */
#include <dirent.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static int
replay(const char *path)
{
	FILE *f = fopen(path, "rb");
	unsigned char *buf = NULL;
	size_t n = 0, cap = 0;

	if (f == NULL)
		return -1;
	for (;;) {
		if (n == cap && (buf = realloc(buf, cap = cap * 2 + 4096)) == NULL)
			abort();
		size_t got = fread(buf + n, 1, cap - n, f);
		if (got == 0)
			break;
		n += got;
	}
	fclose(f);
	LLVMFuzzerTestOneInput(buf, n);
	free(buf);
	return 0;
}

int
main(int argc, char **argv)
{
	const char *name = strrchr(argv[0], '/') ? strrchr(argv[0], '/') + 1 : argv[0];
	char path[4096];
	struct dirent *d;
	DIR *dir;
	int n = 0;

	if (argc != 2 || (dir = opendir(argv[1])) == NULL) {
		fprintf(stderr, "usage: %s CORPUS-DIR\n", name);
		return 2;
	}
	while ((d = readdir(dir)) != NULL) {
		if (d->d_name[0] == '.')
			continue;
		snprintf(path, sizeof path, "%s/%s", argv[1], d->d_name);
		if (replay(path) == 0)
			n++;
	}
	closedir(dir);
	printf("%s: %d passed, 0 failed\n", name, n);
	return 0;
}
