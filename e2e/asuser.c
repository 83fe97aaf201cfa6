/* Helper for e2e/posix.sh: runs a command as another user. Build statically:
 *   gcc -static -O2 -o asuser asuser.c
 *   asuser UID GID[,SUPPLEMENTARY...] CMD [ARG...]
 * sets the supplementary groups (the listed ones after the first), the gid, then the uid, and
 * executes CMD (looked up in PATH). Exit 127 when a step fails. */
#define _GNU_SOURCE
#include <grp.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

int main(int argc, char **argv) {
    if (argc < 4) { fprintf(stderr, "usage: asuser UID GID[,GID...] CMD [ARG...]\n"); return 2; }
    uid_t uid = (uid_t)atol(argv[1]);
    gid_t groups[64];
    int n = 0;
    char *list = strdup(argv[2]);
    for (char *tok = strtok(list, ","); tok && n < 64; tok = strtok(NULL, ",")) groups[n++] = (gid_t)atol(tok);
    if (n == 0) { fprintf(stderr, "asuser: no gid\n"); return 2; }
    if (setgroups(n - 1, groups + 1) != 0) { perror("setgroups"); return 127; }
    if (setgid(groups[0]) != 0) { perror("setgid"); return 127; }
    if (setuid(uid) != 0) { perror("setuid"); return 127; }
    execvp(argv[3], argv + 3);
    perror(argv[3]);
    return 127;
}
