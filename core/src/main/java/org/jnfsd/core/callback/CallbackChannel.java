package org.jnfsd.core.callback;

import com.google.errorprone.annotations.concurrent.GuardedBy;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.Executor;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import org.jnfsd.core.callback.BackchannelSlotTable.Fate;
import org.jnfsd.core.callback.BackchannelSlotTable.Slot;
import org.jnfsd.core.callback.CallbackOutcome.Failed;
import org.jnfsd.core.callback.CallbackOutcome.Reason;
import org.jnfsd.protocol.nfs4.NfsStatus;
import org.jnfsd.protocol.nfs4.callback.CbArgs;
import org.jnfsd.protocol.nfs4.callback.CbCompoundArgs;
import org.jnfsd.protocol.nfs4.callback.CbCompoundResult;
import org.jnfsd.protocol.nfs4.callback.CbResult;
import org.jnfsd.protocol.nfs4.callback.CbSequenceArgs;
import org.jnfsd.protocol.nfs4.callback.CbSequenceResult;
import org.jnfsd.protocol.nfs4.callback.CbStatusResult;
import org.jnfsd.protocol.nfs4.session.SequenceResult;
import org.jnfsd.rpc.PeerLog;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One client's callback channel, for every minor version: its state, its ordered callback queue,
 * the count of callbacks in flight and, for 4.1/4.2, its backchannel slot table. How a call is
 * framed is the path's ({@link CallbackPath#sequenced()}): a 4.1 path sends CB_SEQUENCE on a
 * backchannel slot; a 4.0 path (a connection the server dials, {@link V40CallbackTransport}) sends
 * the operation alone in a CB_COMPOUND of minor version 0 with the client's callback_ident, with
 * no slot to wait for. States, queue, in-flight count, retries, timeouts and teardown are the same.
 *
 * <pre>
 *               probe ok                 probe failed / call lost / timeout / last back connection closed
 *   UNKNOWN ───────────────► UP ─────────────────────────────────────────────────► DOWN
 *      │                      ▲ ◄──────────── probe ok (after pathBound: CREATE_SESSION, BIND_CONN) ─┘
 *      │                      │ ◄──────────── probe ok ────────────┐
 *      │                      └── CB_SEQUENCE fault / no usable slot ──► FAULT
 *      └──────── any state ──── shutdownAsync ────► KILLED (terminal)
 * </pre>
 *
 * UNKNOWN/UP → DOWN: {@link #markDownLocked} from a failed probe, a lost or timed-out call, or
 * {@link #connectionLost} with no back connection left. any → FAULT: {@link #markFaultLocked} from
 * CB_SEQUENCE replies no retry can fix. UNKNOWN/DOWN/FAULT → UP: a successful CB_NULL probe, sent by
 * {@link #pathBound} (after CREATE_SESSION with a back channel, BIND_CONN_TO_SESSION for the back
 * channel, BACKCHANNEL_CTL) and by {@link #connectionLost} while another back connection remains.
 * → KILLED: {@link #shutdownAsync} only. A 4.1 channel never probes by itself: its backchannel cannot
 * reconnect, so a DOWN channel waits for the client to bind a connection (row 07), which it does when
 * SEQUENCE reports {@link #statusFlags() CB_PATH_DOWN}. A 4.0 path can be dialled again
 * ({@link CallbackPath#reconnects()}): each move to DOWN arms one re-probe timer, after 1 s, doubling
 * on each failure up to 60 s, reset by a probe that succeeds or a new path (SETCLIENTID callback
 * update: {@link #pathBound}, which closes the old path's connection). {@link #pathRefused} leaves a
 * 4.0 channel DOWN with no path at all (an address the policy refuses): nothing is dialled or
 * re-probed. Callbacks submitted while DOWN fail at once; none is requeued (row 10).
 *
 * <h2>Callbacks</h2>
 * {@link #submit} takes the callback's running token, raises the in-flight count, then queues the
 * callback on the client's {@link SerialExecutor} (lowering the count again if queueing fails). On
 * the queue, one step at a time: prepare, take a backchannel slot (or wait for one, bounded by the
 * callback timeout), send CB_SEQUENCE + the operation, and handle the reply. NFS4ERR_DELAY is retried
 * after {@link Settings#delayRetryInterval} at most {@link Settings#maxDelayRetries} times; BADSLOT and
 * SEQ_MISORDERED move to another slot at most {@link Settings#maxSequenceRetries} times. Every exit
 * (reply, failure, timeout, skip, channel down, killed, queue rejected) goes through {@link #finish}:
 * free the slot, {@code done}, {@code release}, clear the token, lower the count, each exactly once.
 * A lost connection fails the callbacks on it; nothing is requeued for later (row 10: an unreachable
 * client would pin them forever); the owner of the callback decides (a recall unanswered for a lease
 * revokes the delegation).
 *
 * <h2>Concurrency</h2>
 * Every mutable field is guarded by {@link #lock}. Callback steps and transport calls run without it.
 * Queue work runs on {@link #queue}; {@link #shutdownAsync} runs on the caller's thread and finishes
 * every callback not inside {@code prepare} itself; a per-run {@code finished} flag makes the first
 * finisher win. Nothing here blocks or reads the wall clock: time comes from the injected
 * {@link Clock} and timers from the injected {@link CallbackScheduler}.
 */
public final class CallbackChannel {
    private static final Logger log = LoggerFactory.getLogger(CallbackChannel.class);

    /** The lifecycle of the channel; see the class comment for the diagram. */
    public enum State {
        UNKNOWN,
        UP,
        DOWN,
        FAULT,
        KILLED
    }

    /**
     * Timing and bounds.
     *
     * @param callTimeout how long one attempt may take, slot wait included
     * @param delayRetryInterval wait before resending after NFS4ERR_DELAY
     * @param maxDelayRetries resends after NFS4ERR_DELAY before the callback fails
     * @param maxSequenceRetries resends after BADSLOT / SEQ_MISORDERED before it fails
     * @param handleKey seals the file handle a callback names, as the client was given it
     */
    public record Settings(Duration callTimeout, Duration delayRetryInterval, int maxDelayRetries,
            int maxSequenceRetries, org.jnfsd.core.fs.HandleKey handleKey) {
        public static final Settings DEFAULT = new Settings(Duration.ofSeconds(10), Duration.ofMillis(500), 5, 4);

        /** Sealing file handles with the process key ({@link org.jnfsd.core.fs.HandleKey#processKey}). */
        public Settings(Duration callTimeout, Duration delayRetryInterval, int maxDelayRetries, int maxSequenceRetries) {
            this(callTimeout, delayRetryInterval, maxDelayRetries, maxSequenceRetries,
                    org.jnfsd.core.fs.HandleKey.processKey());
        }
    }

    private final String name;
    private final SerialExecutor queue;
    private final CallbackScheduler scheduler;
    private final Clock clock;
    private final Settings settings;
    private final Probe probe = new Probe();
    private final Object lock = new Object();

    @GuardedBy("lock")
    private State state = State.UNKNOWN;
    /** The backchannel in use, null before the first pathBound. */
    @GuardedBy("lock")
    private CallbackPath path;
    /** The slot table of path's session. */
    @GuardedBy("lock")
    private BackchannelSlotTable slots;
    /** Runs submitted and not yet finished, in submission order. */
    @GuardedBy("lock")
    private final Set<Run> runs = new LinkedHashSet<>();
    /** Runs waiting for a slot, first come first served. */
    @GuardedBy("lock")
    private final ArrayDeque<Run> slotWaiters = new ArrayDeque<>();
    /** Raised before queueing, lowered after release. */
    @GuardedBy("lock")
    private int inFlight;
    /** Runs finished but whose release has not returned yet. */
    @GuardedBy("lock")
    private final Set<Run> releasing = new LinkedHashSet<>();
    /** Set by shutdownAsync. */
    @GuardedBy("lock")
    private CompletableFuture<TeardownReport> teardown;
    @GuardedBy("lock")
    private int killed;
    @GuardedBy("lock")
    private CallbackScheduler.Timer teardownTimer;
    /** Slots acquired and not yet released, over every table. */
    @GuardedBy("lock")
    private int slotsInUse;
    private final AtomicLong stepFailures = new AtomicLong();
    /** A probe was asked for after the running probe was sent (a newer path to test). */
    @GuardedBy("lock")
    private boolean probeAgain;
    /** The next re-probe of a DOWN reconnecting (4.0) path, null when none is due. */
    @GuardedBy("lock")
    private CallbackScheduler.Timer reprobeTimer;
    /** How long after the next DOWN the re-probe waits; doubles up to REPROBE_MAX. */
    @GuardedBy("lock")
    private Duration reprobeDelay = REPROBE_FIRST;

    /** The first re-probe of a DOWN 4.0 path waits this long; each failure doubles it. */
    static final Duration REPROBE_FIRST = Duration.ofSeconds(1);
    /** The back-off between re-probes of a DOWN 4.0 path never grows past this. */
    static final Duration REPROBE_MAX = Duration.ofSeconds(60);

    /**
     * @param name the client, for logs
     * @param executor runs the client's ordered queue (wrapped in a serial executor); never a request thread
     */
    public CallbackChannel(String name, Executor executor, CallbackScheduler scheduler, Clock clock, Settings settings) {
        this.name = name;
        this.queue = new SerialExecutor(executor);
        this.scheduler = scheduler;
        this.clock = clock;
        this.settings = settings;
    }

    public State state() {
        synchronized (lock) {
            return state;
        }
    }

    /** Callbacks submitted whose release has not yet returned (probes included). */
    public int inFlight() {
        synchronized (lock) {
            return inFlight;
        }
    }

    /**
     * The SEQUENCE status flags this channel makes true (RFC 8881 §18.46.3): CB_PATH_DOWN and
     * CB_PATH_DOWN_SESSION while DOWN (the client's only backchannel is its callback session's),
     * BACKCHANNEL_FAULT while FAULT. Nothing while UNKNOWN (probe pending), UP or KILLED.
     */
    public int statusFlags() {
        synchronized (lock) {
            return switch (state) {
                case DOWN -> SequenceResult.STATUS_CB_PATH_DOWN | SequenceResult.STATUS_CB_PATH_DOWN_SESSION;
                case FAULT -> SequenceResult.STATUS_BACKCHANNEL_FAULT;
                case UNKNOWN, UP, KILLED -> 0;
            };
        }
    }

    /** Actions to run once (outside the lock) when a probe is next answered. */
    @GuardedBy("lock")
    private final List<Runnable> whenUp = new ArrayList<>();

    /**
     * Runs {@code action} once the channel is UP: at once if it is UP now, else when a probe is
     * next answered (never, if it is killed first). The action must only queue work; it runs on
     * the caller's thread or the channel's queue, outside the channel's lock.
     */
    public void whenUp(Runnable action) {
        boolean now;
        synchronized (lock) {
            now = state == State.UP;
            if (!now && state != State.KILLED) {
                whenUp.add(action);
            }
        }
        if (now) {
            action.run();
        }
    }

    /**
     * The client gave (or re-bound) a backchannel: CREATE_SESSION with CONN_BACK_CHAN,
     * BIND_CONN_TO_SESSION for the back channel, BACKCHANNEL_CTL. A new session gets a new slot table;
     * the same session keeps its table (the client's sequence ids persist). Then probes with CB_NULL.
     */
    public void pathBound(CallbackPath newPath) {
        CallbackTransport replaced = null;
        boolean killed;
        synchronized (lock) {
            killed = state == State.KILLED;
            if (!killed) {
                if (!newPath.sequenced()) {
                    slots = null; // 4.0: no slot table, no CB_SEQUENCE
                } else if (path == null || !newPath.sessionId().equals(path.sessionId())) {
                    slots = new BackchannelSlotTable(newPath.slots());
                }
                if (path != null && path.reconnects() && path.transport() != newPath.transport()) {
                    replaced = path.transport(); // a 4.0 callback update: the old connection is ours to close
                }
                path = newPath;
                cancelReprobeLocked();
                reprobeDelay = REPROBE_FIRST;
            }
        }
        if (killed) {
            if (newPath.reconnects()) {
                newPath.transport().close();
            }
            return;
        }
        if (replaced != null) {
            replaced.close();
        }
        requestProbe();
    }

    /**
     * A 4.0 client named a callback the server will not use (an address outside the policy, a netid
     * other than tcp/tcp6, a malformed address): the channel has no path and is DOWN, and nothing
     * re-probes it until a SETCLIENTID names a usable one. The caller logs why.
     */
    public void pathRefused(String why) {
        CallbackTransport replaced = null;
        synchronized (lock) {
            if (state == State.KILLED) {
                return;
            }
            if (path != null && path.reconnects()) {
                replaced = path.transport();
            }
            path = null;
            slots = null;
            cancelReprobeLocked();
            markDownLocked(why);
        }
        if (replaced != null) {
            replaced.close();
        }
    }

    /**
     * A back-channel connection closed. Probes again if the path still has a connection; otherwise the
     * channel is DOWN and waits for the client to bind one (no reconnect loop, row 07).
     */
    public void connectionLost() {
        boolean reprobe;
        synchronized (lock) {
            if (state == State.KILLED || path == null) {
                return;
            }
            if (path.reconnects()) {
                // 4.0: the server's own connection closed; DOWN, and re-probed after the back-off
                markDownLocked("callback connection closed");
                return;
            }
            reprobe = path.hasConnection().getAsBoolean();
            if (!reprobe) {
                markDownLocked("last back-channel connection closed");
            }
        }
        if (reprobe) {
            requestProbe();
        }
    }

    /**
     * Queues the probe; if one is already queued or running, makes sure another runs after it (the
     * running one may be testing a connection that is gone), so a bind is never left unprobed.
     */
    private void requestProbe() {
        synchronized (lock) {
            probeAgain = true;
        }
        submit(probe);
    }

    /** What {@link #submit} did with a callback. */
    public enum Submitted {
        /** Queued; the channel owns it until its release. */
        QUEUED,
        /** Its token was already held (queued or running): nothing done, the caller keeps it as it was. */
        ALREADY_RUNNING,
        /** Refused (channel killed, queue rejected): its release has already run. */
        REFUSED
    }

    /**
     * Queues {@code cb} on the client's ordered queue and takes ownership of it: from here its release
     * runs exactly once, whatever happens, unless the answer is {@link Submitted#ALREADY_RUNNING}.
     * Never blocks; safe from a request thread.
     */
    public Submitted submit(Callback cb) {
        if (!cb.tryClaim()) {
            return Submitted.ALREADY_RUNNING;
        }
        Run run = new Run(cb, clock.instant());
        boolean refused;
        synchronized (lock) {
            inFlight++;
            refused = state == State.KILLED;
            if (!refused) {
                runs.add(run);
            }
        }
        if (refused) {
            finish(run, new Failed(Reason.KILLED, "channel killed"));
            return Submitted.REFUSED;
        }
        try {
            queue.execute(() -> dispatch(run));
        } catch (RejectedExecutionException e) {
            log.warn("{}: callback queue refused {}", name, cb, e);
            finish(run, new Failed(Reason.QUEUE_REJECTED, e.toString()));
            return Submitted.REFUSED;
        }
        return Submitted.QUEUED;
    }

    // ---- on the queue ----

    /** First step of a run: prepare (once), then send. */
    private void dispatch(Run run) {
        boolean live;
        synchronized (lock) {
            if (run.finished.get()) {
                return;
            }
            live = state != State.KILLED;
            run.preparing = live;
        }
        if (!live) {
            finish(run, new Failed(Reason.KILLED, "channel killed"));
            return;
        }
        Optional<CbArgs> op;
        try {
            // the callback names its file unsealed; the client knows it by the sealed handle it was given
            op = run.callback == probe ? Optional.empty() : run.callback.prepare().map(settings.handleKey()::sealIn);
        } catch (RuntimeException e) {
            stepFailed();
            log.error("{}: prepare of {} failed", name, run.callback, e);
            endPrepare(run);
            finish(run, new Failed(Reason.PREPARE_FAILED, e.toString()));
            return;
        }
        if (endPrepare(run)) {
            finish(run, new Failed(Reason.KILLED, "channel killed"));
            return;
        }
        if (run.callback == probe) {
            sendProbe(run);
            return;
        }
        if (op.isEmpty()) {
            finish(run, new CallbackOutcome.Skipped());
            return;
        }
        run.op = op.get();
        attempt(run);
    }

    /** Leaves the prepare step; true if the channel was killed meanwhile. */
    private boolean endPrepare(Run run) {
        synchronized (lock) {
            run.preparing = false;
            return state == State.KILLED;
        }
    }

    private void sendProbe(Run run) {
        CallbackTransport transport;
        synchronized (lock) {
            probeAgain = false; // this probe tests the latest path
            transport = path == null ? null : path.transport();
            if (transport != null) {
                armTimerLocked(run);
            }
        }
        if (transport == null) {
            synchronized (lock) {
                markDownLocked("no backchannel");
            }
            finish(run, new Failed(Reason.CHANNEL_DOWN, "no backchannel"));
            return;
        }
        int attempt = run.attempt;
        CompletionStage<Void> call;
        try {
            call = transport.nullAsync();
        } catch (RuntimeException e) {
            onProbeReply(run, attempt, e);
            return;
        }
        call.whenComplete((ok, failure) -> enqueue(run, () -> onProbeReply(run, attempt, failure)));
    }

    private void onProbeReply(Run run, int attempt, Throwable failure) {
        List<Runnable> nowUp = List.of();
        synchronized (lock) {
            if (run.finished.get() || run.attempt != attempt) {
                return;
            }
            cancelTimerLocked(run);
            if (failure == null) {
                if (state != State.KILLED) {
                    setStateLocked(State.UP, "probe answered");
                    cancelReprobeLocked();
                    reprobeDelay = REPROBE_FIRST;
                    nowUp = List.copyOf(whenUp);
                    whenUp.clear();
                }
            } else {
                markDownLocked("probe failed: " + failure);
            }
        }
        finish(run, failure == null ? new CallbackOutcome.Replied(null) : new Failed(Reason.TRANSPORT_FAILED, failure.toString()));
        serveSlotWaiters();
        for (Runnable action : nowUp) {
            try {
                action.run();
            } catch (RuntimeException e) {
                stepFailed();
                log.error("{}: an action waiting for the channel to come up failed", name, e);
            }
        }
    }

    /** Takes a slot (or waits for one) and sends; re-entered for every retry. */
    private void attempt(Run run) {
        CallbackPath p;
        Slot slot;
        synchronized (lock) {
            if (run.finished.get()) {
                return;
            }
            run.attempt++;
            if (state == State.KILLED) {
                slot = null;
                p = null;
            } else if (state == State.DOWN || state == State.FAULT || path == null) {
                p = null;
                slot = null;
            } else if (!path.sequenced()) {
                // 4.0: no slot to wait for; the call goes out at once
                p = path;
                slot = null;
                armTimerLocked(run);
                run.unsequencedCall = true;
            } else {
                p = path;
                slot = acquireSlotLocked();
                armTimerLocked(run);
                if (slot == null) {
                    slotWaiters.add(run);
                    return;
                }
                run.slot = slot;
                run.slotSent = false;
            }
        }
        if (p == null) {
            State s = state();
            finish(run, new Failed(s == State.KILLED ? Reason.KILLED : Reason.CHANNEL_DOWN, "channel " + s));
            return;
        }
        send(run, p, slot);
    }

    private void send(Run run, CallbackPath p, Slot slot) {
        CbCompoundArgs args;
        synchronized (lock) {
            run.sentOn = p;
            if (slot == null) {
                args = null;
            } else {
                run.slotSent = true;
                args = new CbCompoundArgs(new byte[0], p.minorVersion(), 0, List.of(
                        new CbSequenceArgs(p.sessionId(), slot.sent, slot.id, slot.table.highestSlotId(), false,
                                List.of()), run.op));
            }
        }
        if (args == null) {
            // 4.0 (RFC 7530 §16.2.3): minor version 0, the client's callback_ident, the operation alone
            args = new CbCompoundArgs(new byte[0], 0, p.callbackIdent(), List.of(run.op));
        }
        int attempt = run.attempt;
        try {
            run.callback.sent();
        } catch (RuntimeException e) {
            stepFailed();
            log.error("{}: sent step of {} failed", name, run.callback, e);
        }
        CompletionStage<CbCompoundResult> call;
        try {
            call = p.transport().compoundAsync(args);
        } catch (RuntimeException e) {
            onReply(run, attempt, null, e);
            return;
        }
        call.whenComplete((res, failure) -> enqueue(run, () -> onReply(run, attempt, res, failure)));
    }

    private void onReply(Run run, int attempt, CbCompoundResult res, Throwable failure) {
        Decision decision;
        synchronized (lock) {
            if (run.finished.get() || run.attempt != attempt || run.slot == null && !run.unsequencedCall) {
                return; // late reply of an attempt already ended (timeout, kill): dropped
            }
            cancelTimerLocked(run);
            if (run.slot == null) {
                run.unsequencedCall = false;
                decision = unsequencedReplyLocked(run, res, failure);
            } else {
                Slot slot = run.slot;
                run.slot = null;
                decision = sequencedReplyLocked(run, slot, res, failure);
            }
        }
        settle(run, decision);
        serveSlotWaiters();
    }

    /** What a reply decides: finish with {@code outcome}, resend now, or resend after the delay interval. */
    private record Decision(CallbackOutcome outcome, boolean retryNow, boolean retryLater) {
        static final Decision RETRY_NOW = new Decision(null, true, false);
        static final Decision RETRY_LATER = new Decision(null, false, true);

        static Decision finish(CallbackOutcome outcome) {
            return new Decision(outcome, false, false);
        }
    }

    /**
     * A 4.1 CB_COMPOUND's reply, CB_SEQUENCE first: gives {@code slot} back with what the reply
     * says of it, then decides on the operation's result (or on CB_SEQUENCE's error).
     */
    @GuardedBy("lock")
    private Decision sequencedReplyLocked(Run run, Slot slot, CbCompoundResult res, Throwable failure) {
        CbSequenceResult seq = res != null && !res.results().isEmpty()
                && res.results().get(0) instanceof CbSequenceResult s ? s : null;
        if (state == State.KILLED) {
            // killed meanwhile (its transport closed under this call): whatever came back, the kill wins
            releaseSlotLocked(slot, failure != null ? Fate.LOST : Fate.UNCHANGED);
            return Decision.finish(new Failed(Reason.KILLED, "channel killed"));
        }
        if (failure != null) {
            releaseSlotLocked(slot, Fate.LOST);
            markDownLocked("callback " + run.callback + " failed: " + failure);
            return Decision.finish(new Failed(Reason.TRANSPORT_FAILED, failure.toString()));
        }
        if (seq == null) {
            releaseSlotLocked(slot, Fate.UNCHANGED);
            markFaultLocked("CB_COMPOUND answered " + res.status() + " without CB_SEQUENCE");
            return Decision.finish(new Failed(Reason.SEQUENCE_FAILED, "CB_COMPOUND " + res.status()));
        }
        if (seq.status().isOk()) {
            if (seq.slotId() != slot.id || seq.sequenceId() != slot.sent) {
                releaseSlotLocked(slot, Fate.LOST);
                markFaultLocked("CB_SEQUENCE reply for slot " + seq.slotId() + " seq " + seq.sequenceId()
                        + ", sent slot " + slot.id + " seq " + slot.sent);
                return Decision.finish(new Failed(Reason.SEQUENCE_FAILED, "mismatched CB_SEQUENCE reply"));
            }
            releaseSlotLocked(slot, Fate.ADVANCED);
            slot.table.setTarget(seq.targetHighestSlotId());
            return operationResultLocked(run, res.results().size() > 1 ? res.results().get(1)
                    : new CbStatusResult(run.op.opcode(), res.status()));
        }
        NfsStatus st = seq.status();
        switch (st) {
            case NFS4ERR_BADSLOT -> releaseSlotLocked(slot, Fate.BAD);
            case NFS4ERR_SEQ_MISORDERED -> releaseSlotLocked(slot, Fate.MISORDERED);
            default -> releaseSlotLocked(slot, Fate.UNCHANGED);
        }
        if (st == NfsStatus.NFS4ERR_DELAY && run.delayRetries < settings.maxDelayRetries()) {
            run.delayRetries++;
            return Decision.RETRY_LATER;
        }
        if ((st == NfsStatus.NFS4ERR_BADSLOT || st == NfsStatus.NFS4ERR_SEQ_MISORDERED)
                && run.sequenceRetries < settings.maxSequenceRetries() && slot.table.usableSlots() > 0) {
            run.sequenceRetries++;
            return Decision.RETRY_NOW;
        }
        if (slot.table.usableSlots() == 0 || st != NfsStatus.NFS4ERR_DELAY) {
            markFaultLocked("CB_SEQUENCE " + st + ", " + slot.table.usableSlots() + " usable slots");
        }
        return Decision.finish(new Failed(Reason.SEQUENCE_FAILED, "CB_SEQUENCE " + st));
    }

    /**
     * A 4.0 CB_COMPOUND's reply (no CB_SEQUENCE: the operation's result comes first). A failure
     * marks the channel DOWN only when the call went over the path still in use (not an old one a
     * callback update replaced, whose connection was closed under it).
     */
    @GuardedBy("lock")
    private Decision unsequencedReplyLocked(Run run, CbCompoundResult res, Throwable failure) {
        if (state == State.KILLED) {
            return Decision.finish(new Failed(Reason.KILLED, "channel killed"));
        }
        if (failure != null) {
            if (run.sentOn == path) {
                markDownLocked("callback " + run.callback + " failed: " + failure);
            }
            return Decision.finish(new Failed(Reason.TRANSPORT_FAILED, failure.toString()));
        }
        return operationResultLocked(run,
                res.results().isEmpty() ? new CbStatusResult(run.op.opcode(), res.status()) : res.results().get(0));
    }

    /**
     * The operation's own result, either minor version: NFS4ERR_DELAY is resent, a bounded number
     * of times.
     */
    @GuardedBy("lock")
    private Decision operationResultLocked(Run run, CbResult r) {
        if (r.status() != NfsStatus.NFS4ERR_DELAY) {
            return Decision.finish(new CallbackOutcome.Replied(r));
        }
        if (run.delayRetries < settings.maxDelayRetries()) {
            run.delayRetries++;
            return Decision.RETRY_LATER;
        }
        return Decision.finish(new Failed(Reason.DELAY_RETRIES_EXHAUSTED, run.delayRetries + " retries"));
    }

    /** After a reply: resend now, resend after the delay interval, or finish. */
    private void settle(Run run, Decision decision) {
        if (decision.retryNow()) {
            attempt(run);
        } else if (decision.retryLater()) {
            synchronized (lock) {
                if (!run.finished.get()) {
                    run.timer = scheduler.schedule(() -> enqueue(run, () -> retryAfterDelay(run)),
                            settings.delayRetryInterval());
                }
            }
        } else {
            finish(run, decision.outcome());
        }
    }

    /**
     * A resend after NFS4ERR_DELAY, on the queue: only while the callback is still wanted (row 06: a
     * recall whose delegation was returned or revoked meanwhile ends as skipped instead).
     */
    private void retryAfterDelay(Run run) {
        boolean wanted;
        try {
            wanted = run.callback.stillNeeded();
        } catch (RuntimeException e) {
            stepFailed();
            log.error("{}: stillNeeded of {} failed; resending", name, run.callback, e);
            wanted = true;
        }
        if (wanted) {
            attempt(run);
        } else {
            log.debug("{}: {} no longer needed after NFS4ERR_DELAY; not resent", name, run.callback);
            finish(run, new CallbackOutcome.Skipped());
        }
    }

    /** Hands freed slots to waiting runs, in order. */
    private void serveSlotWaiters() {
        while (true) {
            Run run;
            Slot slot;
            CallbackPath p;
            synchronized (lock) {
                if (slotWaiters.isEmpty() || state == State.KILLED) {
                    return;
                }
                if (state == State.DOWN || state == State.FAULT) {
                    run = slotWaiters.poll();
                    slot = null;
                    p = null;
                } else {
                    slot = acquireSlotLocked();
                    if (slot == null) {
                        return;
                    }
                    run = slotWaiters.poll();
                    run.slot = slot;
                    run.slotSent = false;
                    p = path;
                }
            }
            if (slot == null) {
                finish(run, new Failed(Reason.CHANNEL_DOWN, "channel down while waiting for a slot"));
            } else {
                send(run, p, slot);
            }
        }
    }

    private void onTimeout(Run run, int attempt) {
        synchronized (lock) {
            if (run.finished.get() || run.attempt != attempt) {
                return;
            }
            slotWaiters.remove(run);
            if (run.slot != null) {
                releaseSlotLocked(run.slot, run.slotSent ? Fate.LOST : Fate.UNCHANGED);
                run.slot = null;
            }
            run.unsequencedCall = false;
            markDownLocked(run.callback + " timed out");
        }
        finish(run, new Failed(Reason.TIMED_OUT, "no answer within " + settings.callTimeout()));
        serveSlotWaiters();
    }

    private void enqueue(Run run, Runnable step) {
        try {
            queue.execute(step);
        } catch (RejectedExecutionException e) {
            log.warn("{}: callback queue refused a step of {}", name, run.callback, e);
            finish(run, new Failed(Reason.QUEUE_REJECTED, e.toString()));
        }
    }

    // ---- every exit ----

    /**
     * Ends a run exactly once: frees its slot, cancels its timer, runs done then release, clears the
     * token, lowers the in-flight count. The first caller wins; later calls do nothing.
     */
    private void finish(Run run, CallbackOutcome outcome) {
        if (!run.finished.compareAndSet(false, true)) {
            return;
        }
        synchronized (lock) {
            runs.remove(run);
            slotWaiters.remove(run);
            cancelTimerLocked(run);
            if (run.slot != null) {
                releaseSlotLocked(run.slot, run.slotSent ? Fate.LOST : Fate.UNCHANGED);
                run.slot = null;
            }
            releasing.add(run);
        }
        Callback cb = run.callback;
        try {
            cb.done(outcome);
        } catch (RuntimeException e) {
            stepFailed();
            log.error("{}: done step of {} failed", name, cb, e);
        }
        try {
            cb.release();
        } catch (RuntimeException e) {
            stepFailed();
            log.error("{}: release step of {} failed", name, cb, e);
        }
        cb.clearClaim();
        uncount(run);
        if (cb == probe) {
            boolean again;
            synchronized (lock) {
                again = probeAgain && state != State.KILLED;
                probeAgain = false;
            }
            if (again) {
                submit(probe);
            }
        }
    }

    /** Lowers the in-flight count for {@code run} once (after release, or when teardown gives up on it). */
    private void uncount(Run run) {
        CompletableFuture<TeardownReport> done = null;
        TeardownReport report = null;
        synchronized (lock) {
            releasing.remove(run);
            if (!run.counted.compareAndSet(true, false)) {
                return;
            }
            inFlight--;
            if (inFlight == 0 && teardown != null && !teardown.isDone()) {
                if (teardownTimer != null) {
                    teardownTimer.cancel();
                }
                done = teardown;
                report = new TeardownReport(killed, List.of());
            }
        }
        if (done != null) {
            done.complete(report);
        }
    }

    // ---- teardown ----

    /**
     * Kills the channel, in the declared order: KILLED (no requeue, no new work) → close the transport
     * (cancels its calls) → finish every queued, slot-waiting and sent callback (release runs) → wait
     * for in-flight == 0, at most {@code bound}; then the callbacks still stuck in a step (a prepare,
     * done or release that does not return) are logged with kind, subject, age and step and no longer
     * counted, so the stage completes. Their release still runs exactly once if their step ever
     * returns. Idempotent: a second call returns the same stage. Never blocks.
     */
    public CompletionStage<TeardownReport> shutdownAsync(Duration bound) {
        List<Run> toKill = new ArrayList<>();
        CallbackPath p;
        CompletableFuture<TeardownReport> result;
        synchronized (lock) {
            if (teardown != null) {
                return teardown.minimalCompletionStage();
            }
            teardown = new CompletableFuture<>();
            result = teardown;
            setStateLocked(State.KILLED, "shutdown");
            whenUp.clear();
            cancelReprobeLocked();
            p = path;
            for (Run r : runs) {
                if (!r.preparing) {
                    toKill.add(r);
                }
            }
            killed = toKill.size();
        }
        if (p != null) {
            p.transport().close();
        }
        for (Run r : toKill) {
            finish(r, new Failed(Reason.KILLED, "channel killed"));
        }
        boolean zero;
        synchronized (lock) {
            zero = inFlight == 0;
            if (!zero) {
                teardownTimer = scheduler.schedule(this::forceRelease, bound);
            }
        }
        if (zero) {
            result.complete(new TeardownReport(toKill.size(), List.of()));
        }
        return result.minimalCompletionStage();
    }

    private void forceRelease() {
        List<Run> stuck;
        Instant now = clock.instant();
        synchronized (lock) {
            if (teardown.isDone()) {
                return;
            }
            stuck = new ArrayList<>(runs);
            stuck.addAll(releasing);
        }
        List<String> described = new ArrayList<>();
        for (Run r : stuck) {
            String step = r.finished.get() ? "done/release" : r.preparing ? "prepare" : "queued";
            String d = r.callback.kind() + " " + r.callback.subject() + " age "
                    + Duration.between(r.submittedAt, now) + " stuck in " + step;
            described.add(d);
            log.error("{}: teardown bound passed, force-releasing {}", name, d);
        }
        int k;
        CompletableFuture<TeardownReport> done;
        synchronized (lock) {
            done = teardown;
            for (Run r : stuck) {
                if (r.counted.compareAndSet(true, false)) {
                    inFlight--;
                }
            }
            k = killed;
        }
        done.complete(new TeardownReport(k, described));
    }

    // ---- slots and step failures ----

    @GuardedBy("lock")
    private Slot acquireSlotLocked() {
        if (slots == null) {
            return null; // a 4.0 path has no slots (and no run waits for one)
        }
        Slot s = slots.acquire();
        if (s != null) {
            slotsInUse++;
        }
        return s;
    }

    /** Every slot the channel took goes back through here, whichever session's table it came from. */
    @GuardedBy("lock")
    private void releaseSlotLocked(Slot slot, Fate fate) {
        slot.table.release(slot, fate);
        slotsInUse--;
    }

    /**
     * Backchannel slots held now, over every session's table the channel used: 0 whenever no callback
     * is between its slot acquisition and its reply, timeout or kill (row 04).
     */
    int slotsInUse() {
        synchronized (lock) {
            return slotsInUse;
        }
    }

    private void stepFailed() {
        stepFailures.incrementAndGet();
    }

    /**
     * Exceptions thrown by callback steps (prepare, sent, stillNeeded, done, release) on this channel.
     * Each is logged and the run goes on, so a double release or a wrong transition in a step would
     * pass unseen without this count: tests assert it is zero.
     */
    public long stepFailures() {
        return stepFailures.get();
    }

    // ---- state ----

    @GuardedBy("lock")
    private void setStateLocked(State to, String why) {
        if (state != to) {
            log.debug("{}: callback channel {} -> {} ({})", name, state, to, why);
            state = to;
        }
    }

    @GuardedBy("lock")
    private void markDownLocked(String why) {
        if (state != State.KILLED) {
            setStateLocked(State.DOWN, why);
            scheduleReprobeLocked();
        }
    }

    /**
     * A DOWN path that can reconnect (4.0) is probed again after {@link #reprobeDelay}, which doubles
     * on each failure up to {@link #REPROBE_MAX} and starts again at {@link #REPROBE_FIRST} once a
     * probe succeeds or a new path is bound. One timer at most: a busy loop against an unreachable
     * client is impossible (row 07). A 4.1 path never re-probes by itself.
     */
    @GuardedBy("lock")
    private void scheduleReprobeLocked() {
        if (path == null || !path.reconnects() || reprobeTimer != null) {
            return;
        }
        Duration d = reprobeDelay;
        Duration doubled = d.multipliedBy(2);
        reprobeDelay = doubled.compareTo(REPROBE_MAX) > 0 ? REPROBE_MAX : doubled;
        try {
            reprobeTimer = scheduler.schedule(this::reprobe, d);
        } catch (RejectedExecutionException e) {
            log.debug("{}: no re-probe, the callback timer is closed", name, e);
        }
    }

    private void reprobe() {
        synchronized (lock) {
            reprobeTimer = null;
            if (state != State.DOWN || path == null) {
                return;
            }
        }
        requestProbe();
    }

    @GuardedBy("lock")
    private void cancelReprobeLocked() {
        if (reprobeTimer != null) {
            reprobeTimer.cancel();
            reprobeTimer = null;
        }
    }

    @GuardedBy("lock")
    private void markFaultLocked(String why) {
        if (state != State.KILLED) {
            PeerLog.warn(log, "backchannel-fault", "{}: backchannel fault: {}", name, why);
            setStateLocked(State.FAULT, why);
        }
    }

    @GuardedBy("lock")
    private void armTimerLocked(Run run) {
        cancelTimerLocked(run);
        int attempt = run.attempt;
        run.timer = scheduler.schedule(() -> enqueue(run, () -> onTimeout(run, attempt)), settings.callTimeout());
    }

    @GuardedBy("lock")
    private void cancelTimerLocked(Run run) {
        if (run.timer != null) {
            run.timer.cancel();
            run.timer = null;
        }
    }

    @Override
    public String toString() {
        return "CallbackChannel[" + name + " " + state() + "]";
    }

    /** One submission of a callback, from submit to the end of its release. */
    private static final class Run {
        final Callback callback;
        final Instant submittedAt;
        /** Set by the first finisher. */
        final AtomicBoolean finished = new AtomicBoolean();
        /** True while the run is counted in flight; cleared once, by uncount or forceRelease. */
        final AtomicBoolean counted = new AtomicBoolean(true);
        // the fields below are guarded by the channel's lock
        boolean preparing;
        CbArgs op;
        int attempt;
        Slot slot;
        boolean slotSent;
        /** A 4.0 call (no slot) is out and its reply not yet handled. */
        boolean unsequencedCall;
        /** The path the last attempt went over. */
        CallbackPath sentOn;
        int delayRetries;
        int sequenceRetries;
        CallbackScheduler.Timer timer;

        Run(Callback callback, Instant submittedAt) {
            this.callback = callback;
            this.submittedAt = submittedAt;
        }
    }

    /** The CB_NULL probe: one object per channel, so its token keeps probes from piling up. */
    private final class Probe extends Callback {
        Probe() {
            super("CB_NULL");
        }

        @Override
        public String subject() {
            return name;
        }

        @Override
        protected Optional<CbArgs> prepare() {
            return Optional.empty();
        }

        @Override
        protected void done(CallbackOutcome outcome) {
            log.trace("{}: probe {}", name, outcome);
        }

        @Override
        protected void release() {
            // the probe refers to nothing: the step exists so the probe counts in flight like any callback (row 03)
        }
    }
}
