package org.jnfsd.core.ops.session;

import static org.assertj.core.api.Assertions.assertThat;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.constraints.IntRange;
import net.jqwik.api.constraints.Size;
import org.jnfsd.core.ServerConfig;
import org.jnfsd.core.ServerContext;
import org.jnfsd.core.compound.CompoundProcessor;
import org.jnfsd.core.compound.StandardOperations;
import org.jnfsd.core.fs.Export;
import org.jnfsd.core.fs.ExportTable;
import org.jnfsd.protocol.nfs4.CompoundReply;
import org.jnfsd.protocol.nfs4.CompoundRequest;
import org.jnfsd.protocol.nfs4.NfsStatus;
import org.jnfsd.protocol.nfs4.Opcode;
import org.jnfsd.protocol.nfs4.session.CreateSessionResult;
import org.jnfsd.protocol.nfs4.session.ExchangeIdResult;
import org.jnfsd.protocol.nfs4.session.SequenceArgs;
import org.jnfsd.protocol.nfs4.session.SessionId;
import org.jnfsd.protocol.xdr.XdrDecoder;
import org.jnfsd.protocol.xdr.XdrEncoder;
import org.jnfsd.rpc.PeerLog;
import org.jnfsd.rpc.RpcException;
import org.jnfsd.vfs.memory.MemoryFileSystem;
import org.slf4j.LoggerFactory;

/**
 * Fuzzes the COMPOUND engine with every operation against the memory backend (issue 16): each
 * try opens a real session, then sends a COMPOUND of a valid SEQUENCE followed by operations of
 * any opcode (often after PUTROOTFH, so that file-handle operations get that far) whose arguments
 * are random bytes, with an operation count that may not match. Whatever comes, the engine
 * answers a reply with a known status other than NFS4ERR_SERVERFAULT and at most as many results
 * as operations, and no decoder or operation threw anything unexpected (the engine turns that into
 * BADXDR or SERVERFAULT and logs an ERROR line, counted here even when rate-limited), or
 * refuses the header as GARBAGE_ARGS. One server for all tries; see docs/fuzzing.md.
 */
class CompoundFuzzTest {
    private static final ServerContext SERVER = new ServerContext(ServerConfig.builder().maxClients(1 << 20)
            .unconfirmedClientTimeout(Duration.ofHours(1)).build(),
            new ExportTable(List.of(new Export(1, "/", new MemoryFileSystem(Clock.systemUTC())))), Clock.systemUTC());
    private static final CompoundProcessor ENGINE = new CompoundProcessor(SERVER, StandardOperations.table());
    private static final AtomicInteger OWNERS = new AtomicInteger();
    private static final int[] OPCODES = java.util.Arrays.stream(Opcode.values()).mapToInt(Opcode::code)
            .filter(c -> c != Opcode.ILLEGAL.code()).toArray();

    /** ERROR lines of the engine: a decoder or operation that threw something unexpected. */
    private static final ListAppender<ILoggingEvent> ENGINE_LOG = new ListAppender<>();

    static {
        ENGINE_LOG.start();
        ((Logger) LoggerFactory.getLogger(CompoundProcessor.class)).addAppender(ENGINE_LOG);
    }

    /** Engine errors so far: logged lines plus those the rate limiter suppressed. */
    private static long engineErrors() {
        long n;
        synchronized (ENGINE_LOG) {
            n = ENGINE_LOG.list.stream().filter(e -> e.getLevel() == Level.ERROR).count();
        }
        for (Opcode op : Opcode.values()) {
            for (String kind : List.of("decoder-failed-", "server-fault-", "unexpected-")) {
                n += PeerLog.shared().suppressed(kind + op);
            }
        }
        return n;
    }

    /** One fuzzed operation: its opcode, whether PUTROOTFH goes first, and its argument bytes. */
    record FuzzOp(int opcode, boolean afterRoot, byte[] args) {}

    @Property
    void compound_anyOperationsWithRandomArguments_answeredNeverServerFault(
            @ForAll("ops") List<FuzzOp> ops, @ForAll @IntRange(min = -2, max = 2) int countSkew) {
        SessionId session = newSession();
        long errorsBefore = engineErrors();
        ByteBuf req = Unpooled.buffer();
        ByteBuf out = Unpooled.buffer();
        try {
            XdrEncoder e = new XdrEncoder(req);
            int n = 1;
            for (FuzzOp op : ops) {
                n += op.afterRoot() ? 2 : 1;
            }
            int declared = Math.max(0, n + countSkew);
            e.writeUtf8("fuzz").writeInt(1).writeInt(declared);
            e.writeInt(Opcode.SEQUENCE.code());
            new SequenceArgs(session, 1, 0, 0, false).encode(e);
            for (FuzzOp op : ops) {
                if (op.afterRoot()) {
                    e.writeInt(Opcode.PUTROOTFH.code());
                }
                e.writeInt(op.opcode());
                req.writeBytes(op.args());
            }
            try {
                ENGINE.process(Harness.ALICE, null, new XdrDecoder(req), new XdrEncoder(out));
            } catch (RpcException garbage) {
                return; // the header could not be decoded: GARBAGE_ARGS, a right answer
            }
            XdrDecoder reply = new XdrDecoder(out);
            int code = reply.readInt();
            NfsStatus status = NfsStatus.fromCode(code);
            assertThat(status).as("status %d for %s", code, ops).isNotEqualTo(NfsStatus.NFS4ERR_SERVERFAULT);
            assertThat(reply.readUtf8(16)).isEqualTo("fuzz");
            assertThat(reply.readInt()).as("results").isBetween(0, declared);
            assertThat(engineErrors()).as("decoder or operation failures logged for %s", ops).isEqualTo(errorsBefore);
        } finally {
            req.release();
            out.release();
        }
    }

    @Provide
    Arbitrary<List<FuzzOp>> ops() {
        Arbitrary<byte[]> args = Arbitraries.oneOf(
                Arbitraries.bytes().array(byte[].class).ofMaxSize(64),
                // words of edge values: lengths and counts of 0, 1, huge, negative
                Arbitraries.of(0, 1, 2, 4, 8, 255, 0x7fffffff, -1, 0x10000).list().ofMaxSize(12).map(words -> {
                    ByteBuf b = Unpooled.buffer();
                    words.forEach(b::writeInt);
                    byte[] a = new byte[b.readableBytes()];
                    b.readBytes(a);
                    b.release();
                    return a;
                }));
        Arbitrary<FuzzOp> op = Combinators.combine(Arbitraries.of(toBoxed(OPCODES)), Arbitraries.of(true, false), args)
                .as(FuzzOp::new);
        return op.list().ofMinSize(1).ofMaxSize(4);
    }

    private static Integer[] toBoxed(int[] a) {
        return java.util.Arrays.stream(a).boxed().toArray(Integer[]::new);
    }

    private static SessionId newSession() {
        ExchangeIdResult eid = call(Harness.exchangeIdArgs("fuzz-" + OWNERS.incrementAndGet(), Harness.VERIFIER_1, 0))
                .result(0, ExchangeIdResult.class);
        return call(Harness.createSessionArgs(eid.clientId(), eid.sequenceId(), Harness.attrs(1)))
                .result(0, CreateSessionResult.class).sessionId();
    }

    private static CompoundReply call(org.jnfsd.protocol.nfs4.OpArgs op) {
        return Harness.callVia(ENGINE, Harness.ALICE, null, op).decoded();
    }
}
