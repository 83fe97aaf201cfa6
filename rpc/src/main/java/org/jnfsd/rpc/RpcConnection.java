package org.jnfsd.rpc;

import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.concurrent.CompletionStage;
import java.util.function.Consumer;
import org.jnfsd.protocol.xdr.XdrEncoder;

/**
 * One transport connection, usable in both call directions: it receives calls for the programs
 * served on it and can send calls to the peer (the NFSv4.1 backchannel runs on the client's own
 * connection). Thread-safe.
 */
public interface RpcConnection {
    /** A process-unique id, stable for the connection's life. */
    long id();

    InetSocketAddress remoteAddress();

    InetSocketAddress localAddress();

    boolean isOpen();

    /**
     * Runs {@code listener} once when the connection closes: on a virtual thread of its own when
     * the close happens later, or at once on the calling thread if the connection is already
     * closed. A listener may block.
     */
    void onClose(Runnable listener);

    /**
     * Reserves room for a reply of about {@code bytes} before a call builds it (a large READ):
     * waits, on the call's thread, until the connection's unsent replies leave room for it within
     * its back-pressure bound and the server's memory budget. The reservation is the call's
     * until its reply is queued. Call only from a call's own thread; blocks.
     *
     * @return false if the connection closed, or did not drain within its drain timeout: the
     *     caller should answer without the large reply (NFS4ERR_DELAY)
     */
    default boolean reserveReply(long bytes) {
        return true;
    }

    /**
     * Says the connection now carries a session (NFSv4.1 CREATE_SESSION, BIND_CONN_TO_SESSION,
     * SEQUENCE): the idle timeout no longer closes it.
     */
    default void markSessionBound() {
    }

    /** Closes the connection; pending outgoing calls fail. Does not wait. */
    void close();

    /**
     * Sends a call to the peer and returns its reply. The call header (a fresh xid, RPC version 2,
     * {@code cred}, an AUTH_NONE verifier) is written by the RPC layer, then {@code args} writes
     * the procedure's arguments, on the calling thread, into the outgoing buffer.
     *
     * <p>The stage completes on a virtual thread (never on an event loop, so dependent actions may
     * block) with the {@link RpcReply} whatever its status (denied and non-SUCCESS replies are
     * replies, not failures), or fails with {@link RpcCallException} when the connection closes
     * first, the timeout passes, the call cannot be sent or the reply is malformed, or with the
     * exception thrown by {@code args}. A failed or timed-out call is forgotten: a late reply is
     * dropped.
     *
     * @param timeout how long to wait for the reply, counted from this call
     */
    CompletionStage<RpcReply> callAsync(int program, int version, int procedure, Credential cred,
            Consumer<XdrEncoder> args, Duration timeout);
}
