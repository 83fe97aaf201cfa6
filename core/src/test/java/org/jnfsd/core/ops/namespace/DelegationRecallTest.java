package org.jnfsd.core.ops.namespace;

import static org.assertj.core.api.Assertions.assertThat;
import static org.jnfsd.core.ops.namespace.Fixture.ALICE;
import static org.jnfsd.core.ops.namespace.Fixture.status;

import org.jnfsd.core.ServerConfig;
import org.jnfsd.core.compound.CompoundContext;
import org.jnfsd.core.delegation.Delegation;
import org.jnfsd.protocol.nfs4.NfsStatus;
import org.jnfsd.protocol.nfs4.namespace.LinkArgs;
import org.jnfsd.protocol.nfs4.namespace.RemoveArgs;
import org.jnfsd.protocol.nfs4.namespace.RenameArgs;
import org.jnfsd.vfs.Inode;
import org.junit.jupiter.api.Test;

/**
 * SETATTR of the size, REMOVE, RENAME and LINK against another client's read delegation (granted
 * here directly through the table): the delegation is recalled and the request answered
 * NFS4ERR_DELAY until it is returned; the holder's own requests go through.
 */
class DelegationRecallTest {
    private static final long HOLDER = 0xD1;
    private static final long OTHER = 0xD2;

    private final Fixture f = new Fixture(ServerConfig.builder().maxDelegations(10).build());

    private Delegation delegate(Inode file) {
        return f.server.delegations().grantRead(HOLDER, f.fh(file)).delegation();
    }

    private void giveBack(Delegation d) {
        assertThat(f.server.delegations().delegReturn(HOLDER, d.file(), d.stateId())).isEqualTo(NfsStatus.NFS4_OK);
    }

    @Test
    void setattrSize_otherClient_delayAndRecallUntilReturned() throws Exception {
        Inode file = f.file(f.root(), "a", 0666, 1000, 1000);
        Delegation d = delegate(file);

        assertThat(status(new Setattr(), f.at(ALICE, OTHER, file), SetattrTest.size(0))).isEqualTo(NfsStatus.NFS4ERR_DELAY);
        assertThat(d.state()).isEqualTo(Delegation.State.RECALLING);

        giveBack(d);
        assertThat(status(new Setattr(), f.at(ALICE, OTHER, file), SetattrTest.size(0))).isEqualTo(NfsStatus.NFS4_OK);
    }

    @Test
    void setattrMode_otherClient_noRecall() throws Exception {
        Inode file = f.file(f.root(), "a", 0666, 1000, 1000);
        Delegation d = delegate(file);

        assertThat(status(new Setattr(), f.at(ALICE, OTHER, file), SetattrTest.mode(0600))).isEqualTo(NfsStatus.NFS4_OK);
        assertThat(d.state()).isEqualTo(Delegation.State.GRANTED);
    }

    @Test
    void setattrSize_holderItself_noRecall() throws Exception {
        Inode file = f.file(f.root(), "a", 0666, 1000, 1000);
        Delegation d = delegate(file);

        assertThat(status(new Setattr(), f.at(ALICE, HOLDER, file), SetattrTest.size(0))).isEqualTo(NfsStatus.NFS4_OK);
        assertThat(d.state()).isEqualTo(Delegation.State.GRANTED);
    }

    @Test
    void remove_otherClient_delayAndFileKeptUntilReturned() throws Exception {
        Inode file = f.file(f.root(), "a", 0666, 1000, 1000);
        Delegation d = delegate(file);

        assertThat(status(new Remove(), f.at(ALICE, OTHER, f.root()), RemoveArgs.of("a"))).isEqualTo(NfsStatus.NFS4ERR_DELAY);
        assertThat(d.state()).isEqualTo(Delegation.State.RECALLING);
        assertThat(f.fs.lookup(f.root(), "a")).isEqualTo(file);

        giveBack(d);
        assertThat(status(new Remove(), f.at(ALICE, OTHER, f.root()), RemoveArgs.of("a"))).isEqualTo(NfsStatus.NFS4_OK);
    }

