package org.jnfsd.core.ops.session;

import static org.assertj.core.api.Assertions.assertThat;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufUtil;
import io.netty.buffer.Unpooled;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Executor;
import java.util.concurrent.atomic.AtomicInteger;
import org.jnfsd.core.NfsException;
import org.jnfsd.core.ServerConfig;
import org.jnfsd.core.ServerContext;
import org.jnfsd.core.compound.CompoundContext;
import org.jnfsd.core.compound.CompoundProcessor;
import org.jnfsd.core.compound.Operation;
import org.jnfsd.core.compound.OperationTable;
import org.jnfsd.core.fs.Export;
import org.jnfsd.core.fs.ExportTable;
import org.jnfsd.core.metrics.ServerCounters;
import org.jnfsd.core.recovery.InMemoryRecoveryStore;
import org.jnfsd.protocol.nfs4.CompoundReply;
import org.jnfsd.protocol.nfs4.CompoundRequest;
import org.jnfsd.protocol.nfs4.NfsStatus;
import org.jnfsd.protocol.nfs4.OpArgs;
import org.jnfsd.protocol.nfs4.OpResult;
import org.jnfsd.protocol.nfs4.Opcode;
import org.jnfsd.protocol.nfs4.StatusResult;
import org.jnfsd.protocol.nfs4.session.CallbackSecParms;
import org.jnfsd.protocol.nfs4.session.ChannelAttrs;
import org.jnfsd.protocol.nfs4.session.CreateSessionArgs;
import org.jnfsd.protocol.nfs4.session.CreateSessionResult;
import org.jnfsd.protocol.nfs4.session.ExchangeIdArgs;
import org.jnfsd.protocol.nfs4.session.ExchangeIdResult;
import org.jnfsd.protocol.nfs4.session.SequenceArgs;
import org.jnfsd.protocol.nfs4.session.SessionId;
import org.jnfsd.protocol.nfs4.session.StateProtectArgs;
import org.jnfsd.protocol.xdr.XdrDecoder;
import org.jnfsd.protocol.xdr.XdrEncoder;
import org.jnfsd.rpc.Credential;
import org.jnfsd.rpc.RpcConnection;

/**
 * Drives {@link CompoundProcessor} with encoded COMPOUNDs, as a client would, without a network.
 * Besides the session operations, the table holds two test operations: {@link #COUNT} (PUTROOTFH's
 * opcode, no arguments) counts its executions; {@link #BIG} (GETFH's opcode) answers a 4 KiB body.
 */
final class Harness {
    static final Opcode COUNT = Opcode.PUTROOTFH;
    static final Opcode BIG = Opcode.GETFH;
    static final Credential ALICE = new Credential.AuthSys(0, "alice-host", 1000, 1000, new int[0]);
    static final Credential BOB = new Credential.AuthSys(0, "bob-host", 2000, 2000, new int[0]);
    static final byte[] VERIFIER_1 = "verifie1".getBytes(StandardCharsets.US_ASCII);
    static final byte[] VERIFIER_2 = "verifie2".getBytes(StandardCharsets.US_ASCII);

    final ServerContext server;
    final CompoundProcessor processor;
    final AtomicInteger executions = new AtomicInteger();
    private final AtomicInteger owners = new AtomicInteger();

    Harness() {
        this(ServerConfig.defaults());
    }

    Harness(ServerConfig config) {
        this(config, Clock.fixed(Instant.parse("2026-01-01T00:00:00Z"), ZoneOffset.UTC));
    }

    Harness(ServerConfig config, Clock clock) {
        this(config, clock, Runnable::run);
    }

    /** A harness whose client teardowns run on {@code teardowns} (inline by default). */
    Harness(ServerConfig config, Clock clock, Executor teardowns) {
        server = new ServerContext(config, new ExportTable(List.of(new Export(1, "/", null))), clock,
                new InMemoryRecoveryStore(), new ServerCounters(), null, teardowns);
        List<Operation<?>> ops = new ArrayList<>(SessionOperations.all());
        ops.add(new Counting(executions));
        ops.add(new Big());
        processor = new CompoundProcessor(server, new OperationTable(ops));
    }

    /** A raw reply and its decoding. */
    record Reply(byte[] bytes, CompoundReply decoded) {
        NfsStatus status() {
            return decoded.status();
        }

        <T extends OpResult> T result(int i, Class<T> type) {
            return decoded.result(i, type);
        }

        NfsStatus status(int i) {
            return decoded.results().get(i).status();
        }
    }

