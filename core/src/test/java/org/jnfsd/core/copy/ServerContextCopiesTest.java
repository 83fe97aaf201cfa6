package org.jnfsd.core.copy;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.List;
import org.jnfsd.core.ServerConfig;
import org.jnfsd.core.ServerContext;
import org.jnfsd.core.fs.Export;
import org.jnfsd.core.fs.ExportTable;
import org.jnfsd.core.metrics.ServerCounters;
import org.jnfsd.core.recovery.InMemoryRecoveryStore;
import org.jnfsd.core.time.ManualClock;
import org.jnfsd.protocol.nfs4.NfsStatus;
import org.jnfsd.vfs.Inode;
import org.jnfsd.vfs.SetAttributes;
import org.jnfsd.vfs.Stability;
import org.jnfsd.vfs.memory.MemoryFileSystem;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * The copy table as {@link ServerContext} wires it: copy stateids routed by TEST_/FREE_STATEID, the
 * laundromat reaping finished copies after a lease, and the STOP_COPIES hook in the teardown.
 */
class ServerContextCopiesTest {
    static final Duration LEASE = Duration.ofSeconds(30);

    final ManualClock clock = new ManualClock();
    final MemoryFileSystem fs = new MemoryFileSystem(clock, MemoryFileSystem.Options.DEFAULTS.withRoot(0777, 0, 0));
    final java.util.ArrayDeque<Runnable> copyTasks = new java.util.ArrayDeque<>();
    final ServerContext server = new ServerContext(ServerConfig.builder().leaseTime(LEASE).build(),
            new ExportTable(List.of(new Export(1, "/", fs))), clock, new InMemoryRecoveryStore(), new ServerCounters(),
            copyTasks::add, Runnable::run);

    @AfterEach
    void close() {
        fs.close();
    }

    AsyncCopy start(long client) throws Exception {
        Inode src = fs.createFile(fs.root(), "s" + client, SetAttributes.NONE, true);
        fs.write(src, 0, ByteBuffer.wrap(new byte[10]), Stability.FILE_SYNC);
        Inode dst = fs.createFile(fs.root(), "d" + client, SetAttributes.NONE, true);
        return server.copies().start(client, new AsyncCopy.Request(fs, src, 0, dst, 0, 10, new byte[] {1},
                server.writeVerifier()));
    }

    void runCopies() {
        Runnable r;
        while ((r = copyTasks.poll()) != null) {
            r.run();
        }
    }

    @Test
    void copyStateids_routedByTheRegistry_reapedByTheLaundromatAfterALease() throws Exception {
        AsyncCopy c = start(5);
        assertThat(server.stateIds().test(5, c.stateId())).isEqualTo(NfsStatus.NFS4_OK);
        assertThat(server.stateIds().test(6, c.stateId())).isEqualTo(NfsStatus.NFS4ERR_BAD_STATEID);
        assertThat(server.teardown().hasState(5)).as("a running copy keeps its client busy").isTrue();
        runCopies();
        assertThat(c.state()).as("no callback channel: nothing to notify").isEqualTo(CopyState.COMPLETED);
        assertThat(server.teardown().hasState(5)).isFalse();

        clock.advance(LEASE.minusSeconds(1));
        server.laundromat().runOnce();
        assertThat(server.copies().find(5, c.stateId())).isSameAs(c);
        clock.advance(Duration.ofSeconds(1));
        server.laundromat().runOnce();

        assertThat(c.state()).isEqualTo(CopyState.REAPED);
        assertThat(server.stateIds().test(5, c.stateId())).isEqualTo(NfsStatus.NFS4ERR_BAD_STATEID);
        assertThat(server.counters().snapshot()).containsEntry("jnfsd.copies.async.tracked", 0L);
    }

    @Test
    void freeStateid_ofAFinishedCopy_reapsIt() throws Exception {
        AsyncCopy c = start(5);
        assertThat(server.stateIds().free(5, c.stateId())).isEqualTo(NfsStatus.NFS4ERR_DELAY);
        runCopies();
        assertThat(server.stateIds().free(5, c.stateId())).isEqualTo(NfsStatus.NFS4_OK);
        assertThat(c.state()).isEqualTo(CopyState.REAPED);
    }

    @Test
    void stopCopiesHook_registered_copyOfADestroyedClientNeverRuns() throws Exception {
        AsyncCopy c = start(5);
        server.copies().releaseClient(5); // what the STOP_COPIES step calls; registered: see hasState above
        runCopies();
        assertThat(c.copied()).isZero();
        assertThat(c.state()).isEqualTo(CopyState.REAPED);
        assertThat(server.counters().snapshot()).containsEntry("jnfsd.copies.async.running", 0L)
                .containsEntry("jnfsd.copies.async.cancelled", 1L);
    }
}
