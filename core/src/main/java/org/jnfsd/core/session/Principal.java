package org.jnfsd.core.session;

import org.jnfsd.rpc.Credential;

/**
 * Who sent a request, as EXCHANGE_ID and CREATE_SESSION compare it (RFC 8881 §18.35.5): for AUTH_SYS
 * the uid and the machine name, for AUTH_NONE "none".
 */
public record Principal(String name) {
    public static final Principal NONE = new Principal("none");

    public static Principal of(Credential cred) {
        return switch (cred) {
            case Credential.AuthSys sys -> new Principal("sys:" + Integer.toUnsignedString(sys.uid()) + "@"
                    + sys.machineName());
            case Credential.AuthNone none -> NONE;
            case null -> NONE;
        };
    }
}
