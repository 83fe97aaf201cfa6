package org.jnfsd.core.callback;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.InetAddress;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.function.BooleanSupplier;
import org.jnfsd.client.V40CallbackServer;
import org.jnfsd.core.ServerConfig;
import org.jnfsd.core.callback.CallbackChannel.Settings;
import org.jnfsd.core.callback.CallbackChannel.State;
import org.jnfsd.core.session.ClientRecord;
import org.jnfsd.core.session.Principal;
import org.jnfsd.core.session.SessionManager;
import org.jnfsd.core.time.ManualClock;
import org.jnfsd.protocol.nfs4.callback.CbCompoundArgs;
import org.jnfsd.protocol.nfs4.session.SequenceResult;
import org.jnfsd.protocol.nfs4.v40.CallbackClient;
import org.jnfsd.protocol.nfs4.v40.NetAddr;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The NFSv4.0 callback path of {@link CallbackService} with its real {@link V40CallbackTransport}:
 * SETCLIENTID_CONFIRM's callback ({@link CallbackService#v40CallbackConfirmed}) is dialled over
 * loopback TCP to a callback service the test runs ({@link V40CallbackServer}), probed with CB_NULL
 * and used for CB_COMPOUNDs with the client's program and callback_ident; a refused address, netid
 * or a closed service leaves the channel DOWN with nothing dialled; a lost connection makes it
 * DOWN and the re-probe (1 s, doubling to 60 s, on the manual clock) dials again; a callback update
 * resets the back-off. The client's queue runs on a manual executor and timers on a manual clock;
 * only the socket I/O runs on its own threads, which the test waits for (bounded polls).
 */
class CallbackServiceV40Test {
    static final Settings SETTINGS = new Settings(Duration.ofSeconds(10), Duration.ofSeconds(1), 3, 3);
    static final int PROGRAM = 0x40000321;
    static final int IDENT = 0x4000_0011;
    static final InetAddress LOOPBACK = InetAddress.getLoopbackAddress();

    final ManualExecutor exec = new ManualExecutor();
    final ManualScheduler sched = new ManualScheduler();
    final CallbackService service = new CallbackService(exec, sched, sched, SETTINGS);
    final FakeStateTable table = new FakeStateTable();
    final List<V40CallbackServer> services = new ArrayList<>();
    ClientRecord client;
    V40CallbackServer cb;

    @BeforeEach
    void start() throws Exception {
        SessionManager sessions = new SessionManager(ServerConfig.builder().build(), new ManualClock(), 0x40, "t");
        client = sessions.exchangeId(new byte[] {4, 0}, new byte[8], new Principal("sys:0@h"), false).client();
        cb = callbackService();
    }

    @AfterEach
    void stop() {
        CallbackChannel ch = service.channel(client.id());
        try {
            if (ch != null) {
                service.killAsync(client.id(), Duration.ofSeconds(30));
                exec.runAll();
                ChannelChecks.assertQuiet(ch);
                assertThat(ch.state()).isEqualTo(State.KILLED);
            }
            assertThat(sched.pendingTimers()).as("no re-probe outlives the kill").isZero();
        } finally {
            service.close();
            service.close(); // idempotent
            services.forEach(V40CallbackServer::close);
        }
    }

    private V40CallbackServer callbackService() throws Exception {
        V40CallbackServer s = V40CallbackServer.start(LOOPBACK, PROGRAM);
        services.add(s);
        return s;
    }

    private static CallbackClient callback(int program, String netid, String uaddr) {
        return new CallbackClient(program, new NetAddr(netid, uaddr));
    }

    private CallbackChannel confirm(V40CallbackServer target) {
        service.v40CallbackConfirmed(client, callback(PROGRAM, "tcp", target.universalAddress()), IDENT, LOOPBACK);
        return service.channel(client.id());
    }

