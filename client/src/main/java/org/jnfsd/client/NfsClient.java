package org.jnfsd.client;

import java.io.IOException;
import java.io.InterruptedIOException;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Consumer;
import org.jnfsd.protocol.nfs4.CompoundReply;
import org.jnfsd.protocol.nfs4.CompoundRequest;
import org.jnfsd.protocol.nfs4.NfsStatus;
import org.jnfsd.protocol.nfs4.OpArgs;
import org.jnfsd.protocol.nfs4.OpResult;
import org.jnfsd.protocol.nfs4.Opcode;
import org.jnfsd.protocol.nfs4.session.CallbackSecParms;
import org.jnfsd.protocol.nfs4.session.ChannelAttrs;
import org.jnfsd.protocol.nfs4.session.CreateSessionArgs;
import org.jnfsd.protocol.nfs4.session.CreateSessionResult;
import org.jnfsd.protocol.nfs4.session.DestroyClientidArgs;
import org.jnfsd.protocol.nfs4.session.DestroySessionArgs;
import org.jnfsd.protocol.nfs4.session.ExchangeIdArgs;
import org.jnfsd.protocol.nfs4.session.ExchangeIdResult;
import org.jnfsd.protocol.nfs4.session.ReclaimCompleteArgs;
import org.jnfsd.protocol.nfs4.session.SequenceArgs;
import org.jnfsd.protocol.nfs4.session.SequenceResult;
import org.jnfsd.protocol.nfs4.session.SessionId;
import org.jnfsd.protocol.nfs4.session.StateProtectArgs;
import org.jnfsd.protocol.xdr.XdrEncoder;
import org.jnfsd.protocol.xdr.XdrException;
import org.jnfsd.rpc.Credential;
import org.jnfsd.rpc.RpcClient;
import org.jnfsd.rpc.RpcConnection;
import org.jnfsd.rpc.RpcProgram;
import org.jnfsd.rpc.RpcReply;

/**
 * A small NFSv4.1/4.2 client for integration tests, load generation and conformance checks: one
 * TCP connection, one client record, one session.
 *
 * <pre>{@code
 * try (NfsClient c = NfsClient.connect(address, 1, credential)) {
 *     c.reclaimComplete();
 *     CompoundReply r = c.compound(new PutRootFhArgs(), new GetFhArgs()); // result 0 is SEQUENCE's
 *     c.destroy();
 * }
 * }</pre>
 *
 * <pre>
 *   connect() ──► SESSION ──destroy()──► DESTROYED ──close()──► CLOSED
 *                    └──────────────close()─────────────────────┘
 * </pre>
 *
 * {@link #compound} may be called by many threads at once: each takes a free slot of the session
 * (waiting if all are busy), so as many COMPOUNDs run concurrently as the server granted slots.
 * A COMPOUND that gets no reply (timeout, connection lost) retires its slot, since the slot's next
 * request would be taken for a retry of the lost one. Thread-safe; state changes by compare-and-set.
 *
 * <p>Callbacks: a client connected with a {@link CallbackHandler} makes its connection the session's
 * backchannel and serves the callback program on it ({@link ClientCallbackService}); tests use
 * {@link RecordingCallbacks}.
 */
public final class NfsClient implements AutoCloseable {
    /** NFS program and version. */
    public static final int NFS_PROGRAM = 100003;
    public static final int NFS_VERSION = 4;
    private static final int PROC_COMPOUND = 1;
    /** The callback program number the client asks for when it serves callbacks. */
    public static final int DEFAULT_CB_PROGRAM = 0x40000000;
    private static final Duration DEFAULT_TIMEOUT = Duration.ofSeconds(30);
    private static final int REQUESTED_SLOTS = 16;

    enum State { SESSION, DESTROYED, CLOSED }

