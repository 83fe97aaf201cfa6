/*
 * The guest's busybox has no setfattr/getfattr: this tiny static helper does what e2e/xattr.sh
 * needs, on a path (never following a final symlink: the l* calls).
 *   xattrtool set PATH NAME VALUE [create|replace]
 *   xattrtool get PATH NAME          the value on stdout
 *   xattrtool list PATH              the names, one a line
 *   xattrtool dump PATH              NAME="VALUE" lines of the user. names, as getfattr -d
 *   xattrtool remove PATH NAME
 * On failure: "xattrtool: CALL: ERRNO-NAME" on stderr and exit 1 (ENODATA, EEXIST ... by name).
 * Build: gcc -static -O2 -o e2e/xattrtool e2e/xattrtool.c
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/xattr.h>

static const char *errname(int e) {
    switch (e) {
    case ENODATA: return "ENODATA";
    case EEXIST: return "EEXIST";
    case EPERM: return "EPERM";
    case EACCES: return "EACCES";
    case ENOTSUP: return "ENOTSUP";
    case E2BIG: return "E2BIG";
    case ERANGE: return "ERANGE";
    case ENOSPC: return "ENOSPC";
    case ENOENT: return "ENOENT";
    default: return strerror(e);
    }
}

static int fail(const char *call) {
    fprintf(stderr, "xattrtool: %s: %s\n", call, errname(errno));
    return 1;
}

static char value[65536 + 1];
static char names[65536];

int main(int argc, char **argv) {
    if (argc >= 5 && strcmp(argv[1], "set") == 0) {
        int flags = 0;
        if (argc >= 6 && strcmp(argv[5], "create") == 0) flags = XATTR_CREATE;
        if (argc >= 6 && strcmp(argv[5], "replace") == 0) flags = XATTR_REPLACE;
        return lsetxattr(argv[2], argv[3], argv[4], strlen(argv[4]), flags) == 0 ? 0 : fail("lsetxattr");
    }
    if (argc == 4 && strcmp(argv[1], "get") == 0) {
        ssize_t n = lgetxattr(argv[2], argv[3], value, sizeof value - 1);
        if (n < 0) return fail("lgetxattr");
        fwrite(value, 1, (size_t) n, stdout);
        return 0;
    }
    if (argc == 4 && strcmp(argv[1], "remove") == 0) {
        return lremovexattr(argv[2], argv[3]) == 0 ? 0 : fail("lremovexattr");
    }
    if (argc == 3 && (strcmp(argv[1], "list") == 0 || strcmp(argv[1], "dump") == 0)) {
        ssize_t n = llistxattr(argv[2], names, sizeof names);
        if (n < 0) return fail("llistxattr");
        for (char *p = names; p < names + n; p += strlen(p) + 1) {
            if (strcmp(argv[1], "list") == 0) {
                printf("%s\n", p);
            } else if (strncmp(p, "user.", 5) == 0) {
                ssize_t v = lgetxattr(argv[2], p, value, sizeof value - 1);
                if (v < 0) return fail("lgetxattr");
                value[v] = 0;
                printf("%s=\"%s\"\n", p, value);
            }
        }
        return 0;
    }
    fprintf(stderr, "usage: xattrtool set|get|list|dump|remove PATH [NAME [VALUE [create|replace]]]\n");
    return 2;
}
