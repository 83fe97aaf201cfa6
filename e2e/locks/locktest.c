/*
 * POSIX byte-range locks through the Linux NFS client, run inside the e2e guest on the mount.
 * Parent and child are different lock owners (their own file tables). Every result is checked;
 * exit status 0 only when all pass. Built static on the host by ./run.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

static int failures;

#define CHECK(cond, ...) do { if (!(cond)) { failures++; printf("FAIL %s:%d: ", __FILE__, __LINE__); \
    printf(__VA_ARGS__); printf(" (errno %d %s)\n", errno, strerror(errno)); } else { printf("ok: "); \
    printf(__VA_ARGS__); printf("\n"); } fflush(stdout); } while (0)

static int lk(int fd, int cmd, short type, off_t start, off_t len) {
    struct flock fl = {.l_type = type, .l_whence = SEEK_SET, .l_start = start, .l_len = len};
    return fcntl(fd, cmd, &fl);
}

/*
 * --wait-host FILE: another NFS client (HostLockHolder on the host) holds a write lock on the whole
 * file. A non-blocking lock is denied; F_SETLKW blocks until the host unlocks, and the server's
 * CB_NOTIFY_LOCK tells this client to retry (the host checks that it was answered).
 */
static int wait_host(const char *path) {
    int fd = open(path, O_RDWR);
    CHECK(fd >= 0, "open %s (created and locked by the host)", path);
    CHECK(lk(fd, F_SETLK, F_WRLCK, 0, 0) == -1 && (errno == EAGAIN || errno == EACCES),
          "non-blocking write lock denied while the host holds the file");
    CHECK(lk(fd, F_SETLKW, F_WRLCK, 0, 0) == 0, "blocking write lock granted after the host's unlock");
    CHECK(lk(fd, F_SETLK, F_UNLCK, 0, 0) == 0, "unlock");
    CHECK(close(fd) == 0, "close");
    printf("%s: %d failures\n", failures ? "FAILED" : "PASSED", failures);
    return failures ? 1 : 0;
}

int main(int argc, char **argv) {
    if (argc > 2 && strcmp(argv[1], "--wait-host") == 0) {
        return wait_host(argv[2]);
    }
    const char *path = argc > 1 ? argv[1] : "lockfile";
    int fd = open(path, O_RDWR | O_CREAT, 0666);
    CHECK(fd >= 0, "open %s", path);
    CHECK(write(fd, "0123456789", 10) == 10, "write");

    CHECK(lk(fd, F_SETLK, F_WRLCK, 0, 100) == 0, "parent write lock [0,100)");
    CHECK(lk(fd, F_SETLK, F_WRLCK, 1LL << 62, 0) == 0, "parent write lock [2^62, EOF)");
    CHECK(lk(fd, F_SETLK, F_UNLCK, 40, 20) == 0, "parent unlock [40,60): splits its lock");

    int go[2], done[2];
    CHECK(pipe(go) == 0 && pipe(done) == 0, "pipes");
    pid_t pid = fork();
    if (pid == 0) {
        int cfd = open(path, O_RDWR);
        CHECK(cfd >= 0, "child open");
        CHECK(lk(cfd, F_SETLK, F_WRLCK, 55, 10) == -1 && (errno == EAGAIN || errno == EACCES),
              "child write [55,65) denied (overlaps the parent's [60,100))");
        CHECK(lk(cfd, F_SETLK, F_WRLCK, 45, 10) == 0, "child write [45,55) granted in the hole");
        CHECK(lk(cfd, F_SETLK, F_RDLCK, 30, 20) == -1, "child read [30,50) denied: parent still holds [30,40)");
        struct flock q = {.l_type = F_WRLCK, .l_whence = SEEK_SET, .l_start = 0, .l_len = 10};
        CHECK(fcntl(cfd, F_GETLK, &q) == 0 && q.l_type == F_WRLCK && q.l_start == 0 && q.l_len == 40,
              "child F_GETLK [0,10) reports parent's write lock [0,40) (got type %d start %lld len %lld)",
              q.l_type, (long long) q.l_start, (long long) q.l_len);
        CHECK(lk(cfd, F_SETLK, F_WRLCK, (1LL << 62) + 5, 1) == -1, "child write near 2^62 denied (parent to EOF)");
        CHECK(lk(cfd, F_SETLK, F_WRLCK, 100, 10) == 0, "child write [100,110) granted");
        char c = 'g';
        CHECK(write(go[1], &c, 1) == 1, "child signals it will block");
        /* blocks until the parent unlocks: the client polls with WRITEW_LT */
        CHECK(lk(cfd, F_SETLKW, F_WRLCK, 0, 10) == 0, "child blocking write [0,10) granted after parent's unlock");
        CHECK(write(done[1], &c, 1) == 1, "child signals it holds [0,10)");
        CHECK(read(go[0], &c, 1) == 1, "child waits for the parent's check");
        _exit(failures ? 1 : 0);
    }
    char c;
    CHECK(read(go[0], &c, 1) == 1, "parent sees the child about to block");
    sleep(2);
    CHECK(lk(fd, F_SETLK, F_UNLCK, 0, 0) == 0, "parent unlocks everything");
    CHECK(read(done[0], &c, 1) == 1, "child got the lock");
    CHECK(lk(fd, F_SETLK, F_RDLCK, 5, 1) == -1, "parent read [5,6) denied while child holds [0,10)");
    CHECK(write(go[1], &c, 1) == 1, "parent lets the child exit");
    int status;
    CHECK(waitpid(pid, &status, 0) == pid && WIFEXITED(status) && WEXITSTATUS(status) == 0, "child passed");
    CHECK(lk(fd, F_SETLK, F_WRLCK, 0, 0) == 0, "parent write lock on the whole file after the child exited");
    CHECK(close(fd) == 0, "close with locks (the client unlocks first)");
    printf("%s: %d failures\n", failures ? "FAILED" : "PASSED", failures);
    return failures ? 1 : 0;
}
