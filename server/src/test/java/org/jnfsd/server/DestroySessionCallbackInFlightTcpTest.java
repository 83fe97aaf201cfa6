package org.jnfsd.server;

import static org.assertj.core.api.Assertions.assertThat;
import static org.jnfsd.server.DelegationFixture.awaitChannelUp;

import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import org.jnfsd.client.NfsClient;
import org.jnfsd.client.RecordingCallbacks;
import org.jnfsd.core.callback.Callback;
import org.jnfsd.core.callback.CallbackChannel;
import org.jnfsd.core.callback.CallbackOutcome;
import org.jnfsd.core.callback.ChannelSlots;
import org.jnfsd.protocol.nfs4.NfsStatus;
import org.jnfsd.protocol.nfs4.StateId;
import org.jnfsd.protocol.nfs4.callback.CbArgs;
import org.jnfsd.protocol.nfs4.callback.CbOpcode;
import org.jnfsd.protocol.nfs4.callback.CbRecallArgs;
import org.jnfsd.protocol.nfs4.session.DestroySessionArgs;
import org.jnfsd.rpc.Credential;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Issue 10 part 3: a real DESTROY_SESSION over TCP while a callback is in flight on that
 * session's back channel (the client holds the CB_RECALL unanswered). Whether the client then
 * answers on the still-open connection or closes it, the callback ends once: {@code done} once,
 * {@code release} exactly once, the channel's in-flight count back to 0, its backchannel slot
 * freed, and no callback step threw. Waits are bounded polls (SEQUENCEs of a second client).
 */
class DestroySessionCallbackInFlightTcpTest {
    private static final Credential CRED = new Credential.AuthSys(0, "destroy-session-cb", 1000, 1000, new int[0]);
    private static final Duration BOUND = Duration.ofSeconds(30);

    /** A callback that counts its steps; the client parks its CB_RECALL. */
    static final class CountingCallback extends Callback {
        final AtomicInteger prepared = new AtomicInteger();
        final List<CallbackOutcome> outcomes = new CopyOnWriteArrayList<>();
        final AtomicInteger released = new AtomicInteger();

        CountingCallback() {
            super("CB_RECALL");
        }

        @Override
        public String subject() {
            return "test recall";
        }

        @Override
        protected Optional<CbArgs> prepare() {
            prepared.incrementAndGet();
            return Optional.of(new CbRecallArgs(new StateId(1, new byte[StateId.OTHER_SIZE]), false, new byte[] {1}));
        }

        @Override
        protected void done(CallbackOutcome outcome) {
            outcomes.add(outcome);
        }

        @Override
        protected void release() {
            released.incrementAndGet();
        }
    }

    private final RecordingCallbacks callbacks = new RecordingCallbacks();
    private JnfsdServer server;
    private NfsClient a;
    private NfsClient b;
    private CallbackChannel ch;
    private final CountingCallback cb = new CountingCallback();

    @BeforeEach
    void start() throws Exception {
        server = DelegationFixture.serverWithFileF().build();
        InetSocketAddress address = server.start();
        callbacks.answer(CbOpcode.CB_RECALL, RecordingCallbacks.Answer.park());
        a = NfsClient.connect(address, 1, CRED, callbacks, "dscb/a".getBytes(StandardCharsets.UTF_8),
                "verifier".getBytes(StandardCharsets.UTF_8));
        b = NfsClient.connect(address, 1, CRED);
        a.reclaimComplete();
        b.reclaimComplete();
        ch = awaitChannelUp(server, a);
        DelegationFixture.awaitNoCallbackInFlight(b, ch); // the probe ended

        assertThat(ch.submit(cb)).isEqualTo(CallbackChannel.Submitted.QUEUED);
        callbacks.await(CbOpcode.CB_RECALL, 1, CbRecallArgs.class, BOUND);
        assertThat(callbacks.parkedCount()).as("the client holds the CB_RECALL").isEqualTo(1);
        assertThat(ch.inFlight()).isEqualTo(1);
        assertThat(ChannelSlots.inUse(ch)).as("the recall holds the session's only slot").isEqualTo(1);

        assertThat(a.compoundWithoutSequence(new DestroySessionArgs(a.sessionId())).status())
                .as("DESTROY_SESSION with the callback in flight").isEqualTo(NfsStatus.NFS4_OK);
        assertThat(cb.released).as("not released by the DESTROY_SESSION itself: still in flight").hasValue(0);
    }

    @AfterEach
    void stop() {
        if (a != null) {
            a.close();
        }
        if (b != null) {
            b.close();
        }
        if (server != null) {
            server.close();
        }
    }

    private void assertEndedOnce() {
        assertThat(cb.prepared).hasValue(1);
        assertThat(cb.outcomes).as("done once").hasSize(1);
        assertThat(cb.released).as("release exactly once").hasValue(1);
        assertThat(ch.inFlight()).isZero();
        assertThat(ChannelSlots.inUse(ch)).as("slot freed").isZero();
        assertThat(ch.stepFailures()).as("no callback step threw").isZero();
    }

    @Test
    void destroySession_clientThenAnswersOnTheOpenConnection_repliedReleasedOnce_slotFreed() throws Exception {
        assertThat(callbacks.releaseParked(NfsStatus.NFS4_OK)).isEqualTo(1);
        DelegationFixture.awaitNoCallbackInFlight(b, ch);

        assertEndedOnce();
        assertThat(cb.outcomes.get(0)).isInstanceOf(CallbackOutcome.Replied.class);
        assertThat(((CallbackOutcome.Replied) cb.outcomes.get(0)).result().status()).isEqualTo(NfsStatus.NFS4_OK);
    }

    @Test
    void destroySession_clientThenClosesTheConnectionUnanswered_failedReleasedOnce_slotFreed() throws Exception {
        a.close();
        DelegationFixture.awaitNoCallbackInFlight(b, ch);

        assertEndedOnce();
        assertThat(cb.outcomes.get(0)).isInstanceOfSatisfying(CallbackOutcome.Failed.class,
                f -> assertThat(f.reason()).isEqualTo(CallbackOutcome.Reason.TRANSPORT_FAILED));
        assertThat(ch.state()).isNotEqualTo(CallbackChannel.State.UP);
    }
}
