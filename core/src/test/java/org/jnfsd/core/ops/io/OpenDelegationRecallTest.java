package org.jnfsd.core.ops.io;

import static org.assertj.core.api.Assertions.assertThat;
import static org.jnfsd.core.ops.io.IoFixture.CLIENT;
import static org.jnfsd.core.ops.io.IoFixture.GID;
import static org.jnfsd.core.ops.io.IoFixture.UID;
import static org.jnfsd.core.ops.io.IoFixture.openArgs;
import static org.jnfsd.core.ops.io.IoFixture.run;
import static org.jnfsd.protocol.nfs4.io.ShareAccess.ACCESS_READ;
import static org.jnfsd.protocol.nfs4.io.ShareAccess.ACCESS_WRITE;
import static org.jnfsd.protocol.nfs4.io.ShareAccess.DENY_NONE;

import org.jnfsd.core.ServerConfig;
import org.jnfsd.core.compound.CompoundContext;
import org.jnfsd.core.delegation.Delegation;
import org.jnfsd.core.fs.Export;
import org.jnfsd.core.fs.FileHandle;
import org.jnfsd.protocol.nfs4.NfsStatus;
import org.jnfsd.protocol.nfs4.io.OpenDelegation;
import org.jnfsd.protocol.nfs4.io.OpenHow;
import org.jnfsd.protocol.nfs4.io.OpenResult;
import org.jnfsd.protocol.nfs4.io.ShareAccess;
import org.junit.jupiter.api.Test;

/** OPEN against another client's read delegation (granted here directly through the table). */
class OpenDelegationRecallTest {
    private static final long HOLDER = 0xD1;
    private final IoFixture fx = new IoFixture(ServerConfig.builder().maxDelegations(10).build(), false);

    private NfsStatus open(long clientId, int access) {
        CompoundContext ctx = fx.ctx(UID, GID, clientId);
        ctx.setCurrentFh(fx.root);
        return run(new Open(), ctx, openArgs("f", new OpenHow.NoCreate(), access, DENY_NONE)).status();
    }

    @Test
    void openForWrite_otherClientHoldsReadDelegation_delayAndRecallStartedUntilReturned() throws Exception {
        FileHandle fh = fx.file("f", 0666, UID, GID);
        Delegation d = fx.server.delegations().grantRead(HOLDER, fh).delegation();

        assertThat(open(CLIENT, ACCESS_WRITE)).isEqualTo(NfsStatus.NFS4ERR_DELAY);
        assertThat(d.state()).isEqualTo(Delegation.State.RECALLING);
        assertThat(open(CLIENT, ACCESS_WRITE)).isEqualTo(NfsStatus.NFS4ERR_DELAY);

        assertThat(fx.server.delegations().delegReturn(HOLDER, fh, d.stateId())).isEqualTo(NfsStatus.NFS4_OK);
        assertThat(open(CLIENT, ACCESS_WRITE)).isEqualTo(NfsStatus.NFS4_OK);
    }

    @Test
    void openForRead_otherClientHoldsReadDelegation_noRecall() throws Exception {
        FileHandle fh = fx.file("f", 0666, UID, GID);
        Delegation d = fx.server.delegations().grantRead(HOLDER, fh).delegation();

        assertThat(open(CLIENT, ACCESS_READ)).isEqualTo(NfsStatus.NFS4_OK);
        assertThat(d.state()).isEqualTo(Delegation.State.GRANTED);
    }

    @Test
    void openForWrite_holderItself_noRecall() throws Exception {
        FileHandle fh = fx.file("f", 0666, UID, GID);
        Delegation d = fx.server.delegations().grantRead(HOLDER, fh).delegation();

        assertThat(open(HOLDER, ACCESS_WRITE)).isEqualTo(NfsStatus.NFS4_OK);
        assertThat(d.state()).isEqualTo(Delegation.State.GRANTED);
    }

    @Test
    void read_throughOwnReadDelegation_ok_otherClientsBadStateid() throws Exception {
        FileHandle fh = fx.file("f", 0666, UID, GID);
        Delegation d = fx.server.delegations().grantRead(HOLDER, fh).delegation();
        CompoundContext holder = fx.ctx(UID, GID, HOLDER);
        holder.setCurrentFh(fh);
        CompoundContext other = fx.ctx(UID, GID, CLIENT);
        other.setCurrentFh(fh);

        assertThat(IoFixture.read(holder, d.stateId(), 0, 10).status()).isEqualTo(NfsStatus.NFS4_OK);
        assertThat(IoFixture.read(other, d.stateId(), 0, 10).status()).isEqualTo(NfsStatus.NFS4ERR_BAD_STATEID);
    }

    private OpenDelegation wantRead(IoFixture f) throws Exception {
        f.file("g", 0666, UID, GID);
        CompoundContext ctx = f.ctx(UID, GID, CLIENT);
        ctx.setCurrentFh(f.root);
        OpenResult r = (OpenResult) run(new Open(), ctx,
                openArgs("g", new OpenHow.NoCreate(), ACCESS_READ | ShareAccess.WANT_READ_DELEG, DENY_NONE));
        return r.delegation();
    }

    @Test
    void open_exportWithoutDelegations_noneExtResource() throws Exception {
        IoFixture off = new IoFixture(ServerConfig.builder().maxDelegations(10).build(), false, false);

        assertThat(wantRead(off)).isEqualTo(OpenDelegation.NoneExt.of(OpenDelegation.WND4_RESOURCE));
        assertThat(wantRead(fx)).as("on: refused only for the missing callback channel")
                .isEqualTo(OpenDelegation.NoneExt.of(OpenDelegation.WND4_CONTENTION));
    }

    @Test
    void export_oldConstructors_delegationsOn_withDelegationsSwitches() {
        assertThat(fx.export.delegations()).isTrue();
        assertThat(new Export(2, "/", fx.fs).delegations()).isTrue();
        assertThat(fx.export.withDelegations(false).delegations()).isFalse();
        assertThat(fx.export.withDelegations(false).withDelegations(true)).isEqualTo(fx.export);
    }
}
