package org.jnfsd.core.callback;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import org.jnfsd.core.NfsException;
import org.jnfsd.core.callback.CallbackChannel.Settings;
import org.jnfsd.core.copy.AsyncCopy;
import org.jnfsd.core.copy.Copies;
import org.jnfsd.core.copy.CopyEngine;
import org.jnfsd.core.copy.CopyState;
import org.jnfsd.core.delegation.Delegation;
import org.jnfsd.core.delegation.DelegationTable;
import org.jnfsd.core.delegation.RecallCallback;
import org.jnfsd.core.fs.FileHandle;
import org.jnfsd.core.metrics.ServerCounters;
import org.jnfsd.core.metrics.ServerEvent;
import org.jnfsd.core.state.StateIdAllocator;
import org.jnfsd.protocol.nfs4.NfsStatus;
import org.jnfsd.protocol.nfs4.session.SessionId;
import org.jnfsd.vfs.Inode;
import org.jnfsd.vfs.SetAttributes;
import org.jnfsd.vfs.Stability;
import org.jnfsd.vfs.memory.MemoryFileSystem;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * Why REVOKE_DELEGATIONS and STOP_COPIES may forget the client's entries before its callback channel
 * is killed (docs/design-notes.md, "Client lifecycle and teardown"): a CB_RECALL or CB_OFFLOAD still
 * in flight ends afterwards (answered, refused, timed out, failed, or killed), and every step it runs
 * then goes through its own object only, or through a table call gated by a compare-and-set on that
 * object, which the teardown has already moved on. So the late step changes no table: nothing comes
 * back, no count moves, the file is free. Each case here forgets first, then ends the callback one
 * way, then checks the tables are as the teardown left them.
 */
class ForgetBeforeKillTest {
    static final Settings SETTINGS = new Settings(Duration.ofSeconds(10), Duration.ofSeconds(1), 0, 0);
    static final Duration LEASE = Duration.ofSeconds(90);
    static final Duration KEEP = Duration.ofSeconds(5);
    static final Duration BOUND = Duration.ofSeconds(30);
    static final long HOLDER = 0xA1;
    static final long OTHER = 0xA2;
    static final FileHandle FILE = new FileHandle(1, new Inode(new byte[] {5, 5}));

    /** How the callback in flight ends after the teardown forgot its entry. */
    enum End { ANSWERED_OK, REFUSED, TIMED_OUT, TRANSPORT_FAILED, KILLED }

    final ManualExecutor queue = new ManualExecutor();
    final ManualExecutor copyTasks = new ManualExecutor();
    final ManualScheduler sched = new ManualScheduler();
    final TestTransport transport = new TestTransport();
    final CallbackChannel channel = new CallbackChannel("holder", queue, sched, sched, SETTINGS);
    final ServerCounters counters = new ServerCounters();

    void up() {
        channel.pathBound(new CallbackPath(new SessionId(new byte[16]), 4, 2, transport, () -> true));
        queue.runAll();
        TestTransport.answerProbe(transport.last());
        queue.runAll();
    }

    /** Ends the one callback sent, as {@code end} says, and then kills the channel (the teardown's next step). */
    void end(End end) {
        TestTransport.Call call = transport.compounds().getFirst();
        switch (end) {
            case ANSWERED_OK -> TestTransport.reply(call, NfsStatus.NFS4_OK);
            case REFUSED -> TestTransport.reply(call, NfsStatus.NFS4ERR_BAD_STATEID);
            case TIMED_OUT -> sched.advance(SETTINGS.callTimeout());
            case TRANSPORT_FAILED -> TestTransport.fail(call);
            case KILLED -> { }
        }
        queue.runAll();
        CompletableFuture<TeardownReport> td = channel.shutdownAsync(BOUND).toCompletableFuture();
        queue.runAll();
        ChannelChecks.assertCompletedWithoutTheBound(td);
    }

    @AfterEach
    void quiet() {
        ChannelChecks.assertQuiet(channel);
        assertThat(channel.state()).isEqualTo(CallbackChannel.State.KILLED);
    }

