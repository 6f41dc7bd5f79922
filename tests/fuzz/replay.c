/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * Without libFuzzer: run a fuzz target over every file of the corpus
 * directories (or files) named on the command line, plus every one-byte
 * truncation of each, so that a regular build replays the corpus as a test.
 */
#include <dirent.h>
#include <errno.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static unsigned long runs;

static int
run_file(const char *path)
{
	FILE *f = fopen(path, "rb");
	uint8_t *buf;
	long n;
	size_t len, cut;

	if (f == NULL) {
		fprintf(stderr, "replay: %s: %s\n", path, strerror(errno));
		return -1;
	}
	fseek(f, 0, SEEK_END);
	n = ftell(f);
	rewind(f);
	if (n < 0) {
		fclose(f);
		return -1;
	}
	buf = malloc((size_t)n + 1);
	if (buf == NULL) {
		fclose(f);
		return -1;
	}
	len = fread(buf, 1, (size_t)n, f);
	fclose(f);
	/* Every prefix: truncation is the commonest malformation. */
	for (cut = 0; cut <= len; cut++) {
		uint8_t *copy = malloc(cut ? cut : 1);

		memcpy(copy, buf, cut);
		LLVMFuzzerTestOneInput(copy, cut);
		free(copy);
		runs++;
	}
	free(buf);
	return 0;
}

int
main(int argc, char **argv)
{
	int i, rc = 0;

	for (i = 1; i < argc; i++) {
		struct stat st;
		DIR *d;
		struct dirent *de;

		if (stat(argv[i], &st) != 0) {
			fprintf(stderr, "replay: %s: %s\n", argv[i], strerror(errno));
			return 1;
		}
		if (!S_ISDIR(st.st_mode)) {
			rc |= run_file(argv[i]);
			continue;
		}
		d = opendir(argv[i]);
		while (d != NULL && (de = readdir(d)) != NULL) {
			char path[4096];

			if (de->d_name[0] == '.')
				continue;
			snprintf(path, sizeof(path), "%s/%s", argv[i], de->d_name);
			rc |= run_file(path);
		}
		if (d != NULL)
			closedir(d);
	}
	printf("replay: %lu inputs, no crash\n", runs);
	return rc ? 1 : 0;
}
