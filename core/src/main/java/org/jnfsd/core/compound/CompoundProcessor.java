package org.jnfsd.core.compound;

import java.util.EnumSet;
import java.util.Set;
import org.jnfsd.core.NfsException;
import org.jnfsd.core.ServerContext;
import org.jnfsd.core.metrics.OpMetrics;
import org.jnfsd.core.fs.FileHandle;
import org.jnfsd.core.ops.v40.V40Binding;
import org.jnfsd.core.ops.v40.V40Sequencing;
import org.jnfsd.core.state.V40Owners;
import org.jnfsd.protocol.nfs4.NfsStatus;
import org.jnfsd.protocol.nfs4.OpResult;
import org.jnfsd.protocol.nfs4.Opcode;
import org.jnfsd.protocol.nfs4.StatusResult;
import org.jnfsd.protocol.xdr.XdrDecoder;
import org.jnfsd.protocol.xdr.XdrEncoder;
import org.jnfsd.protocol.xdr.XdrException;
import org.jnfsd.rpc.AcceptStat;
import org.jnfsd.rpc.Credential;
import org.jnfsd.rpc.RpcConnection;
import org.jnfsd.rpc.RpcException;
import org.jnfsd.rpc.PeerLog;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Executes one COMPOUND (RFC 8881 §16.2): decodes each operation just before running it, stops at
 * the first failure, and writes COMPOUND4res. Operations are decoded lazily so that an unknown or
 * malformed operation ends the COMPOUND there, with the operations before it executed.
 *
 * <p>Sessions: SEQUENCE's result may be a {@link CachedReply} (a retry: the first reply is written
 * verbatim) or an {@link UncachedRetry} (a retry whose reply was not cached: SEQUENCE's result and
 * NFS4ERR_RETRY_UNCACHED_REP on the next operation, nothing executed). A slot acquired by SEQUENCE
 * is completed exactly once, on every path.
 *
 * <p>This is the one place that turns exceptions into result statuses and log levels: client
 * mistakes at debug, server faults at error with the stack. Nothing thrown by an operation
 * escapes as anything but a result. Stateless and thread-safe.
 */
public final class CompoundProcessor {
    private static final Logger log = LoggerFactory.getLogger(CompoundProcessor.class);
    /** Operations that may open a COMPOUND without SEQUENCE (RFC 8881 §2.10.6.4). */
    private static final Set<Opcode> SESSIONLESS = EnumSet.of(Opcode.EXCHANGE_ID, Opcode.CREATE_SESSION,
            Opcode.DESTROY_SESSION, Opcode.BIND_CONN_TO_SESSION, Opcode.DESTROY_CLIENTID);
    private static final int MAX_TAG = 1024;

    private final ServerContext server;
    private final OperationTable table;
    private final OpMetrics ops;
    private final RefusedMinorVersions refusedMinor;

    public CompoundProcessor(ServerContext server, OperationTable table) {
        this.server = server;
        this.table = table;
        this.ops = server.counters().ops();
        this.refusedMinor = new RefusedMinorVersions(server.config().minorVersions());
    }

    public ServerContext server() {
        return server;
    }

    /**
     * @throws RpcException GARBAGE_ARGS when the COMPOUND header itself cannot be decoded
     */
    public void process(Credential cred, RpcConnection conn, XdrDecoder in, XdrEncoder out) throws RpcException {
        int requestSize = in.remaining();
        byte[] tag;
        int minor;
        int numOps;
        try {
            tag = in.readOpaque(MAX_TAG);
            minor = in.readInt();
            numOps = in.readInt();
        } catch (XdrException e) {
            throw new RpcException(AcceptStat.GARBAGE_ARGS, "COMPOUND header: " + e.getMessage());
        }
        int start = out.position();
        int statusPos = out.reserveInt();
        out.writeOpaque(tag);
        int countPos = out.reserveInt();

        if (!server.config().minorVersions().contains(minor)) {
            refusedMinor.refused(conn != null && conn.remoteAddress() != null ? conn.remoteAddress().getAddress()
                    : java.net.InetAddress.getLoopbackAddress(), minor);
            out.setInt(statusPos, NfsStatus.NFS4ERR_MINOR_VERS_MISMATCH.code());
            return;
        }
        if (numOps < 0 || numOps > server.config().maxOpsPerCompound()) {
            out.setInt(statusPos, NfsStatus.NFS4ERR_TOO_MANY_OPS.code());
            out.setInt(countPos, tooManyOps(in, out));
            return;
        }
        CompoundContext ctx = new CompoundContext(server, cred, conn, minor, numOps, requestSize);
        int results = 0;
        NfsStatus last = NfsStatus.NFS4_OK;
        try {
            for (int i = 0; i < numOps; i++) {
                ctx.setOpIndex(i);
                int opStart = out.position();
                long t0 = ops.startNanos();
                Step step = step(ctx, in, i);
                if (step.result instanceof CachedReply cached) {
                    // a retry: the first reply, byte for byte, and nothing executed
                    out.buffer().writerIndex(start);
                    out.buffer().writeBytes(cached.compoundReply());
                    return;
                }
                if (step.result instanceof UncachedRetry retry) {
                    results += writeUncachedRetry(retry, in, numOps, out);
                    last = NfsStatus.NFS4ERR_RETRY_UNCACHED_REP;
                    break;
                }
                out.writeInt(step.opcode.code());
                step.result.encode(out);
                results++;
                last = step.result.status();
                SequenceSlot slot = ctx.slot();
                if (slot != null && last.isOk()) {
                    NfsStatus sizeErr = checkSize(slot, out.position() - start);
                    if (sizeErr != null) {
                        out.buffer().writerIndex(opStart);
                        out.writeInt(step.opcode.code());
                        step.result = StatusResult.of(sizeErr);
                        step.result.encode(out);
                        last = sizeErr;
                    }
                }
                ops.record(step.opcode, last, t0);
                if (!last.isOk()) {
                    break;
                }
            }
            out.setInt(statusPos, last.code());
            out.setInt(countPos, results);
        } finally {
            ctx.releaseClient();
            SequenceSlot slot = ctx.slot();
            if (slot != null) {
                out.setInt(statusPos, last.code());
                out.setInt(countPos, results);
                slot.complete(out.buffer().slice(start, out.position() - start));
            }
        }
    }

