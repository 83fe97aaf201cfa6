package org.jnfsd.core.callback;

import java.util.function.BooleanSupplier;
import org.jnfsd.protocol.nfs4.session.SessionId;

/**
 * The backchannel a client's callbacks use: the session whose back-channel slots CB_SEQUENCE
 * names, how many slots the client offered (ca_maxrequests of the back channel), the minor version
 * for CB_COMPOUND, the transport, and whether a back-channel connection is bound right now.
 */
public record CallbackPath(SessionId sessionId, int slots, int minorVersion, CallbackTransport transport,
        BooleanSupplier hasConnection) {
    public CallbackPath {
        if (slots < 1) {
            throw new IllegalArgumentException("a backchannel needs at least one slot");
        }
    }
}
