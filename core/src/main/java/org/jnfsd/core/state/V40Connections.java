package org.jnfsd.core.state;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.jnfsd.rpc.RpcConnection;

/**
 * Which NFSv4.0 client last named itself on each connection. A 4.0 COMPOUND such as PUTFH +
 * GETATTR, REMOVE, RENAME, LINK or a SETATTR with the anonymous stateid names no client, so the
 * server cannot tell the holder of a delegation from another client by its arguments; 4.1 knows
 * from SEQUENCE. A client sends all its requests on its own connection (the Linux client one per
 * server, and SETCLIENTID on it), so such a COMPOUND is taken to come from the client last bound
 * on its connection, for conflict checks only: a holder's own GETATTR then sends itself no
 * CB_GETATTR and its own REMOVE recalls nothing, as for 4.1. (knfsd cannot tell either, and
 * recalls from the holder.) Nothing else uses it: no lease is renewed, nothing is authorised by
 * it. An entry goes when its connection closes. Thread-safe (a concurrent map).
 */
public final class V40Connections {
    private final Map<Long, Long> lastClient = new ConcurrentHashMap<>();

    /** {@code clientId} was bound by an operation of a COMPOUND on {@code connection} (null: none, unit tests). */
    public void bound(RpcConnection connection, long clientId) {
        if (connection == null) {
            return;
        }
        if (lastClient.put(connection.id(), clientId) == null) {
            // first binding on this connection: forget it when it closes (at once if already closed)
            connection.onClose(() -> lastClient.remove(connection.id()));
        }
    }

    /** The client last bound on {@code connection}, or null. */
    public Long lastBound(RpcConnection connection) {
        return connection == null ? null : lastClient.get(connection.id());
    }

    /** Connections remembered (a gauge for tests: bounded by the open connections). */
    public int size() {
        return lastClient.size();
    }
}
