package org.jnfsd.client;

import java.io.IOException;
import java.io.InterruptedIOException;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.atomic.AtomicBoolean;
import org.jnfsd.protocol.nfs4.CompoundReply;
import org.jnfsd.protocol.nfs4.CompoundRequest;
import org.jnfsd.protocol.nfs4.OpArgs;
import org.jnfsd.protocol.xdr.XdrException;
import org.jnfsd.rpc.Credential;
import org.jnfsd.rpc.RpcClient;
import org.jnfsd.rpc.RpcConnection;
import org.jnfsd.rpc.RpcReply;

/**
 * A small NFSv4.0 client for integration tests: one TCP connection, COMPOUNDs of minor version 0
 * (no SEQUENCE: 4.0 has no sessions). What 4.0 needs of a client record (SETCLIENTID,
 * SETCLIENTID_CONFIRM, RENEW) the test sends as ordinary operations.
 *
 * <pre>
 *   connect() ──► OPEN ──close()──► CLOSED
 * </pre>
 *
 * Thread-safe: COMPOUNDs may be sent by many threads at once.
 */
public final class NfsV40Client implements AutoCloseable {
    private static final int PROC_COMPOUND = 1;
    private static final Duration DEFAULT_TIMEOUT = Duration.ofSeconds(30);

    private final RpcClient rpc;
    private final RpcConnection connection;
    private final Credential credential;
    private final AtomicBoolean closed = new AtomicBoolean();

    private NfsV40Client(RpcClient rpc, RpcConnection connection, Credential credential) {
        this.rpc = rpc;
        this.connection = connection;
        this.credential = credential;
    }

    /** Connects; no client record is made. */
    public static NfsV40Client connect(InetSocketAddress server, Credential credential) throws IOException {
        RpcClient rpc = RpcClient.create();
        try {
            return new NfsV40Client(rpc, rpc.connect(server, List.of()), credential);
        } catch (IOException | RuntimeException e) {
            rpc.close();
            throw e;
        }
    }

    public RpcConnection connection() {
        return connection;
    }

    public Credential credential() {
        return credential;
    }

    /** Sends one COMPOUND of minor version 0 with {@code ops}; error statuses are returned, not thrown. */
    public CompoundReply compound(OpArgs... ops) throws IOException {
        return compound(credential, ops);
    }

    /** As {@link #compound(OpArgs...)} with another credential (principal tests). */
    public CompoundReply compound(Credential cred, OpArgs... ops) throws IOException {
        return compoundOfMinor(cred, 0, ops);
    }

    /** A COMPOUND of any minor version on this connection (for version-refusal tests). */
    public CompoundReply compoundOfMinor(Credential cred, int minor, OpArgs... ops) throws IOException {
        RpcReply reply;
        try {
            reply = connection.callAsync(NfsClient.NFS_PROGRAM, NfsClient.NFS_VERSION, PROC_COMPOUND, cred,
                    out -> new CompoundRequest("", minor, List.of(ops)).encode(out), DEFAULT_TIMEOUT)
                    .toCompletableFuture().get();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new InterruptedIOException("waiting for a COMPOUND reply");
        } catch (ExecutionException e) {
            throw new IOException("COMPOUND call failed: " + e.getCause().getMessage(), e.getCause());
        }
        if (!reply.isSuccess()) {
            throw new IOException("COMPOUND refused: " + reply);
        }
        try {
            return CompoundReply.decode(reply.decoder());
        } catch (XdrException e) {
            throw new IOException("undecodable COMPOUND reply", e);
        }
    }

    /** Closes the connection and the RPC client. Idempotent. */
    @Override
    public void close() {
        if (closed.compareAndSet(false, true)) {
            connection.close();
            rpc.close();
        }
    }
}