    private final RpcClient rpc;
    private final RpcConnection connection;
    private final Credential credential;
    private final int minorVersion;
    private final Duration timeout;
    private final long clientId;
    private final SessionId sessionId;
    private final ChannelAttrs foreChannel;
    private final SlotTable slots;
    private final AtomicReference<State> state = new AtomicReference<>(State.SESSION);
    private final boolean ownsRpc; // false: the caller's shared RpcClient, which close() leaves running

    private NfsClient(RpcClient rpc, boolean ownsRpc, RpcConnection connection, Credential credential,
            int minorVersion, Duration timeout, long clientId, CreateSessionResult session) {
        this.rpc = rpc;
        this.ownsRpc = ownsRpc;
        this.connection = connection;
        this.credential = credential;
        this.minorVersion = minorVersion;
        this.timeout = timeout;
        this.clientId = clientId;
        this.sessionId = session.sessionId();
        this.foreChannel = session.foreChannel();
        this.slots = new SlotTable(Math.max(1, session.foreChannel().maxRequests()));
    }

    /**
     * Connects and sets up a session: EXCHANGE_ID (a fresh client owner) and CREATE_SESSION. The
     * session has no backchannel.
     *
     * @param minorVersion 1 or 2
     * @throws NfsStatusException if the server refuses EXCHANGE_ID or CREATE_SESSION
     */
    public static NfsClient connect(InetSocketAddress server, int minorVersion, Credential credential)
            throws IOException {
        return connect(server, minorVersion, credential, List.of());
    }

    /**
     * As {@link #connect(InetSocketAddress, int, Credential)}; if {@code callbackPrograms} is not
     * empty they are served on the connection and the session asks for it as backchannel
     * (CREATE_SESSION4_FLAG_CONN_BACK_CHAN, program {@link #DEFAULT_CB_PROGRAM}).
     */
    public static NfsClient connect(InetSocketAddress server, int minorVersion, Credential credential,
            List<? extends RpcProgram> callbackPrograms) throws IOException {
        byte[] verifier = new byte[ExchangeIdArgs.VERIFIER_SIZE];
        new SecureRandom().nextBytes(verifier);
        byte[] owner = ("jnfsd-client/" + UUID.randomUUID()).getBytes(StandardCharsets.UTF_8);
        return connect(server, minorVersion, credential, callbackPrograms, owner, verifier);
    }

    /**
     * As {@link #connect(InetSocketAddress, int, Credential, List)} with a given client owner id and
     * boot verifier: the same pair again after a server restart is how a client that did not
     * restart itself comes back to reclaim its state (RFC 8881 §8.4.2.1).
     */
    public static NfsClient connect(InetSocketAddress server, int minorVersion, Credential credential,
            List<? extends RpcProgram> callbackPrograms, byte[] ownerId, byte[] verifier) throws IOException {
        return connect(server, minorVersion, credential, callbackPrograms, null, ownerId, verifier, null);
    }

    /**
     * Connects and sets up a session whose backchannel is this connection
     * (CREATE_SESSION4_FLAG_CONN_BACK_CHAN, program {@link #DEFAULT_CB_PROGRAM}). The client serves
     * the callback program itself: the RPC layer answers CB_NULL, the client checks CB_SEQUENCE
     * against its session and its own backchannel slot table (sequence ids, replay of the cached
     * reply, NFS4ERR_BADSLOT, NFS4ERR_SEQ_MISORDERED; RFC 8881 §20.9), and {@code callbacks}
     * answers every other operation.
     */
    public static NfsClient connect(InetSocketAddress server, int minorVersion, Credential credential,
            CallbackHandler callbacks) throws IOException {
        byte[] verifier = new byte[ExchangeIdArgs.VERIFIER_SIZE];
        new SecureRandom().nextBytes(verifier);
        byte[] owner = ("jnfsd-client/" + UUID.randomUUID()).getBytes(StandardCharsets.UTF_8);
        return connect(server, minorVersion, credential, callbacks, owner, verifier);
    }

