package org.jnfsd.core.ops.namespace;

import static org.assertj.core.api.Assertions.assertThat;
import static org.jnfsd.core.ops.namespace.Fixture.ALICE;
import static org.jnfsd.core.ops.namespace.Fixture.BOB;
import static org.jnfsd.core.ops.namespace.Fixture.ROOT;
import static org.jnfsd.core.ops.namespace.Fixture.status;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufUtil;
import io.netty.buffer.Unpooled;
import java.util.function.Consumer;
import org.jnfsd.core.attr.AttrBit;
import org.jnfsd.core.compound.CompoundContext;
import org.jnfsd.protocol.nfs4.Bitmap;
import org.jnfsd.protocol.nfs4.Fattr4;
import org.jnfsd.protocol.nfs4.NfsStatus;
import org.jnfsd.protocol.nfs4.namespace.CreateArgs;
import org.jnfsd.protocol.nfs4.namespace.CreateResult;
import org.jnfsd.protocol.xdr.XdrEncoder;
import org.jnfsd.vfs.FileType;
import org.jnfsd.vfs.Inode;
import org.jnfsd.vfs.Stat;
import org.junit.jupiter.api.Test;

class CreateTest {
    private final Fixture f = new Fixture();
    private final Create create = new Create();

    private static Fattr4 attr(int bit, Consumer<XdrEncoder> value) {
        ByteBuf buf = Unpooled.buffer();
        try {
            value.accept(new XdrEncoder(buf));
            return new Fattr4(Bitmap.of(bit), ByteBufUtil.getBytes(buf));
        } finally {
            buf.release();
        }
    }

    @Test
    void execute_directory_createdOwnedByCallerAndBecomesCurrent() throws Exception {
        Inode parent = f.mkdir(f.root(), "p", 0777, 0, 0);
        long before = f.stat(parent).change();
        CompoundContext ctx = f.at(ALICE, parent);

        CreateResult r = (CreateResult) create.execute(ctx, CreateArgs.directory("d", attr(AttrBit.MODE, o -> o.writeInt(0700))));

        Inode d = f.fs.lookup(parent, "d");
        assertThat(ctx.currentFh()).isEqualTo(f.fh(d));
        Stat st = f.stat(d);
        assertThat(st.type()).isEqualTo(FileType.DIRECTORY);
        assertThat(st.mode()).isEqualTo(0700);
        assertThat(st.uid()).isEqualTo(1000);
        assertThat(st.gid()).isEqualTo(1000);
        assertThat(r.attrSet()).containsExactly(Bitmap.of(AttrBit.MODE));
        assertThat(r.cinfo().before()).isEqualTo(before);
        assertThat(r.cinfo().after()).isEqualTo(f.stat(parent).change()).isNotEqualTo(before);
    }

    @Test
    void execute_symlink_targetStoredAndEmptyOrNonUtf8Rejected() throws Exception {
        create.execute(f.at(ALICE, f.root()), CreateArgs.symlink("l", "../t", Fattr4.EMPTY));

        assertThat(f.fs.readlink(f.fs.lookup(f.root(), "l"))).isEqualTo("../t");
        assertThat(status(create, f.at(ALICE, f.root()), new CreateArgs(CreateArgs.NF4LNK, new byte[0], 0, 0,
                Fixture.utf8("e"), Fattr4.EMPTY))).isEqualTo(NfsStatus.NFS4ERR_INVAL);
        assertThat(status(create, f.at(ALICE, f.root()), new CreateArgs(CreateArgs.NF4LNK, new byte[] {(byte) 0xff}, 0, 0,
                Fixture.utf8("e"), Fattr4.EMPTY))).isEqualTo(NfsStatus.NFS4ERR_INVAL);
    }

