package org.jnfsd.core.callback;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.jnfsd.client.NfsClient;
import org.jnfsd.client.RecordingCallbacks;
import org.jnfsd.core.NfsProgram;
import org.jnfsd.core.ServerConfig;
import org.jnfsd.core.ServerContext;
import org.jnfsd.core.compound.CompoundProcessor;
import org.jnfsd.core.compound.StandardOperations;
import org.jnfsd.core.fs.Export;
import org.jnfsd.core.fs.ExportTable;
import org.jnfsd.core.session.ClientId;
import org.jnfsd.protocol.nfs4.NfsStatus;
import org.jnfsd.protocol.nfs4.StateId;
import org.jnfsd.protocol.nfs4.callback.CallbackProgram;
import org.jnfsd.protocol.nfs4.callback.CbArgs;
import org.jnfsd.protocol.nfs4.callback.CbOpcode;
import org.jnfsd.protocol.nfs4.callback.CbRecallArgs;
import org.jnfsd.protocol.nfs4.session.SequenceResult;
import org.jnfsd.rpc.Credential;
import org.jnfsd.rpc.RpcProgram;
import org.jnfsd.rpc.RpcServer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The callback channel over real TCP: the channel made by CREATE_SESSION with CONN_BACK_CHAN
 * (the RPC layer answers its CB_NULL probe), a CB_RECALL answered by the Java client's callback program, and teardown of a
 * client that never answers. Waits are bounded (never timed assertions).
 */
class CallbackOverTcpTest {
    private static final Credential CRED = new Credential.AuthSys(0, "test-host", 1000, 1000, new int[0]);
    private static final long BOUND_S = 30;

    private ServerContext context;
    private RpcServer server;
    private InetSocketAddress address;
    private final RecordingCallbacks callbacks = new RecordingCallbacks();

    /** A recall stand-in that reports its outcome and counts its release. */
    static final class Recall extends Callback {
        final CompletableFuture<CallbackOutcome> outcome = new CompletableFuture<>();
        final AtomicInteger releases = new AtomicInteger();

        Recall() {
            super("CB_RECALL");
        }

        @Override
        public String subject() {
            return "deleg-1";
        }

        @Override
        protected Optional<CbArgs> prepare() {
            return Optional.of(new CbRecallArgs(new StateId(1, new byte[12]), false, new byte[] {1}));
        }

        @Override
        protected void done(CallbackOutcome o) {
            outcome.complete(o);
        }

        @Override
        protected void release() {
            releases.incrementAndGet();
        }
    }

    @BeforeEach
    void start() throws Exception {
        context = new ServerContext(ServerConfig.builder().maxSlots(4).build(),
                new ExportTable(List.of(new Export(1, "/", null))), Clock.systemUTC());
        server = RpcServer.builder().bindAddress(InetAddress.getLoopbackAddress()).port(0)
                .program(new NfsProgram(new CompoundProcessor(context, StandardOperations.table()))).build();
        address = server.start();
    }

    @AfterEach
    void stop() {
        callbacks.releaseParked(NfsStatus.NFS4_OK);
        server.close();
    }

    @Test
    void createSessionWithBackChannel_recallAnswered_replyReachesDoneAndReleaseOnce() throws Exception {
        try (NfsClient client = NfsClient.connect(address, 1, CRED, callbacks)) {
            CallbackChannel channel = context.callbacks().channel(new ClientId(client.clientId()));
            assertThat(channel).as("CREATE_SESSION with CONN_BACK_CHAN makes the channel").isNotNull();

            Recall r = new Recall();
            assertThat(channel.submit(r)).isEqualTo(CallbackChannel.Submitted.QUEUED);
            CallbackOutcome o = r.outcome.get(BOUND_S, TimeUnit.SECONDS);

            assertThat(o).isInstanceOf(CallbackOutcome.Replied.class);
            assertThat(((CallbackOutcome.Replied) o).result().status()).isEqualTo(NfsStatus.NFS4_OK);
            assertThat(callbacks.received()).singleElement().isInstanceOf(CbRecallArgs.class);

            TeardownReport t = context.callbacks().killAsync(new ClientId(client.clientId()), Duration.ofSeconds(5))
                    .toCompletableFuture().get(BOUND_S, TimeUnit.SECONDS);
            assertThat(t.forceReleased()).isEmpty();
            assertThat(r.releases.get()).isEqualTo(1);
            assertThat(channel.inFlight()).isZero();
        }
    }

    @Test
    void clientDoesNotServeItsCallbackProgram_callbackFails_sequenceReportsCbPathDown() throws Exception {
        RpcProgram wrongProgram = RpcProgram.of(NfsClient.DEFAULT_CB_PROGRAM + 1, CallbackProgram.VERSION,
                (call, args, results) -> {
                    throw new IllegalStateException("never called: the server calls another program");
                });
        try (NfsClient client = NfsClient.connect(address, 1, CRED, List.of(wrongProgram))) {
            CallbackChannel channel = context.callbacks().channel(new ClientId(client.clientId()));
            Recall r = new Recall();
            channel.submit(r); // queued after the probe: by the time it is done, the path is known to be down
            CallbackOutcome o = r.outcome.get(BOUND_S, TimeUnit.SECONDS);

            assertThat(o).isInstanceOf(CallbackOutcome.Failed.class);
            assertThat(channel.state()).isEqualTo(CallbackChannel.State.DOWN);
            SequenceResult seq = client.compound().result(0, SequenceResult.class);
            assertThat(seq.statusFlags()).isEqualTo(SequenceResult.STATUS_CB_PATH_DOWN | SequenceResult.STATUS_CB_PATH_DOWN_SESSION);
        }
    }

    @Test
    void clientNeverAnswers_killAsync_completes_callbackKilledAndReleasedOnce() throws Exception {
        callbacks.answer(CbOpcode.CB_RECALL, RecordingCallbacks.Answer.park());
        try (NfsClient client = NfsClient.connect(address, 1, CRED, callbacks)) {
            CallbackChannel channel = context.callbacks().channel(new ClientId(client.clientId()));
            Recall r = new Recall();
            channel.submit(r);

            TeardownReport t = context.callbacks().killAsync(new ClientId(client.clientId()), Duration.ofSeconds(5))
                    .toCompletableFuture().get(BOUND_S, TimeUnit.SECONDS);

            assertThat(t.forceReleased()).isEmpty();
            assertThat(r.outcome).isDone();
            assertThat(((CallbackOutcome.Failed) r.outcome.join()).reason()).isEqualTo(CallbackOutcome.Reason.KILLED);
            assertThat(r.releases.get()).isEqualTo(1);
            assertThat(channel.inFlight()).isZero();
            assertThat(channel.state()).isEqualTo(CallbackChannel.State.KILLED);
        }
    }
}
