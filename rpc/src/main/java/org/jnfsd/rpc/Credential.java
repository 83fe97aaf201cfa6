package org.jnfsd.rpc;

/** The caller's RPC credential (RFC 5531 §8.2, AUTH_NONE and AUTH_SYS). */
public sealed interface Credential permits Credential.AuthNone, Credential.AuthSys {

    /** AUTH_NONE: anonymous. */
    record AuthNone() implements Credential {
        public static final AuthNone INSTANCE = new AuthNone();
    }

    /** AUTH_SYS (flavor 1): uid, gid and up to 16 supplementary gids, as the client asserts them. */
    record AuthSys(int stamp, String machineName, int uid, int gid, int[] gids) implements Credential {
        public AuthSys {
            gids = gids.clone();
        }

        @Override
        public int[] gids() {
            return gids.clone();
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
}
