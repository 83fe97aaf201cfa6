package org.jnfsd.core.state;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.jnfsd.protocol.nfs4.io.ShareAccess.ACCESS_READ;
import static org.jnfsd.protocol.nfs4.io.ShareAccess.DENY_NONE;

import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import org.jnfsd.core.ServerConfig;
import org.jnfsd.core.ServerContext;
import org.jnfsd.core.fs.Export;
import org.jnfsd.core.fs.ExportTable;
import org.jnfsd.core.fs.FileHandle;
import org.jnfsd.core.metrics.ServerCounters;
import org.jnfsd.core.recovery.InMemoryRecoveryStore;
import org.jnfsd.core.session.ClientRecord;
import org.jnfsd.core.session.Principal;
import org.jnfsd.protocol.nfs4.StateId;
import org.jnfsd.protocol.nfs4.io.OpenOwner;
import org.jnfsd.vfs.Inode;
import org.junit.jupiter.api.Test;

/**
 * The open table is emptied at RELEASE_OPENS and dropped only at DROP_TABLES, after the wait for
 * callbacks in flight: in between, a late access finds an empty table rather than a dropped one;
 * after it, every access is refused loudly and counted. The server registers both steps.
 */
class OpenTableDropStepTest {
    private static final Clock CLOCK = Clock.fixed(Instant.parse("2026-01-01T00:00:00Z"), ZoneOffset.UTC);
    private static final long C1 = 0x100;
    private static final FileHandle F1 = new FileHandle(1, new Inode(new byte[] {1}));

    private static OpenOwner owner(long client) {
        return new OpenOwner(client, "a".getBytes(StandardCharsets.UTF_8));
    }

    @Test
    void releaseStep_thenDropStep_tableEmptiedFirstRefusedOnlyAfterTheDrop() throws Exception {
        OpenStates opens = new OpenStates(ServerConfig.defaults(), CLOCK, 0x1234);
        StateId a = opens.open(C1, owner(C1), F1, ACCESS_READ, DENY_NONE).stateId();
        OpenStates.ClientOpens table = opens.tableForTest(C1);

        assertThat(opens.release(C1).toCompletableFuture()).isDone(); // RELEASE_OPENS

        assertThat(opens.openCount(C1)).isZero();
        assertThat(opens.isOpen(F1)).isFalse();
        assertThat(table.get(a.key())).as("emptied, not dropped, until DROP_TABLES").isNull();
        assertThat(opens.droppedTableAccesses()).isZero();

        opens.dropTable(C1); // DROP_TABLES
        opens.dropTable(C1); // idempotent

        assertThatThrownBy(() -> table.get(a.key())).isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("dropped");
        assertThat(opens.droppedTableAccesses()).isEqualTo(1);
    }

    @Test
    void serverTeardown_clientWithAnOpen_tableDroppedAtTheEnd() throws Exception {
        try (ServerContext server = new ServerContext(ServerConfig.defaults(),
                new ExportTable(List.of(new Export(1, "/", null))), CLOCK, new InMemoryRecoveryStore(),
                new ServerCounters(), null, Runnable::run)) {
            Principal p = new Principal("sys:1000@a");
            ClientRecord c = server.sessions().exchangeId("a".getBytes(StandardCharsets.UTF_8), new byte[8], p, false)
                    .client();
            long id = c.id().value();
            StateId a = server.opens().open(id, owner(id), F1, ACCESS_READ, DENY_NONE).stateId();
            OpenStates.ClientOpens table = server.opens().tableForTest(id);
            assertThat(server.sessions().expireNow(id).tearDownNow()).isTrue();

            assertThat(server.teardown().tearDown(c).toCompletableFuture()).isDone();

            assertThat(c.state()).isEqualTo(ClientRecord.State.DESTROYED);
            assertThatThrownBy(() -> table.get(a.key())).isInstanceOf(IllegalStateException.class);
            assertThat(server.opens().droppedTableAccesses()).isEqualTo(1);
        }
    }
}
