package org.jnfsd.server;

import static org.assertj.core.api.Assertions.assertThat;
import static org.jnfsd.server.Nfs.getattr;
import static org.jnfsd.server.Nfs.putfh;

import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Proxy;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Arrays;
import java.util.concurrent.atomic.LongAdder;
import org.jnfsd.core.ServerConfig;
import org.jnfsd.core.attr.AttrBit;
import org.jnfsd.core.fs.HandleKey;
import org.jnfsd.protocol.nfs4.NfsStatus;
import org.jnfsd.vfs.VirtualFileSystem;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * Sealed file handles over TCP (issue 16): a forged or altered handle is refused with
 * NFS4ERR_BADHANDLE before the backend is called at all, and counted; a handle survives a restart
 * that reads the key back from the state directory.
 */
class SealedHandleTcpTest {
    private static final byte[] DATA = "sealed".getBytes(StandardCharsets.UTF_8);

    @RegisterExtension
    final NfsServerFixture nfs = new NfsServerFixture();

    @TempDir
    Path dir;

    /** Every call into the backend, whatever it is. */
    private final LongAdder fsCalls = new LongAdder();

    private VirtualFileSystem counting(VirtualFileSystem fs) {
        return (VirtualFileSystem) Proxy.newProxyInstance(VirtualFileSystem.class.getClassLoader(),
                new Class<?>[] {VirtualFileSystem.class}, (proxy, m, args) -> {
                    fsCalls.increment();
                    try {
                        return m.invoke(fs, args);
                    } catch (InvocationTargetException e) {
                        throw e.getCause();
                    }
                });
    }

    private long refused() throws Exception {
        return nfs.server().context().counters().snapshot().getOrDefault("jnfsd.handles.refused", 0L);
    }

    /** The status of PUTFH+GETATTR of {@code fh}, asserting the backend was not called for it. */
    private NfsStatus refusedWithoutBackend(Nfs user, byte[] fh) throws Exception {
        long before = fsCalls.sum();
        NfsStatus s = user.status(putfh(fh), getattr(AttrBit.TYPE));
        assertThat(fsCalls.sum()).as("backend calls for %s", Arrays.toString(fh)).isEqualTo(before);
        return s;
    }

    @Test
    void flippedTruncatedOrOtherServers_badhandle_noBackendCall_counted() throws Exception {
        nfs.wrap(this::counting);
        Nfs user = nfs.user();
        byte[] file = user.writeFile("/f", DATA);
        long refusedBefore = refused();

        byte[] flipped = file.clone();
        flipped[flipped.length / 2] ^= 0x40;
        assertThat(refusedWithoutBackend(user, flipped)).isEqualTo(NfsStatus.NFS4ERR_BADHANDLE);
        byte[] truncated = Arrays.copyOf(file, file.length - 1);
        assertThat(refusedWithoutBackend(user, truncated)).isEqualTo(NfsStatus.NFS4ERR_BADHANDLE);
        byte[] otherServers = HandleKey.random().seal(nfs.server().context().config().handleKey().open(file));
        assertThat(refusedWithoutBackend(user, otherServers)).isEqualTo(NfsStatus.NFS4ERR_BADHANDLE);

        assertThat(refused() - refusedBefore).isEqualTo(3);
        assertThat(user.read(file)).as("the genuine handle still serves").isEqualTo(DATA);
    }

    @Test
    void restart_keyReadBackFromStateDirectory_handlesStayValid() throws Exception {
        Path data = Files.createDirectory(dir.resolve("data"));
        Files.setPosixFilePermissions(data, PosixFilePermissions.fromString("rwxrwxrwx"));
        Path state = dir.resolve("state");
        nfs.local(data).config(ServerConfig.builder().handleKey(HandleKey.loadOrCreate(state)).build());
        byte[] file = nfs.user().writeFile("/kept", DATA);

        nfs.config(ServerConfig.builder().handleKey(HandleKey.loadOrCreate(state)).build());
        nfs.restart();

        assertThat(nfs.user().read(file)).isEqualTo(DATA);
    }
}
