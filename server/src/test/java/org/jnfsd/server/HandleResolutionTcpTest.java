package org.jnfsd.server;

import static org.assertj.core.api.Assertions.assertThat;
import static org.jnfsd.server.Nfs.getattr;
import static org.jnfsd.server.Nfs.putfh;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.jnfsd.core.ServerConfig;
import org.jnfsd.core.attr.AttrBit;
import org.jnfsd.core.fs.HandleKey;
import org.jnfsd.protocol.nfs4.NfsStatus;
import org.jnfsd.vfs.local.LocalFileSystem;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * A handle from before a restart, of a file deep in a 50,000-entry export, is resolved by the
 * kernel file handle it carries, without a scan of the export (issue 16): GETATTR and READ by it
 * after a new server started on the same export and state directory.
 */
class HandleResolutionTcpTest {
    private static final int DIRS = 50;
    private static final int FILES_PER_DIR = 1000;
    private static final byte[] DATA = "deep".getBytes(StandardCharsets.UTF_8);

    @RegisterExtension
    final NfsServerFixture nfs = new NfsServerFixture();

    @TempDir
    Path dir;

    private final List<LocalFileSystem> backends = new ArrayList<>();

    @Test
    void restart_oldHandleInLargeExport_resolvedWithoutScan() throws Exception {
        Path data = Files.createDirectory(dir.resolve("data"));
        for (int d = 0; d < DIRS; d++) {
            Path sub = Files.createDirectory(data.resolve(String.format("d%02d", d)));
            for (int f = 0; f < FILES_PER_DIR; f++) {
                Files.createFile(sub.resolve("f" + f));
            }
        }
        Files.write(data.resolve(String.format("d%02d", DIRS - 1)).resolve("target"), DATA);
        Path state = dir.resolve("state");
        nfs.local(data).wrap(fs -> {
            backends.add((LocalFileSystem) fs);
            return fs;
        }).config(ServerConfig.builder().handleKey(HandleKey.loadOrCreate(state)).build());
        byte[] fh = nfs.root().fh(String.format("/d%02d/target", DIRS - 1));

        nfs.config(ServerConfig.builder().handleKey(HandleKey.loadOrCreate(state)).build());
        nfs.restart();
        LocalFileSystem after = backends.getLast();
        assumeTrue(after.kernelOpens(), "this process may not open by handle (no CAP_DAC_READ_SEARCH)");

        Nfs client = nfs.root();
        assertThat(client.status(putfh(fh), getattr(AttrBit.TYPE, AttrBit.SIZE))).isEqualTo(NfsStatus.NFS4_OK);
        assertThat(client.read(fh)).isEqualTo(DATA);
        assertThat(after.fallbackScans()).as("scans of the export").isZero();
        assertThat(after.kernelResolutions()).isEqualTo(1);
    }
}