    /** Runs the client's queue until {@code done}; the sockets complete on their own threads (30 s bound). */
    private void runUntil(String what, BooleanSupplier done) {
        long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
        while (true) {
            exec.runAll();
            if (done.getAsBoolean()) {
                return;
            }
            if (System.nanoTime() > deadline) {
                throw new AssertionError("not " + what + " within 30 s");
            }
            Thread.yield();
        }
    }

    /** Runs until the probe in flight ended (its release returned) and the channel is {@code state}. */
    private void probeEnds(CallbackChannel ch, State state) {
        runUntil("probe ended " + state, () -> ch.inFlight() == 0 && ch.state() == state);
    }

    @Test
    void confirmed_dialsTheClientsProgram_probedUp_recallCarriesIdentAndMinorVersion0() throws Exception {
        CallbackChannel ch = confirm(cb);
        probeEnds(ch, State.UP);
        assertThat(cb.connections()).as("dialled once").hasSize(1);
        assertThat(client.sequenceStatusFlags()).as("the channel feeds the client's flags").isZero();

        TestCallback recall = TestCallback.recall(table, "d1");
        assertThat(ch.submit(recall)).isEqualTo(CallbackChannel.Submitted.QUEUED);
        runUntil("recall answered", () -> recall.releases == 1);

        CbCompoundArgs sent = cb.nextCompound();
        assertThat(sent.minorVersion()).isZero();
        assertThat(sent.callbackIdent()).isEqualTo(IDENT);
        assertThat(recall.outcome()).isInstanceOf(CallbackOutcome.Replied.class);
        assertThat(cb.connections()).as("the same connection").hasSize(1);
        assertThat(ch.stepFailures()).isZero();
    }

    @Test
    void confirmed_programTheClientDoesNotServe_probeFails_down() {
        service.v40CallbackConfirmed(client, callback(PROGRAM + 1, "tcp", cb.universalAddress()), IDENT, LOOPBACK);
        CallbackChannel ch = service.channel(client.id());
        probeEnds(ch, State.DOWN);
        assertThat(client.sequenceStatusFlags()).isEqualTo(
                SequenceResult.STATUS_CB_PATH_DOWN | SequenceResult.STATUS_CB_PATH_DOWN_SESSION);
        assertThat(sched.nextDelay()).as("re-probed after the first back-off").isEqualTo(Duration.ofSeconds(1));
    }

    @Test
    void confirmed_addressNotTheClients_refused_downAtOnce_nothingDialled_noReprobe() throws Exception {
        service.v40CallbackConfirmed(client, callback(PROGRAM, "tcp", cb.universalAddress()), IDENT,
                InetAddress.getByName("10.9.9.9"));
        assertDownWithoutPath();
    }

    @Test
    void confirmed_netidNotTcp_refused() {
        service.v40CallbackConfirmed(client, callback(PROGRAM, "udp", cb.universalAddress()), IDENT, LOOPBACK);
        assertDownWithoutPath();
    }

    @Test
    void confirmed_malformedAddress_refused() {
        service.v40CallbackConfirmed(client, callback(PROGRAM, "tcp", "127.0.0.1.bogus"), IDENT, LOOPBACK);
        assertDownWithoutPath();
    }

    @Test
    void confirmed_afterTheServiceClosed_refusedAsClosing_nothingDialled() {
        service.close();
        confirm(cb);
        assertDownWithoutPath();
    }

    @Test
    void addressPolicy_allowsAnotherAddress_dialledThere() throws Exception {
        service.addressPolicy(CallbackAddressPolicy.parse("127.0.0.0/8"));
        service.v40CallbackConfirmed(client, callback(PROGRAM, "tcp", cb.universalAddress()), IDENT,
                InetAddress.getByName("10.9.9.9"));
        probeEnds(service.channel(client.id()), State.UP);
    }

