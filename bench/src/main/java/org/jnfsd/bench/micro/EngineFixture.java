package org.jnfsd.bench.micro;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import java.lang.reflect.InvocationHandler;
import java.lang.reflect.Proxy;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;
import org.jnfsd.core.ServerConfig;
import org.jnfsd.core.ServerContext;
import org.jnfsd.core.compound.CompoundProcessor;
import org.jnfsd.core.compound.StandardOperations;
import org.jnfsd.core.fs.Export;
import org.jnfsd.core.fs.ExportTable;
import org.jnfsd.protocol.nfs4.CompoundReply;
import org.jnfsd.protocol.nfs4.CompoundRequest;
import org.jnfsd.protocol.nfs4.Fattr4;
import org.jnfsd.protocol.nfs4.NfsStatus;
import org.jnfsd.protocol.nfs4.OpArgs;
import org.jnfsd.protocol.nfs4.OpResult;
import org.jnfsd.protocol.nfs4.StateId;
import org.jnfsd.protocol.nfs4.io.CloseArgs;
import org.jnfsd.protocol.nfs4.io.OpenArgs;
import org.jnfsd.protocol.nfs4.io.OpenClaim;
import org.jnfsd.protocol.nfs4.io.OpenHow;
import org.jnfsd.protocol.nfs4.io.OpenOwner;
import org.jnfsd.protocol.nfs4.io.OpenResult;
import org.jnfsd.protocol.nfs4.io.ShareAccess;
import org.jnfsd.protocol.nfs4.io.StableHow;
import org.jnfsd.protocol.nfs4.io.WriteArgs;
import org.jnfsd.protocol.nfs4.namespace.GetFhResult;
import org.jnfsd.protocol.nfs4.namespace.PutFhArgs;
import org.jnfsd.protocol.nfs4.namespace.VoidArgs;
import org.jnfsd.protocol.nfs4.session.ChannelAttrs;
import org.jnfsd.protocol.nfs4.session.CreateSessionArgs;
import org.jnfsd.protocol.nfs4.session.CreateSessionResult;
import org.jnfsd.protocol.nfs4.session.ExchangeIdArgs;
import org.jnfsd.protocol.nfs4.session.ExchangeIdResult;
import org.jnfsd.protocol.nfs4.session.ReclaimCompleteArgs;
import org.jnfsd.protocol.nfs4.session.SequenceArgs;
import org.jnfsd.protocol.nfs4.session.SessionId;
import org.jnfsd.protocol.nfs4.session.StateProtectArgs;
import org.jnfsd.protocol.xdr.XdrDecoder;
import org.jnfsd.protocol.xdr.XdrEncoder;
import org.jnfsd.rpc.Credential;
import org.jnfsd.rpc.RpcConnection;
import org.jnfsd.rpc.RpcException;
import org.jnfsd.vfs.memory.MemoryFileSystem;

/**
 * jnfsd's COMPOUND engine without a network: a {@link CompoundProcessor} over an in-memory export,
 * one client with one session (set up through the engine itself: EXCHANGE_ID, CREATE_SESSION,
 * RECLAIM_COMPLETE) and one 4 KiB file. Requests go in and replies come out as XDR, exactly the
 * bytes the RPC layer would hand over. Single-threaded (one slot, 0).
 */
final class EngineFixture {
    static final Credential ROOT = new Credential.AuthSys(0, "bench", 0, 0, new int[0]);
    /** Byte offset of SEQUENCE's sa_sequenceid in a request with an empty tag and SEQUENCE first. */
    static final int SEQID_OFFSET = 4 + 4 + 4 + 4 + SessionId.SIZE;

    private static final AtomicLong CONNECTION_IDS = new AtomicLong();

    final ServerContext context;
    final CompoundProcessor engine;
    final RpcConnection connection = fakeConnection(CONNECTION_IDS.incrementAndGet());
    final SessionId sessionId;
    final long clientId;
    final byte[] file;
    final StateId fileStateId;
    private int seqid;

