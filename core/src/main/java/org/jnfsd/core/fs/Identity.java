package org.jnfsd.core.fs;

import org.jnfsd.rpc.Credential;

/** The effective caller for permission checks, after AUTH_NONE and root squash mapping. */
public record Identity(int uid, int gid, int[] gids) {

    /** The caller as a client rule's options map it: AUTH_NONE and squashed callers are anonymous. */
    public static Identity of(Credential cred, ExportOptions options) {
        Identity anon = new Identity(options.anonUid(), options.anonGid(), new int[0]);
        return switch (cred) {
            case Credential.AuthNone n -> anon;
            case Credential.AuthSys s when options.squash() == ExportOptions.Squash.ALL_SQUASH -> anon;
            case Credential.AuthSys s when s.uid() == 0 && options.squash() == ExportOptions.Squash.ROOT_SQUASH -> anon;
            case Credential.AuthSys s -> new Identity(s.uid(), s.gid(), s.gids());
        };
    }

    public boolean isRoot() {
        return uid == 0;
    }

    public boolean inGroup(int g) {
        if (g == gid) {
            return true;
        }
        for (int x : gids) {
            if (x == g) {
                return true;
            }
        }
        return false;
    }
}
