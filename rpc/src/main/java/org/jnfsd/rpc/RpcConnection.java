package org.jnfsd.rpc;

import java.net.InetSocketAddress;

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

    /** Runs {@code listener} once when the connection closes (at once if it already has). */
    void onClose(Runnable listener);

    /** Closes the connection; pending outgoing calls fail. */
    void close();
}