    EngineFixture() {
        context = new ServerContext(ServerConfig.defaults(),
                new ExportTable(List.of(new Export(1, "/", new MemoryFileSystem(Clock.systemUTC())))), Clock.systemUTC());
        engine = new CompoundProcessor(context, StandardOperations.table());
        ExchangeIdResult ex = (ExchangeIdResult) callWithoutSequence(new ExchangeIdArgs(new byte[8],
                "bench-client".getBytes(StandardCharsets.UTF_8), 0, StateProtectArgs.None.INSTANCE, List.of()))
                .results().getFirst();
        clientId = ex.clientId();
        ChannelAttrs fore = new ChannelAttrs(0, 1 << 20, 1 << 20, 64 * 1024, 16, 1, null);
        CreateSessionResult cs = (CreateSessionResult) callWithoutSequence(new CreateSessionArgs(clientId,
                ex.sequenceId(), 0, fore, new ChannelAttrs(0, 4096, 4096, 0, 2, 1, null), 0x40000000,
                List.of(org.jnfsd.protocol.nfs4.session.CallbackSecParms.None.INSTANCE)))
                .results().getFirst();
        sessionId = cs.sessionId();
        call(new ReclaimCompleteArgs(false));
        CompoundReply open = call(VoidArgs.PUTROOTFH,
                new OpenArgs(0, ShareAccess.ACCESS_BOTH, ShareAccess.DENY_NONE,
                        new OpenOwner(clientId, "bench".getBytes(StandardCharsets.UTF_8)),
                        new OpenHow.Unchecked(Fattr4.EMPTY), new OpenClaim.Null("file")),
                VoidArgs.GETFH);
        file = ((GetFhResult) open.results().get(3)).fh();
        StateId open4 = ((OpenResult) open.results().get(2)).stateId();
        ByteBuf data = Unpooled.wrappedBuffer(new byte[4096]);
        call(new PutFhArgs(file), new WriteArgs(open4, 0, StableHow.FILE_SYNC4, data));
        call(new PutFhArgs(file), new CloseArgs(0, open4));
        fileStateId = StateId.ANONYMOUS;
    }

    /** The next sequence id of slot 0; advances it. */
    int nextSeqid() {
        return ++seqid;
    }

    /** SEQUENCE (slot 0, next seqid) + {@code ops}, through the engine; throws unless NFS4_OK. */
    CompoundReply call(OpArgs... ops) {
        List<OpArgs> all = new ArrayList<>();
        all.add(new SequenceArgs(sessionId, nextSeqid(), 0, 0, false));
        all.addAll(List.of(ops));
        CompoundReply r = decodeReply(process(encode(all)));
        if (r.status() != NfsStatus.NFS4_OK) {
            throw new IllegalStateException("COMPOUND failed: " + r);
        }
        return r;
    }

    private CompoundReply callWithoutSequence(OpArgs op) {
        CompoundReply r = decodeReply(process(encode(List.of(op))));
        if (r.status() != NfsStatus.NFS4_OK) {
            throw new IllegalStateException("COMPOUND failed: " + r);
        }
        return r;
    }

    static byte[] encode(List<OpArgs> ops) {
        ByteBuf b = Unpooled.buffer();
        new CompoundRequest("", 1, ops).encode(new XdrEncoder(b));
        byte[] out = new byte[b.readableBytes()];
        b.readBytes(out);
        return out;
    }

    /** Runs the COMPOUND in {@code request} (XDR args) and returns the reply's XDR. */
    byte[] process(byte[] request) {
        ByteBuf out = Unpooled.buffer(8192);
        try {
            engine.process(ROOT, connection, new XdrDecoder(Unpooled.wrappedBuffer(request)), new XdrEncoder(out));
            byte[] reply = new byte[out.readableBytes()];
            out.readBytes(reply);
            return reply;
        } catch (RpcException e) {
            throw new IllegalStateException("engine refused the COMPOUND", e);
        } finally {
            out.release();
        }
    }

    static CompoundReply decodeReply(byte[] reply) {
        return CompoundReply.decode(new XdrDecoder(Unpooled.wrappedBuffer(reply)));
    }

    static OpResult last(CompoundReply r) {
        return r.results().getLast();
    }

    /** A connection double: answers id, addresses and isOpen; closing does nothing; default methods run as written. */
    static RpcConnection fakeConnection(long id) {
        return (RpcConnection) Proxy.newProxyInstance(RpcConnection.class.getClassLoader(),
                new Class<?>[] {RpcConnection.class}, (proxy, method, args) -> switch (method.getName()) {
                    case "id" -> id;
                    case "isOpen" -> true;
                    case "onClose", "close" -> null;
                    case "remoteAddress" -> new InetSocketAddress("127.0.0.1", 1000);
                    case "localAddress" -> new InetSocketAddress("127.0.0.1", 2049);
                    case "hashCode" -> System.identityHashCode(proxy);
                    case "equals" -> proxy == args[0];
                    case "toString" -> "bench-connection-" + id;
                    default -> {
                        if (method.isDefault()) {
                            yield InvocationHandler.invokeDefault(proxy, method, args);
                        }
                        throw new UnsupportedOperationException(method.getName());
                    }
                });
    }
}
