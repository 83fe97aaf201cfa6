package org.jnfsd.core.ops.namespace;

import static org.assertj.core.api.Assertions.assertThat;
import static org.jnfsd.core.ops.namespace.Fixture.ALICE;
import static org.jnfsd.core.ops.namespace.Fixture.status;

import java.util.Arrays;
import java.util.List;
import org.jnfsd.core.NfsException;
import org.jnfsd.core.compound.CompoundContext;
import org.jnfsd.core.compound.OperationTable;
import org.jnfsd.core.compound.StandardOperations;
import org.jnfsd.core.fs.FileHandle;
import org.jnfsd.protocol.nfs4.NfsStatus;
import org.jnfsd.protocol.nfs4.Opcode;
import org.jnfsd.protocol.nfs4.namespace.GetFhResult;
import org.jnfsd.protocol.nfs4.namespace.PutFhArgs;
import org.jnfsd.protocol.nfs4.namespace.VoidArgs;
import org.jnfsd.vfs.Inode;
import org.junit.jupiter.api.Test;

/** PUTROOTFH, PUTPUBFH, PUTFH, GETFH, SAVEFH, RESTOREFH, and the area's registration. */
class FileHandleOperationsTest {
    private final Fixture f = new Fixture();

    @Test
    void putRootFh_anyState_currentIsRootOfFirstExport() throws NfsException {
        CompoundContext ctx = f.ctx(ALICE);

        new PutRootFh().execute(ctx, VoidArgs.PUTROOTFH);

        assertThat(ctx.currentFh()).isEqualTo(f.fh(f.root()));
    }

    @Test
    void putPubFh_anyState_sameAsRoot() throws NfsException {
        CompoundContext ctx = f.ctx(ALICE);

        new PutPubFh().execute(ctx, VoidArgs.PUTPUBFH);

        assertThat(ctx.currentFh()).isEqualTo(f.fh(f.root()));
    }

    @Test
    void getFh_afterPutFh_returnsTheSameBytes() throws Exception {
        Inode file = f.file(f.root(), "a", 0644, 1000, 1000);
        byte[] bytes = org.jnfsd.core.fs.HandleKey.processKey().seal(f.fh(file));
        CompoundContext ctx = f.ctx(ALICE);

        new PutFh().execute(ctx, new PutFhArgs(bytes));
        GetFhResult r = (GetFhResult) new GetFh().execute(ctx, VoidArgs.GETFH);

        assertThat(r.fh()).isEqualTo(bytes);
    }

    @Test
    void getFh_noCurrentFh_nofilehandle() {
        assertThat(status(new GetFh(), f.ctx(ALICE), VoidArgs.GETFH)).isEqualTo(NfsStatus.NFS4ERR_NOFILEHANDLE);
    }

    @Test
    void putFh_malformedOrTooLong_badhandle() {
        byte[] tooLong = new byte[129];
        tooLong[0] = 2;
        tooLong[4] = 1;

        assertThat(status(new PutFh(), f.ctx(ALICE), new PutFhArgs(new byte[] {9, 9}))).isEqualTo(NfsStatus.NFS4ERR_BADHANDLE);
        assertThat(status(new PutFh(), f.ctx(ALICE), new PutFhArgs(new byte[0]))).isEqualTo(NfsStatus.NFS4ERR_BADHANDLE);
        assertThat(status(new PutFh(), f.ctx(ALICE), new PutFhArgs(tooLong))).isEqualTo(NfsStatus.NFS4ERR_BADHANDLE);
    }

    @Test
    void putFh_unknownExport_stale() {
        byte[] bytes = org.jnfsd.core.fs.HandleKey.processKey().seal(new FileHandle(99, f.root()));

        assertThat(status(new PutFh(), f.ctx(ALICE), new PutFhArgs(bytes))).isEqualTo(NfsStatus.NFS4ERR_STALE);
    }

    @Test
    void putFh_removedObject_staleWhenFirstUsed() throws Exception {
        Inode file = f.file(f.root(), "gone", 0644, 1000, 1000);
        f.fs.remove(f.root(), "gone");
        CompoundContext ctx = f.ctx(ALICE);

        assertThat(status(new PutFh(), ctx, new PutFhArgs(org.jnfsd.core.fs.HandleKey.processKey().seal(f.fh(file))))).isEqualTo(NfsStatus.NFS4_OK);
        assertThat(status(new Readlink(), ctx, VoidArgs.READLINK)).isEqualTo(NfsStatus.NFS4ERR_STALE);
    }

    @Test
    void saveFhRestoreFh_roundTrip_restoresSaved() throws Exception {
        Inode file = f.file(f.root(), "a", 0644, 1000, 1000);
        CompoundContext ctx = f.at(ALICE, file);

        new SaveFh().execute(ctx, VoidArgs.SAVEFH);
        ctx.setCurrentFh(f.fh(f.root()));
        new RestoreFh().execute(ctx, VoidArgs.RESTOREFH);

        assertThat(ctx.currentFh()).isEqualTo(f.fh(file));
    }

    @Test
    void restoreFh_nothingSaved_restorefh() {
        assertThat(status(new RestoreFh(), f.at(ALICE, f.root()), VoidArgs.RESTOREFH))
                .isEqualTo(NfsStatus.NFS4ERR_RESTOREFH);
        assertThat(status(new SaveFh(), f.ctx(ALICE), VoidArgs.SAVEFH)).isEqualTo(NfsStatus.NFS4ERR_NOFILEHANDLE);
    }

    @Test
    void all_registeredOnceEach_inTheStandardTable() {
        OperationTable table = StandardOperations.table();
        List<Opcode> ours = NamespaceOperations.all().stream().map(o -> o.opcode()).toList();

        assertThat(ours).doesNotHaveDuplicates().containsExactlyInAnyOrder(Opcode.PUTROOTFH, Opcode.PUTPUBFH,
                Opcode.PUTFH, Opcode.GETFH, Opcode.SAVEFH, Opcode.RESTOREFH, Opcode.LOOKUP, Opcode.LOOKUPP,
                Opcode.GETATTR, Opcode.SETATTR, Opcode.ACCESS, Opcode.READDIR, Opcode.CREATE, Opcode.REMOVE,
                Opcode.RENAME, Opcode.LINK, Opcode.READLINK, Opcode.VERIFY, Opcode.NVERIFY, Opcode.SECINFO,
                Opcode.SECINFO_NO_NAME);
        assertThat(Arrays.stream(Opcode.values()).filter(o -> ours.contains(o)).allMatch(o -> table.get(o) != null))
                .isTrue();
    }
}
