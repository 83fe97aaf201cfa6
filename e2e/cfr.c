/* Helper for e2e/copy-file-range.sh. Build statically: gcc -static -O2 -o cfr cfr.c
 *   cfr SRC DST            copies SRC to DST (created, truncated) with copy_file_range(2) only
 *   cfr --punch F OFF LEN  fallocate(PUNCH_HOLE | KEEP_SIZE): an NFSv4.2 DEALLOCATE
 *   cfr --alloc F OFF LEN  fallocate(0): an NFSv4.2 ALLOCATE
 *   cfr --seek F OFF       prints "data D hole H": lseek SEEK_DATA and SEEK_HOLE from OFF (SEEK),
 *                          D is -1 when there is no data (ENXIO)
 * Fails (exit 1) when the kernel refuses. */
#define _GNU_SOURCE
#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <errno.h>
#include <sys/stat.h>
#include <unistd.h>

#include <stdlib.h>
#include <linux/falloc.h>

static int space(int argc, char **argv, int mode) {
    if (argc != 5) { fprintf(stderr, "usage: cfr --punch|--alloc F OFF LEN\n"); return 2; }
    int fd = open(argv[2], O_RDWR);
    if (fd < 0) { perror(argv[2]); return 1; }
    if (fallocate(fd, mode, atoll(argv[3]), atoll(argv[4])) != 0) { fprintf(stderr, "fallocate: %s\n", strerror(errno)); return 1; }
    return close(fd) == 0 ? 0 : 1;
}

static int seek(int argc, char **argv) {
    if (argc != 4) { fprintf(stderr, "usage: cfr --seek F OFF\n"); return 2; }
    int fd = open(argv[2], O_RDONLY);
    if (fd < 0) { perror(argv[2]); return 1; }
    off_t off = atoll(argv[3]);
    off_t data = lseek(fd, off, SEEK_DATA);
    if (data < 0 && errno != ENXIO) { fprintf(stderr, "SEEK_DATA: %s\n", strerror(errno)); return 1; }
    off_t hole = lseek(fd, off, SEEK_HOLE);
    if (hole < 0) { fprintf(stderr, "SEEK_HOLE: %s\n", strerror(errno)); return 1; }
    printf("data %lld hole %lld\n", (long long) data, (long long) hole);
    return close(fd) == 0 ? 0 : 1;
}

int main(int argc, char **argv) {
    if (argc > 1 && strcmp(argv[1], "--punch") == 0) return space(argc, argv, FALLOC_FL_PUNCH_HOLE | FALLOC_FL_KEEP_SIZE);
    if (argc > 1 && strcmp(argv[1], "--alloc") == 0) return space(argc, argv, 0);
    if (argc > 1 && strcmp(argv[1], "--seek") == 0) return seek(argc, argv);
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
