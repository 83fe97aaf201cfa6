package org.jnfsd.core.ops.namespace;

import static org.assertj.core.api.Assertions.assertThat;
import static org.jnfsd.core.ops.namespace.Fixture.ALICE;
import static org.jnfsd.core.ops.namespace.Fixture.status;

import org.jnfsd.core.ServerConfig;
import org.jnfsd.core.delegation.Delegation;
import org.jnfsd.core.metrics.ServerEvent;
import org.jnfsd.protocol.nfs4.Bitmap;
import org.jnfsd.protocol.nfs4.NfsStatus;
import org.jnfsd.protocol.nfs4.namespace.GetattrArgs;
import org.jnfsd.vfs.Inode;
import org.junit.jupiter.api.Test;

/**
 * SETATTR and GETATTR against another client's write delegation (granted directly through the
 * table; the holder has no callback channel here, so CB_GETATTR cannot be queued).
 */
class WriteDelegationAttrTest {
    private static final long HOLDER = 0xD1;
    private static final long OTHER = 0xD2;

    private final Fixture f = new Fixture(ServerConfig.builder().maxDelegations(10).build());

    private Delegation writeDelegation(Inode file) {
        return f.server.delegations().grantWrite(HOLDER, f.fh(file), 1, 0).delegation();
    }

    @Test
    void setattrMode_otherClient_recallsWriteDelegation() throws Exception {
        Inode file = f.file(f.root(), "a", 0666, 1000, 1000);
        Delegation d = writeDelegation(file);

        assertThat(status(new Setattr(), f.at(ALICE, OTHER, file), SetattrTest.mode(0600))).isEqualTo(NfsStatus.NFS4ERR_DELAY);
        assertThat(d.state()).isEqualTo(Delegation.State.RECALLING);
        assertThat(status(new Setattr(), f.at(ALICE, HOLDER, file), SetattrTest.mode(0600))).as("the holder's own")
                .isEqualTo(NfsStatus.NFS4_OK);
    }

    @Test
    void getattrSize_otherClient_holderWithoutChannel_delayAndRecall() throws Exception {
        Inode file = f.file(f.root(), "a", 0666, 1000, 1000);
        Delegation d = writeDelegation(file);

        assertThat(status(new Getattr(), f.at(ALICE, OTHER, file), new GetattrArgs(Bitmap.of(4))))
                .isEqualTo(NfsStatus.NFS4ERR_DELAY);
        assertThat(d.state()).isEqualTo(Delegation.State.RECALLING);
        assertThat(f.server.counters().count(ServerEvent.CB_GETATTR_SENT)).isZero();
    }

    @Test
    void getattr_holderItselfOrModeOnly_answeredWithoutCallback() throws Exception {
        Inode file = f.file(f.root(), "a", 0666, 1000, 1000);
        Delegation d = writeDelegation(file);

        assertThat(status(new Getattr(), f.at(ALICE, HOLDER, file), new GetattrArgs(Bitmap.of(3, 4))))
                .isEqualTo(NfsStatus.NFS4_OK);
        assertThat(status(new Getattr(), f.at(ALICE, OTHER, file), new GetattrArgs(Bitmap.of(33))))
                .isEqualTo(NfsStatus.NFS4_OK);
        assertThat(d.state()).isEqualTo(Delegation.State.GRANTED);
    }
}
