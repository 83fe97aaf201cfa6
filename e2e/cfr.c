/* copy_file_range helper for e2e/copy-file-range.sh: cfr SRC DST copies SRC to DST (created,
 * truncated) with copy_file_range(2) only, and fails if the kernel refuses. Build statically:
 * gcc -static -O2 -o cfr cfr.c */
#define _GNU_SOURCE
#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <errno.h>
#include <sys/stat.h>
#include <unistd.h>

int main(int argc, char **argv) {
    if (argc != 3) {
        fprintf(stderr, "usage: cfr SRC DST\n");
        return 2;
    }
    int in = open(argv[1], O_RDONLY);
    if (in < 0) { perror(argv[1]); return 1; }
    int out = open(argv[2], O_WRONLY | O_CREAT | O_TRUNC, 0644);
    if (out < 0) { perror(argv[2]); return 1; }
    struct stat st;
    if (fstat(in, &st) != 0) { perror("fstat"); return 1; }
    off_t left = st.st_size;
    long calls = 0;
    while (left > 0) {
        ssize_t n = copy_file_range(in, NULL, out, NULL, (size_t) left, 0);
        if (n < 0) { fprintf(stderr, "copy_file_range: %s\n", strerror(errno)); return 1; }
        if (n == 0) { fprintf(stderr, "copy_file_range: early end of file\n"); return 1; }
        left -= n;
        calls++;
    }
    if (fsync(out) != 0) { perror("fsync"); return 1; }
    printf("cfr: copied %lld bytes in %ld calls\n", (long long) st.st_size, calls);
    return close(out) == 0 && close(in) == 0 ? 0 : 1;
}
