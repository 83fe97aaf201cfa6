package org.jnfsd.bench.micro;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.util.concurrent.TimeUnit;
import org.jnfsd.core.NfsException;
import org.jnfsd.core.ServerConfig;
import org.jnfsd.core.fs.FileHandle;
import org.jnfsd.core.session.Session;
import org.jnfsd.core.session.SlotOutcome;
import org.jnfsd.core.state.OpenShare;
import org.jnfsd.core.state.OpenStates;
import org.jnfsd.protocol.nfs4.io.OpenOwner;
import org.jnfsd.protocol.nfs4.io.ShareAccess;
import org.jnfsd.vfs.Inode;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;

/**
 * Stateid lookup in {@link OpenStates} (the check every READ/WRITE/CLOSE makes) with many opens,
 * and the session slot: SEQUENCE's acquire plus storing the reply in the slot's reply cache.
 * The callback queue (issue 5's fourth micro-benchmark) is
 * {@link org.jnfsd.bench.callback.CallbackQueueBenchmark}.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(1)
public class StateBenchmark {
    private static final int CLIENTS = 100;

    @Param({"10000"})
    int opens;

    private OpenStates states;
    private OpenShare[] shares;
    private long[] clientOf;
    private int next;

    private Session session;
    private int seqid;
    private ByteBuf reply;

    @Setup(Level.Trial)
    public void setUp() throws NfsException {
        states = new OpenStates(ServerConfig.defaults(), Clock.systemUTC());
        shares = new OpenShare[opens];
        clientOf = new long[opens];
        for (int i = 0; i < opens; i++) {
            long client = 1000 + i % CLIENTS;
            FileHandle f = new FileHandle(1, new Inode(ByteBuffer.allocate(8).putLong(i).array()));
            OpenOwner owner = new OpenOwner(client, ("owner-" + i % 7).getBytes(StandardCharsets.UTF_8));
            shares[i] = states.open(client, owner, f, ShareAccess.ACCESS_READ, ShareAccess.DENY_NONE);
            clientOf[i] = client;
        }
        EngineFixture fx = new EngineFixture();
        session = fx.context.sessions().session(fx.sessionId);
        seqid = fx.nextSeqid() - 1;
        byte[] body = new byte[200]; // a GETATTR-sized COMPOUND reply
        reply = Unpooled.wrappedBuffer(body);
    }

    @TearDown(Level.Trial)
    public void tearDown() {
        reply.release();
    }

    /** OpenStates.validate of one of {@code opens} open stateids (spread over 100 clients). */
    @Benchmark
    public OpenShare stateidLookup() throws NfsException {
        int i = next;
        next = i + 1 == opens ? 0 : i + 1;
        OpenShare s = shares[i];
        return states.validate(clientOf[i], s.stateId(), s.file());
    }

    /** SEQUENCE on slot 0 (a new request) and the reply stored in the slot (sa_cachethis true). */
    @Benchmark
    public Object slotAcquireAndCacheReply() throws NfsException {
        SlotOutcome o = session.acquire(0, ++seqid, true, false);
        Session.Slot slot = ((SlotOutcome.Acquired) o).slot();
        slot.complete(reply);
        return slot;
    }
}
