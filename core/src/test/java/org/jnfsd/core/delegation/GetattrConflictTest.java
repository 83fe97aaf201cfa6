package org.jnfsd.core.delegation;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.jnfsd.core.NfsException;
import org.jnfsd.core.callback.CallbackOutcome;
import org.jnfsd.core.callback.CallbackScheduler;
import org.jnfsd.core.fs.FileHandle;
import org.jnfsd.core.metrics.ServerCounters;
import org.jnfsd.core.metrics.ServerEvent;
import org.jnfsd.core.state.StateIdAllocator;
import org.jnfsd.core.time.ManualClock;
import org.jnfsd.protocol.nfs4.Bitmap;
import org.jnfsd.protocol.nfs4.NfsStatus;
import org.jnfsd.protocol.nfs4.callback.CbGetattrResult;
import org.jnfsd.protocol.nfs4.callback.CbOpcode;
import org.jnfsd.protocol.nfs4.callback.CbStatusResult;
import org.jnfsd.vfs.Inode;
import org.jnfsd.vfs.SetAttributes;
import org.jnfsd.vfs.Stat;
import org.jnfsd.vfs.memory.MemoryFileSystem;
import org.junit.jupiter.api.Test;

/** GETATTR under another client's write delegation: CB_GETATTR driven by a fake channel and manual timers. */
class GetattrConflictTest {
    private static final long HOLDER = 1;
    private static final long OTHER = 2;
    private static final Duration BOUND = Duration.ofMillis(30);
    private static final int[] SIZE = Bitmap.of(4);
    private static final int[] CHANGE = Bitmap.of(3);
    private static final int[] MODE_ONLY = Bitmap.of(33);

    private final ManualClock clock = new ManualClock();
    private final MemoryFileSystem fs = new MemoryFileSystem(clock);
    private final DelegationTable table = new DelegationTable(clock, new StateIdAllocator(3), Duration.ofSeconds(90),
            Duration.ofSeconds(5), 10);
    private final ServerCounters counters = new ServerCounters();
    private final ManualTimers timers = new ManualTimers();
    private final List<GetattrCallback> sent = new ArrayList<>();
    private final List<Delegation> recalled = new ArrayList<>();
    private final FileHandle file;

    GetattrConflictTest() throws Exception {
        Inode f = fs.createFile(fs.root(), "f", new SetAttributes(0644, 0, 0, null, null, null), true);
        file = new FileHandle(1, f);
    }

    /** Timers that fire only when the test says; counts scheduling so a test can wait for it. */
    static final class ManualTimers implements CallbackScheduler {
        private final List<Runnable> pending = new ArrayList<>();
        final CountDownLatch scheduled = new CountDownLatch(1);

        @Override
        public synchronized Timer schedule(Runnable task, Duration delay) {
            pending.add(task);
            scheduled.countDown();
            return () -> {
                synchronized (this) {
                    pending.remove(task);
                }
            };
        }

        void fireAll() {
            List<Runnable> due;
            synchronized (this) {
                due = List.copyOf(pending);
                pending.clear();
            }
            due.forEach(Runnable::run);
        }

        synchronized int pending() {
            return pending.size();
        }
    }

    private GetattrConflict conflict(GetattrConflict.Submitter submitter) {
        return new GetattrConflict(table, submitter,
                (clientId, f) -> table.recallConflicting(clientId, f, true, recalled::add), timers, BOUND, counters);
    }

    /** A holder that answers at once, as a channel would: prepare, done, release. */
    private GetattrConflict.Submitter answering(long change, long size) {
        return (holder, cb) -> {
            sent.add(cb);
            assertThat(cb.prepare()).isPresent();
            cb.sent();
            cb.done(new CallbackOutcome.Replied(new CbGetattrResult(NfsStatus.NFS4_OK,
                    GetattrCallbackTest.changeAndSize(change, size))));
            cb.release();
            return true;
        };
    }

    private Stat stat() throws Exception {
        return fs.getattr(file.inode());
    }

    private Delegation grantWrite() throws Exception {
        Stat st = stat();
        return table.grantWrite(HOLDER, file, st.change(), st.size()).delegation();
    }

    @Test
    void resolve_noDelegation_serverAttributesNoCallback() throws Exception {
        Stat st = stat();

        assertThat(conflict(answering(9, 9)).resolve(OTHER, file, SIZE, st, fs)).isSameAs(st);
        assertThat(sent).isEmpty();
    }

    @Test
    void race21_otherClientsReadDelegation_noCbGetattr() throws Exception {
        table.grantRead(HOLDER, file);
        // a write delegation on another file, so the lookup cannot answer from its no-write fast path
        assertThat(table.grantWrite(HOLDER, new FileHandle(1, new Inode(new byte[] {7, 7})), 1, 1).delegation())
                .isNotNull();
        Stat st = stat();

        assertThat(conflict(answering(9, 9)).resolve(OTHER, file, SIZE, st, fs)).isSameAs(st);
        assertThat(sent).as("CB_GETATTR only ever for a write delegation").isEmpty();
        assertThat(counters.count(ServerEvent.CB_GETATTR_SENT)).isZero();
    }

    @Test
    void resolve_holderItselfOrNoSizeChangeAsked_noCallback() throws Exception {
        grantWrite();
        Stat st = stat();
        GetattrConflict c = conflict(answering(9, 9));

        assertThat(c.resolve(HOLDER, file, SIZE, st, fs)).isSameAs(st);
        assertThat(c.resolve(OTHER, file, MODE_ONLY, st, fs)).isSameAs(st);
        assertThat(sent).isEmpty();
    }

