package org.jnfsd.core.ops.namespace;

import static org.assertj.core.api.Assertions.assertThat;
import static org.jnfsd.core.ops.namespace.Fixture.ALICE;
import static org.jnfsd.core.ops.namespace.Fixture.status;

import io.netty.buffer.Unpooled;
import org.jnfsd.core.attr.AttrBit;
import org.jnfsd.protocol.nfs4.Bitmap;
import org.jnfsd.protocol.nfs4.NfsStatus;
import org.jnfsd.protocol.nfs4.namespace.GetattrArgs;
import org.jnfsd.protocol.nfs4.namespace.GetattrResult;
import org.jnfsd.protocol.xdr.XdrDecoder;
import org.jnfsd.vfs.Inode;
import org.jnfsd.vfs.Stat;
import org.junit.jupiter.api.Test;

class GetattrTest {
    private final Fixture f = new Fixture();

    @Test
    void execute_file_requestedValuesOfTheObject() throws Exception {
        Inode file = f.file(f.root(), "a", 0640, 1000, 50);
        Stat st = f.stat(file);

        GetattrResult r = (GetattrResult) new Getattr().execute(f.at(ALICE, file),
                new GetattrArgs(Bitmap.of(AttrBit.TYPE, AttrBit.FILEHANDLE, AttrBit.FILEID, AttrBit.OWNER_GROUP,
                        AttrBit.ACL)));

        assertThat(r.attrs().mask()).containsExactly(Bitmap.of(AttrBit.TYPE, AttrBit.FILEHANDLE, AttrBit.FILEID,
                AttrBit.OWNER_GROUP));
        XdrDecoder in = new XdrDecoder(Unpooled.wrappedBuffer(r.attrs().values()));
        assertThat(in.readInt()).isEqualTo(1);
        assertThat(in.readOpaque(128)).isEqualTo(org.jnfsd.core.fs.HandleKey.processKey().seal(f.fh(file)));
        assertThat(in.readLong()).isEqualTo(st.fileId());
        assertThat(in.readUtf8(64)).isEqualTo("50");
        assertThat(in.hasRemaining()).isFalse();
    }

    @Test
    void execute_writeOnlyAttribute_inval() {
        assertThat(status(new Getattr(), f.at(ALICE, f.root()), new GetattrArgs(Bitmap.of(AttrBit.TIME_ACCESS_SET))))
                .isEqualTo(NfsStatus.NFS4ERR_INVAL);
    }

    @Test
    void execute_noCurrentFh_nofilehandle() {
        assertThat(status(new Getattr(), f.ctx(ALICE), new GetattrArgs(Bitmap.of(AttrBit.TYPE))))
                .isEqualTo(NfsStatus.NFS4ERR_NOFILEHANDLE);
    }
}
