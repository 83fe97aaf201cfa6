package org.jnfsd.core.state.lock;

import static org.assertj.core.api.Assertions.assertThat;
import static org.jnfsd.protocol.nfs4.io.ShareAccess.ACCESS_BOTH;
import static org.jnfsd.protocol.nfs4.io.ShareAccess.DENY_NONE;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.jnfsd.core.NfsException;
import org.jnfsd.core.ServerConfig;
import org.jnfsd.core.ServerContext;
import org.jnfsd.core.fs.Export;
import org.jnfsd.core.fs.ExportTable;
import org.jnfsd.core.fs.FileHandle;
import org.jnfsd.core.metrics.ServerCounters;
import org.jnfsd.core.recovery.InMemoryRecoveryStore;
import org.jnfsd.core.state.StateKind;
import org.jnfsd.core.time.ManualClock;
import org.jnfsd.protocol.nfs4.NfsStatus;
import org.jnfsd.protocol.nfs4.StateId;
import org.jnfsd.protocol.nfs4.io.OpenOwner;
import org.jnfsd.vfs.Inode;
import org.jnfsd.vfs.memory.MemoryFileSystem;
import org.junit.jupiter.api.Test;

/** The lock table as {@link ServerContext} wires it: shared stateid allocator, laundromat reaping. */
class LockWiringTest {
    private static final Duration LEASE = Duration.ofSeconds(90);
    private final ManualClock clock = new ManualClock(Instant.parse("2026-01-01T00:00:00Z"));
    private final ServerContext server = new ServerContext(ServerConfig.builder().leaseTime(LEASE).build(),
            new ExportTable(List.of(new Export(1, "/", new MemoryFileSystem(clock), false, false, Export.NOBODY,
                    Export.NOBODY))), clock,
            new InMemoryRecoveryStore(), new ServerCounters(), null, Runnable::run);
    private final FileHandle file = new FileHandle(1, new Inode(new byte[] {9}));
    private final LockRange all = new LockRange(0, LockRange.TO_EOF);

    @Test
    void laundromatRun_expiredWaiterReservation_reaped() throws NfsException {
        lock(1, "a", false);
        assertThat(lock(2, "b", true)).isInstanceOf(LockOutcome.Denied.class);
        assertThat(server.locks().waiterCount(file)).isEqualTo(1);

        clock.advance(LEASE.minusSeconds(1));
        server.laundromat().runOnce();
        assertThat(server.locks().waiterCount(file)).isEqualTo(1);
        clock.advance(Duration.ofSeconds(1));
        server.laundromat().runOnce();

        assertThat(server.locks().waiterCount(file)).isZero();
    }

    @Test
    void lockStateid_sharedAllocatorWithLockTag_testAndFreeThroughTheRegistry() throws NfsException {
        StateId sid = ((LockOutcome.Granted) lock(1, "a", false)).stateId();

        assertThat(server.stateIdAllocator().kindOf(sid)).isEqualTo(StateKind.LOCK);
        assertThat(server.stateIds().test(1, sid)).isEqualTo(NfsStatus.NFS4_OK);
        assertThat(server.stateIds().free(1, sid)).isEqualTo(NfsStatus.NFS4ERR_LOCKS_HELD);
        assertThat(server.stateIds().test(2, sid)).isEqualTo(NfsStatus.NFS4ERR_BAD_STATEID);
    }

    private LockOutcome lock(long client, String owner, boolean blocking) throws NfsException {
        StateId open = server.opens().open(client, new OpenOwner(client, "o".getBytes(StandardCharsets.UTF_8)), file,
                ACCESS_BOTH, DENY_NONE).stateId();
        return server.locks().lockNewOwner(client, file, open,
                new OpenOwner(client, owner.getBytes(StandardCharsets.UTF_8)), true, blocking, false, all);
    }
}
