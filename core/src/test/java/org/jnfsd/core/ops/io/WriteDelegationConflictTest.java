package org.jnfsd.core.ops.io;

import static org.assertj.core.api.Assertions.assertThat;
import static org.jnfsd.core.ops.io.IoFixture.CLIENT;
import static org.jnfsd.core.ops.io.IoFixture.GID;
import static org.jnfsd.core.ops.io.IoFixture.UID;
import static org.jnfsd.core.ops.io.IoFixture.openArgs;
import static org.jnfsd.core.ops.io.IoFixture.run;
import static org.jnfsd.protocol.nfs4.io.ShareAccess.ACCESS_BOTH;
import static org.jnfsd.protocol.nfs4.io.ShareAccess.ACCESS_READ;
import static org.jnfsd.protocol.nfs4.io.ShareAccess.DENY_NONE;

import java.nio.charset.StandardCharsets;
import org.jnfsd.core.ServerConfig;
import org.jnfsd.core.compound.CompoundContext;
import org.jnfsd.core.delegation.Delegation;
import org.jnfsd.core.fs.FileHandle;
import org.jnfsd.protocol.nfs4.NfsStatus;
import org.jnfsd.protocol.nfs4.StateId;
import org.jnfsd.protocol.nfs4.io.OpenDelegation;
import org.jnfsd.protocol.nfs4.io.OpenHow;
import org.jnfsd.protocol.nfs4.io.OpenResult;
import org.jnfsd.protocol.nfs4.io.ShareAccess;
import org.jnfsd.protocol.nfs4.io.StableHow;
import org.junit.jupiter.api.Test;

/**
 * OPEN, READ and WRITE against another client's write delegation (granted here directly through
 * the table): every OPEN of another client and its I/O with special stateids recall it
 * (NFS4ERR_DELAY); the holder's own requests, and I/O through the delegation stateid, go through.
 */
class WriteDelegationConflictTest {
    private static final long HOLDER = 0xD1;
    private static final byte[] DATA = "data".getBytes(StandardCharsets.UTF_8);
    private final IoFixture fx = new IoFixture(ServerConfig.builder().maxDelegations(10).build(), false);

    private NfsStatus open(long clientId, int access) {
        CompoundContext ctx = fx.ctx(UID, GID, clientId);
        ctx.setCurrentFh(fx.root);
        return run(new Open(), ctx, openArgs("f", new OpenHow.NoCreate(), access, DENY_NONE)).status();
    }

    private Delegation writeDelegation(FileHandle fh) {
        return fx.server.delegations().grantWrite(HOLDER, fh, 1, 0).delegation();
    }

    private CompoundContext at(long clientId, FileHandle fh) {
        CompoundContext ctx = fx.ctx(UID, GID, clientId);
        ctx.setCurrentFh(fh);
        return ctx;
    }

    @Test
    void openForRead_otherClientHoldsWriteDelegation_delayAndRecallUntilReturned() throws Exception {
        FileHandle fh = fx.file("f", 0666, UID, GID);
        Delegation d = writeDelegation(fh);

        assertThat(open(CLIENT, ACCESS_READ)).isEqualTo(NfsStatus.NFS4ERR_DELAY);
        assertThat(d.state()).isEqualTo(Delegation.State.RECALLING);

        assertThat(fx.server.delegations().delegReturn(HOLDER, fh, d.stateId())).isEqualTo(NfsStatus.NFS4_OK);
        assertThat(open(CLIENT, ACCESS_READ)).isEqualTo(NfsStatus.NFS4_OK);
    }

    @Test
    void open_holderItself_noRecall() throws Exception {
        FileHandle fh = fx.file("f", 0666, UID, GID);
        Delegation d = writeDelegation(fh);

        assertThat(open(HOLDER, ACCESS_READ)).isEqualTo(NfsStatus.NFS4_OK);
        assertThat(open(HOLDER, ACCESS_BOTH)).isEqualTo(NfsStatus.NFS4_OK);
        assertThat(d.state()).isEqualTo(Delegation.State.GRANTED);
    }

