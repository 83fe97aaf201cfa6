package org.jnfsd.core.ops.namespace;

import static org.assertj.core.api.Assertions.assertThat;
import static org.jnfsd.core.ops.namespace.Fixture.ALICE;
import static org.jnfsd.core.ops.namespace.Fixture.status;

import org.jnfsd.core.attr.AttrBit;
import org.jnfsd.protocol.nfs4.Bitmap;
import org.jnfsd.protocol.nfs4.Fattr4;
import org.jnfsd.protocol.nfs4.NfsStatus;
import org.jnfsd.protocol.nfs4.Opcode;
import org.jnfsd.protocol.nfs4.namespace.GetattrArgs;
import org.jnfsd.protocol.nfs4.namespace.GetattrResult;
import org.jnfsd.protocol.nfs4.namespace.VerifyArgs;
import org.jnfsd.vfs.Inode;
import org.junit.jupiter.api.Test;

/** VERIFY and NVERIFY. */
class VerifyTest {
    private final Fixture f = new Fixture();

    private Fattr4 current(Inode inode) throws Exception {
        return ((GetattrResult) new Getattr().execute(f.at(ALICE, inode),
                new GetattrArgs(Bitmap.of(AttrBit.SIZE, AttrBit.MODE, AttrBit.OWNER, AttrBit.CHANGE)))).attrs();
    }

    @Test
    void verify_sameAttributes_okElseNotSame() throws Exception {
        Inode file = f.file(f.root(), "a", 0644, 1000, 1000);
        Fattr4 attrs = current(file);

        assertThat(status(new Verify(), f.at(ALICE, file), new VerifyArgs(Opcode.VERIFY, attrs))).isEqualTo(NfsStatus.NFS4_OK);
        f.fs.setattr(file, new org.jnfsd.vfs.SetAttributes(0600, null, null, null, null, null));
        assertThat(status(new Verify(), f.at(ALICE, file), new VerifyArgs(Opcode.VERIFY, attrs)))
                .isEqualTo(NfsStatus.NFS4ERR_NOT_SAME);
    }

    @Test
    void nverify_sameAttributes_sameElseOk() throws Exception {
        Inode file = f.file(f.root(), "a", 0644, 1000, 1000);
        Fattr4 attrs = current(file);

        assertThat(status(new Nverify(), f.at(ALICE, file), new VerifyArgs(Opcode.NVERIFY, attrs))).isEqualTo(NfsStatus.NFS4ERR_SAME);
        f.fs.setattr(file, new org.jnfsd.vfs.SetAttributes(null, null, null, 5L, null, null));
        assertThat(status(new Nverify(), f.at(ALICE, file), new VerifyArgs(Opcode.NVERIFY, attrs))).isEqualTo(NfsStatus.NFS4_OK);
    }

    @Test
    void verify_unsupportedOrRdattrError_attrnotsuppOrInval() {
        assertThat(status(new Verify(), f.at(ALICE, f.root()), new VerifyArgs(Opcode.VERIFY, new Fattr4(Bitmap.of(AttrBit.ACL), new byte[4]))))
                .isEqualTo(NfsStatus.NFS4ERR_ATTRNOTSUPP);
        assertThat(status(new Nverify(), f.at(ALICE, f.root()), new VerifyArgs(Opcode.NVERIFY, new Fattr4(Bitmap.of(AttrBit.RDATTR_ERROR), new byte[4]))))
                .isEqualTo(NfsStatus.NFS4ERR_INVAL);
    }
}
