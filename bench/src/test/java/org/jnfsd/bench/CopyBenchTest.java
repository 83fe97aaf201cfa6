package org.jnfsd.bench;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import org.jnfsd.core.ServerConfig;
import org.jnfsd.core.fs.Export;
import org.jnfsd.rpc.Credential;
import org.jnfsd.server.JnfsdServer;
import org.jnfsd.vfs.local.LocalFileSystem;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The copy harness runs end to end on a small file (figures not checked) and cleans up after itself. */
class CopyBenchTest {
    static final Credential ROOT = new Credential.AuthSys(0, "test", 0, 0, new int[0]);

    @Test
    void run_smallFileLocalBackend_bothCopiesTimedAndFilesRemoved(@TempDir Path root) throws Exception {
        try (JnfsdServer s = JnfsdServer.builder()
                .export(new Export(1, "/", new LocalFileSystem(root, Clock.systemUTC()))).port(0).build()) {
            CopyBench.Result r = CopyBench.run(s.start(), "/", ROOT, 512 * 1024 + 17, 256 * 1024, 2, false, null);

            assertThat(r.bytes()).isEqualTo(512 * 1024 + 17);
            assertThat(r.copyCompounds()).isGreaterThanOrEqualTo(1);
            assertThat(r.asyncCopies()).isZero();
            assertThat(r.copyNanos()).isPositive();
            assertThat(r.clientNanos()).isPositive();
        }
        try (var left = Files.list(root)) {
            assertThat(left).as("the run's directory is removed").isEmpty();
        }
    }

    @Test
    void run_asyncAskedBelowThreshold_serverCopiesSynchronously(@TempDir Path root) throws Exception {
        try (JnfsdServer s = JnfsdServer.builder()
                .export(new Export(1, "/", new LocalFileSystem(root, Clock.systemUTC()))).port(0).build()) {
            CopyBench.Result r = CopyBench.run(s.start(), "/", ROOT, 512 * 1024 + 17, 256 * 1024, 2, true,
                    CopyBench.backchannelUp(s));

            assertThat(r.copyCompounds()).isGreaterThanOrEqualTo(1);
            assertThat(r.asyncCopies()).as("512 KiB is below the default async threshold (16 MiB)").isZero();
        }
    }

    @Test
    void run_asyncAboveThreshold_waitsForCbOffload(@TempDir Path root) throws Exception {
        try (JnfsdServer s = JnfsdServer.builder()
                .export(new Export(1, "/", new LocalFileSystem(root, Clock.systemUTC())))
                .config(ServerConfig.builder().asyncCopyThreshold(64 * 1024).build()).port(0).build()) {
            CopyBench.Result r = CopyBench.run(s.start(), "/", ROOT, 512 * 1024 + 17, 256 * 1024, 2, true,
                    CopyBench.backchannelUp(s));

            assertThat(r.asyncCopies()).as("copied asynchronously, ended by CB_OFFLOAD").isEqualTo(r.copyCompounds());
            assertThat(r.copyCompounds()).isGreaterThanOrEqualTo(1);
        }
    }

    @Test
    void parseSize_unitsAndPlain_bytes() {
        assertThat(CopyBench.parseSize("256MiB")).isEqualTo(256L << 20);
        assertThat(CopyBench.parseSize("4KiB")).isEqualTo(4096);
        assertThat(CopyBench.parseSize("1GiB")).isEqualTo(1L << 30);
        assertThat(CopyBench.parseSize("1000")).isEqualTo(1000);
        assertThatThrownBy(() -> CopyBench.parseSize("0")).isInstanceOf(IllegalArgumentException.class);
    }
}
