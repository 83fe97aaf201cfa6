package org.jnfsd.core.callback;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.stream.LongStream;
import org.jnfsd.core.NfsException;
import org.jnfsd.core.ServerConfig;
import org.jnfsd.core.callback.CallbackChannel.Settings;
import org.jnfsd.core.callback.CallbackChannel.State;
import org.jnfsd.core.callback.DelegationRacesTest.Counted;
import org.jnfsd.core.delegation.Delegation;
import org.jnfsd.core.delegation.DelegationTable;
import org.jnfsd.core.delegation.RecallCallback;
import org.jnfsd.core.fs.FileHandle;
import org.jnfsd.core.lease.ClientTeardown;
import org.jnfsd.core.lease.ServerShutdown;
import org.jnfsd.core.session.ChannelDirection;
import org.jnfsd.core.session.ClientId;
import org.jnfsd.core.session.ClientRecord;
import org.jnfsd.core.session.Principal;
import org.jnfsd.core.session.Session;
import org.jnfsd.core.session.SessionManager;
import org.jnfsd.core.state.StateIdAllocator;
import org.jnfsd.protocol.nfs4.NfsStatus;
import org.jnfsd.protocol.nfs4.callback.CbRecallArgs;
import org.jnfsd.protocol.nfs4.session.ChannelAttrs;
import org.jnfsd.protocol.nfs4.session.SessionId;
import org.jnfsd.vfs.Inode;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * A randomized soak of read delegations and their recalls over the real client, delegation and
 * callback objects: clients come (EXCHANGE_ID, CREATE_SESSION, backchannel bound and probed), open
 * files and get read delegations while their channel is UP, other clients' conflicting opens
 * recall them ({@link RecallCallback} queued as {@code recallFor} does), and the clients answer
 * OK, NFS4ERR_DELAY, CB_SEQUENCE errors, fail the call, or never answer; they return delegations,
 * renew their leases or let them lapse, lose and re-bind connections, change sessions and destroy
 * themselves; the laundromat sweeps leases and revokes unanswered recalls; time moves in small and
 * large steps. At the end the server shuts down ({@link ServerShutdown}). Single-threaded and
 * reproducible from the seed (printed): the test runs the callback queues ({@link ManualExecutor}) at
 * random points and decides every reply and every clock move; teardown never runs a queue, so a
 * teardown that needed one to finish would show as a failed hook.
 *
 * <p>The verifier checks, during the run, that a torn-down client has no delegation left in the
 * table; and at the end that every recall ran done and release exactly once with its token
 * cleared, every channel is KILLED with nothing in flight, no delegation is live, no teardown hook
 * failed and the shutdown found nothing stuck.
 */
class DelegationSoakTest {
    static final Settings SETTINGS = new Settings(Duration.ofSeconds(10), Duration.ofSeconds(1), 2, 2);
    static final Duration LEASE = Duration.ofSeconds(90);
    static final Duration TEARDOWN_BOUND = Duration.ofSeconds(2);
    static final int MAX_CLIENTS = 24;
    static final int FILES = 8;
    static final int STEPS = 6_000;
    static final ChannelAttrs ATTRS = new ChannelAttrs(0, 4096, 4096, 1024, 8, 2, null);

    /** One simulated client and what the verifier needs of it. */
    static final class Client {
        final int no;
        final ClientRecord record;
        final TestTransport transport = new TestTransport();
        final CallbackChannel channel;
        final List<Delegation> granted = new ArrayList<>();
        Session session;
        int sessionNo;
        boolean connected = true;
        boolean gone;
        /** A silent client never renews its lease: it lapses, becomes courtesy and expires. */
        boolean silent;

        Client(int no, ClientRecord record, Session session, CallbackChannel channel) {
            this.no = no;
            this.record = record;
            this.session = session;
            this.channel = channel;
        }

        CallbackPath path() {
            byte[] b = new byte[16];
            b[0] = (byte) no;
            b[1] = (byte) sessionNo;
            return new CallbackPath(new SessionId(b), 2, 1, transport, () -> connected);
        }

        long id() {
            return record.id().value();
        }
    }

