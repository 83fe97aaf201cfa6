package org.jnfsd.core.callback;

import java.util.function.BooleanSupplier;
import org.jnfsd.protocol.nfs4.session.SessionId;

/**
 * The path a client's callbacks take, and how each call is framed.
 *
 * <ul>
 *   <li>4.1/4.2 ({@link #sequenced()}): a session's backchannel. CB_SEQUENCE names the session
 *       and one of the {@code slots} back-channel slots the client offered (ca_maxrequests); the
 *       transport uses the session's back connections, and {@code hasConnection} says whether one
 *       is bound right now. Such a path cannot reconnect by itself (row 07).
 *   <li>4.0 ({@link #v40}): a connection the server dials to the client's cb_client4 address.
 *       No session, no slots, no CB_SEQUENCE: each CB_COMPOUND has minor version 0 and carries the
 *       client's {@code callbackIdent}. The transport re-dials when asked again, so a DOWN channel
 *       re-probes by itself ({@link #reconnects()}), with bounded back-off.
 * </ul>
 */
public record CallbackPath(SessionId sessionId, int slots, int minorVersion, CallbackTransport transport,
        BooleanSupplier hasConnection, int callbackIdent) {
    public CallbackPath {
        if (slots < 1) {
            throw new IllegalArgumentException("a backchannel needs at least one slot");
        }
        if ((sessionId == null) != (minorVersion == 0)) {
            throw new IllegalArgumentException("a session path is 4.1 or later, a sessionless one 4.0");
        }
    }

    /** A 4.1/4.2 session backchannel. */
    public CallbackPath(SessionId sessionId, int slots, int minorVersion, CallbackTransport transport,
            BooleanSupplier hasConnection) {
        this(sessionId, slots, minorVersion, transport, hasConnection, 0);
    }

    /** A 4.0 path over {@code transport}, whose CB_COMPOUNDs carry {@code callbackIdent}. */
    public static CallbackPath v40(int callbackIdent, CallbackTransport transport) {
        return new CallbackPath(null, 1, 0, transport, () -> true, callbackIdent);
    }

    /** Whether calls go with CB_SEQUENCE on a backchannel slot (4.1 and later). */
    public boolean sequenced() {
        return sessionId != null;
    }

    /** Whether the transport can open a new connection itself (4.0): a DOWN channel then re-probes. */
    public boolean reconnects() {
        return !sequenced();
    }
}