    /**
     * The results of a COMPOUND with more operations than the server takes: when it starts with
     * SEQUENCE, that SEQUENCE's result carries NFS4ERR_TOO_MANY_OPS (RFC 8881 §15.2, §2.10.6.4:
     * "the server MUST return NFS4ERR_TOO_MANY_OPS in the SEQUENCE result"); nothing is decoded
     * beyond the first opcode and nothing executes. Otherwise no result. Returns the count.
     */
    private static int tooManyOps(XdrDecoder in, XdrEncoder out) {
        int first;
        try {
            first = in.readInt();
        } catch (XdrException e) {
            return 0;
        }
        if (first != Opcode.SEQUENCE.code()) {
            return 0;
        }
        out.writeInt(Opcode.SEQUENCE.code());
        out.writeInt(NfsStatus.NFS4ERR_TOO_MANY_OPS.code());
        return 1;
    }

    /**
     * Writes SEQUENCE's result and, if the request has a second operation, that operation with
     * NFS4ERR_RETRY_UNCACHED_REP, without decoding its arguments. Returns the results written.
     */
    private static int writeUncachedRetry(UncachedRetry retry, XdrDecoder in, int numOps, XdrEncoder out) {
        out.writeInt(Opcode.SEQUENCE.code());
        retry.sequenceResult().encode(out);
        if (numOps < 2) {
            return 1;
        }
        int code;
        try {
            code = in.readInt();
        } catch (XdrException e) {
            log.debug("uncached retry without a readable second opcode: {}", e.getMessage());
            code = Opcode.ILLEGAL.code();
        }
        Opcode next = Opcode.fromCode(code);
        out.writeInt(next.code());
        out.writeInt(NfsStatus.NFS4ERR_RETRY_UNCACHED_REP.code());
        return 2;
    }

    private static NfsStatus checkSize(SequenceSlot slot, int size) {
        if (size > slot.maxResponseSize()) {
            return NfsStatus.NFS4ERR_REP_TOO_BIG;
        }
        if (slot.cacheThis() && size > slot.maxResponseSizeCached()) {
            return NfsStatus.NFS4ERR_REP_TOO_BIG_TO_CACHE;
        }
        return null;
    }

    private static final class Step {
        final Opcode opcode;
        OpResult result;

        Step(Opcode opcode, OpResult result) {
            this.opcode = opcode;
            this.result = result;
        }
    }

