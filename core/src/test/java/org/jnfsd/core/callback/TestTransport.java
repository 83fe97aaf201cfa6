package org.jnfsd.core.callback;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import org.jnfsd.protocol.nfs4.NfsStatus;
import org.jnfsd.protocol.nfs4.callback.CbCompoundArgs;
import org.jnfsd.protocol.nfs4.callback.CbCompoundResult;
import org.jnfsd.protocol.nfs4.callback.CbResult;
import org.jnfsd.protocol.nfs4.callback.CbSequenceArgs;
import org.jnfsd.protocol.nfs4.callback.CbSequenceResult;
import org.jnfsd.protocol.nfs4.callback.CbStatusResult;

/**
 * A transport the test controls: every call is captured and waits until the test replies, fails or
 * disconnects it. Late replies (after a failure or close) are attempted like a real peer would, and
 * must be dropped by the channel.
 */
final class TestTransport implements CallbackTransport {
    /** One captured call: {@code args} is null for CB_NULL. */
    static final class Call {
        final CbCompoundArgs args;
        final CompletableFuture<Object> reply = new CompletableFuture<>();
        /** When it was sent, by {@link #clock}; null without one. */
        java.time.Instant at;

        Call(CbCompoundArgs args) {
            this.args = args;
        }

        CbSequenceArgs sequence() {
            return (CbSequenceArgs) args.operations().get(0);
        }

        boolean isProbe() {
            return args == null;
        }
    }

    final List<Call> calls = new ArrayList<>();
    int closes;
    boolean throwOnSend;
    boolean closed;
    /** Stamps each call's {@link Call#at} when set. */
    java.time.Clock clock;
    /** Fails every call at once, as a refused connect does (a 4.0 client not listening). */
    boolean refusing;
    /** Runs inside {@link #close}, after the pending calls failed: the queue thread racing teardown. */
    Runnable onClose = () -> { };

    @Override
    public synchronized CompletionStage<Void> nullAsync() {
        Call c = new Call(null);
        calls.add(c);
        stamp(c);
        if (closed || refusing) {
            c.reply.completeExceptionally(new IllegalStateException("closed"));
        }
        return c.reply.thenApply(x -> null);
    }

    @Override
    public synchronized CompletionStage<CbCompoundResult> compoundAsync(CbCompoundArgs args) {
        if (throwOnSend) {
            throw new IllegalStateException("transport cannot send");
        }
        Call c = new Call(args);
        calls.add(c);
        stamp(c);
        if (closed || refusing) {
            c.reply.completeExceptionally(new IllegalStateException("closed"));
        }
        return c.reply.thenApply(x -> (CbCompoundResult) x);
    }

    private void stamp(Call c) {
        if (clock != null) {
            c.at = clock.instant();
        }
    }

    /** A 4.0 CB_COMPOUND's reply: no CB_SEQUENCE, the operation's result alone. */
    static void replyV40(Call c, NfsStatus status) {
        c.reply.complete(new CbCompoundResult(status, new byte[0], List.of(
                new CbStatusResult(c.args.operations().get(0).opcode(), status))));
    }

    @Override
    public synchronized void close() {
        closes++;
        closed = true;
        for (Call c : calls) {
            c.reply.completeExceptionally(new IllegalStateException("transport closed"));
        }
        onClose.run();
    }

    synchronized List<Call> compounds() {
        return calls.stream().filter(c -> !c.isProbe()).toList();
    }

    synchronized List<Call> probes() {
        return calls.stream().filter(Call::isProbe).toList();
    }

    synchronized List<Call> unanswered() {
        return calls.stream().filter(c -> !c.reply.isDone()).toList();
    }

    synchronized Call last() {
        return calls.get(calls.size() - 1);
    }

    /** Answers a probe. */
    static void answerProbe(Call c) {
        c.reply.complete(null);
    }

    /** CB_SEQUENCE OK and the operation with {@code status}. */
    static void reply(Call c, NfsStatus status) {
        CbSequenceArgs s = c.sequence();
        CbResult op = new CbStatusResult(c.args.operations().get(1).opcode(), status);
        c.reply.complete(new CbCompoundResult(status, new byte[0], List.of(
                new CbSequenceResult(NfsStatus.NFS4_OK, s.sessionId(), s.sequenceId(), s.slotId(), s.highestSlotId(),
                        s.highestSlotId() + 63), op)));
    }

    /** CB_SEQUENCE itself fails with {@code status}. */
    static void replySequenceError(Call c, NfsStatus status) {
        c.reply.complete(new CbCompoundResult(status, new byte[0], List.of(CbSequenceResult.error(status))));
    }

    static void fail(Call c) {
        c.reply.completeExceptionally(new IllegalStateException("connection closed"));
    }
}
