package org.jnfsd.server;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.time.Clock;
import java.util.List;
import org.jnfsd.core.fs.Export;
import org.jnfsd.core.recovery.InMemoryRecoveryStore;
import org.jnfsd.core.recovery.ReclaimableClient;
import org.jnfsd.core.recovery.RecoveryStore;
import org.jnfsd.vfs.memory.MemoryFileSystem;
import org.junit.jupiter.api.Test;

/** {@link JnfsdServer#start}: the recovery epoch opens only once the port is bound. */
class JnfsdServerStartTest {
    @Test
    void start_portInUse_ioExceptionAndNoEpochOpened() throws Exception {
        CountingStore store = new CountingStore();
        try (ServerSocket taken = new ServerSocket(0, 1, InetAddress.getLoopbackAddress());
                JnfsdServer server = server(store, taken.getLocalPort())) {
            assertThatThrownBy(server::start).isInstanceOf(IOException.class);

            assertThat(store.epochs).as("epochs opened by a start that could not bind").isZero();
        }
    }

    @Test
    void start_bound_oneEpochOpened() throws Exception {
        CountingStore store = new CountingStore();
        try (JnfsdServer server = server(store, 0)) {
            assertThat(store.epochs).as("before start").isZero();

            server.start();

            assertThat(store.epochs).isEqualTo(1);
            assertThat(server.context().grace().isOpen()).isTrue();
        }
    }

    private static JnfsdServer server(RecoveryStore store, int port) {
        return JnfsdServer.builder().export(new Export(1, "/", new MemoryFileSystem(Clock.systemUTC())))
                .port(port).recoveryStore(store).build();
    }

    /** An in-memory store that counts the epochs opened. */
    private static final class CountingStore implements RecoveryStore {
        private final InMemoryRecoveryStore store = new InMemoryRecoveryStore();
        int epochs;

        @Override
        public List<ReclaimableClient> beginEpoch() {
            epochs++;
            return store.beginEpoch();
        }

        @Override
        public void record(ReclaimableClient client) {
            store.record(client);
        }

        @Override
        public void remove(byte[] ownerId) {
            store.remove(ownerId);
        }

        @Override
        public void endGrace() {
            store.endGrace();
        }

        @Override
        public void close() {
            store.close();
        }
    }
}
