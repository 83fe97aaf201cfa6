package org.jnfsd.server;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Clock;
import org.jnfsd.core.fs.Export;
import org.jnfsd.core.lease.Laundromat;
import org.jnfsd.vfs.memory.MemoryFileSystem;
import org.junit.jupiter.api.Test;

class JnfsdServerLaundromatTest {
    @Test
    void startAndClose_laundromatRunningThenStopped() throws Exception {
        JnfsdServer server = JnfsdServer.builder()
                .export(new Export(1, "/", new MemoryFileSystem(Clock.systemUTC()))).port(0).build();
        assertThat(server.context().laundromat().state()).isEqualTo(Laundromat.State.NEW);
        server.start();
        assertThat(server.context().laundromat().state()).isEqualTo(Laundromat.State.RUNNING);

        server.close();

        assertThat(server.context().laundromat().state()).isEqualTo(Laundromat.State.STOPPED);
    }
}
