package org.jnfsd.core.callback;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.jnfsd.core.ServerConfig;
import org.jnfsd.core.callback.CallbackChannel.Settings;
import org.jnfsd.core.lease.ClientTeardown;
import org.jnfsd.core.lease.Laundromat;
import org.jnfsd.core.session.ChannelDirection;
import org.jnfsd.core.session.ClientRecord;
import org.jnfsd.core.session.Principal;
import org.jnfsd.core.session.SessionManager;
import org.jnfsd.core.state.ClientStateHook;
import org.jnfsd.core.state.TeardownStep;
import org.jnfsd.core.time.ManualClock;
import org.jnfsd.protocol.nfs4.callback.CbArgs;
import org.jnfsd.protocol.nfs4.session.ChannelAttrs;
import org.jnfsd.protocol.nfs4.session.SessionId;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * The laundromat's sweep only starts teardowns: it returns while an expired client's teardown still
 * waits, on the callback scheduler, for a callback that will not finish before the bound; another
 * client expired by the same sweep is torn down without waiting for it; the waiting teardown ends at
 * the configured bound, not before, and the late callback's own finish does not drive its count
 * below zero.
 *
 * <p>The callback is kept in flight past the kill the only way a deterministic test can: the sweep
 * runs re-entrantly from inside the callback's {@code prepare} (which the kill does not finish), as a
 * laundromat run would on another thread. Teardowns run inline ({@code Runnable::run}). Nothing but
 * the test advances the callback scheduler, so a sweep that waited for a teardown, without bound or
 * in real time up to the bound, never returns in time: the hang guard fails it.
 */
class LaundromatTeardownBoundTest {
    static final Settings SETTINGS = new Settings(Duration.ofSeconds(10), Duration.ofSeconds(1), 3, 3);
    static final Duration LEASE = Duration.ofSeconds(90);
    static final Duration BOUND = Duration.ofSeconds(30);
    /** A hang guard only, far below {@link #BOUND}: a sweep that waited in real time for the bound fails here. */
    static final long HANG_GUARD_S = 20;
    static final SessionId SESSION = new SessionId(new byte[16]);

    final ManualClock leaseClock = new ManualClock();
    final ManualScheduler sched = new ManualScheduler();
    final TestTransport transport = new TestTransport();
    final ServerConfig config = ServerConfig.builder().leaseTime(LEASE).maxCourtesyClients(0).build();
    final SessionManager sessions = new SessionManager(config, leaseClock, 0x78, "jnfsd:test");
    final CallbackService callbacks = new CallbackService(Runnable::run, sched, sched, SETTINGS);
    final List<String> released = new ArrayList<>();
    final ClientTeardown teardown = new ClientTeardown(sessions, Stream.concat(
            Stream.of(ClientStateHook.of(TeardownStep.DROP_TABLES, id -> released.add(Long.toHexString(id)))),
            new CallbackTeardownHook(callbacks, BOUND).hooks().stream()).toList(), Runnable::run);
    final Laundromat laundromat = new Laundromat(config, sessions, teardown);

    /** A callback whose {@code prepare} runs {@code during} and then asks to send nothing. */
    static final class Preparing extends Callback {
        final Runnable during;
        int releases;

        Preparing(Runnable during) {
            super("TEST");
            this.during = during;
        }

        @Override
        public String subject() {
            return "preparing";
        }

        @Override
        protected Optional<CbArgs> prepare() {
            during.run();
            return Optional.empty();
        }

        @Override
        protected void done(CallbackOutcome outcome) {}

        @Override
        protected void release() {
            releases++;
        }
    }

    ClientRecord client(String owner) throws Exception {
        Principal p = new Principal("sys:1000@" + owner);
        ClientRecord c = sessions.exchangeId(owner.getBytes(StandardCharsets.UTF_8), new byte[8], p, false).client();
        ChannelAttrs attrs = new ChannelAttrs(0, 4096, 4096, 1024, 8, 2, null);
        sessions.createSession(c, p, attrs, attrs, 0, 1, List.of(), null, ChannelDirection.FORE);
        return c;
    }

    @Test
    @Timeout(value = HANG_GUARD_S, unit = TimeUnit.SECONDS, threadMode = Timeout.ThreadMode.SEPARATE_THREAD)
    void sweep_teardownWaitingOnItsBound_returnsAndOtherClientsAreTornDown() throws Exception {
        ClientRecord slow = client("slow");
        ClientRecord quick = client("quick");
        CallbackChannel ch = callbacks.channelFor(slow);
        ch.pathBound(new CallbackPath(SESSION, 2, 1, transport, () -> true));
        TestTransport.answerProbe(transport.last());
        List<Object> inPrepare = new ArrayList<>();
        Preparing stuck = new Preparing(() -> {
            leaseClock.advance(LEASE.plusSeconds(1));

            laundromat.runOnce();

            // the sweep is back while slow's teardown waits for this callback
            inPrepare.add(slow.state());
            inPrepare.add(ch.state());
            inPrepare.add(ch.inFlight());
            inPrepare.add(quick.state());
            inPrepare.add(List.copyOf(released));
            inPrepare.add(teardown.tornDown());
            // just before the bound: still waiting
            sched.advance(BOUND.minusMillis(1));
            inPrepare.add(slow.state());
            // at the bound: force-released, the teardown goes on to the end
            sched.advance(Duration.ofMillis(1));
            inPrepare.add(slow.state());
            inPrepare.add(ch.inFlight());
        });

        ch.submit(stuck);

        assertThat(inPrepare).containsExactly(
                ClientRecord.State.EXPIRING, CallbackChannel.State.KILLED, 1,
                ClientRecord.State.DESTROYED, List.of(Long.toHexString(quick.id().value())),
                1L,
                ClientRecord.State.EXPIRING,
                ClientRecord.State.DESTROYED, 0);
        assertThat(released).containsExactlyInAnyOrder(Long.toHexString(quick.id().value()),
                Long.toHexString(slow.id().value()));
        assertThat(teardown.tornDown()).isEqualTo(2);
        assertThat(teardown.hookFailures()).isZero();
        // the callback's own late finish after prepare: released once, the count stays at 0
        assertThat(stuck.releases).isEqualTo(1);
        assertThat(ch.inFlight()).isZero();
        assertThat(ch.stepFailures()).isZero();
    }
}
