package org.jnfsd.rpc;

/**
 * An outgoing call (see {@link RpcConnection#callAsync}) got no usable reply. The reason says
 * whether retrying on another connection can help ({@link Reason#CONNECTION_CLOSED},
 * {@link Reason#SEND_FAILED}) or the peer is slow or broken ({@link Reason#TIMED_OUT},
 * {@link Reason#MALFORMED_REPLY}).
 */
public final class RpcCallException extends Exception {
    /** Why the call failed. */
    public enum Reason {
        /** The connection closed (or was already closed) before the reply arrived. */
        CONNECTION_CLOSED,
        /** No reply within the call's timeout. */
        TIMED_OUT,
        /** The call could not be written to the connection. */
        SEND_FAILED,
        /** A reply with the call's xid arrived but could not be decoded. */
        MALFORMED_REPLY,
        /** Another call with the same xid is still pending (after 2^32 calls on one connection). */
        XID_IN_USE
    }

    private final Reason reason;

    public RpcCallException(Reason reason, String message) {
        super(message);
        this.reason = reason;
    }

    public RpcCallException(Reason reason, String message, Throwable cause) {
        super(message, cause);
        this.reason = reason;
    }

    public Reason reason() {
        return reason;
    }
}