    @ParameterizedTest
    @EnumSource(End.class)
    void recallInFlight_delegationsForgottenFirst_lateStepsChangeNoTable(End end) {
        DelegationTable table = new DelegationTable(sched, new StateIdAllocator(5), LEASE, Duration.ZERO, 10, counters);
        up();
        Delegation d = table.grantRead(HOLDER, FILE).delegation();
        RecallCallback[] recall = new RecallCallback[1];
        assertThat(table.recallConflicting(OTHER, FILE, x -> {
            recall[0] = new RecallCallback(x, table);
            channel.submit(recall[0]);
        })).isTrue();
        queue.runAll();
        assertThat(transport.compounds()).as("the CB_RECALL is sent").hasSize(1);

        table.releaseClient(HOLDER); // REVOKE_DELEGATIONS: revoked and forgotten before the kill
        long revoked = counters.count(ServerEvent.DELEGATION_REVOKED);
        end(end);

        assertThat(d.state()).isEqualTo(Delegation.State.REVOKED);
        assertThat(table.liveCount()).as("no count moved").isZero();
        assertThat(table.hasState(HOLDER)).as("nothing came back").isFalse();
        assertThat(table.find(HOLDER, d.stateId())).isNull();
        assertThat(counters.count(ServerEvent.DELEGATION_REVOKED)).as("not revoked a second time").isEqualTo(revoked);
        assertThat(table.recallConflicting(OTHER, FILE, x -> {
            throw new AssertionError("recalled again: " + x);
        })).as("the file is free").isFalse();
    }

    @ParameterizedTest
    @EnumSource(End.class)
    void offloadInFlight_copiesForgottenFirst_lateStepsChangeNoTable(End end) throws Exception {
        MemoryFileSystem fs = new MemoryFileSystem(sched, MemoryFileSystem.Options.DEFAULTS.withRoot(0777, 0, 0));
        Copies copies = new Copies(new StateIdAllocator(6), new CopyEngine(100), copyTasks, sched, sched, counters,
                new Copies.Settings(4, 64, KEEP, Duration.ofSeconds(10)), id -> id == HOLDER ? channel : null);
        up();
        Inode src = fs.createFile(fs.root(), "src", SetAttributes.NONE.withMode(0666), true);
        fs.write(src, 0, ByteBuffer.wrap(new byte[250]), Stability.FILE_SYNC);
        Inode dst = fs.createFile(fs.root(), "dst", SetAttributes.NONE.withMode(0666), true);
        AsyncCopy copy = copies.start(HOLDER, new AsyncCopy.Request(fs, src, 0, dst, 0, 250, new byte[] {4, 2},
                new byte[] {8, 7, 6, 5, 4, 3, 2, 1}));
        copyTasks.runAll();
        queue.runAll();
        assertThat(transport.compounds()).as("the CB_OFFLOAD is sent").hasSize(1);

        // STOP_COPIES: unlinked before the kill, left NOTIFYING for its CB_OFFLOAD's release
        assertThat(copies.release(HOLDER).toCompletableFuture()).isDone();
        assertThat(copy.state()).isEqualTo(CopyState.NOTIFYING);
        end(end);

        assertThat(copy.state()).as("released once, by its CB_OFFLOAD").isEqualTo(CopyState.COMPLETED);
        assertThat(copies.size()).as("nothing came back").isZero();
        assertThat(copies.running()).isZero();
        assertThat(copies.hasState(HOLDER)).isFalse();
        NfsStatus found;
        try {
            copies.find(HOLDER, copy.stateId());
            found = NfsStatus.NFS4_OK;
        } catch (NfsException e) {
            found = e.status();
        }
        assertThat(found).isEqualTo(NfsStatus.NFS4ERR_BAD_STATEID);
        sched.advance(KEEP.multipliedBy(2));
        assertThat(copies.reapFinished()).as("nothing left for the reaper").isZero();
        fs.close();
    }
}
