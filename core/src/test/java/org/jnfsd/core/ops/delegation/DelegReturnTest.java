package org.jnfsd.core.ops.delegation;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Instant;
import java.util.List;
import org.jnfsd.core.NfsException;
import org.jnfsd.core.ServerConfig;
import org.jnfsd.core.ServerContext;
import org.jnfsd.core.compound.CompoundContext;
import org.jnfsd.core.delegation.Delegation;
import org.jnfsd.core.fs.Export;
import org.jnfsd.core.fs.ExportTable;
import org.jnfsd.core.fs.FileHandle;
import org.jnfsd.core.metrics.ServerCounters;
import org.jnfsd.core.recovery.InMemoryRecoveryStore;
import org.jnfsd.core.time.ManualClock;
import org.jnfsd.protocol.nfs4.NfsStatus;
import org.jnfsd.protocol.nfs4.StatusResult;
import org.jnfsd.protocol.nfs4.delegation.DelegreturnArgs;
import org.jnfsd.rpc.Credential;
import org.jnfsd.vfs.memory.MemoryFileSystem;
import org.junit.jupiter.api.Test;

class DelegReturnTest {
    private final ManualClock clock = new ManualClock(Instant.parse("2026-01-01T00:00:00Z"));
    private final MemoryFileSystem fs = new MemoryFileSystem(clock);
    private final ServerContext server = new ServerContext(ServerConfig.builder().maxDelegations(10).build(),
            new ExportTable(List.of(new Export(1, "/", fs, false, false, Export.NOBODY, Export.NOBODY))), clock,
            new InMemoryRecoveryStore(), new ServerCounters(), null, Runnable::run);
    private final FileHandle root = new FileHandle(1, fs.root());
    private final DelegReturn op = new DelegReturn();

    private CompoundContext ctx() {
        return new CompoundContext(server, new Credential.AuthSys(0, "t", 0, 0, new int[0]), null, 1, 2, 0);
    }

    @Test
    void execute_heldDelegation_returnsItAndRecallConflictClears() throws NfsException {
        Delegation d = server.delegations().grantRead(0, root).delegation();
        server.delegations().recallConflicting(9, root, x -> { });
        CompoundContext c = ctx();
        c.setCurrentFh(root);

        assertThat(op.execute(c, new DelegreturnArgs(d.stateId()))).isEqualTo(StatusResult.OK);

        assertThat(d.state()).isEqualTo(Delegation.State.RETURNED);
        assertThat(server.delegations().recallConflicting(9, root, x -> { })).isFalse();
        assertThatThrownBy(() -> op.execute(c, new DelegreturnArgs(d.stateId())))
                .isInstanceOfSatisfying(NfsException.class,
                        e -> assertThat(e.status()).isEqualTo(NfsStatus.NFS4ERR_BAD_STATEID));
    }

    @Test
    void execute_noCurrentFh_noFilehandle() {
        Delegation d = server.delegations().grantRead(0, root).delegation();

        assertThatThrownBy(() -> op.execute(ctx(), new DelegreturnArgs(d.stateId())))
                .isInstanceOfSatisfying(NfsException.class,
                        e -> assertThat(e.status()).isEqualTo(NfsStatus.NFS4ERR_NOFILEHANDLE));
        assertThat(d.state()).isEqualTo(Delegation.State.GRANTED);
    }
}
