package org.jnfsd.core.copy;

import com.google.errorprone.annotations.concurrent.GuardedBy;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.Iterator;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.Executor;
import java.util.concurrent.RejectedExecutionException;
import java.util.function.LongFunction;
import org.jnfsd.core.NfsException;
import org.jnfsd.core.callback.CallbackChannel;
import org.jnfsd.core.callback.CallbackScheduler;
import org.jnfsd.core.metrics.ServerCounters;
import org.jnfsd.core.metrics.ServerEvent;
import org.jnfsd.core.state.ClientStateHook;
import org.jnfsd.core.state.StateIdAllocator;
import org.jnfsd.core.state.StateIdKindTable;
import org.jnfsd.core.state.StateKind;
import org.jnfsd.core.state.TeardownStep;
import org.jnfsd.protocol.nfs4.NfsStatus;
import org.jnfsd.protocol.nfs4.StateId;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The server's asynchronous copies: starts them ({@link #start}) on the injected executor within
 * the configured limits, finds them for OFFLOAD_STATUS and OFFLOAD_CANCEL, queues each one's
 * CB_OFFLOAD on its client's callback channel when it ends, reaps finished copies after their keep
 * time ({@link #reapFinished}, run by the laundromat), routes TEST_STATEID / FREE_STATEID of copy
 * stateids, and stops and joins a client's copies at its teardown ({@link TeardownStep#STOP_COPIES}).
 *
 * <p>A copy is <em>visible</em> (in {@link #byStateId}) from its start until it is cancelled or
 * reaped; it belongs to its client's entry ({@link #byClient}) until it is reaped, or, once
 * cancelled, until its task returns. Its task is <em>running</em> (counted against the limits)
 * from {@link #start} until the task returns. The client's teardown removes its entry and cancels
 * its running copies, so none queues a CB_OFFLOAD once STOP_COPIES has begun (one queued before is
 * drained by the callback step that follows).
 *
 * <p>Concurrency: the maps, the client entries and the running counts are guarded by {@link #lock};
 * each {@link AsyncCopy} changes state by CAS. A copy's end (complete, then queue its CB_OFFLOAD)
 * and the teardown's cancel both run under the lock, so one wholly precedes the other; {@link
 * CallbackChannel#submit} never blocks, and a callback's release only CASes its copy (it never
 * takes this lock). Teardown's wait for the copy tasks holds neither the lock nor a thread: it is
 * a stage, bounded on the injected scheduler.
 */
public final class Copies implements StateIdKindTable, ClientStateHook {
    private static final Logger log = LoggerFactory.getLogger(Copies.class);

    /**
     * Limits and times.
     *
     * @param maxPerClient most copy tasks running at once for one client
     * @param maxPerServer most copy tasks running at once on the server
     * @param keepTime how long a finished copy stays visible to OFFLOAD_STATUS (knfsd: about a lease)
     * @param joinBound how long a client's teardown waits for its copy tasks to return, timed on the
     *     injected scheduler
     */
    public record Settings(int maxPerClient, int maxPerServer, Duration keepTime, Duration joinBound) {
        public Settings {
            if (maxPerClient < 0 || maxPerServer < 0) {
                throw new IllegalArgumentException("negative copy limit");
            }
        }
    }

    private final StateIdAllocator ids;
    private final CopyEngine engine;
    private final Executor executor;
    private final Clock clock;
    /** Times the join bound of a client's teardown. */
    private final CallbackScheduler timers;
    private final ServerCounters counters;
    private final Settings settings;
    private final LongFunction<CallbackChannel> channels;
    private final Object lock = new Object();
    /** The visible copies. */
    @GuardedBy("lock")
    private final Map<StateId.Key, AsyncCopy> byStateId = new HashMap<>();
    /** Each client's copies, until its teardown removes the entry. */
    @GuardedBy("lock")
    private final Map<Long, ClientCopies> byClient = new HashMap<>();
    @GuardedBy("lock")
    private int running;

    /**
     * @param executor runs each copy on its own task (virtual threads in production)
     * @param timers times the join bound of a client's teardown ({@link #release}); never blocks
     * @param channels the client's callback channel by client id, null when it has none
     */
    public Copies(StateIdAllocator ids, CopyEngine engine, Executor executor, Clock clock, CallbackScheduler timers,
            ServerCounters counters, Settings settings, LongFunction<CallbackChannel> channels) {
        this.ids = ids;
        this.engine = engine;
        this.executor = executor;
        this.clock = clock;
        this.timers = timers;
        this.counters = counters;
        this.settings = settings;
        this.channels = channels;
    }

    /** One client's copies. */
    private static final class ClientCopies {
        // the fields are guarded by Copies.lock
        final Set<AsyncCopy> copies = new LinkedHashSet<>();
        int running;
    }

    /**
     * Starts an asynchronous copy for {@code clientId} and returns it (RUNNING, visible). Beyond the
     * per-client or per-server limit, NFS4ERR_DELAY (as knfsd beyond its cap): the client retries
     * later, or copies by READ and WRITE.
     */
    public AsyncCopy start(long clientId, AsyncCopy.Request request) throws NfsException {
        AsyncCopy copy = new AsyncCopy(new StateId(1, ids.newOther(StateKind.COPY)), clientId, request);
        ClientCopies cc;
        synchronized (lock) {
            cc = byClient.get(clientId);
            int mine = cc == null ? 0 : cc.running;
            if (mine >= settings.maxPerClient() || running >= settings.maxPerServer()) {
                throw new NfsException(NfsStatus.NFS4ERR_DELAY, "async copies at their limit: " + mine
                        + " of client " + Long.toHexString(clientId) + ", " + running + " on the server");
            }
            if (cc == null) {
                cc = new ClientCopies();
                byClient.put(clientId, cc);
            }
            cc.copies.add(copy);
            cc.running++;
            running++;
            byStateId.put(copy.stateId().key(), copy);
        }
        ClientCopies owner = cc;
        try {
            executor.execute(() -> runTask(copy, owner));
        } catch (RejectedExecutionException e) {
            log.warn("copy executor refused {}", copy, e);
            copy.cancel(clock.instant());
            synchronized (lock) {
                byStateId.remove(copy.stateId().key(), copy);
            }
            if (copy.claimTask()) {
                taskReturned(copy, owner);
            }
            throw new NfsException(NfsStatus.NFS4ERR_DELAY, "copy executor refused the copy", e);
        }
        counters.increment(ServerEvent.COPY_ASYNC_STARTED);
        log.debug("{} started", copy);
        return copy;
    }

    private void runTask(AsyncCopy copy, ClientCopies owner) {
        if (!copy.claimTask()) {
            return; // teardown took the task before it started, and did its bookkeeping
        }
        try {
            if (!copy.isCancelled()) {
                AsyncCopy.Request r = copy.request();
                CopyEngine.Outcome outcome = engine.copy(r.fs(), r.src(), r.srcOffset(), r.dst(), r.dstOffset(),
                        r.count(), copy);
                end(copy, statusOf(copy, outcome));
            }
        } catch (RuntimeException e) {
            log.error("{} failed", copy, e);
            end(copy, copy.copied() > 0 ? NfsStatus.NFS4_OK : NfsStatus.NFS4ERR_SERVERFAULT);
        } finally {
            taskReturned(copy, owner);
        }
    }

    /** OK when bytes were copied (a partial copy is reported as such, like a short WRITE), else the error. */
    private static NfsStatus statusOf(AsyncCopy copy, CopyEngine.Outcome outcome) {
        if (outcome.failure() == null) {
            return NfsStatus.NFS4_OK;
        }
        if (outcome.copied() > 0) {
            log.warn("{} stopped after {} bytes, reported as a partial copy", copy, outcome.copied(),
                    outcome.failure());
            return NfsStatus.NFS4_OK;
        }
        log.info("{} failed", copy, outcome.failure());
        return NfsException.of(outcome.failure()).status();
    }

    /**
     * The copy ended: NOTIFYING with its CB_OFFLOAD queued, or COMPLETED when the client has no
     * channel; nothing when it was cancelled first. Under the lock, so that the client's teardown
     * (which cancels under it) either comes after the CB_OFFLOAD was queued or prevents it.
     */
    private void end(AsyncCopy copy, NfsStatus status) {
        Instant now = clock.instant();
        synchronized (lock) {
            CallbackChannel ch = channels.apply(copy.clientId());
            if (!copy.complete(status, ch != null, now)) {
                return; // OFFLOAD_CANCEL or the client's teardown won: no CB_OFFLOAD
            }
            counters.increment(ServerEvent.COPY_ASYNC_COMPLETED);
            log.debug("{} ended with {}", copy, status);
            if (ch == null) {
                log.info("{}: its client has no callback channel; it can ask OFFLOAD_STATUS", copy);
                return;
            }
            CallbackChannel.Submitted s = ch.submit(new OffloadCallback(copy, counters, clock));
            if (s == CallbackChannel.Submitted.ALREADY_RUNNING) {
                throw new IllegalStateException("a fresh CB_OFFLOAD for " + copy + " was already running");
            }
        }
    }

    /** Bookkeeping once a copy task has returned (or will never run). */
    private void taskReturned(AsyncCopy copy, ClientCopies owner) {
        synchronized (lock) {
            owner.running--;
            running--;
            if (copy.state() == CopyState.CANCELLED) {
                owner.copies.remove(copy);
                copy.reap();
            }
        }
        copy.taskDone();
    }

    /** The visible copy {@code stateId} names for {@code clientId}; NFS4ERR_BAD_STATEID when none. */
    public AsyncCopy find(long clientId, StateId stateId) throws NfsException {
        AsyncCopy c;
        synchronized (lock) {
            c = byStateId.get(stateId.key());
        }
        if (c == null || c.clientId() != clientId || c.state() == CopyState.REAPED) {
            throw new NfsException(NfsStatus.NFS4ERR_BAD_STATEID, "no copy " + stateId);
        }
        return c;
    }

    /**
     * OFFLOAD_CANCEL: a running copy stops at its next chunk and sends no CB_OFFLOAD; it is no longer
     * visible (OFFLOAD_STATUS answers NFS4ERR_BAD_STATEID, as knfsd). A copy that had ended already is
     * left as it is. Returns whether this call cancelled it.
     */
    public boolean cancel(AsyncCopy copy) {
        if (!copy.cancel(clock.instant())) {
            return false;
        }
        counters.increment(ServerEvent.COPY_ASYNC_CANCELLED);
        synchronized (lock) {
            byStateId.remove(copy.stateId().key(), copy);
        }
        log.debug("{} cancelled", copy);
        return true;
    }

    /**
     * The laundromat's part: unlinks copies that ended (and whose CB_OFFLOAD, if any, was released)
     * at least the keep time ago. Returns how many.
     */
    public int reapFinished() {
        Instant limit = clock.instant().minus(settings.keepTime());
        int n = 0;
        synchronized (lock) {
            for (Iterator<AsyncCopy> it = byStateId.values().iterator(); it.hasNext();) {
                AsyncCopy c = it.next();
                Instant ended = c.endedAt();
                if (c.state() == CopyState.COMPLETED && ended != null && !ended.isAfter(limit) && c.reap()) {
                    it.remove();
                    ClientCopies cc = byClient.get(c.clientId());
                    if (cc != null) {
                        cc.copies.remove(c);
                    }
                    n++;
                }
            }
        }
        if (n > 0) {
            log.debug("reaped {} finished copies", n);
        }
        return n;
    }

    /** Visible copies (a gauge). */
    public int size() {
        synchronized (lock) {
            return byStateId.size();
        }
    }

    /** Copy tasks running (a gauge). */
    public int running() {
        synchronized (lock) {
            return running;
        }
    }

    // ---- TEST_STATEID / FREE_STATEID ----

    @Override
    public StateKind kind() {
        return StateKind.COPY;
    }

    @Override
    public NfsStatus test(long clientId, StateId stateId) {
        try {
            find(clientId, stateId);
            return NfsStatus.NFS4_OK;
        } catch (NfsException e) {
            return e.status();
        }
    }

    /**
     * Frees a finished copy's stateid (it is reaped at once); NFS4ERR_DELAY while the copy runs or its
     * CB_OFFLOAD is in flight (OFFLOAD_CANCEL is how a copy is stopped).
     */
    @Override
    public NfsStatus free(long clientId, StateId stateId) {
        AsyncCopy c;
        try {
            c = find(clientId, stateId);
        } catch (NfsException e) {
            return e.status();
        }
        synchronized (lock) {
            if (!c.reap()) {
                return c.state() == CopyState.REAPED ? NfsStatus.NFS4ERR_BAD_STATEID : NfsStatus.NFS4ERR_DELAY;
            }
            byStateId.remove(c.stateId().key(), c);
            ClientCopies cc = byClient.get(clientId);
            if (cc != null) {
                cc.copies.remove(c);
            }
        }
        return NfsStatus.NFS4_OK;
    }

    // ---- teardown ----

    @Override
    public TeardownStep step() {
        return TeardownStep.STOP_COPIES;
    }

    /**
     * The STOP_COPIES step: unlinks the client's copies and cancels the running ones at once (none
     * of them queues a CB_OFFLOAD after this returns), then returns a stage that completes when their
     * tasks have returned, or at the join bound, timed on the injected scheduler (no thread waits):
     * a task still running then is logged and can no longer queue a CB_OFFLOAD. A copy whose
     * CB_OFFLOAD is already queued stays NOTIFYING until the callback step drains it.
     */
    @Override
    public CompletionStage<Void> release(long clientId) {
        List<AsyncCopy> mine;
        ClientCopies cc;
        Instant now = clock.instant();
        synchronized (lock) {
            cc = byClient.remove(clientId);
            if (cc == null) {
                return CompletableFuture.completedStage(null);
            }
            mine = new ArrayList<>(cc.copies);
            for (AsyncCopy c : mine) {
                byStateId.remove(c.stateId().key(), c);
                if (c.cancel(now)) { // under the lock: no copy of this client queues a CB_OFFLOAD after this
                    counters.increment(ServerEvent.COPY_ASYNC_CANCELLED);
                }
            }
        }
        List<CompletableFuture<Void>> tasks = new ArrayList<>();
        for (AsyncCopy c : mine) {
            if (c.claimTask()) {
                taskReturned(c, cc); // its task never started, and now never will
            }
            tasks.add(c.taskEnded().toCompletableFuture());
        }
        CompletableFuture<Void> joined = new CompletableFuture<>();
        CompletableFuture<Void> all = CompletableFuture.allOf(tasks.toArray(CompletableFuture[]::new));
        if (!all.isDone()) {
            CallbackScheduler.Timer timer = timers.schedule(() -> {
                if (joined.complete(null)) {
                    List<AsyncCopy> stuck = mine.stream().filter(c -> !c.taskEnded().toCompletableFuture().isDone())
                            .toList();
                    log.error("client {}: copy tasks still running after {}: {}; they will send no CB_OFFLOAD",
                            Long.toHexString(clientId), settings.joinBound(), stuck);
                }
            }, settings.joinBound());
            all.whenComplete((v, e) -> timer.cancel());
        }
        all.whenComplete((v, e) -> joined.complete(null));
        return joined.thenRun(() -> {
            for (AsyncCopy c : mine) {
                // a NOTIFYING copy is left to its CB_OFFLOAD's release, a CANCELLED one to its task's
                // return (taskReturned): reaping it here, while a task the join gave up on still runs,
                // would make that task stop seeing the cancel and copy the rest
                if (c.state() != CopyState.CANCELLED) {
                    c.reap();
                }
            }
            if (!mine.isEmpty()) {
                log.debug("client {}: {} copies stopped", Long.toHexString(clientId), mine.size());
            }
        });
    }

    /** {@link #release}, without waiting for the copy tasks to return. Idempotent. */
    @Override
    public void releaseClient(long clientId) {
        release(clientId);
    }

    /** Whether the client has a copy task running (DESTROY_CLIENTID answers CLIENTID_BUSY, as knfsd). */
    @Override
    public boolean hasState(long clientId) {
        synchronized (lock) {
            ClientCopies cc = byClient.get(clientId);
            return cc != null && cc.running > 0;
        }
    }
}