    @Test
    void resolve_holderReportsGrantedAttributes_serverAttributesUnchanged() throws Exception {
        Delegation d = grantWrite();
        Stat st = stat();

        Stat answer = conflict(answering(st.change(), st.size())).resolve(OTHER, file, CHANGE, st, fs);

        assertThat(answer).isSameAs(st);
        assertThat(stat().change()).isEqualTo(st.change());
        assertThat(sent).hasSize(1);
        assertThat(sent.get(0).released()).isTrue();
        assertThat(counters.count(ServerEvent.CB_GETATTR_SENT)).isEqualTo(1);
        assertThat(d.state()).isEqualTo(Delegation.State.GRANTED);
        assertThat(timers.pending()).as("the bound's timer is cancelled").isZero();
    }

    @Test
    void resolve_holderModified_changeAdvancesAndSizeIsTheHolders() throws Exception {
        grantWrite();
        Stat before = stat();
        clock.advance(Duration.ofSeconds(3));

        Stat answer = conflict(answering(before.change() + 1, 4096)).resolve(OTHER, file, SIZE, before, fs);

        assertThat(answer.size()).isEqualTo(4096);
        assertThat(answer.change()).isGreaterThan(before.change());
        assertThat(answer.mtime()).isAfter(before.mtime());
        assertThat(stat().size()).as("the backend keeps its size until the holder writes").isZero();
    }

    @Test
    void resolve_modifiedOnce_everyLaterGetattrAdvancesChangeAgain() throws Exception {
        grantWrite();
        Stat first = stat();
        conflict(answering(first.change() + 1, 10)).resolve(OTHER, file, SIZE, first, fs);
        Stat second = stat();

        Stat answer = conflict(answering(first.change(), first.size())).resolve(OTHER, file, CHANGE, second, fs);

        assertThat(answer.change()).isGreaterThan(second.change());
    }

    @Test
    void resolve_holderAnswersError_recalledAndDelay() throws Exception {
        Delegation d = grantWrite();
        GetattrConflict c = conflict((holder, cb) -> {
            cb.done(new CallbackOutcome.Replied(new CbStatusResult(CbOpcode.CB_GETATTR, NfsStatus.NFS4ERR_BADHANDLE)));
            cb.release();
            return true;
        });

        assertThatThrownBy(() -> c.resolve(OTHER, file, SIZE, stat(), fs)).isInstanceOf(NfsException.class)
                .satisfies(e -> assertThat(((NfsException) e).status()).isEqualTo(NfsStatus.NFS4ERR_DELAY))
                .hasRootCauseInstanceOf(GetattrCallback.GetattrFailedException.class);
        assertThat(recalled).containsExactly(d);
        assertThat(d.state()).isEqualTo(Delegation.State.RECALLING);
    }

    @Test
    void resolve_notQueued_recalledAndDelay() throws Exception {
        Delegation d = grantWrite();
        GetattrConflict c = conflict((holder, cb) -> {
            cb.release();
            return false;
        });

        assertThatThrownBy(() -> c.resolve(OTHER, file, SIZE, stat(), fs)).isInstanceOf(NfsException.class)
                .satisfies(e -> assertThat(((NfsException) e).status()).isEqualTo(NfsStatus.NFS4ERR_DELAY));
        assertThat(recalled).containsExactly(d);
        assertThat(counters.count(ServerEvent.CB_GETATTR_SENT)).isZero();
    }

    @Test
    void resolve_beingRecalled_delayWithoutCallback() throws Exception {
        grantWrite();
        table.recallConflicting(OTHER, file, recalled::add);

        assertThatThrownBy(() -> conflict(answering(1, 1)).resolve(OTHER, file, SIZE, stat(), fs))
                .isInstanceOf(NfsException.class)
                .satisfies(e -> assertThat(((NfsException) e).status()).isEqualTo(NfsStatus.NFS4ERR_DELAY));
        assertThat(sent).isEmpty();
    }

    @Test
    void resolve_holderSilent_boundPasses_recalledAndDelay_lateReplyIgnored() throws Exception {
        Delegation d = grantWrite();
        BlockingQueue<GetattrCallback> queued = new ArrayBlockingQueue<>(1);
        GetattrConflict c = conflict((holder, cb) -> queued.add(cb));
        Stat st = stat();

        CompletableFuture<NfsStatus> getattr = CompletableFuture.supplyAsync(() -> {
            try {
                c.resolve(OTHER, file, SIZE, st, fs);
                return NfsStatus.NFS4_OK;
            } catch (NfsException e) {
                return e.status();
            }
        });
        GetattrCallback cb = queued.poll(10, TimeUnit.SECONDS);
        assertThat(cb).isNotNull();
        assertThat(timers.scheduled.await(10, TimeUnit.SECONDS)).isTrue();
        assertThat(getattr).as("waits for the holder until the bound").isNotDone();
        timers.fireAll();

        assertThat(getattr.get(10, TimeUnit.SECONDS)).isEqualTo(NfsStatus.NFS4ERR_DELAY);
        assertThat(recalled).containsExactly(d);
        // the channel still owns the callback: its late reply completes nothing, its release runs once
        cb.done(new CallbackOutcome.Replied(new CbGetattrResult(NfsStatus.NFS4_OK, GetattrCallbackTest.changeAndSize(1, 1))));
        cb.release();
        assertThat(cb.released()).isTrue();
    }
}