    Reply call(Credential cred, RpcConnection conn, OpArgs... ops) {
        return callVia(processor, cred, conn, ops);
    }

    /** A COMPOUND through another processor on the same server (a test's own operation table). */
    static Reply callVia(CompoundProcessor processor, Credential cred, RpcConnection conn, OpArgs... ops) {
        ByteBuf req = Unpooled.buffer();
        ByteBuf out = Unpooled.buffer();
        try {
            new CompoundRequest("test", 1, List.of(ops)).encode(new XdrEncoder(req));
            processor.process(cred, conn, new XdrDecoder(req), new XdrEncoder(out));
            byte[] bytes = ByteBufUtil.getBytes(out);
            return new Reply(bytes, decode(bytes));
        } catch (Exception e) {
            throw new AssertionError(e);
        } finally {
            req.release();
            out.release();
        }
    }

    Reply call(OpArgs... ops) {
        return call(ALICE, null, ops);
    }

    static CompoundReply decode(byte[] bytes) {
        ByteBuf in = Unpooled.wrappedBuffer(bytes);
        try {
            return CompoundReply.decode(new XdrDecoder(in));
        } finally {
            in.release();
        }
    }

    static ExchangeIdArgs exchangeIdArgs(String owner, byte[] verifier, int flags) {
        return new ExchangeIdArgs(verifier, owner.getBytes(StandardCharsets.UTF_8), flags,
                StateProtectArgs.None.INSTANCE, List.of());
    }

    static ChannelAttrs attrs(int maxRequests) {
        return new ChannelAttrs(0, 1 << 20, 1 << 20, 1 << 16, 16, maxRequests, null);
    }

    static CreateSessionArgs createSessionArgs(long clientId, int seq, ChannelAttrs fore) {
        return new CreateSessionArgs(clientId, seq, CreateSessionArgs.FLAG_CONN_BACK_CHAN, fore, attrs(1), 0x40000000,
                List.of(new CallbackSecParms.Sys(0, "alice-host", 1000, 1000, new int[0])));
    }

    ExchangeIdResult exchangeId(Credential cred, String owner, byte[] verifier) {
        Reply r = call(cred, null, exchangeIdArgs(owner, verifier, 0));
        assertThat(r.status()).isEqualTo(NfsStatus.NFS4_OK);
        return r.result(0, ExchangeIdResult.class);
    }

    CreateSessionResult createSession(long clientId, int seq, ChannelAttrs fore) {
        Reply r = call(createSessionArgs(clientId, seq, fore));
        assertThat(r.status()).isEqualTo(NfsStatus.NFS4_OK);
        return r.result(0, CreateSessionResult.class);
    }

    /** EXCHANGE_ID and CREATE_SESSION for a fresh owner; returns the CREATE_SESSION result. */
    CreateSessionResult newSession(String owner, ChannelAttrs fore) {
        ExchangeIdResult eid = exchangeId(ALICE, owner, VERIFIER_1);
        return createSession(eid.clientId(), eid.sequenceId(), fore);
    }

    SessionId newSession() {
        return newSession("client-" + owners.incrementAndGet(), attrs(4)).sessionId();
    }

    static SequenceArgs seq(SessionId id, int seqid, int slot, boolean cacheThis) {
        return new SequenceArgs(id, seqid, slot, 0, cacheThis);
    }

    static OpArgs count() {
        return new NoArgs(COUNT);
    }

    static OpArgs big() {
        return new NoArgs(BIG);
    }

    /** An operation without arguments, for the test operations. */
    record NoArgs(Opcode opcode) implements OpArgs {
        @Override
        public void encode(XdrEncoder out) {}
    }

    private record Counting(AtomicInteger counter) implements Operation<Void> {
        @Override
        public Opcode opcode() {
            return COUNT;
        }

        @Override
        public Void decode(XdrDecoder in) {
            return null;
        }

        @Override
        public OpResult execute(CompoundContext ctx, Void args) throws NfsException {
            counter.incrementAndGet();
            return StatusResult.OK;
        }
    }

    private record Big() implements Operation<Void> {
        @Override
        public Opcode opcode() {
            return BIG;
        }

        @Override
        public Void decode(XdrDecoder in) {
            return null;
        }

        @Override
        public OpResult execute(CompoundContext ctx, Void args) {
            return new OpResult() {
                @Override
                public NfsStatus status() {
                    return NfsStatus.NFS4_OK;
                }

                @Override
                public void encode(XdrEncoder out) {
                    out.writeInt(0).writeOpaque(new byte[4096]);
                }
            };
        }
    }
}
