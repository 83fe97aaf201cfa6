package org.jnfsd.core.ops.namespace;

import static org.assertj.core.api.Assertions.assertThat;
import static org.jnfsd.core.attr.AttrBit.*;
import static org.jnfsd.core.ops.namespace.Fixture.ALICE;
import static org.jnfsd.core.ops.namespace.Fixture.BOB;
import static org.jnfsd.core.ops.namespace.Fixture.ROOT;
import static org.jnfsd.core.ops.namespace.Fixture.status;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufUtil;
import io.netty.buffer.Unpooled;
import java.time.Instant;
import java.util.function.Consumer;
import org.jnfsd.protocol.nfs4.Bitmap;
import org.jnfsd.protocol.nfs4.Fattr4;
import org.jnfsd.protocol.nfs4.NfsStatus;
import org.jnfsd.protocol.nfs4.StateId;
import org.jnfsd.protocol.nfs4.namespace.SetattrArgs;
import org.jnfsd.protocol.nfs4.namespace.SetattrResult;
import org.jnfsd.protocol.xdr.XdrEncoder;
import org.jnfsd.vfs.Inode;
import org.junit.jupiter.api.Test;

class SetattrTest {
    private final Fixture f = new Fixture();
    private final Setattr setattr = new Setattr();

    private static SetattrArgs one(int bit, Consumer<XdrEncoder> value) {
        ByteBuf buf = Unpooled.buffer();
        try {
            value.accept(new XdrEncoder(buf));
            return new SetattrArgs(StateId.ANONYMOUS, new Fattr4(Bitmap.of(bit), ByteBufUtil.getBytes(buf)));
        } finally {
            buf.release();
        }
    }

    static SetattrArgs mode(int m) {
        return one(MODE, o -> o.writeInt(m));
    }

    private static SetattrArgs owner(String s) {
        return one(OWNER, o -> o.writeUtf8(s));
    }

    private static SetattrArgs group(String s) {
        return one(OWNER_GROUP, o -> o.writeUtf8(s));
    }

    static SetattrArgs size(long n) {
        return one(SIZE, o -> o.writeLong(n));
    }

    private static SetattrArgs mtimeNow() {
        return one(TIME_MODIFY_SET, o -> o.writeInt(0));
    }

    private static SetattrArgs mtimeAt(Instant t) {
        return one(TIME_MODIFY_SET, o -> o.writeInt(1).writeLong(t.getEpochSecond()).writeInt(t.getNano()));
    }

    @Test
    void execute_modeByOwner_setAndReported() throws Exception {
        Inode file = f.file(f.root(), "a", 0644, 1000, 1000);

        SetattrResult r = (SetattrResult) setattr.execute(f.at(ALICE, file), mode(0600));

        assertThat(r.status()).isEqualTo(NfsStatus.NFS4_OK);
        assertThat(r.attrsSet()).containsExactly(Bitmap.of(MODE));
        assertThat(f.stat(file).mode()).isEqualTo(0600);
    }

    @Test
    void execute_modeByOther_permAndNothingReportedSet() throws Exception {
        Inode file = f.file(f.root(), "a", 0666, 1000, 1000);

        assertThat(status(setattr, f.at(BOB, file), mode(0600))).isEqualTo(NfsStatus.NFS4ERR_PERM);
        assertThat(status(setattr, f.at(ROOT, file), mode(0600))).isEqualTo(NfsStatus.NFS4_OK);
        SetattrResult failed = (SetattrResult) setattr.failure(NfsStatus.NFS4ERR_PERM, mode(0600));
        assertThat(failed.attrsSet()).isEmpty();
        assertThat(failed.status()).isEqualTo(NfsStatus.NFS4ERR_PERM);
    }

    @Test
    void execute_squashedRoot_isNobody() throws Exception {
        Fixture squashed = new Fixture(false, true, false);
        Inode file = squashed.file(squashed.root(), "a", 0644, 0, 0);

        assertThat(status(setattr, squashed.at(ROOT, file), mode(0600))).isEqualTo(NfsStatus.NFS4ERR_PERM);
    }

    @Test
    void execute_chown_onlyRoot() throws Exception {
        Inode file = f.file(f.root(), "a", 0644, 1000, 1000);

        assertThat(status(setattr, f.at(ALICE, file), owner("1001"))).isEqualTo(NfsStatus.NFS4ERR_PERM);
        assertThat(status(setattr, f.at(ALICE, file), owner("1000"))).as("to itself").isEqualTo(NfsStatus.NFS4_OK);
        assertThat(status(setattr, f.at(ROOT, file), owner("1001"))).isEqualTo(NfsStatus.NFS4_OK);
        assertThat(f.stat(file).uid()).isEqualTo(1001);
    }