    /** As {@link #connect(InetSocketAddress, int, Credential, CallbackHandler)} with a given client owner and verifier. */
    public static NfsClient connect(InetSocketAddress server, int minorVersion, Credential credential,
            CallbackHandler callbacks, byte[] ownerId, byte[] verifier) throws IOException {
        ClientCallbackService service = new ClientCallbackService(DEFAULT_CB_PROGRAM, callbacks);
        return connect(server, minorVersion, credential, List.of(service), service, ownerId, verifier, null);
    }

    /**
     * As {@link #connect(InetSocketAddress, int, Credential)} over the caller's {@code rpc}: many
     * clients (each its own connection and session) share its event loops, so thousands of them
     * cost thousands of sockets, not thousands of threads. {@link #close()} closes this client's
     * connection only; the caller closes {@code rpc}.
     */
    public static NfsClient connect(RpcClient rpc, InetSocketAddress server, int minorVersion, Credential credential)
            throws IOException {
        byte[] verifier = new byte[ExchangeIdArgs.VERIFIER_SIZE];
        new SecureRandom().nextBytes(verifier);
        byte[] owner = ("jnfsd-client/" + UUID.randomUUID()).getBytes(StandardCharsets.UTF_8);
        return connect(rpc, false, server, minorVersion, credential, List.of(), null, owner, verifier, null);
    }

    /**
     * As {@link #connect(InetSocketAddress, int, Credential)} from a given source address (any
     * 127.x.y.z is local), so tests can be different clients to the export rules.
     */
    public static NfsClient connectFrom(java.net.InetAddress source, InetSocketAddress server, int minorVersion,
            Credential credential) throws IOException {
        byte[] verifier = new byte[ExchangeIdArgs.VERIFIER_SIZE];
        new SecureRandom().nextBytes(verifier);
        byte[] owner = ("jnfsd-client/" + UUID.randomUUID()).getBytes(StandardCharsets.UTF_8);
        return connect(server, minorVersion, credential, List.of(), null, owner, verifier,
                new InetSocketAddress(source, 0));
    }

    private static NfsClient connect(InetSocketAddress server, int minorVersion, Credential credential,
            List<? extends RpcProgram> callbackPrograms, ClientCallbackService service, byte[] ownerId,
            byte[] verifier, InetSocketAddress local) throws IOException {
        if (minorVersion != 1 && minorVersion != 2) {
            throw new IllegalArgumentException("minor version " + minorVersion + ": only 1 and 2 have sessions");
        }
        return connect(RpcClient.create(), true, server, minorVersion, credential, callbackPrograms, service, ownerId,
                verifier, local);
    }

    private static NfsClient connect(RpcClient rpc, boolean ownsRpc, InetSocketAddress server, int minorVersion,
            Credential credential, List<? extends RpcProgram> callbackPrograms, ClientCallbackService service,
            byte[] ownerId, byte[] verifier, InetSocketAddress local) throws IOException {
        if (minorVersion != 1 && minorVersion != 2) {
            throw new IllegalArgumentException("minor version " + minorVersion + ": only 1 and 2 have sessions");
        }
        RpcConnection conn = null;
        try {
            conn = rpc.connect(server, callbackPrograms, local);
            if (service != null) {
                conn.onClose(service::close);
            }
            CompoundReply eid = call(conn, credential, minorVersion, DEFAULT_TIMEOUT, List.of(new ExchangeIdArgs(
                    verifier.clone(), ownerId.clone(), 0, StateProtectArgs.None.INSTANCE, List.of())));
            ExchangeIdResult ex = expect(eid, 0, ExchangeIdResult.class, "EXCHANGE_ID");

            boolean back = !callbackPrograms.isEmpty();
            ChannelAttrs fore = new ChannelAttrs(0, 1024 * 1024 + 64 * 1024, 1024 * 1024 + 64 * 1024, 64 * 1024, 64,
                    REQUESTED_SLOTS, null);
            ChannelAttrs backAttrs = new ChannelAttrs(0, 16 * 1024, 16 * 1024, 0, 8, 4, null);
            CreateSessionArgs cs = new CreateSessionArgs(ex.clientId(), ex.sequenceId(),
                    back ? CreateSessionArgs.FLAG_CONN_BACK_CHAN : 0, fore, backAttrs, DEFAULT_CB_PROGRAM,
                    List.of(callbackSecurity(credential)));
            CreateSessionResult session = expect(call(conn, credential, minorVersion, DEFAULT_TIMEOUT, List.of(cs)), 0,
                    CreateSessionResult.class, "CREATE_SESSION");
            if (service != null) {
                service.bind(session.sessionId(), Math.max(1, session.backChannel().maxRequests()));
            }
            return new NfsClient(rpc, ownsRpc, conn, credential, minorVersion, DEFAULT_TIMEOUT, ex.clientId(), session);
        } catch (IOException | RuntimeException e) {
            if (conn != null) {
                conn.close();
            }
            if (service != null) {
                service.close();
            }
            if (ownsRpc) {
                rpc.close();
            }
            throw e;
        }
    }

