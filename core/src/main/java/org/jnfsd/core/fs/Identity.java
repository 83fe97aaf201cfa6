package org.jnfsd.core.fs;

import org.jnfsd.rpc.Credential;

/** The effective caller for permission checks, after AUTH_NONE and root squash mapping. */
public record Identity(int uid, int gid, int[] gids) {

    public static Identity of(Credential cred, Export export) {
        return switch (cred) {
            case Credential.AuthNone n -> new Identity(export.anonUid(), export.anonGid(), new int[0]);
            case Credential.AuthSys s when s.uid() == 0 && export.rootSquash() ->
                    new Identity(export.anonUid(), export.anonGid(), new int[0]);
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