    final ManualScheduler sched = new ManualScheduler();
    final ServerConfig config = ServerConfig.builder().leaseTime(LEASE).maxCourtesyTime(LEASE.multipliedBy(2)).build();
    final SessionManager sessions = new SessionManager(config, sched, 0x50A4, "jnfsd:soak");
    final DelegationTable delegations = new DelegationTable(sched, new StateIdAllocator(11), LEASE,
            Duration.ofSeconds(5), 10_000);
    /** Every client's callback queue; the soak runs it at random points. */
    final ManualExecutor queues = new ManualExecutor();
    final CallbackService callbacks = new CallbackService(queues, sched, sched, SETTINGS);
    final ClientTeardown teardown = new ClientTeardown(sessions,
            java.util.stream.Stream.concat(java.util.stream.Stream.of(delegations),
                    new CallbackTeardownHook(callbacks, TEARDOWN_BOUND).hooks().stream()).toList());
    final ServerShutdown shutdown = new ServerShutdown(sessions, teardown, callbacks, sched);
    final List<Client> clients = new ArrayList<>();
    final Map<Long, Client> byId = new HashMap<>();
    final List<Counted> recalls = new ArrayList<>();
    final Principal principal = new Principal("sys:1000@soak");
    final List<FileHandle> files = new ArrayList<>();
    int sent;
    int tornDown;
    int notUp;
    final Map<DelegationTable.Refusal, Integer> refusals = new HashMap<>();

    /**
     * Three fixed seeds in CI; {@code -Djnfsd.soak.seed=S} replays seed S, and
     * {@code -Djnfsd.soak.extraSeeds=N} adds N fresh seeds (each printed) for a longer local soak.
     */
    static LongStream seeds() {
        String one = System.getProperty("jnfsd.soak.seed");
        if (one != null) {
            return LongStream.of(Long.parseLong(one));
        }
        int extra = Integer.getInteger("jnfsd.soak.extraSeeds", 0);
        return LongStream.concat(LongStream.of(7L, 1125L, 20261125L), new SecureRandom().longs(extra));
    }

    @ParameterizedTest
    @MethodSource("seeds")
    void soak_delegationsRecallsTeardownsAndShutdown_invariantsHold(long seed) throws Exception {
        System.out.println("DelegationSoakTest seed " + seed);
        Random rnd = new Random(seed);
        for (int i = 0; i < FILES; i++) {
            files.add(new FileHandle(1, new Inode(new byte[] {(byte) i})));
        }
        for (int step = 0; step < STEPS; step++) {
            List<Client> live = clients.stream().filter(c -> !c.gone).toList();
            if (live.size() < MAX_CLIENTS / 2 || (live.size() < MAX_CLIENTS && rnd.nextInt(50) == 0)) {
                newClient();
                continue;
            }
            Client c = live.get(rnd.nextInt(live.size()));
            int ev = rnd.nextInt(100);
            if (ev < 22) {
                openForRead(c, files.get(rnd.nextInt(FILES)));
            } else if (ev < 32) {
                delegations.recallConflicting(c.id(), files.get(rnd.nextInt(FILES)), this::queueRecall);
            } else if (ev < 48) {
                answerOne(c, rnd);
            } else if (ev < 55) {
                if (rnd.nextBoolean()) {
                    queues.runOne();
                } else {
                    queues.runAll();
                }
            } else if (ev < 63) {
                returnOne(c, rnd);
            } else if (ev < 75) {
                renew(c);
            } else if (ev < 82) {
                sched.advance(Duration.ofMillis(rnd.nextInt(3000)));
            } else if (ev < 83) {
                // the other clients' regular traffic, then a long pause
                live.stream().filter(x -> !x.silent && rnd.nextInt(10) != 0).forEach(this::renew);
                sched.advance(Duration.ofSeconds(20 + rnd.nextInt(60)));
            } else if (ev < 88) {
                laundromat();
            } else if (ev < 91) {
                c.connected = false;
                c.transport.unanswered().forEach(TestTransport::fail);
                c.channel.connectionLost();
            } else if (ev < 95) {
                c.connected = true;
                if (rnd.nextInt(3) == 0) {
                    c.sessionNo++;
                }
                c.channel.pathBound(c.path());
            } else if (ev < 96) {
                destroyClient(c);
            } else {
                // late or lost replies to a client already gone
                List<Client> gone = clients.stream().filter(x -> x.gone).toList();
                if (!gone.isEmpty()) {
                    gone.get(rnd.nextInt(gone.size())).transport.unanswered().forEach(call -> answer(call, rnd));
                    queues.runAll();
                }
            }
        }
        verifyAfterShutdown(seed, rnd);
    }

