package org.jnfsd.core.fs;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermission;
import java.util.Arrays;
import java.util.Set;
import org.jnfsd.core.NfsException;
import org.jnfsd.protocol.nfs4.NfsStatus;
import org.jnfsd.protocol.nfs4.StateId;
import org.jnfsd.protocol.nfs4.callback.CbRecallArgs;
import org.jnfsd.vfs.Inode;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Sealing and opening file handles: {@link HandleKey}. */
class HandleKeyTest {
    private static final FileHandle FH = new FileHandle(7, new Inode(new byte[] {1, 2, 3, 4, 5, 6, 7, 8}));
    private final HandleKey key = HandleKey.random();

    @Test
    void open_ofSealed_givesTheHandleBack() throws Exception {
        byte[] wire = key.seal(FH);

        assertThat(wire[0]).isEqualTo(HandleKey.SEALED_VERSION);
        assertThat(wire).hasSize(FH.toBytes().length + HandleKey.MAC_LENGTH);
        assertThat(key.open(wire)).isEqualTo(FH);
    }

    @Test
    void open_anyByteFlipped_badhandle() {
        byte[] wire = key.seal(FH);
        for (int i = 1; i < wire.length; i++) {
            byte[] bad = wire.clone();
            bad[i] ^= 0x01;
            assertThat(status(bad)).as("byte %d flipped", i).isEqualTo(NfsStatus.NFS4ERR_BADHANDLE);
        }
    }

    @Test
    void open_truncated_badhandle() {
        byte[] wire = key.seal(FH);
        for (int n = 0; n < wire.length; n++) {
            assertThat(status(Arrays.copyOf(wire, n))).as("%d bytes", n).isEqualTo(NfsStatus.NFS4ERR_BADHANDLE);
        }
    }

    @Test
    void open_sealedByAnotherKey_badhandle() {
        assertThat(status(HandleKey.random().seal(FH))).isEqualTo(NfsStatus.NFS4ERR_BADHANDLE);
    }

    @Test
    void open_unsealedFormerFormat_stale() {
        assertThat(status(FH.toBytes())).isEqualTo(NfsStatus.NFS4ERR_STALE);
    }

    @Test
    void sealIn_callbackArgs_carrySealedHandle() throws Exception {
        CbRecallArgs sealed = (CbRecallArgs) key.sealIn(new CbRecallArgs(new StateId(1, new byte[12]), false,
                FH.toBytes()));

        assertThat(sealed.fileHandle()).isEqualTo(key.seal(FH));
    }

    @Test
    void loadOrCreate_sameDirectory_sameKey_fileIs0600(@TempDir Path dir) throws Exception {
        Path state = dir.resolve("state");
        byte[] wire = HandleKey.loadOrCreate(state).seal(FH);

        assertThat(HandleKey.loadOrCreate(state).open(wire)).isEqualTo(FH);
        assertThat(Files.getPosixFilePermissions(state.resolve(HandleKey.FILE_NAME)))
                .isEqualTo(Set.of(PosixFilePermission.OWNER_READ, PosixFilePermission.OWNER_WRITE));
        assertThat(status(HandleKey.loadOrCreate(dir.resolve("other")).seal(FH), HandleKey.loadOrCreate(state)))
                .isEqualTo(NfsStatus.NFS4ERR_BADHANDLE);
    }

    @Test
    void loadOrCreate_damagedFile_refusesToStart(@TempDir Path dir) throws Exception {
        Files.write(dir.resolve(HandleKey.FILE_NAME), new byte[5]);

        assertThatThrownBy(() -> HandleKey.loadOrCreate(dir)).hasMessageContaining("damaged");
    }

    private NfsStatus status(byte[] wire) {
        return status(wire, key);
    }

    private static NfsStatus status(byte[] wire, HandleKey k) {
        try {
            k.open(wire);
            return NfsStatus.NFS4_OK;
        } catch (NfsException e) {
            return e.status();
        }
    }
}
