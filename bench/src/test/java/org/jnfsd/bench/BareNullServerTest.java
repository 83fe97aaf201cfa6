package org.jnfsd.bench;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.jnfsd.client.NfsClient;
import org.jnfsd.rpc.Credential;
import org.jnfsd.rpc.RpcClient;
import org.jnfsd.rpc.RpcConnection;
import org.jnfsd.rpc.RpcReply;
import org.junit.jupiter.api.Test;

class BareNullServerTest {
    @Test
    void nullCall_manyInFlight_eachAnsweredWithSuccessAndItsXid() throws Exception {
        try (BareNullServer server = new BareNullServer(1); RpcClient rpc = RpcClient.create()) {
            InetSocketAddress a = server.start(InetAddress.getLoopbackAddress(), 0);
            RpcConnection c = rpc.connect(a, List.of());
            var calls = new java.util.ArrayList<java.util.concurrent.CompletableFuture<RpcReply>>();
            for (int i = 0; i < 50; i++) {
                calls.add(c.callAsync(NfsClient.NFS_PROGRAM, NfsClient.NFS_VERSION, 0,
                        Credential.AuthNone.INSTANCE, out -> { }, java.time.Duration.ofSeconds(10))
                        .toCompletableFuture());
            }
            for (var f : calls) {
                RpcReply r = f.get(10, TimeUnit.SECONDS);
                assertThat(r.isSuccess()).isTrue();
                assertThat(r.results()).isEmpty();
            }
            c.close();
        }
    }

    @Test
    void loadGeneratorNull_againstBareServer_completesWithoutErrors() throws Exception {
        try (BareNullServer server = new BareNullServer(1)) {
            InetSocketAddress a = server.start(InetAddress.getLoopbackAddress(), 0);

            LoadResult r = LoadGenerator.run(LoadGeneratorTest.settings(a, Workload.Kind.NULL));

            assertThat(r.errors()).isZero();
            assertThat(r.ops()).isPositive();
        }
    }
}
