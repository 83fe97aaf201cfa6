package org.jnfsd.bench;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import org.jnfsd.core.fs.Export;
import org.jnfsd.server.JnfsdServer;
import org.jnfsd.vfs.local.LocalFileSystem;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/**
 * Files opened one after another, ten times more than the server keeps channels for (4 here;
 * the JVM's own descriptor limit cannot be lowered in a test, so the bound stands in for it):
 * every WRITE and READ over TCP answers NFS4_OK with the data, the cache evicting as it goes.
 * `bench/scale` runs the same with 16,000 files against a server under a lowered RLIMIT_NOFILE.
 */
class FdLimitTcpTest {
    @TempDir
    Path root;

    @Test
    void filesBeyondTheChannelBound_everyOneWrittenAndReadBack() throws Exception {
        Path export = Files.createDirectory(root.resolve("export"));
        try (JnfsdServer server = JnfsdServer.builder()
                .export(new Export(1, "/", new LocalFileSystem(export, Clock.systemUTC(), 4))).port(0).build()) {
            int port = server.start().getPort();
            int rc = new CommandLine(new ScaleBench()).execute("--server", "127.0.0.1:" + port,
                    "--export-dir", export.toString(), "--sizes", "1", "--clients", "1", "--opens", "1",
                    "--ops", "1", "--warmup-ops", "1", "--fd-files", "40");
            assertThat(rc).isZero();
        }
        try (var files = Files.list(export.resolve("scale-fd"))) {
            assertThat(files.filter(f -> f.toFile().length() == 4096).count()).isEqualTo(40);
        }
    }
}
