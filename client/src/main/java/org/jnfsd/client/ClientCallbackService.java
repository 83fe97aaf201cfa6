package org.jnfsd.client;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ExecutionException;
import org.jnfsd.protocol.nfs4.NfsStatus;
import org.jnfsd.protocol.nfs4.callback.CallbackProgram;
import org.jnfsd.protocol.nfs4.callback.CbArgs;
import org.jnfsd.protocol.nfs4.callback.CbCompoundArgs;
import org.jnfsd.protocol.nfs4.callback.CbCompoundResult;
import org.jnfsd.protocol.nfs4.callback.CbGetattrArgs;
import org.jnfsd.protocol.nfs4.callback.CbGetattrResult;
import org.jnfsd.protocol.nfs4.callback.CbNotifyLockArgs;
import org.jnfsd.protocol.nfs4.callback.CbOffloadArgs;
import org.jnfsd.protocol.nfs4.callback.CbOpcode;
import org.jnfsd.protocol.nfs4.callback.CbRecallAnyArgs;
import org.jnfsd.protocol.nfs4.callback.CbRecallArgs;
import org.jnfsd.protocol.nfs4.callback.CbResult;
import org.jnfsd.protocol.nfs4.callback.CbSequenceArgs;
import org.jnfsd.protocol.nfs4.callback.CbSequenceResult;
import org.jnfsd.protocol.nfs4.callback.CbStatusResult;
import org.jnfsd.protocol.nfs4.session.SessionId;
import org.jnfsd.protocol.xdr.XdrDecoder;
import org.jnfsd.protocol.xdr.XdrEncoder;
import org.jnfsd.protocol.xdr.XdrException;
import org.jnfsd.rpc.AcceptStat;
import org.jnfsd.rpc.RpcCall;
import org.jnfsd.rpc.RpcException;
import org.jnfsd.rpc.RpcProgram;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The NFSv4 callback program as an {@link NfsClient} serves it on its own connection: the RPC
 * layer answers CB_NULL; CB_COMPOUND is decoded one operation at a time, CB_SEQUENCE is checked
 * against the session and the {@link CallbackSlotTable} here, and every later operation goes to
 * the {@link CallbackHandler}. Results follow RFC 8881 §20: the first failing operation ends the
 * compound and its status is the compound's.
 *
 * <p>Lifecycle: the program must exist before the connection (it is served from the first byte),
 * but the session it checks against only after CREATE_SESSION: {@link #bind} publishes it once,
 * and a CB_COMPOUND arriving before that waits for it. {@link #close} (the connection closed)
 * ends every wait, for the binding or for a handler's answer.
 *
 * <pre>
 *   UNBOUND ──bind()──► BOUND ──close()──► CLOSED
 *      └──────────────close()─────────────────┘
 * </pre>
 * Transitions are the completion of {@link #binding} (bind) and of {@link #closed} (close), each
 * completed at most once; thread-safe.
 */
final class ClientCallbackService implements RpcProgram {
    private static final Logger LOG = LoggerFactory.getLogger(ClientCallbackService.class);

    /** The session and its slot table, once CREATE_SESSION has made them. */
    private record Binding(SessionId sessionId, CallbackSlotTable slots) {}

    private final int program;
    private final CallbackHandler handler;
    private final CompletableFuture<Binding> binding = new CompletableFuture<>();
    private final CompletableFuture<Void> closed = new CompletableFuture<>();

    ClientCallbackService(int program, CallbackHandler handler) {
        this.program = program;
        this.handler = handler;
    }

    /** Publishes the session the callbacks must name, with {@code slots} backchannel slots. Once. */
    void bind(SessionId sessionId, int slots) {
        if (!binding.complete(new Binding(sessionId, new CallbackSlotTable(slots)))) {
            throw new IllegalStateException("callback service already bound");
        }
    }

    /** Ends every wait of an incoming call: the connection is gone. Idempotent. */
    void close() {
        closed.complete(null);
    }

    @Override
    public int program() {
        return program;
    }

    @Override
    public int minVersion() {
        return CallbackProgram.VERSION;
    }

    @Override
    public int maxVersion() {
        return CallbackProgram.VERSION;
    }

    @Override
    public void call(RpcCall call, XdrDecoder args, XdrEncoder results) throws RpcException {
        if (call.procedure() != CallbackProgram.PROC_COMPOUND) {
            throw new RpcException(AcceptStat.PROC_UNAVAIL, "callback procedure " + call.procedure());
        }
        byte[] tag;
        int minor;
        int count;
        try {
            tag = args.readOpaque(CbCompoundArgs.MAX_TAG);
            minor = args.readInt();
            args.readInt(); // callback_ident: 0 for 4.1, unused
            count = args.readArrayLength(CbCompoundArgs.MAX_OPS, 4);
        } catch (XdrException e) {
            throw new RpcException(AcceptStat.GARBAGE_ARGS, "CB_COMPOUND header: " + e.getMessage(), e);
        }
        try {
            compound(await(binding), tag, minor, count, args).encode(results);
        } catch (ConnectionClosed e) {
            throw new RpcException(AcceptStat.SYSTEM_ERR, "CB_COMPOUND not answered: " + e.getMessage(), e);
        } catch (ExecutionException e) {
            throw new IllegalStateException("the binding never fails", e);
        } catch (XdrException e) {
            throw new RpcException(AcceptStat.GARBAGE_ARGS, "CB_COMPOUND: " + e.getMessage(), e);
        }
    }

    private CbCompoundResult compound(Binding b, byte[] tag, int minor, int count, XdrDecoder in)
            throws ConnectionClosed {
        if (minor != 1 && minor != 2) {
            return new CbCompoundResult(NfsStatus.NFS4ERR_MINOR_VERS_MISMATCH, tag, List.of());
        }
        if (count == 0) {
            return new CbCompoundResult(NfsStatus.NFS4_OK, tag, List.of());
        }
        int first = in.readInt();
        if (CbOpcode.fromCode(first) != CbOpcode.CB_SEQUENCE) {
            CbOpcode op = CbOpcode.fromCode(first);
            NfsStatus st = op == CbOpcode.CB_ILLEGAL ? NfsStatus.NFS4ERR_OP_ILLEGAL : NfsStatus.NFS4ERR_OP_NOT_IN_SESSION;
            return failed(tag, List.of(), new CbStatusResult(op, st));
        }
        CbSequenceArgs seq;
        try {
            seq = CbSequenceArgs.decode(in);
        } catch (XdrException e) {
            LOG.warn("undecodable CB_SEQUENCE: {}", e.getMessage());
            return failed(tag, List.of(), CbSequenceResult.error(statusOf(e)));
        }
        if (!seq.sessionId().equals(b.sessionId())) {
            LOG.warn("CB_SEQUENCE for session {}, not ours ({})", seq.sessionId(), b.sessionId());
            return failed(tag, List.of(), CbSequenceResult.error(NfsStatus.NFS4ERR_BADSESSION));
        }
        int highest = b.slots().size() - 1;
        CbSequenceResult ok = new CbSequenceResult(NfsStatus.NFS4_OK, seq.sessionId(), seq.sequenceId(), seq.slotId(),
                highest, highest);
        return switch (b.slots().begin(seq.slotId(), seq.sequenceId())) {
            case CallbackSlotTable.Outcome.Refused r -> {
                LOG.debug("CB_SEQUENCE slot {} seq {}: {}", seq.slotId(), seq.sequenceId(), r.status());
                yield failed(tag, List.of(), CbSequenceResult.error(r.status()));
            }
            case CallbackSlotTable.Outcome.Replay r -> r.reply();
            case CallbackSlotTable.Outcome.Uncached u -> count == 1
                    ? new CbCompoundResult(NfsStatus.NFS4_OK, tag, List.of(ok))
                    : failed(tag, List.of(ok), new CbStatusResult(CbOpcode.fromCode(in.readInt()),
                            NfsStatus.NFS4ERR_RETRY_UNCACHED_REP));
            case CallbackSlotTable.Outcome.Execute e -> {
                CbCompoundResult reply = null;
                try {
                    reply = execute(tag, ok, count, in);
                    yield reply;
                } finally {
                    b.slots().finish(seq.slotId(), seq.cacheThis() ? reply : null);
                }
            }
        };
    }

    /** Runs the operations after CB_SEQUENCE until one fails. */
    private CbCompoundResult execute(byte[] tag, CbSequenceResult ok, int count, XdrDecoder in)
            throws ConnectionClosed {
        List<CbResult> done = new ArrayList<>(count);
        done.add(ok);
        for (int i = 1; i < count; i++) {
            int code = in.readInt();
            CbOpcode op = CbOpcode.fromCode(code);
            if (op == CbOpcode.CB_SEQUENCE) {
                return failed(tag, done, CbSequenceResult.error(NfsStatus.NFS4ERR_SEQUENCE_POS));
            }
            CbArgs args;
            try {
                args = CbArgs.decodeBody(code, in);
            } catch (XdrException e) {
                LOG.warn("undecodable callback operation {} ({}): {}", op, code, e.getMessage());
                return failed(tag, done, new CbStatusResult(op, statusOf(e)));
            }
            CbResult r = dispatch(args);
            if (!r.status().isOk()) {
                return failed(tag, done, r);
            }
            done.add(r);
        }
        return new CbCompoundResult(NfsStatus.NFS4_OK, tag, done);
    }

    /** Asks the handler and waits for its answer; a handler that throws or fails answers NFS4ERR_SERVERFAULT. */
    private CbResult dispatch(CbArgs args) throws ConnectionClosed {
        CbOpcode op = args.opcode();
        try {
            return switch (args) {
                case CbGetattrArgs g -> await(handler.getattr(g));
                case CbRecallArgs r -> new CbStatusResult(op, await(handler.recall(r)));
                case CbRecallAnyArgs r -> new CbStatusResult(op, await(handler.recallAny(r)));
                case CbNotifyLockArgs n -> new CbStatusResult(op, await(handler.notifyLock(n)));
                case CbOffloadArgs o -> new CbStatusResult(op, await(handler.offload(o)));
                default -> new CbStatusResult(op, NfsStatus.NFS4ERR_NOTSUPP);
            };
        } catch (ExecutionException | RuntimeException e) {
            Throwable cause = e instanceof ExecutionException ? e.getCause() : e;
            LOG.warn("callback handler failed on {}: answering NFS4ERR_SERVERFAULT", op, cause);
            return op == CbOpcode.CB_GETATTR ? new CbGetattrResult(NfsStatus.NFS4ERR_SERVERFAULT, null)
                    : new CbStatusResult(op, NfsStatus.NFS4ERR_SERVERFAULT);
        }
    }

    /**
     * Waits for {@code stage} or for {@link #close}, whichever comes first.
     *
     * @throws ConnectionClosed if the connection closed first (or this thread was interrupted):
     *     no reply can be sent
     * @throws ExecutionException if the stage failed
     */
    private <T> T await(CompletionStage<T> stage) throws ConnectionClosed, ExecutionException {
        CompletableFuture<T> f = stage.toCompletableFuture();
        try {
            CompletableFuture.anyOf(f, closed).get();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new ConnectionClosed("interrupted", e);
        } catch (ExecutionException e) {
            // only f can fail (closed never does); f.get() below rethrows it
            LOG.trace("callback answer failed", e);
        }
        if (!f.isDone()) {
            throw new ConnectionClosed("connection closed while waiting for the answer", null);
        }
        try {
            return f.get();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new ConnectionClosed("interrupted", e);
        }
    }

    private static NfsStatus statusOf(XdrException e) {
        return e.status();
    }

    private static CbCompoundResult failed(byte[] tag, List<CbResult> before, CbResult failure) {
        List<CbResult> all = new ArrayList<>(before);
        all.add(failure);
        return new CbCompoundResult(failure.status(), tag, all);
    }

    /** The connection closed (or the thread was interrupted) before a call could be answered. */
    private static final class ConnectionClosed extends Exception {
        ConnectionClosed(String message, Throwable cause) {
            super(message, cause);
        }
    }
}
