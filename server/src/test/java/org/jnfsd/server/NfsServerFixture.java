package org.jnfsd.server;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.file.Path;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.function.UnaryOperator;
import org.jnfsd.core.fs.Export;
import org.jnfsd.rpc.Credential;
import org.jnfsd.vfs.VirtualFileSystem;
import org.jnfsd.vfs.local.LocalFileSystem;
import org.jnfsd.vfs.memory.MemoryFileSystem;
import org.junit.jupiter.api.extension.AfterEachCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * A {@link JnfsdServer} on 127.0.0.1 port 0 and the clients of one test, closed after the test
 * (register with {@code @RegisterExtension}). The server starts on first use, over the memory
 * backend (root 0777, owned by root) unless {@link #local} or {@link #wrap} said otherwise before.
 *
 * <pre>{@code
 * @RegisterExtension final NfsServerFixture nfs = new NfsServerFixture();
 * @Test void x() { Nfs user = nfs.user(); Nfs root = nfs.root(); ... }
 * }</pre>
 *
 * Not thread-safe: used by the test's thread only (the clients it hands out are thread-safe).
 */
final class NfsServerFixture implements AfterEachCallback {
    static final int UID = 1000;
    static final int GID = 1000;
    static final Credential.AuthSys USER = new Credential.AuthSys(0, "it-client", UID, GID, new int[0]);
    static final Credential.AuthSys ROOT = new Credential.AuthSys(0, "it-client", 0, 0, new int[0]);

    private Path localDir;
    private boolean rootSquash;
    private java.util.List<org.jnfsd.core.fs.ClientRule> rules;
    private UnaryOperator<VirtualFileSystem> wrapper = UnaryOperator.identity();
    private org.jnfsd.core.ServerConfig config = org.jnfsd.core.ServerConfig.defaults();
    private String exportsText;
    private JnfsdServer server;
    private InetSocketAddress address;
    private final List<Nfs> clients = new ArrayList<>();

    /** Serve {@code dir} with the local backend instead of memory. */
    NfsServerFixture local(Path dir) {
        requireNotStarted();
        this.localDir = dir;
        return this;
    }

    /** Build the export with root squash. */
    NfsServerFixture rootSquash() {
        requireNotStarted();
        this.rootSquash = true;
        return this;
    }

    /** Build the export with these client rules, as an exports file line gives them after the path. */
    NfsServerFixture rules(String clients) {
        requireNotStarted();
        try {
            this.rules = org.jnfsd.core.fs.ExportsFile.parse("/ " + clients + "\n", "test").getFirst().rules();
        } catch (org.jnfsd.core.fs.ExportsSyntaxException e) {
            throw new IllegalArgumentException(e);
        }
        return this;
    }

    /**
     * Serve the exports an exports file declares (several of them sit under the pseudo-root): each
     * path over its own memory backend, or with {@link #local} over the directory of that name
     * under the local directory (created when missing).
     */
    NfsServerFixture exports(String text) {
        requireNotStarted();
        this.exportsText = text;
        return this;
    }

    private java.util.List<Export> exportsFromText() throws IOException {
        java.util.List<Export> out = new ArrayList<>();
        try {
            var lines = org.jnfsd.core.fs.ExportsFile.parse(exportsText, "test");
            long[] fsid = {100};
            java.util.function.Function<String, VirtualFileSystem> fsFor = path -> {
                if (localDir == null) {
                    return new MemoryFileSystem(Clock.systemUTC(),
                            MemoryFileSystem.Options.DEFAULTS.withRoot(0777, 0, 0).withFsid(fsid[0]++));
                }
                Path dir = localDir.resolve(path.substring(1));
                try {
                    java.nio.file.Files.createDirectories(dir);
                    return new LocalFileSystem(dir, Clock.systemUTC());
                } catch (IOException e) {
                    throw new java.io.UncheckedIOException(e);
                }
            };
            out.addAll(org.jnfsd.core.fs.ExportTable.of(lines, fsFor, org.jnfsd.core.fs.HostResolver.NONE, "test")
                    .all());
        } catch (org.jnfsd.core.fs.ExportsSyntaxException e) {
            throw new IllegalArgumentException(e);
        }
        return out;
    }

    /** Serve with these settings (for a restart too, until set again). */
    NfsServerFixture config(org.jnfsd.core.ServerConfig c) {
        this.config = c;
        return this;
    }

    /** Serve the backend as {@code wrapper} returns it (to observe or slow down calls). */
    NfsServerFixture wrap(UnaryOperator<VirtualFileSystem> w) {
        requireNotStarted();
        this.wrapper = w;
        return this;
    }

    /** Starts the server if it is not running; returns its address. */
    InetSocketAddress address() throws IOException {
        if (server == null && exportsText != null) {
            var b = JnfsdServer.builder().config(config).port(0);
            exportsFromText().forEach(b::export);
            server = b.build();
            address = server.start();
        }
        if (server == null) {
            VirtualFileSystem fs = localDir != null
                    ? new LocalFileSystem(localDir, Clock.systemUTC())
                    : new MemoryFileSystem(Clock.systemUTC(),
                            MemoryFileSystem.Options.DEFAULTS.withRoot(0777, 0, 0));
            Export export = new Export(1, "/", wrapper.apply(fs), false, rootSquash, Export.NOBODY, Export.NOBODY);
            if (rules != null) {
                export = export.withRules(rules);
            }
            server = JnfsdServer.builder().config(config).export(export).port(0).build();
            address = server.start();
        }
        return address;
    }

    JnfsdServer server() throws IOException {
        address();
        return server;
    }

    /**
     * Closes the server (the clients stay open, their connections cut) and starts a new one on the
     * same backend directory (memory backends lose their content), on a new port.
     */
    InetSocketAddress restart() throws IOException {
        server.close();
        server = null;
        return address();
    }

    /** A new client (own connection, client record and session, RECLAIM_COMPLETE done) as uid 1000. */
    Nfs user() throws IOException {
        return client(USER, 2);
    }

    /** A new client as root. */
    Nfs root() throws IOException {
        return client(ROOT, 2);
    }

    /** A new client connecting from source address {@code source} (127.x.y.z are all local). */
    Nfs clientFrom(String source, Credential cred) throws IOException {
        Nfs c = Nfs.connectFrom(java.net.InetAddress.ofLiteral(source), address(), 2, cred);
        clients.add(c);
        return c;
    }

    Nfs client(Credential cred, int minorVersion) throws IOException {
        Nfs c = Nfs.connect(address(), minorVersion, cred);
        clients.add(c);
        return c;
    }

    @Override
    public void afterEach(ExtensionContext context) {
        for (Nfs c : clients) {
            c.close();
        }
        clients.clear();
        if (server != null) {
            server.close();
            server = null;
        }
    }

    private void requireNotStarted() {
        if (server != null) {
            throw new IllegalStateException("configure the fixture before the server starts");
        }
    }
}