    private static CallbackSecParms callbackSecurity(Credential cred) {
        return switch (cred) {
            case Credential.AuthSys s -> new CallbackSecParms.Sys(s.stamp(), s.machineName(), s.uid(), s.gid(), s.gids());
            case Credential.AuthNone n -> CallbackSecParms.None.INSTANCE;
        };
    }

    public long clientId() {
        return clientId;
    }

    public SessionId sessionId() {
        return sessionId;
    }

    /** The fore-channel attributes the server granted. */
    public ChannelAttrs foreChannel() {
        return foreChannel;
    }

    /** The connection (for tests that send on it directly or close it). */
    public RpcConnection connection() {
        return connection;
    }

    public Credential credential() {
        return credential;
    }

    /**
     * Sends SEQUENCE followed by {@code ops} on a free slot (waiting for one) and returns the reply;
     * result 0 is SEQUENCE's. Error statuses are returned, not thrown.
     *
     * @throws IOException when no reply arrives or the RPC layer refuses the call
     */
    public CompoundReply compound(OpArgs... ops) throws IOException {
        return compound(false, ops);
    }

    /** As {@link #compound(OpArgs...)}, with sa_cachethis set as given. */
    public CompoundReply compound(boolean cacheThis, OpArgs... ops) throws IOException {
        requireSession();
        int slot;
        try {
            slot = slots.acquire(timeout);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new InterruptedIOException("waiting for a slot");
        }
        boolean released = false;
        try {
            List<OpArgs> all = new ArrayList<>(ops.length + 1);
            all.add(new SequenceArgs(sessionId, slots.nextSeqid(slot), slot, slots.size() - 1, cacheThis));
            all.addAll(Arrays.asList(ops));
            CompoundReply reply = call(connection, credential, minorVersion, timeout, all);
            // the server advances the slot unless SEQUENCE itself failed
            boolean consumed = !reply.results().isEmpty() && reply.results().getFirst() instanceof SequenceResult;
            slots.release(slot, consumed);
            released = true;
            return reply;
        } finally {
            if (!released) {
                slots.retire(slot);
            }
        }
    }

    /** Sends {@code ops} as they are, without SEQUENCE (for sessionless operations and error tests). */
    public CompoundReply compoundWithoutSequence(OpArgs... ops) throws IOException {
        return call(connection, credential, minorVersion, timeout, List.of(ops));
    }

    /**
     * Sends a COMPOUND call whose arguments are {@code compoundArgs} verbatim (which may be
     * malformed) and returns the RPC reply undecoded.
     */
    public RpcReply rawCall(byte[] compoundArgs) throws IOException {
        byte[] copy = compoundArgs.clone();
        return rawCall(out -> out.buffer().writeBytes(copy));
    }