    private void newClient() throws NfsException {
        int no = clients.size();
        ClientRecord rec = sessions.exchangeId(("soak-" + no).getBytes(StandardCharsets.UTF_8), new byte[8],
                principal, false).client();
        Session s = sessions.createSession(rec, principal, ATTRS, ATTRS, 0, 1, List.of(), null, ChannelDirection.FORE)
                .session();
        Client c = new Client(no, rec, s, callbacks.channelFor(rec));
        c.silent = no % 4 == 3;
        c.channel.pathBound(c.path());
        clients.add(c);
        byId.put(c.id(), c);
    }

    /** OPEN for read wanting a delegation: granted only while the channel is UP, as OPEN does. */
    private void openForRead(Client c, FileHandle f) {
        if (c.channel.state() != State.UP) {
            notUp++;
            rebindIfDown(c); // this OPEN gets no delegation; its SEQUENCE told the client to rebind
            return;
        }
        DelegationTable.Grant g = delegations.grantRead(c.id(), f);
        refusals.merge(g.refusal(), 1, Integer::sum);
        if (g.delegation() != null && !c.granted.contains(g.delegation())) {
            c.granted.add(g.delegation());
        }
    }

    /** {@code DelegationTable.recallFor}'s recaller, with the recall wrapped to count its steps. */
    private void queueRecall(Delegation d) {
        CallbackChannel ch = callbacks.channel(new ClientId(d.clientId()));
        if (ch == null) {
            return; // no channel: revoked after a lease, as recallFor does
        }
        Counted r = new Counted(new RecallCallback(d, delegations));
        recalls.add(r);
        ch.submit(r);
    }

    private void answerOne(Client c, Random rnd) {
        List<TestTransport.Call> open = c.transport.unanswered();
        // probes first: a client answers CB_NULL at once (or its connection fails it)
        open.stream().filter(TestTransport.Call::isProbe).forEach(p -> answer(p, rnd));
        open = c.transport.unanswered();
        if (!open.isEmpty() && rnd.nextInt(6) != 0) { // one in six: this client never answers this time
            TestTransport.Call call = open.get(rnd.nextInt(open.size()));
            answer(call, rnd);
            if (!call.isProbe() && call.args.operations().get(1) instanceof CbRecallArgs r && rnd.nextInt(4) != 0) {
                // a well-behaved client returns what is recalled, whatever it answered
                c.granted.stream().filter(d -> d.stateId().equals(r.stateId())).findFirst()
                        .ifPresent(d -> delegations.delegReturn(c.id(), d.file(), d.stateId()));
            }
        }
    }

    private void answer(TestTransport.Call call, Random rnd) {
        if (!call.isProbe()) {
            sent++;
        }
        CallbackSoakTest.answer(call, rnd);
    }

    private void returnOne(Client c, Random rnd) {
        List<Delegation> live = c.granted.stream().filter(Delegation::isLive).toList();
        if (!live.isEmpty()) {
            Delegation d = live.get(rnd.nextInt(live.size()));
            delegations.delegReturn(c.id(), d.file(), d.stateId());
        }
    }

    /** SEQUENCE flagged CB_PATH_DOWN: the client binds its connection to the session again (row 08). */
    private void rebindIfDown(Client c) {
        State st = c.channel.state();
        if ((st == State.DOWN || st == State.FAULT) && c.session != null) {
            c.connected = true;
            c.channel.pathBound(c.path());
        }
    }

    /** A COMPOUND of the client: renews its lease (a courtesy client comes back). */
    private void renew(Client c) {
        rebindIfDown(c);
        if (sessions.beginCompound(c.record)) {
            if (sessions.endCompound(c.record)) {
                tearDown(c.record);
            }
        }
    }

    private void laundromat() {
        SessionManager.Sweep sweep = sessions.sweep();
        sweep.tearDownNow().forEach(this::tearDown);
        delegations.revokeExpiredRecalls();
    }