    @Test
    void remove_holderItself_noRecall() throws Exception {
        Inode file = f.file(f.root(), "a", 0666, 1000, 1000);
        Delegation d = delegate(file);

        assertThat(status(new Remove(), f.at(ALICE, HOLDER, f.root()), RemoveArgs.of("a"))).isEqualTo(NfsStatus.NFS4_OK);
        assertThat(d.state()).isEqualTo(Delegation.State.GRANTED);
    }

    @Test
    void rename_otherClientDelegationOnSource_delay() throws Exception {
        Inode file = f.file(f.root(), "a", 0666, 1000, 1000);
        Delegation d = delegate(file);

        assertThat(status(new Rename(), renameCtx(OTHER), RenameArgs.of("a", "b"))).isEqualTo(NfsStatus.NFS4ERR_DELAY);
        assertThat(d.state()).isEqualTo(Delegation.State.RECALLING);

        giveBack(d);
        assertThat(status(new Rename(), renameCtx(OTHER), RenameArgs.of("a", "b"))).isEqualTo(NfsStatus.NFS4_OK);
    }

    @Test
    void rename_otherClientDelegationOnReplacedTarget_delay() throws Exception {
        f.file(f.root(), "a", 0666, 1000, 1000);
        Inode target = f.file(f.root(), "b", 0666, 1000, 1000);
        Delegation d = delegate(target);

        assertThat(status(new Rename(), renameCtx(OTHER), RenameArgs.of("a", "b"))).isEqualTo(NfsStatus.NFS4ERR_DELAY);
        assertThat(d.state()).isEqualTo(Delegation.State.RECALLING);
        assertThat(f.fs.lookup(f.root(), "b")).isEqualTo(target);
    }

    @Test
    void rename_holderItself_noRecall() throws Exception {
        Inode file = f.file(f.root(), "a", 0666, 1000, 1000);
        Delegation d = delegate(file);

        assertThat(status(new Rename(), renameCtx(HOLDER), RenameArgs.of("a", "b"))).isEqualTo(NfsStatus.NFS4_OK);
        assertThat(d.state()).isEqualTo(Delegation.State.GRANTED);
    }

    @Test
    void link_otherClient_delayUntilReturned() throws Exception {
        Inode file = f.file(f.root(), "a", 0666, 1000, 1000);
        Delegation d = delegate(file);

        assertThat(status(new Link(), linkCtx(OTHER, file), LinkArgs.of("b"))).isEqualTo(NfsStatus.NFS4ERR_DELAY);
        assertThat(d.state()).isEqualTo(Delegation.State.RECALLING);

        giveBack(d);
        assertThat(status(new Link(), linkCtx(OTHER, file), LinkArgs.of("b"))).isEqualTo(NfsStatus.NFS4_OK);
    }

    @Test
    void link_holderItself_noRecall() throws Exception {
        Inode file = f.file(f.root(), "a", 0666, 1000, 1000);
        Delegation d = delegate(file);

        assertThat(status(new Link(), linkCtx(HOLDER, file), LinkArgs.of("b"))).isEqualTo(NfsStatus.NFS4_OK);
        assertThat(d.state()).isEqualTo(Delegation.State.GRANTED);
    }

    /** Saved and current filehandle both the root directory. */
    private CompoundContext renameCtx(long clientId) throws Exception {
        CompoundContext c = f.at(ALICE, clientId, f.root());
        c.saveFh();
        return c;
    }

    /** Saved filehandle {@code source}, current the root directory. */
    private CompoundContext linkCtx(long clientId, Inode source) throws Exception {
        CompoundContext c = f.at(ALICE, clientId, source);
        c.saveFh();
        c.setCurrentFh(f.fh(f.root()));
        return c;
    }
}
