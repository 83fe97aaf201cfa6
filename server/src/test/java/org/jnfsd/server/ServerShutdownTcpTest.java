package org.jnfsd.server;

import static org.assertj.core.api.Assertions.assertThat;
import static org.jnfsd.server.DelegationFixture.awaitChannelUp;
import static org.jnfsd.server.DelegationFixture.openF;

import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.jnfsd.client.NfsClient;
import org.jnfsd.client.RecordingCallbacks;
import org.jnfsd.core.callback.CallbackChannel;
import org.jnfsd.core.lease.ServerShutdown;
import org.jnfsd.protocol.nfs4.CompoundReply;
import org.jnfsd.protocol.nfs4.NfsStatus;
import org.jnfsd.protocol.nfs4.OpArgs;
import org.jnfsd.protocol.nfs4.Opcode;
import org.jnfsd.protocol.nfs4.callback.CbOpcode;
import org.jnfsd.protocol.nfs4.callback.CbRecallArgs;
import org.jnfsd.protocol.nfs4.io.OpenDelegation;
import org.jnfsd.protocol.nfs4.io.OpenResult;
import org.jnfsd.protocol.nfs4.io.ShareAccess;
import org.jnfsd.protocol.nfs4.namespace.VoidArgs;
import org.jnfsd.rpc.Credential;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * Server shutdown over real TCP with a callback stuck in flight: client A holds a read delegation
 * and never answers its CB_RECALL (the handler parks it); {@link JnfsdServer#close} still ends,
 * having killed A's callback channel, released the recall (in-flight 0) and revoked and forgotten
 * the delegation, without force-releasing anything. Waits are bounded.
 */
class ServerShutdownTcpTest {
    private static final Credential CRED = new Credential.AuthSys(0, "shutdown-test", 1000, 1000, new int[0]);
    private static final Duration BOUND = Duration.ofSeconds(5);
    private static final long HANG_GUARD_S = 60;
    private static final OpArgs PUTROOTFH = new VoidArgs(Opcode.PUTROOTFH);

    private final RecordingCallbacks callbacks = new RecordingCallbacks();
    private JnfsdServer server;

    @AfterEach
    void stop() {
        callbacks.releaseParked(NfsStatus.NFS4_OK);
        if (server != null) {
            server.close();
        }
    }

    @Test
    void close_recallInFlightNeverAnswered_closesChannelKilledRecallReleasedDelegationForgotten() throws Exception {
        server = DelegationFixture.serverWithFileF()
                .shutdownBound(BOUND)
                .build();
        InetSocketAddress address = server.start();
        callbacks.answer(CbOpcode.CB_RECALL, RecordingCallbacks.Answer.park());

        try (NfsClient a = NfsClient.connect(address, 1, CRED, callbacks);
                NfsClient b = NfsClient.connect(address, 1, CRED)) {
            a.reclaimComplete();
            b.reclaimComplete();
            CallbackChannel channel = awaitChannelUp(server, a);
            CompoundReply ra = a.compound(PUTROOTFH, openF(a, ShareAccess.ACCESS_READ | ShareAccess.WANT_READ_DELEG));
            assertThat(ra.result(2, OpenResult.class).delegation()).isInstanceOf(OpenDelegation.Read.class);
            assertThat(b.compound(PUTROOTFH, openF(b, ShareAccess.ACCESS_WRITE)).status())
                    .isEqualTo(NfsStatus.NFS4ERR_DELAY);
            callbacks.await(CbOpcode.CB_RECALL, 1, CbRecallArgs.class, BOUND.multipliedBy(6));
            assertThat(channel.inFlight()).as("the recall is in flight, unanswered").isEqualTo(1);

            CompletableFuture<Void> closing = CompletableFuture.runAsync(server::close);
            closing.get(HANG_GUARD_S, TimeUnit.SECONDS);

            ServerShutdown.Report report = server.shutdownReport().orElseThrow();
            assertThat(report.clientsTornDown()).isEqualTo(2);
            assertThat(report.stuckClients()).isEmpty();
            assertThat(report.forceReleasedCallbacks()).as("the kill released it, not the bound").isEmpty();
            assertThat(channel.state()).isEqualTo(CallbackChannel.State.KILLED);
            assertThat(channel.inFlight()).isZero();
            assertThat(server.context().callbacks().inFlightTotal()).isZero();
            assertThat(server.context().delegations().liveCount()).isZero();
            assertThat(server.context().delegations().hasState(a.clientId())).isFalse();
            assertThat(server.context().sessions().clients()).isEmpty();
            assertThat(callbacks.parkedCount()).as("A never answered").isEqualTo(1);
        }
    }

}
