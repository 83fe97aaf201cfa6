package org.jnfsd.core.ops.namespace;

import static org.assertj.core.api.Assertions.assertThat;
import static org.jnfsd.core.ops.namespace.Fixture.ALICE;
import static org.jnfsd.core.ops.namespace.Fixture.BOB;
import static org.jnfsd.core.ops.namespace.Fixture.ROOT;
import static org.jnfsd.core.ops.namespace.Fixture.status;

import org.jnfsd.protocol.nfs4.NfsStatus;
import org.jnfsd.protocol.nfs4.namespace.AccessArgs;
import org.jnfsd.protocol.nfs4.namespace.AccessResult;
import org.jnfsd.vfs.Inode;
import org.junit.jupiter.api.Test;

class AccessTest {
    private static final int READ = 0x01;
    private static final int LOOKUP = 0x02;
    private static final int MODIFY = 0x04;
    private static final int EXTEND = 0x08;
    private static final int DELETE = 0x10;
    private static final int EXECUTE = 0x20;
    private static final int ALL = 0x3f;

    private final Fixture f = new Fixture();
    private final Access access = new Access();

    private AccessResult ask(Fixture fx, org.jnfsd.rpc.Credential who, Inode inode, int bits) throws Exception {
        return (AccessResult) access.execute(fx.at(who, inode), new AccessArgs(bits));
    }

    @Test
    void execute_regularFile_ownerGroupOther() throws Exception {
        Inode file = f.file(f.root(), "a", 0754, 1000, 1001);

        AccessResult owner = ask(f, ALICE, file, ALL);
        assertThat(owner.supported()).isEqualTo(READ | MODIFY | EXTEND | EXECUTE);
        assertThat(owner.access()).isEqualTo(READ | MODIFY | EXTEND | EXECUTE);
        assertThat(ask(f, BOB, file, ALL).access()).as("group r-x").isEqualTo(READ | EXECUTE);
        assertThat(ask(f, Fixture.user(2000, 2000), file, ALL).access()).as("other r--").isEqualTo(READ);
    }

    @Test
    void execute_directory_lookupAndDeleteApply() throws Exception {
        Inode dir = f.mkdir(f.root(), "d", 0755, 1000, 1000);

        AccessResult owner = ask(f, ALICE, dir, ALL);
        assertThat(owner.supported()).isEqualTo(READ | LOOKUP | MODIFY | EXTEND | DELETE);
        assertThat(owner.access()).isEqualTo(READ | LOOKUP | MODIFY | EXTEND | DELETE);
        assertThat(ask(f, BOB, dir, ALL).access()).isEqualTo(READ | LOOKUP);
    }

    @Test
    void execute_onlyAskedBits_reported() throws Exception {
        Inode file = f.file(f.root(), "a", 0644, 1000, 1000);

        AccessResult r = ask(f, ALICE, file, READ | EXECUTE);
        assertThat(r.supported()).isEqualTo(READ | EXECUTE);
        assertThat(r.access()).isEqualTo(READ);
    }

    @Test
    void execute_root_everythingButExecuteOfNonExecutable() throws Exception {
        Inode file = f.file(f.root(), "a", 0000, 1000, 1000);

        assertThat(ask(f, ROOT, file, ALL).access()).isEqualTo(READ | MODIFY | EXTEND);
        Fixture squashed = new Fixture(false, true, false);
        Inode s = squashed.file(squashed.root(), "a", 0600, 0, 0);
        assertThat(ask(squashed, ROOT, s, ALL).access()).as("squashed root is other").isZero();
    }

    @Test
    void execute_readOnlyExport_noWriteBits() throws Exception {
        Fixture ro = new Fixture(true, false, false);
        Inode file = ro.file(ro.root(), "a", 0644, 1000, 1000);

        AccessResult r = ask(ro, ALICE, file, ALL);
        assertThat(r.supported()).isEqualTo(READ | MODIFY | EXTEND | EXECUTE);
        assertThat(r.access()).isEqualTo(READ);
    }

    @Test
    void execute_undefinedBits_inval() {
        assertThat(status(access, f.at(ALICE, f.root()), new AccessArgs(0x200))).isEqualTo(NfsStatus.NFS4ERR_INVAL);
    }
}