    private void assertDownWithoutPath() {
        CallbackChannel ch = service.channel(client.id());
        assertThat(ch.state()).isEqualTo(State.DOWN);
        assertThat(ch.inFlight()).as("no probe").isZero();
        assertThat(exec.pending()).isZero();
        assertThat(sched.pendingTimers()).as("no re-probe of a refused address").isZero();
        assertThat(cb.connections()).as("nothing dialled").isEmpty();
    }

    @Test
    void serviceUnreachable_reprobedAfter1s_doublingUpTo60s_callbackUpdateResetsAndComesUp() throws Exception {
        V40CallbackServer gone = callbackService();
        gone.close(); // nothing listens there any more: every dial is refused
        CallbackChannel ch = confirm(gone);
        probeEnds(ch, State.DOWN);

        for (long expected : new long[] {1, 2, 4, 8, 16, 32, 60, 60}) {
            assertThat(sched.nextDelay()).isEqualTo(Duration.ofSeconds(expected));
            assertThat(sched.pendingTimers()).as("one re-probe timer at most").isEqualTo(1);
            sched.advance(Duration.ofSeconds(expected).minusMillis(1));
            assertThat(ch.inFlight()).as("not re-probed early").isZero();
            sched.advance(Duration.ofMillis(1));
            assertThat(ch.inFlight()).as("re-probe queued at %d s", expected).isEqualTo(1);
            probeEnds(ch, State.DOWN);
        }

        confirm(cb); // SETCLIENTID callback update to a service that listens
        probeEnds(ch, State.UP);
        assertThat(sched.pendingTimers()).as("the back-off timer was cancelled").isZero();
        assertThat(cb.connections()).hasSize(1);
    }

    @Test
    void callbackUpdateToAnotherUnreachableService_backoffStartsAgainAt1s() throws Exception {
        V40CallbackServer gone = callbackService();
        gone.close();
        CallbackChannel ch = confirm(gone);
        probeEnds(ch, State.DOWN);
        sched.advance(Duration.ofSeconds(1));
        probeEnds(ch, State.DOWN);
        assertThat(sched.nextDelay()).as("grown").isEqualTo(Duration.ofSeconds(2));

        V40CallbackServer alsoGone = callbackService();
        alsoGone.close();
        confirm(alsoGone);
        probeEnds(ch, State.DOWN);
        assertThat(sched.nextDelay()).as("a new path starts the back-off again").isEqualTo(Duration.ofSeconds(1));
    }

    @Test
    void connectionLost_down_reprobedAfter1s_dialsAgain_up() throws Exception {
        CallbackChannel ch = confirm(cb);
        probeEnds(ch, State.UP);
        cb.nextConnection().close(); // the client's side closes it

        runUntil("DOWN after the loss", () -> ch.state() == State.DOWN);
        assertThat(sched.nextDelay()).isEqualTo(Duration.ofSeconds(1));
        sched.advance(Duration.ofSeconds(1));
        probeEnds(ch, State.UP);
        assertThat(cb.nextConnection()).as("dialled again").isNotNull();
        assertThat(sched.pendingTimers()).isZero();
    }

    @Test
    void callbackUpdate_toAnotherService_oldConnectionClosed_recallGoesToTheNewOne() throws Exception {
        CallbackChannel ch = confirm(cb);
        probeEnds(ch, State.UP);
        var first = cb.nextConnection();
        java.util.concurrent.CompletableFuture<Void> firstClosed = new java.util.concurrent.CompletableFuture<>();
        first.onClose(() -> firstClosed.complete(null));

        V40CallbackServer other = callbackService();
        confirm(other);
        probeEnds(ch, State.UP);
        firstClosed.get(30, java.util.concurrent.TimeUnit.SECONDS);

        TestCallback recall = TestCallback.recall(table, "d2");
        ch.submit(recall);
        runUntil("recall answered", () -> recall.releases == 1);
        assertThat(other.nextCompound().callbackIdent()).isEqualTo(IDENT);
        assertThat(cb.compounds()).isEmpty();
        assertThat(ch.state()).as("the old connection's close is no loss of the new path").isEqualTo(State.UP);
    }
}
