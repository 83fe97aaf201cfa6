package org.jnfsd.server;

import static org.assertj.core.api.Assertions.assertThat;
import static org.jnfsd.server.Nfs.putfh;

import io.netty.buffer.Unpooled;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.MessageDigest;
import java.util.HexFormat;
import java.util.SplittableRandom;
import org.jnfsd.core.attr.AttrBit;
import org.jnfsd.protocol.nfs4.StateId;
import org.jnfsd.protocol.nfs4.io.CommitArgs;
import org.jnfsd.protocol.nfs4.io.CommitResult;
import org.jnfsd.protocol.nfs4.io.ReadArgs;
import org.jnfsd.protocol.nfs4.io.ReadResult;
import org.jnfsd.protocol.nfs4.io.StableHow;
import org.jnfsd.protocol.nfs4.io.WriteArgs;
import org.jnfsd.protocol.nfs4.io.WriteResult;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/** A 32 MiB file over the local backend: 1 MiB WRITEs, COMMIT, 1 MiB READs, checksums per chunk. */
class LargeFileTest {
    private static final int MIB = 1 << 20;
    private static final int CHUNKS = 32;

    @RegisterExtension
    final NfsServerFixture nfs = new NfsServerFixture();

    @TempDir
    Path dir;

    private static byte[] chunk(int i) {
        byte[] b = new byte[MIB];
        SplittableRandom r = new SplittableRandom(i);
        for (int k = 0; k < b.length; k += 8) {
            long v = r.nextLong();
            for (int j = 0; j < 8; j++) {
                b[k + j] = (byte) (v >>> (8 * j));
            }
        }
        return b;
    }

    private static String sha256(byte[] b) throws Exception {
        return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(b));
    }

    @Test
    void file32MiB_writtenIn1MiBWrites_readsBackWithTheSameChecksums() throws Exception {
        Files.setPosixFilePermissions(dir, PosixFilePermissions.fromString("rwxrwxrwx"));
        nfs.local(dir);
        Nfs user = nfs.user();
        byte[] fh = user.writeFile("/big", new byte[0]);
        StateId open = user.openFh(fh);
        String[] written = new String[CHUNKS];
        for (int i = 0; i < CHUNKS; i++) {
            byte[] data = chunk(i);
            written[i] = sha256(data);
            WriteResult w = user.last(WriteResult.class, putfh(fh),
                    new WriteArgs(open, (long) i * MIB, StableHow.UNSTABLE4, Unpooled.wrappedBuffer(data)));
            assertThat(w.count()).isEqualTo(MIB);
        }
        user.last(CommitResult.class, putfh(fh), new CommitArgs(0, 0));
        assertThat(user.attrs(fh, AttrBit.SIZE).get(AttrBit.SIZE)).isEqualTo((long) CHUNKS * MIB);

        for (int i = 0; i < CHUNKS; i++) {
            ReadResult r = user.last(ReadResult.class, putfh(fh), new ReadArgs(open, (long) i * MIB, MIB));
            assertThat(r.data()).hasSize(MIB);
            assertThat(sha256(r.data())).as("chunk %d", i).isEqualTo(written[i]);
            assertThat(r.eof()).isEqualTo(i == CHUNKS - 1);
        }
        assertThat(Files.size(dir.resolve("big"))).isEqualTo((long) CHUNKS * MIB);
    }
}