    @Test
    void execute_chgrp_ownerToOwnGroupOnly() throws Exception {
        Inode file = f.file(f.root(), "a", 0644, 1000, 1000);

        assertThat(status(setattr, f.at(ALICE, file), group("50"))).isEqualTo(NfsStatus.NFS4_OK);
        assertThat(f.stat(file).gid()).isEqualTo(50);
        assertThat(status(setattr, f.at(ALICE, file), group("51"))).isEqualTo(NfsStatus.NFS4ERR_PERM);
        assertThat(status(setattr, f.at(BOB, file), group("1001"))).as("not the owner").isEqualTo(NfsStatus.NFS4ERR_PERM);
    }

    @Test
    void execute_badOwnerString_badowner() throws Exception {
        Inode file = f.file(f.root(), "a", 0644, 1000, 1000);

        assertThat(status(setattr, f.at(ROOT, file), owner("alice@example.com"))).isEqualTo(NfsStatus.NFS4ERR_BADOWNER);
    }

    @Test
    void execute_size_needsWritePermissionAndAFile() throws Exception {
        Inode shared = f.file(f.root(), "shared", 0666, 1001, 1001);
        Inode mine = f.file(f.root(), "mine", 0444, 1000, 1000);
        Inode dir = f.mkdir(f.root(), "d", 0777, 1000, 1000);

        assertThat(status(setattr, f.at(ALICE, shared), size(10))).isEqualTo(NfsStatus.NFS4_OK);
        assertThat(f.stat(shared).size()).isEqualTo(10);
        assertThat(status(setattr, f.at(ALICE, mine), size(0))).as("owner without w").isEqualTo(NfsStatus.NFS4ERR_ACCESS);
        assertThat(status(setattr, f.at(ALICE, dir), size(0))).isEqualTo(NfsStatus.NFS4ERR_ISDIR);
    }

    @Test
    void execute_times_nowNeedsWriteGivenNeedsOwnership() throws Exception {
        Inode writable = f.file(f.root(), "w", 0666, 1001, 1001);
        Inode readonly = f.file(f.root(), "r", 0644, 1001, 1001);
        Instant t = Instant.ofEpochSecond(1_000_000, 5);

        assertThat(status(setattr, f.at(ALICE, writable), mtimeNow())).isEqualTo(NfsStatus.NFS4_OK);
        assertThat(status(setattr, f.at(ALICE, readonly), mtimeNow())).isEqualTo(NfsStatus.NFS4ERR_ACCESS);
        assertThat(status(setattr, f.at(ALICE, writable), mtimeAt(t))).isEqualTo(NfsStatus.NFS4ERR_PERM);
        assertThat(status(setattr, f.at(BOB, readonly), mtimeAt(t))).isEqualTo(NfsStatus.NFS4_OK);
        assertThat(f.stat(readonly).mtime()).isEqualTo(t);
    }

    @Test
    void execute_readOnlyExport_rofs() throws Exception {
        Fixture ro = new Fixture(true, false, false);
        Inode file = ro.file(ro.root(), "a", 0644, 1000, 1000);

        assertThat(status(setattr, ro.at(ALICE, file), mode(0600))).isEqualTo(NfsStatus.NFS4ERR_ROFS);
    }

    @Test
    void execute_readOnlyAttribute_inval() throws Exception {
        Inode file = f.file(f.root(), "a", 0644, 1000, 1000);

        assertThat(status(setattr, f.at(ALICE, file), one(TYPE, o -> o.writeInt(2)))).isEqualTo(NfsStatus.NFS4ERR_INVAL);
        assertThat(status(setattr, f.at(ALICE, file), one(ACL, o -> o.writeInt(0)))).isEqualTo(NfsStatus.NFS4ERR_ATTRNOTSUPP);
    }

    @Test
    void execute_sizeWithAStateidOfAnotherBoot_stale_otherAttributesIgnoreIt() throws Exception {
        Inode file = f.file(f.root(), "a", 0666, 1000, 1000);
        StateId unknown = // not issued by this server instance
                new StateId(1, new byte[] {1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12});

        assertThat(status(setattr, f.at(ALICE, file), new SetattrArgs(unknown, size(0).attrs())))
                .isEqualTo(NfsStatus.NFS4ERR_STALE_STATEID);
        assertThat(status(setattr, f.at(ALICE, file), new SetattrArgs(unknown, mode(0600).attrs())))
                .isEqualTo(NfsStatus.NFS4_OK);
    }
}
