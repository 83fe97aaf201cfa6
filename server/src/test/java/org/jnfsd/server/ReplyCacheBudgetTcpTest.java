package org.jnfsd.server;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.InetSocketAddress;
import java.time.Clock;
import org.jnfsd.client.NfsClient;
import org.jnfsd.core.ServerConfig;
import org.jnfsd.core.fs.Export;
import org.jnfsd.protocol.nfs4.NfsStatus;
import org.jnfsd.protocol.nfs4.namespace.VoidArgs;
import org.jnfsd.protocol.nfs4.session.SequenceResult;
import org.jnfsd.rpc.Credential;
import org.jnfsd.vfs.memory.MemoryFileSystem;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The reply cache budget through a real server over TCP: the Java client asks 16 slots of 64 KiB
 * cached replies (1 MiB); with a 1.5 MiB budget the second client's CREATE_SESSION reply grants 8,
 * and once the budget is short SEQUENCE asks clients to use half their slots.
 */
class ReplyCacheBudgetTcpTest {
    private static final Credential ALICE = new Credential.AuthSys(0, "drc-test", 1000, 1000, new int[0]);
    private JnfsdServer server;
    private InetSocketAddress address;

    @BeforeEach
    void start() throws Exception {
        server = JnfsdServer.builder().config(ServerConfig.builder().replyCacheBytes(3L << 19).build())
                .export(new Export(1, "/", new MemoryFileSystem(Clock.systemUTC()))).port(0).build();
        address = server.start();
    }

    @AfterEach
    void stop() {
        server.close();
    }

    @Test
    void createSession_negotiatesSlotsDownToTheBudget_sequenceAsksToShrinkWhenShort() throws Exception {
        try (NfsClient first = NfsClient.connect(address, 2, ALICE)) {
            assertThat(first.foreChannel().maxRequests()).isEqualTo(16);
            SequenceResult roomy = first.compound(VoidArgs.PUTROOTFH).result(0, SequenceResult.class);
            assertThat(roomy.targetHighestSlotId()).isEqualTo(15);

            try (NfsClient second = NfsClient.connect(address, 2, ALICE)) {
                assertThat(second.foreChannel().maxRequests()).as("slots granted in the CREATE_SESSION reply").isEqualTo(8);
                assertThat(second.foreChannel().maxResponseSizeCached()).isEqualTo(64 * 1024);
                assertThat(server.context().counters().snapshot().get("jnfsd.reply_cache.reserved_bytes"))
                        .isEqualTo(3L << 19);

                SequenceResult shrink = first.compound(VoidArgs.PUTROOTFH).result(0, SequenceResult.class);
                assertThat(shrink.highestSlotId()).isEqualTo(15);
                assertThat(shrink.targetHighestSlotId()).isEqualTo(7);
                assertThat(second.compound(VoidArgs.PUTROOTFH, VoidArgs.GETFH).status()).isEqualTo(NfsStatus.NFS4_OK);
            }
        }
    }
}
