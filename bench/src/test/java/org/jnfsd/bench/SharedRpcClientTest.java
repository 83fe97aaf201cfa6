package org.jnfsd.bench;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.InetSocketAddress;
import java.time.Clock;
import org.jnfsd.client.NfsClient;
import org.jnfsd.core.fs.Export;
import org.jnfsd.protocol.nfs4.NfsStatus;
import org.jnfsd.protocol.nfs4.namespace.VoidArgs;
import org.jnfsd.rpc.Credential;
import org.jnfsd.rpc.RpcClient;
import org.jnfsd.server.JnfsdServer;
import org.jnfsd.vfs.memory.MemoryFileSystem;
import org.junit.jupiter.api.Test;

/** Clients on one caller's {@link RpcClient} (the scale bench's 10,000): each its own session; close leaves the rest. */
class SharedRpcClientTest {
    private static final Credential CRED = new Credential.AuthSys(0, "shared-test", 0, 0, new int[0]);

    @Test
    void clientsOnASharedRpcClient_ownSessions_closingOneLeavesTheOthersAndTheGroup() throws Exception {
        try (JnfsdServer server = JnfsdServer.builder()
                .export(new Export(1, "/", new MemoryFileSystem(Clock.systemUTC()))).port(0).build();
                RpcClient rpc = RpcClient.builder().eventLoopThreads(1).build()) {
            InetSocketAddress addr = server.start();
            NfsClient a = NfsClient.connect(rpc, addr, 1, CRED);
            NfsClient b = NfsClient.connect(rpc, addr, 1, CRED);
            assertThat(a.sessionId()).isNotEqualTo(b.sessionId());
            assertThat(a.clientId()).isNotEqualTo(b.clientId());
            a.close();
            assertThat(b.compound(VoidArgs.PUTROOTFH, VoidArgs.GETFH).status()).isEqualTo(NfsStatus.NFS4_OK);
            NfsClient c = NfsClient.connect(rpc, addr, 1, CRED); // the group still runs
            assertThat(c.compound(VoidArgs.PUTROOTFH).status()).isEqualTo(NfsStatus.NFS4_OK);
            c.close();
            b.close();
        }
    }
}
