package org.jnfsd.core.delegation;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.jnfsd.core.ServerConfig;
import org.jnfsd.core.ServerContext;
import org.jnfsd.core.fs.Export;
import org.jnfsd.core.fs.ExportTable;
import org.jnfsd.core.fs.FileHandle;
import org.jnfsd.core.lease.ClientTeardown;
import org.jnfsd.core.metrics.ServerCounters;
import org.jnfsd.core.metrics.ServerEvent;
import org.jnfsd.core.recovery.InMemoryRecoveryStore;
import org.jnfsd.core.session.ClientRecord;
import org.jnfsd.core.session.Principal;
import org.jnfsd.core.session.SessionManager;
import org.jnfsd.core.state.ClientStateHook;
import org.jnfsd.core.state.StateIdAllocator;
import org.jnfsd.core.state.TeardownStep;
import org.jnfsd.core.time.ManualClock;
import org.jnfsd.protocol.nfs4.NfsStatus;
import org.jnfsd.rpc.Credential;
import org.jnfsd.vfs.Inode;
import org.jnfsd.vfs.memory.MemoryFileSystem;
import org.junit.jupiter.api.Test;

class DelegationTeardownTest {
    private static final Duration LEASE = Duration.ofSeconds(90);
    private final ManualClock clock = new ManualClock(Instant.parse("2026-01-01T00:00:00Z"));
    private final ServerConfig config = ServerConfig.builder().leaseTime(LEASE).maxDelegations(10).build();
    private final FileHandle file = new FileHandle(1, new Inode(new byte[] {9}));
    private final Principal alice = Principal.of(new Credential.AuthSys(0, "h", 1000, 1000, new int[0]));

    private ServerContext server() {
        Export e = new Export(1, "/", new MemoryFileSystem(clock), false, false, Export.NOBODY, Export.NOBODY);
        return new ServerContext(config, new ExportTable(List.of(e)), clock, new InMemoryRecoveryStore(), new ServerCounters(), null, Runnable::run);
    }

    @Test
    void tearDown_clientWithDelegation_delegationRevokedBeforeOpensReleased() throws Exception {
        SessionManager sessions = new SessionManager(config, clock, 0x1234, "jnfsd:test");
        DelegationTable table = new DelegationTable(clock, new StateIdAllocator(5), LEASE, Duration.ofSeconds(5), 10);
        ClientRecord c = sessions.exchangeId("o".getBytes(), new byte[8], alice, false).client();
        Delegation d = table.grantRead(c.id().value(), file).delegation();
        List<Delegation.State> seenByOpens = new ArrayList<>();
        ClientStateHook opens = new ClientStateHook() {
            @Override
            public TeardownStep step() {
                return TeardownStep.RELEASE_OPENS;
            }

            @Override
            public void releaseClient(long clientId) {
                seenByOpens.add(d.state());
            }

            @Override
            public boolean hasState(long clientId) {
                return false;
            }
        };

        new ClientTeardown(sessions, List.of(opens, table)).tearDown(c);

        assertThat(seenByOpens).containsExactly(Delegation.State.REVOKED);
        assertThat(table.hasState(c.id().value())).isFalse();
    }

    @Test
    void serverContext_delegationStateid_routedToTableByTestAndFreeStateid() {
        ServerContext server = server();
        Delegation d = server.delegations().grantRead(7, file).delegation();

        assertThat(server.stateIds().test(7, d.stateId())).isEqualTo(NfsStatus.NFS4_OK);
        assertThat(server.stateIds().free(7, d.stateId())).isEqualTo(NfsStatus.NFS4ERR_LOCKS_HELD);
        assertThat(server.teardown().hasState(7)).isTrue();
    }

    @Test
    void laundromat_recallUnansweredForALease_revokes() {
        ServerContext server = server();
        Delegation d = server.delegations().grantRead(7, file).delegation();
        server.delegations().recallConflicting(8, file, x -> { });
        clock.advance(LEASE);

        server.laundromat().runOnce();

        assertThat(d.state()).isEqualTo(Delegation.State.REVOKED);
        assertThat(server.counters().count(ServerEvent.DELEGATION_REVOKED)).as("counted once").isEqualTo(1);
        assertThat(server.stateIds().test(7, d.stateId())).isEqualTo(NfsStatus.NFS4ERR_DELEG_REVOKED);
        assertThat(server.stateIds().free(7, d.stateId())).isEqualTo(NfsStatus.NFS4_OK);
    }
}
