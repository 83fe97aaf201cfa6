package org.jnfsd.bench;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import org.jnfsd.core.ServerConfig;
import org.jnfsd.core.fs.Export;
import org.jnfsd.server.JnfsdServer;
import org.jnfsd.vfs.local.LocalFileSystem;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/** Smoke: `bench/run scale` with tiny sizes against an in-process jnfsd (local backend). Correctness only. */
class ScaleBenchTest {
    @TempDir
    Path root;

    @Test
    void scale_tinySizes_everyCurvePointInTheJson() throws Exception {
        Path json = root.resolve("out.json");
        Path export = Files.createDirectory(root.resolve("export"));
        try (JnfsdServer server = JnfsdServer.builder()
                .export(new Export(1, "/", new LocalFileSystem(export, Clock.systemUTC()))).port(0).build()) {
            int port = server.start().getPort();
            int rc = new CommandLine(new ScaleBench()).execute("--server", "127.0.0.1:" + port,
                    "--export-dir", export.toString(), "--sizes", "3,700", "--clients", "1,3", "--opens", "2",
                    "--ops", "20", "--warmup-ops", "10", "--fd-files", "30", "--seq-mib", "2",
                    "--json", json.toString());
            assertThat(rc).isZero();
        }
        String out = Files.readString(json);
        for (String curve : new String[] {"readdir", "lookup+getattr", "getattr", "clients-getattr", "fd-files",
                "loopback", "seq-write", "seq-read"}) {
            assertThat(out).contains("\"curve\": \"" + curve + "\"");
        }
        assertThat(out.split("\"curve\"")).hasSize(1 + 3 * 2 + 2 + 1 + 1 + 2);
        assertThat(Files.list(export.resolve("scale-fd")).count()).isEqualTo(30);
        assertThat(export.resolve("scale-seq-2")).as("the sequential file removed").doesNotExist();
        assertThat(Files.list(export.resolve("scale-700")).count()).isEqualTo(700);
    }

    @Test
    void scale_failsAtTheClientsCurve_theDirectoryPointsBeforeItAreInTheJson() throws Exception {
        Path json = root.resolve("partial.json");
        Path export = Files.createDirectory(root.resolve("export"));
        try (JnfsdServer server = JnfsdServer.builder()
                .export(new Export(1, "/", new LocalFileSystem(export, Clock.systemUTC())))
                .config(ServerConfig.builder().maxClients(3).build()).port(0).build()) {
            int port = server.start().getPort();
            // the bench's own client plus 5 more is past the limit of 3: the clients curve fails
            int rc = new CommandLine(new ScaleBench()).execute("--server", "127.0.0.1:" + port,
                    "--export-dir", export.toString(), "--sizes", "3", "--clients", "5", "--opens", "1",
                    "--ops", "10", "--warmup-ops", "5", "--json", json.toString());
            assertThat(rc).as("the run failed").isNotZero();
        }
        String out = Files.readString(json);
        for (String curve : new String[] {"readdir", "lookup+getattr", "getattr"}) {
            assertThat(out).contains("\"curve\": \"" + curve + "\"");
        }
        assertThat(out).doesNotContain("clients-getattr").endsWith("]\n");
    }
}
