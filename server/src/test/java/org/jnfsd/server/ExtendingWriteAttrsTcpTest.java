package org.jnfsd.server;

import static org.assertj.core.api.Assertions.assertThat;
import static org.jnfsd.server.Nfs.putfh;

import io.netty.buffer.Unpooled;
import java.nio.file.Path;
import java.util.Map;
import org.jnfsd.core.attr.AttrBit;
import org.jnfsd.protocol.nfs4.CompoundReply;
import org.jnfsd.protocol.nfs4.StateId;
import org.jnfsd.protocol.nfs4.io.StableHow;
import org.jnfsd.protocol.nfs4.io.WriteArgs;
import org.jnfsd.protocol.nfs4.namespace.GetattrResult;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * What the server answers after a WRITE that extends a file (issue 17, the AIO/direct-I/O case):
 * the GETATTR in the same COMPOUND (as the Linux client sends WRITE + GETATTR) and one after it
 * carry the new size and a change attribute that moved at each of many back-to-back extending
 * writes, on the local backend (change is ctime in ns there) and the memory backend. A client that
 * sees the old size afterwards does not get it from these answers.
 */
class ExtendingWriteAttrsTcpTest {
    @RegisterExtension
    final NfsServerFixture nfs = new NfsServerFixture();
    @TempDir
    Path dir;

    private void extendingWrites() throws Exception {
        Nfs c = nfs.user();
        byte[] fh = c.writeFile("/aio", new byte[0]);
        StateId open = c.openFh(fh);
        long lastChange = (Long) c.attrs(fh, AttrBit.CHANGE).get(AttrBit.CHANGE);
        byte[] block = new byte[4096];
        for (int i = 0; i < 200; i++) {
            CompoundReply r = c.ok(putfh(fh),
                    new WriteArgs(open, (long) i * block.length, StableHow.UNSTABLE4, Unpooled.wrappedBuffer(block)),
                    Nfs.getattr(AttrBit.CHANGE, AttrBit.SIZE));
            Map<Integer, Object> same = Fattr.decode(r.result(3, GetattrResult.class).attrs());
            assertThat(same.get(AttrBit.SIZE)).as("size in the WRITE's COMPOUND, write %d", i)
                    .isEqualTo((long) (i + 1) * block.length);
            assertThat((Long) same.get(AttrBit.CHANGE)).as("change moved, write %d", i).isGreaterThan(lastChange);
            lastChange = (Long) same.get(AttrBit.CHANGE);
        }
        Map<Integer, Object> after = c.attrs(fh, AttrBit.CHANGE, AttrBit.SIZE);
        assertThat(after.get(AttrBit.SIZE)).isEqualTo(200L * block.length);
        assertThat(after.get(AttrBit.CHANGE)).isEqualTo(lastChange);
    }

    @Test
    void localBackend_extendingWrites_sizeAndChangeInTheSameCompoundAndAfter() throws Exception {
        java.nio.file.Files.setPosixFilePermissions(dir, java.nio.file.attribute.PosixFilePermissions.fromString("rwxrwxrwx"));
        nfs.local(dir);
        extendingWrites();
    }

    @Test
    void memoryBackend_extendingWrites_sizeAndChangeInTheSameCompoundAndAfter() throws Exception {
        extendingWrites();
    }
}
