package org.jnfsd.core.callback;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.List;
import org.jnfsd.core.ServerConfig;
import org.jnfsd.core.callback.CallbackChannel.Settings;
import org.jnfsd.core.delegation.Delegation;
import org.jnfsd.core.delegation.DelegationTable;
import org.jnfsd.core.fs.FileHandle;
import org.jnfsd.core.session.ClientRecord;
import org.jnfsd.core.session.Principal;
import org.jnfsd.core.session.SessionManager;
import org.jnfsd.core.state.StateIdAllocator;
import org.jnfsd.core.time.ManualClock;
import org.jnfsd.protocol.nfs4.NfsStatus;
import org.jnfsd.protocol.nfs4.callback.CbOpcode;
import org.jnfsd.protocol.nfs4.session.SessionId;
import org.jnfsd.vfs.Inode;
import org.junit.jupiter.api.Test;

/**
 * The delegation table's admin and fault-injection entry points ({@code jnfsd inject recall},
 * {@code jnfsd inject revoke}, {@code jnfsd states}) at the core, with a real channel on a manual
 * queue: a recall started by hand is sent as a CB_RECALL and blocks new grants on the file for the
 * cooldown, a revocation by hand is counted once, and the listing shows live delegations only.
 */
class DelegationFaultInjectionTest {
    static final Settings SETTINGS = new Settings(Duration.ofSeconds(10), Duration.ofSeconds(1), 3, 3);
    static final Duration LEASE = Duration.ofSeconds(90);
    static final Duration COOLDOWN = Duration.ofSeconds(5);
    static final FileHandle F1 = new FileHandle(1, new Inode(new byte[] {1}));
    static final FileHandle F2 = new FileHandle(1, new Inode(new byte[] {2}));

    final ManualExecutor exec = new ManualExecutor();
    final ManualScheduler sched = new ManualScheduler();
    final TestTransport transport = new TestTransport();
    final CallbackService callbacks = new CallbackService(exec, sched, sched, SETTINGS);
    final DelegationTable table = new DelegationTable(sched, new StateIdAllocator(9), LEASE, COOLDOWN, 10);

    long clientWithChannel() throws Exception {
        SessionManager sessions = new SessionManager(ServerConfig.builder().build(), new ManualClock(), 0x7a, "t");
        ClientRecord c = sessions.exchangeId(new byte[] {1}, new byte[8], new Principal("sys:1@h"), false).client();
        CallbackChannel ch = callbacks.channelFor(c);
        ch.pathBound(new CallbackPath(new SessionId(new byte[16]), 2, 1, transport, () -> true));
        exec.runAll();
        TestTransport.answerProbe(transport.last());
        exec.runAll();
        return c.id().value();
    }

    @Test
    void recallMatching_selectedLiveDelegationsRecalled_cbRecallSent_grantsRefusedForTheCooldown() throws Exception {
        long a = clientWithChannel();
        Delegation d1 = table.grantRead(a, F1).delegation();
        Delegation d2 = table.grantRead(a, F2).delegation();

        assertThat(table.recallMatching(d -> d.file().equals(F1), callbacks)).isEqualTo(1);
        exec.runAll();

        assertThat(d1.state()).isEqualTo(Delegation.State.RECALLING);
        assertThat(d2.state()).isEqualTo(Delegation.State.GRANTED);
        assertThat(transport.compounds()).singleElement()
                .satisfies(c -> assertThat(c.args.operations().get(1).opcode()).isEqualTo(CbOpcode.CB_RECALL));
        assertThat(table.recallMatching(d -> d.file().equals(F1), callbacks)).as("already recalling").isZero();
        assertThat(table.grantRead(a + 1, F1).refusal()).as("recalled within the cooldown")
                .isEqualTo(DelegationTable.Refusal.CONTENTION);
        TestTransport.reply(transport.last(), NfsStatus.NFS4_OK);
        exec.runAll();
    }

    @Test
    void revokeMatching_countedOnce_listedNoLonger() throws Exception {
        long a = clientWithChannel();
        Delegation d1 = table.grantRead(a, F1).delegation();
        table.grantRead(a, F2);
        assertThat(table.ofClient(a)).hasSize(2).allSatisfy(v -> {
            assertThat(v.type()).isEqualTo(Delegation.Type.READ);
            assertThat(v.state()).isEqualTo(Delegation.State.GRANTED);
            assertThat(v.recallStartedAt()).isNull();
        });

        assertThat(table.revokeMatching(d -> d.file().equals(F1), "test")).isEqualTo(1);
        assertThat(table.revokeMatching(d -> d.file().equals(F1), "test")).as("revoked once").isZero();

        assertThat(d1.state()).isEqualTo(Delegation.State.REVOKED);
        assertThat(table.hasRevoked(a)).isTrue();
        assertThat(table.ofClient(a)).extracting(DelegationTable.DelegationView::file).containsExactly(F2);
        assertThat(table.ofClient(a + 1)).isEmpty();
        assertThat(List.of(table.liveCount())).containsExactly(1);
    }
}