    /** DESTROY_SESSION then DESTROY_CLIENTID, as a client leaving; busy while it holds delegations. */
    private void destroyClient(Client c) throws NfsException {
        if (c.record.state() == ClientRecord.State.EXPIRING || c.record.state() == ClientRecord.State.DESTROYED) {
            return;
        }
        if (c.session != null) {
            sessions.destroySession(c.session);
            c.session = null;
        }
        try {
            tearDown(sessions.destroyClient(c.id(), teardown::hasState));
        } catch (NfsException e) {
            assertThat(e.status()).isIn(NfsStatus.NFS4ERR_CLIENTID_BUSY, NfsStatus.NFS4ERR_STALE_CLIENTID);
        }
    }

    private void tearDown(ClientRecord rec) {
        teardown.tearDown(rec);
        tornDown++;
        Client c = byId.get(rec.id().value());
        c.gone = true;
        assertThat(delegations.hasState(c.id())).as("no delegation left for torn-down %s", rec).isFalse();
        assertThat(c.channel.state()).isEqualTo(State.KILLED);
        ChannelChecks.assertQuiet(c.channel);
    }

    private void verifyAfterShutdown(long seed, Random rnd) {
        List<ClientRecord> stillLive = sessions.clients();
        java.util.concurrent.CompletableFuture<ServerShutdown.Report> done = shutdown.start(TEARDOWN_BOUND)
                .toCompletableFuture();
        queues.runAll();
        assertThat(done).as("seed %d: shutdown ends before any time passes", seed).isDone();
        ServerShutdown.Report report = done.join();
        assertThat(report.stuckClients()).as("seed %d: stuck clients", seed).isEmpty();
        assertThat(report.forceReleasedCallbacks()).as("seed %d: force-released", seed).isEmpty();
        for (ClientRecord rec : stillLive) {
            Client c = byId.get(rec.id().value());
            c.gone = true;
            assertThat(delegations.hasState(c.id())).as("seed %d: delegations of %s", seed, rec).isFalse();
            ChannelChecks.assertQuiet(c.channel); // before any time passes: a leaked slot or count fails here
        }
        // late replies, then every timer
        for (Client c : clients) {
            c.transport.unanswered().forEach(call -> answer(call, rnd));
        }
        queues.runAll();
        sched.advance(Duration.ofMinutes(10));
        queues.runAll();
        for (Client c : clients) {
            assertThat(c.channel.state()).as("seed %d: %s", seed, c.channel).isEqualTo(State.KILLED);
            ChannelChecks.assertQuiet(c.channel);
        }
        for (Counted r : recalls) {
            assertThat(r.releases).as("seed %d: %s releases", seed, r).isEqualTo(1);
            assertThat(r.outcomes).as("seed %d: %s outcomes", seed, r).hasSize(1);
            assertThat(r.isRunning()).as("seed %d: %s token", seed, r).isFalse();
        }
        assertThat(callbacks.inFlightTotal()).isZero();
        assertThat(delegations.liveCount()).as("seed %d: live delegations", seed).isZero();
        assertThat(teardown.hookFailures()).as("seed %d: teardown hooks that threw", seed).isZero();
        assertThat(sessions.clients()).isEmpty();
        Map<String, Integer> outcomes = new HashMap<>();
        recalls.forEach(r -> outcomes.merge(r.outcome() instanceof CallbackOutcome.Failed f ? "Failed/" + f.reason()
                : r.outcome().getClass().getSimpleName(), 1, Integer::sum));
        System.out.printf("DelegationSoakTest seed %d: %d clients, %d torn down before shutdown, %d recalls queued,"
                + " %d replies sent; opens: channel not up %d, grants %s; recall outcomes %s%n", seed, clients.size(),
                tornDown, recalls.size(), sent, notUp, refusals, outcomes);
        assertThat(recalls).as("seed %d: enough recalls to mean something", seed).hasSizeGreaterThan(100);
        assertThat(outcomes).as("seed %d: recalls both replied and skipped (returned before sent)", seed)
                .containsKeys("Replied", "Skipped");
        assertThat(tornDown).as("seed %d: clients torn down during the run", seed).isGreaterThan(10);
    }
}
