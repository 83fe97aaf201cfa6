package org.jnfsd.bench.micro;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.jnfsd.protocol.nfs4.CompoundReply;
import org.jnfsd.protocol.nfs4.CompoundRequest;
import org.jnfsd.protocol.nfs4.OpArgs;
import org.jnfsd.protocol.nfs4.StateId;
import org.jnfsd.protocol.nfs4.io.ReadArgs;
import org.jnfsd.protocol.nfs4.namespace.GetattrArgs;
import org.jnfsd.protocol.nfs4.namespace.PutFhArgs;
import org.jnfsd.protocol.nfs4.session.SequenceArgs;
import org.jnfsd.protocol.xdr.XdrDecoder;
import org.jnfsd.protocol.xdr.XdrEncoder;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;

/**
 * The XDR of a typical COMPOUND both ways, and the whole engine on it:
 * SEQUENCE + PUTFH + GETATTR (the Linux client's attribute set) and SEQUENCE + PUTFH + READ of
 * 4 KiB. {@code engine*} run jnfsd's CompoundProcessor on the request bytes (decode, SEQUENCE on
 * slot 0 with the reply stored in the slot when {@code Cached}, the operations over the memory
 * backend, encode), as the RPC layer would call it, without a network.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(1)
public class CompoundBenchmark {
    /** The Linux client's usual GETATTR set. */
    static final int[] GETATTR_MASK = org.jnfsd.protocol.nfs4.Bitmap.of(
            1, 3, 4, 8, 20, 33, 35, 36, 37, 41, 45, 47, 52, 53, 55);

    private EngineFixture fx;
    private List<OpArgs> getattrOps;
    private byte[] getattrRequest;
    private byte[] getattrCachedRequest;
    private byte[] readRequest;
    private byte[] getattrReply;
    private byte[] readReply;
    private CompoundReply readReplyDecoded;
    private ByteBuf out;

    @Setup(Level.Trial)
    public void setUp() {
        fx = new EngineFixture();
        getattrOps = List.of(new SequenceArgs(fx.sessionId, 1, 0, 0, false), new PutFhArgs(fx.file),
                new GetattrArgs(GETATTR_MASK));
        getattrRequest = EngineFixture.encode(getattrOps);
        getattrCachedRequest = EngineFixture.encode(List.of(new SequenceArgs(fx.sessionId, 1, 0, 0, true),
                new PutFhArgs(fx.file), new GetattrArgs(GETATTR_MASK)));
        readRequest = EngineFixture.encode(List.of(new SequenceArgs(fx.sessionId, 1, 0, 0, false),
                new PutFhArgs(fx.file), new ReadArgs(StateId.ANONYMOUS, 0, 4096)));
        getattrReply = engine(getattrRequest);
        readReply = engine(readRequest);
        readReplyDecoded = EngineFixture.decodeReply(readReply);
        if (readReplyDecoded.results().size() != 3 || EngineFixture.decodeReply(getattrReply).results().size() != 3) {
            throw new IllegalStateException("setup COMPOUNDs failed: " + readReplyDecoded);
        }
        out = Unpooled.buffer(16 * 1024);
    }

    @TearDown(Level.Trial)
    public void tearDown() {
        out.release();
    }

    private byte[] engine(byte[] request) {
        setInt(request, EngineFixture.SEQID_OFFSET, fx.nextSeqid());
        return fx.process(request);
    }

    private static void setInt(byte[] b, int at, int v) {
        b[at] = (byte) (v >>> 24);
        b[at + 1] = (byte) (v >>> 16);
        b[at + 2] = (byte) (v >>> 8);
        b[at + 3] = (byte) v;
    }

    /** Client side: COMPOUND4args of SEQUENCE + PUTFH + GETATTR into a reused buffer. */
    @Benchmark
    public int encodeGetattrCall() {
        out.clear();
        new CompoundRequest("", 1, getattrOps).encode(new XdrEncoder(out));
        return out.writerIndex();
    }

    /** Server side: the COMPOUND header and the three operations' arguments. */
    @Benchmark
    public Object decodeGetattrCall() {
        XdrDecoder in = new XdrDecoder(Unpooled.wrappedBuffer(getattrRequest));
        in.readOpaque(1024);
        in.readInt();
        in.readInt();
        in.readInt();
        SequenceArgs seq = SequenceArgs.decode(in);
        in.readInt();
        PutFhArgs putfh = PutFhArgs.decode(in);
        in.readInt();
        return new Object[] {seq, putfh, GetattrArgs.decode(in)};
    }

    /** Client side: COMPOUND4res of SEQUENCE + PUTFH + GETATTR. */
    @Benchmark
    public CompoundReply decodeGetattrReply() {
        return EngineFixture.decodeReply(getattrReply);
    }

    /** Server side: COMPOUND4res of SEQUENCE + PUTFH + READ 4 KiB from decoded results. */
    @Benchmark
    public int encodeRead4kReply() {
        out.clear();
        XdrEncoder e = new XdrEncoder(out);
        e.writeInt(readReplyDecoded.status().code()).writeOpaque(new byte[0]).writeInt(3);
        for (int i = 0; i < 3; i++) {
            e.writeInt(readReplyDecoded.opcodes().get(i).code());
            readReplyDecoded.results().get(i).encode(e);
        }
        return out.writerIndex();
    }

    /** Client side: COMPOUND4res of SEQUENCE + PUTFH + READ 4 KiB. */
    @Benchmark
    public CompoundReply decodeRead4kReply() {
        return EngineFixture.decodeReply(readReply);
    }

    /** The whole engine: SEQUENCE + PUTFH + GETATTR, reply not cached (sa_cachethis false). */
    @Benchmark
    public byte[] engineGetattr() {
        return engine(getattrRequest);
    }

    /** The whole engine with the reply stored in the slot (sa_cachethis true): the reply cache's cost. */
    @Benchmark
    public byte[] engineGetattrCached() {
        return engine(getattrCachedRequest);
    }

    /** The whole engine: SEQUENCE + PUTFH + READ 4 KiB (anonymous stateid) from the memory backend. */
    @Benchmark
    public byte[] engineRead4k() {
        return engine(readRequest);
    }
}