    /** Sends a COMPOUND call whose arguments {@code writer} writes, and returns the RPC reply. */
    public RpcReply rawCall(Consumer<XdrEncoder> writer) throws IOException {
        return send(connection, credential, timeout, writer);
    }

    /** RECLAIM_COMPLETE (rca_one_fs false), which a client sends once after creating its session. */
    public void reclaimComplete() throws IOException {
        CompoundReply r = compound(new ReclaimCompleteArgs(false));
        if (!r.status().isOk()) {
            throw new NfsStatusException(r.status(), "RECLAIM_COMPLETE");
        }
    }

    /**
     * Waits (bounded) for COMPOUNDs in flight, then DESTROY_SESSION and DESTROY_CLIENTID. The
     * client can then only be closed.
     */
    public void destroy() throws IOException {
        if (!state.compareAndSet(State.SESSION, State.DESTROYED)) {
            throw new IllegalStateException("client is " + state.get());
        }
        try {
            if (!slots.drain(timeout)) {
                throw new IOException("COMPOUNDs still in flight after " + timeout);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new InterruptedIOException("waiting for COMPOUNDs in flight");
        }
        CompoundReply ds = compoundWithoutSequence(new DestroySessionArgs(sessionId));
        if (!ds.status().isOk()) {
            throw new NfsStatusException(ds.status(), "DESTROY_SESSION");
        }
        CompoundReply dc = compoundWithoutSequence(new DestroyClientidArgs(clientId));
        if (!dc.status().isOk()) {
            throw new NfsStatusException(dc.status(), "DESTROY_CLIENTID");
        }
    }

    /**
     * Closes the connection and the RPC client unless it is the caller's (without destroying the
     * session). Idempotent.
     */
    @Override
    public void close() {
        if (state.getAndSet(State.CLOSED) == State.CLOSED) {
            return;
        }
        connection.close();
        if (ownsRpc) {
            rpc.close();
        }
    }

    private void requireSession() {
        State s = state.get();
        if (s != State.SESSION) {
            throw new IllegalStateException("client is " + s);
        }
    }

    private static CompoundReply call(RpcConnection conn, Credential cred, int minor, Duration timeout,
            List<OpArgs> ops) throws IOException {
        RpcReply reply = send(conn, cred, timeout, out -> new CompoundRequest("", minor, ops).encode(out));
        if (!reply.isSuccess()) {
            throw new IOException("COMPOUND " + opcodes(ops) + " refused: " + reply);
        }
        try {
            return CompoundReply.decode(reply.decoder());
        } catch (XdrException e) {
            throw new IOException("undecodable COMPOUND reply to " + opcodes(ops), e);
        }
    }

    private static RpcReply send(RpcConnection conn, Credential cred, Duration timeout, Consumer<XdrEncoder> writer)
            throws IOException {
        try {
            return conn.callAsync(NFS_PROGRAM, NFS_VERSION, PROC_COMPOUND, cred, writer, timeout)
                    .toCompletableFuture().get();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new InterruptedIOException("waiting for a COMPOUND reply");
        } catch (ExecutionException e) {
            throw new IOException("COMPOUND call failed: " + e.getCause().getMessage(), e.getCause());
        }
    }

    private static List<Opcode> opcodes(List<OpArgs> ops) {
        return ops.stream().map(OpArgs::opcode).toList();
    }

    private static <T extends OpResult> T expect(CompoundReply r, int index, Class<T> type, String what)
            throws NfsStatusException {
        if (!r.status().isOk()) {
            throw new NfsStatusException(r.status(), what);
        }
        if (r.results().size() <= index || !type.isInstance(r.results().get(index))) {
            throw new NfsStatusException(NfsStatus.NFS4ERR_SERVERFAULT, what + ": unexpected reply " + r);
        }
        return r.result(index, type);
    }
}