    private Step step(CompoundContext ctx, XdrDecoder in, int index) {
        int code;
        try {
            code = in.readInt();
        } catch (XdrException e) {
            return new Step(Opcode.ILLEGAL, StatusResult.of(NfsStatus.NFS4ERR_BADXDR));
        }
        Opcode opcode = Opcode.fromCode(code);
        if (opcode == Opcode.ILLEGAL) {
            log.debug("operation {} of COMPOUND: unknown opcode {}", index, code);
            return new Step(Opcode.ILLEGAL, StatusResult.of(NfsStatus.NFS4ERR_OP_ILLEGAL));
        }
        if (!MinorVersionRules.exists(opcode, ctx.minorVersion())) {
            log.debug("operation {} of COMPOUND: {} is not an operation of minor version {}", index, opcode,
                    ctx.minorVersion());
            return new Step(Opcode.ILLEGAL, StatusResult.of(NfsStatus.NFS4ERR_OP_ILLEGAL));
        }
        NfsStatus refusal = MinorVersionRules.refusal(opcode, ctx.minorVersion());
        if (refusal != null) {
            log.debug("operation {} of COMPOUND: {} in minor version {}: {}", index, opcode, ctx.minorVersion(), refusal);
            return new Step(opcode, StatusResult.of(refusal));
        }
        if (ctx.minorVersion() == 0) {
            // no sessions in 4.0: every operation may come first (RFC 7530 §15.2)
            Operation<?> op = table.get(opcode);
            return new Step(opcode, op == null ? StatusResult.of(NfsStatus.NFS4ERR_NOTSUPP) : run(ctx, in, op));
        }
        if (index == 0 && opcode != Opcode.SEQUENCE && !SESSIONLESS.contains(opcode)) {
            return new Step(opcode, StatusResult.of(NfsStatus.NFS4ERR_OP_NOT_IN_SESSION));
        }
        if (index > 0 && opcode == Opcode.SEQUENCE) {
            return new Step(opcode, StatusResult.of(NfsStatus.NFS4ERR_SEQUENCE_POS));
        }
        Operation<?> op = table.get(opcode);
        if (op == null) {
            return new Step(opcode, StatusResult.of(NfsStatus.NFS4ERR_NOTSUPP));
        }
        return new Step(opcode, run(ctx, in, op));
    }

    private static <A> OpResult run(CompoundContext ctx, XdrDecoder in, Operation<A> op) {
        A args;
        try {
            args = op.decode(in);
        } catch (XdrException e) {
            log.debug("{}: undecodable arguments: {}", op.opcode(), e.getMessage());
            return StatusResult.of(e.status());
        } catch (RuntimeException e) {
            PeerLog.error(log, "decoder-failed-" + op.opcode(), "{}: decoder failed", op.opcode(), e);
            return StatusResult.of(NfsStatus.NFS4ERR_BADXDR);
        }
        if (ctx.minorVersion() == 0) {
            return runV40(ctx, op, args);
        }
        try {
            return op.execute(ctx, args);
        } catch (NfsException | RuntimeException e) {
            return failure(op, args, e);
        }
    }

    /**
     * An operation of a 4.0 COMPOUND: bound to the client it names ({@link V40Binding}), run in its
     * owner's sequence when it has a seqid ({@link V40Sequencing}): a retransmission gets the
     * owner's last reply, byte for byte, and does not run; the reply of one that ran is kept.
     */
    private static <A> OpResult runV40(CompoundContext ctx, Operation<A> op, A args) {
        V40Owners.Turn turn = null;
        try {
            OpResult result;
            try {
                V40Binding.before(ctx, args);
                turn = V40Sequencing.begin(ctx, args);
                if (turn != null && turn.replay() != null) {
                    log.debug("{}: a retransmission, answered with the owner's last reply", op.opcode());
                    if (turn.replay().fh() != null) {
                        ctx.setCurrentFh(turn.replay().fh());
                    }
                    return V40Sequencing.Replayed.of(turn.replay().result());
                }
                result = op.execute(ctx, args);
                V40Binding.after(ctx, args, result);
            } catch (NfsException | RuntimeException e) {
                result = failure(op, args, e);
            }
            if (turn != null) {
                FileHandle fh = args instanceof org.jnfsd.protocol.nfs4.io.OpenArgs && result.status().isOk()
                        && ctx.hasCurrentFh() ? currentFh(ctx) : null;
                turn.finish(result.status(), V40Sequencing.encode(result), fh);
            }
            return result;
        } finally {
            if (turn != null) {
                turn.abandon();
            }
        }
    }

    private static FileHandle currentFh(CompoundContext ctx) {
        try {
            return ctx.currentFh();
        } catch (NfsException e) {
            return null;
        }
    }

    /** The one place an operation's exception becomes its result and a log line. */
    private static <A> OpResult failure(Operation<A> op, A args, Exception failure) {
        switch (failure) {
            case NfsException e -> {
                if (e.isServerFault()) {
                    PeerLog.error(log, "server-fault-" + op.opcode(), "{} failed: {}", op.opcode(), e.getMessage(), e);
                } else {
                    log.debug("{}: {} ({})", op.opcode(), e.status(), e.getMessage());
                }
                return op.failure(e.status(), args);
            }
            case XdrException e -> {
                log.debug("{}: bad argument: {}", op.opcode(), e.getMessage());
                return op.failure(e.status(), args);
            }
            default -> {
                PeerLog.error(log, "unexpected-" + op.opcode(), "{} failed with an unexpected exception", op.opcode(),
                        failure);
                return op.failure(NfsStatus.NFS4ERR_SERVERFAULT, args);
            }
        }
    }
}