    @Test
    void execute_devicesAndFifo_typeAndRawdev() throws Exception {
        create.execute(f.at(ROOT, f.root()), CreateArgs.special(CreateArgs.NF4CHR, 4, 64, "tty", Fattr4.EMPTY));
        create.execute(f.at(ALICE, f.root()), CreateArgs.special(CreateArgs.NF4FIFO, 0, 0, "fifo", Fattr4.EMPTY));
        create.execute(f.at(ALICE, f.root()), CreateArgs.special(CreateArgs.NF4SOCK, 0, 0, "sock", Fattr4.EMPTY));

        Stat tty = f.stat(f.fs.lookup(f.root(), "tty"));
        assertThat(tty.type()).isEqualTo(FileType.CHAR_DEVICE);
        assertThat(tty.rdevMajor()).isEqualTo(4);
        assertThat(tty.rdevMinor()).isEqualTo(64);
        assertThat(f.stat(f.fs.lookup(f.root(), "fifo")).type()).isEqualTo(FileType.FIFO);
        assertThat(f.stat(f.fs.lookup(f.root(), "sock")).type()).isEqualTo(FileType.SOCKET);
    }

    @Test
    void execute_deviceByNonRoot_perm() {
        assertThat(status(create, f.at(ALICE, f.root()), CreateArgs.special(CreateArgs.NF4CHR, 1, 3, "mem", Fattr4.EMPTY)))
                .isEqualTo(NfsStatus.NFS4ERR_PERM);
        assertThat(status(create, f.at(ALICE, f.root()), CreateArgs.special(CreateArgs.NF4BLK, 8, 0, "sda", Fattr4.EMPTY)))
                .isEqualTo(NfsStatus.NFS4ERR_PERM);
    }

    @Test
    void execute_regularOrAttrDir_badtype() {
        assertThat(status(create, f.at(ALICE, f.root()), CreateArgs.special(CreateArgs.NF4REG, 0, 0, "r", Fattr4.EMPTY)))
                .isEqualTo(NfsStatus.NFS4ERR_BADTYPE);
        assertThat(status(create, f.at(ALICE, f.root()), CreateArgs.special(CreateArgs.NF4ATTRDIR, 0, 0, "r", Fattr4.EMPTY)))
                .isEqualTo(NfsStatus.NFS4ERR_BADTYPE);
    }

    @Test
    void execute_existingName_exist() throws Exception {
        f.file(f.root(), "x", 0644, 0, 0);

        assertThat(status(create, f.at(ALICE, f.root()), CreateArgs.directory("x", Fattr4.EMPTY)))
                .isEqualTo(NfsStatus.NFS4ERR_EXIST);
    }

    @Test
    void execute_noWritePermissionOrReadOnly_accessOrRofs() throws Exception {
        Inode closed = f.mkdir(f.root(), "closed", 0755, 0, 0);
        Fixture ro = new Fixture(true, false, false);

        assertThat(status(create, f.at(ALICE, closed), CreateArgs.directory("d", Fattr4.EMPTY)))
                .isEqualTo(NfsStatus.NFS4ERR_ACCESS);
        assertThat(status(create, ro.at(ROOT, ro.root()), CreateArgs.directory("d", Fattr4.EMPTY)))
                .isEqualTo(NfsStatus.NFS4ERR_ROFS);
    }

    @Test
    void execute_ownerAttribute_onlyRootMayGiveAway() throws Exception {
        Fattr4 bobOwns = attr(AttrBit.OWNER, o -> o.writeUtf8("1001"));

        assertThat(status(create, f.at(ALICE, f.root()), CreateArgs.directory("a", bobOwns)))
                .isEqualTo(NfsStatus.NFS4ERR_PERM);
        assertThat(status(create, f.at(ROOT, f.root()), CreateArgs.directory("r", bobOwns))).isEqualTo(NfsStatus.NFS4_OK);
        assertThat(f.stat(f.fs.lookup(f.root(), "r")).uid()).isEqualTo(1001);
    }

    @Test
    void execute_setgidDirectory_groupInherited() throws Exception {
        Inode shared = f.mkdir(f.root(), "shared", 02777, 0, 77);

        create.execute(f.at(BOB, shared), CreateArgs.directory("d", Fattr4.EMPTY));

        assertThat(f.stat(f.fs.lookup(shared, "d")).gid()).isEqualTo(77);
    }

    @Test
    void execute_badName_badname() {
        assertThat(status(create, f.at(ALICE, f.root()), CreateArgs.directory("..", Fattr4.EMPTY)))
                .isEqualTo(NfsStatus.NFS4ERR_BADNAME);
    }
}
