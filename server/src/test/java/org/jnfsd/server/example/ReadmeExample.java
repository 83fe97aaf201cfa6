package org.jnfsd.server.example;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.file.Path;
import java.time.Clock;
import org.jnfsd.core.fs.Export;
import org.jnfsd.server.JnfsdServer;
import org.jnfsd.vfs.VirtualFileSystem;
import org.jnfsd.vfs.local.LocalFileSystem;

/**
 * The README's embedding example, compiled: the lines between the markers are the README's code
 * block, character for character after the indentation ({@code ReadmeExampleTest} checks it).
 */
final class ReadmeExample {
    private ReadmeExample() {}

    static void example() throws IOException {
        // README:begin
        VirtualFileSystem fs = new LocalFileSystem(Path.of("/srv/export"), Clock.systemUTC());
        try (JnfsdServer server = JnfsdServer.builder()
                .export(new Export(1, "/", fs))
                .bindAddress(InetAddress.getLoopbackAddress())
                .port(2049)
                .build()) {
            InetSocketAddress address = server.start();
            // serve until the application stops; close() tears every client down in order
        }
        // README:end
    }
}