    @Test
    void readWithAnonymousStateid_otherClient_delayAndRecall_readDelegationsLeftAlone() throws Exception {
        FileHandle fh = fx.file("f", 0666, UID, GID);
        FileHandle g = fx.file("g", 0666, UID, GID);
        Delegation w = writeDelegation(fh);
        Delegation r = fx.server.delegations().grantRead(HOLDER, g).delegation();

        assertThat(IoFixture.read(at(CLIENT, fh), StateId.ANONYMOUS, 0, 4).status()).isEqualTo(NfsStatus.NFS4ERR_DELAY);
        assertThat(IoFixture.read(at(CLIENT, g), StateId.READ_BYPASS, 0, 4).status()).isEqualTo(NfsStatus.NFS4_OK);

        assertThat(w.state()).isEqualTo(Delegation.State.RECALLING);
        assertThat(r.state()).isEqualTo(Delegation.State.GRANTED);
    }

    @Test
    void writeWithAnonymousStateid_otherClient_recallsReadDelegationsToo() throws Exception {
        FileHandle g = fx.file("g", 0666, UID, GID);
        Delegation r = fx.server.delegations().grantRead(HOLDER, g).delegation();

        assertThat(IoFixture.write(at(CLIENT, g), StateId.ANONYMOUS, 0, DATA, StableHow.FILE_SYNC4).status())
                .isEqualTo(NfsStatus.NFS4ERR_DELAY);
        assertThat(r.state()).isEqualTo(Delegation.State.RECALLING);
    }

    @Test
    void ioWithAnonymousStateid_holderItself_noRecall() throws Exception {
        FileHandle fh = fx.file("f", 0666, UID, GID);
        Delegation d = writeDelegation(fh);

        assertThat(IoFixture.write(at(HOLDER, fh), StateId.ANONYMOUS, 0, DATA, StableHow.FILE_SYNC4).status())
                .isEqualTo(NfsStatus.NFS4_OK);
        assertThat(d.state()).isEqualTo(Delegation.State.GRANTED);
    }

    @Test
    void writeAndRead_throughOwnWriteDelegation_ok_otherClientsBadStateid() throws Exception {
        FileHandle fh = fx.file("f", 0666, UID, GID);
        Delegation d = writeDelegation(fh);

        assertThat(IoFixture.write(at(HOLDER, fh), d.stateId(), 0, DATA, StableHow.FILE_SYNC4).status())
                .isEqualTo(NfsStatus.NFS4_OK);
        assertThat(IoFixture.read(at(HOLDER, fh), d.stateId(), 0, 4).status()).isEqualTo(NfsStatus.NFS4_OK);
        assertThat(IoFixture.write(at(CLIENT, fh), d.stateId(), 0, DATA, StableHow.FILE_SYNC4).status())
                .isEqualTo(NfsStatus.NFS4ERR_BAD_STATEID);
    }

    @Test
    void write_throughReadDelegation_openmode() throws Exception {
        FileHandle fh = fx.file("f", 0666, UID, GID);
        Delegation r = fx.server.delegations().grantRead(HOLDER, fh).delegation();

        assertThat(IoFixture.write(at(HOLDER, fh), r.stateId(), 0, DATA, StableHow.FILE_SYNC4).status())
                .isEqualTo(NfsStatus.NFS4ERR_OPENMODE);
    }

    @Test
    void openForWrite_noCallbackChannel_noDelegationWithReason() throws Exception {
        fx.file("f", 0666, UID, GID);
        CompoundContext ctx = fx.ctx(UID, GID, CLIENT);

        OpenResult r = (OpenResult) run(new Open(), ctx,
                openArgs("f", new OpenHow.NoCreate(), ACCESS_BOTH | ShareAccess.WANT_WRITE_DELEG, DENY_NONE));

        assertThat(r.delegation()).isEqualTo(OpenDelegation.NoneExt.of(OpenDelegation.WND4_CONTENTION));
        assertThat(fx.server.delegations().liveCount()).isZero();
    }
}
