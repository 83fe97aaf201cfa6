package org.jnfsd.core.ops.session;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.jnfsd.core.ops.session.Harness.ALICE;
import static org.jnfsd.core.ops.session.Harness.VERIFIER_1;
import static org.jnfsd.core.ops.session.Harness.attrs;
import static org.jnfsd.core.ops.session.Harness.seq;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.jnfsd.core.NfsException;
import org.jnfsd.core.ServerConfig;
import org.jnfsd.core.compound.CompoundContext;
import org.jnfsd.core.compound.CompoundProcessor;
import org.jnfsd.core.compound.Operation;
import org.jnfsd.core.compound.OperationTable;
import org.jnfsd.core.fs.FileHandle;
import org.jnfsd.core.time.ManualClock;
import org.jnfsd.core.session.ClientRecord;
import org.jnfsd.core.state.OpenShare;
import org.jnfsd.core.state.lock.LockOutcome;
import org.jnfsd.core.state.lock.LockRange;
import org.jnfsd.protocol.nfs4.NfsStatus;
import org.jnfsd.protocol.nfs4.OpResult;
import org.jnfsd.protocol.nfs4.Opcode;
import org.jnfsd.protocol.nfs4.StateId;
import org.jnfsd.protocol.nfs4.StatusResult;
import org.jnfsd.protocol.nfs4.io.TestStateidArgs;
import org.jnfsd.protocol.nfs4.io.TestStateidResult;
import org.jnfsd.protocol.nfs4.io.OpenOwner;
import org.jnfsd.protocol.nfs4.io.ShareAccess;
import org.jnfsd.protocol.nfs4.session.CreateSessionResult;
import org.jnfsd.protocol.nfs4.session.DestroyClientidArgs;
import org.jnfsd.protocol.nfs4.session.DestroySessionArgs;
import org.jnfsd.protocol.nfs4.session.ExchangeIdResult;
import org.jnfsd.protocol.nfs4.session.SequenceResult;
import org.jnfsd.protocol.nfs4.session.SessionId;
import org.jnfsd.protocol.xdr.XdrDecoder;
import org.jnfsd.vfs.Inode;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * Leases, courtesy clients and client teardown through the COMPOUND engine, on a manual clock; the
 * laundromat is run by hand ({@code runOnce}), as its scheduler would.
 */
class LeaseTest {
    private static final Duration LEASE = Duration.ofSeconds(90);
    private static final FileHandle FILE = new FileHandle(1, new Inode(new byte[] {7}));
    private static final int READ = ShareAccess.ACCESS_READ;
    private static final int WRITE = ShareAccess.ACCESS_WRITE;
    private static final int DENY_WRITE = ShareAccess.DENY_WRITE;

    private final ManualClock clock = new ManualClock(Instant.parse("2026-01-01T00:00:00Z"));
    private Harness h = new Harness(ServerConfig.builder().leaseTime(LEASE).build(), clock);

    private record Client(long id, SessionId session) {}

    private Client client(String owner) {
        ExchangeIdResult eid = h.exchangeId(ALICE, owner, VERIFIER_1);
        CreateSessionResult cs = h.createSession(eid.clientId(), eid.sequenceId(), attrs(4));
        return new Client(eid.clientId(), cs.sessionId());
    }

    private OpenShare open(Client c, int access, int deny) throws NfsException {
        return h.server.opens().open(c.id, new OpenOwner(c.id, new byte[] {1}), FILE, access, deny);
    }

    private ClientRecord record(Client c) throws NfsException {
        return h.server.sessions().client(c.id);
    }

    private static NfsStatus status(ThrowingRunnable r) {
        try {
            r.run();
            return NfsStatus.NFS4_OK;
        } catch (NfsException e) {
            return e.status();
        }
    }

    private interface ThrowingRunnable {
        void run() throws NfsException;
    }

    @AfterEach
    void noLateAccessToDroppedTables() {
        assertThat(h.server.opens().droppedTableAccesses()).isZero();
        assertThat(h.server.teardown().hookFailures()).isZero();
    }

    @Test
    void laundromat_leaseLapsed_clientBecomesCourtesyAndKeepsItsState() throws Exception {
        Client a = client("a");
        open(a, READ, DENY_WRITE);
        clock.advance(LEASE.minusSeconds(1));
        h.server.laundromat().runOnce();
        assertThat(record(a).state()).isEqualTo(ClientRecord.State.ACTIVE);

        clock.advance(Duration.ofSeconds(1));
        assertThat(h.server.laundromat().runOnce().courtesyEntered()).isEqualTo(1);

        assertThat(record(a).state()).isEqualTo(ClientRecord.State.COURTESY);
        assertThat(h.server.opens().openCount(a.id)).isEqualTo(1);
    }

    @Test
    void sequence_courtesyClient_succeedsAndClientIsActiveAgain() throws Exception {
        Client a = client("a");
        open(a, READ, DENY_WRITE);
        clock.advance(LEASE);
        h.server.laundromat().runOnce();

        Harness.Reply r = h.call(seq(a.session, 1, 0, false));

        assertThat(r.status()).isEqualTo(NfsStatus.NFS4_OK);
        assertThat(record(a).state()).isEqualTo(ClientRecord.State.ACTIVE);
        assertThat(h.server.opens().openCount(a.id)).isEqualTo(1);
        // renewed: a full lease again before it lapses
        clock.advance(LEASE.minusSeconds(1));
        h.server.laundromat().runOnce();
        assertThat(record(a).state()).isEqualTo(ClientRecord.State.ACTIVE);
    }

    @Test
    void open_conflictsWithActiveClient_shareDenied() throws Exception {
        Client a = client("a");
        Client b = client("b");
        open(a, READ, DENY_WRITE);

        assertThat(status(() -> open(b, WRITE, 0))).isEqualTo(NfsStatus.NFS4ERR_SHARE_DENIED);
        assertThat(record(a).state()).isEqualTo(ClientRecord.State.ACTIVE);
    }

    @Test
    void open_conflictsWithCourtesyClient_courtesyClientExpiredAndOpenGranted() throws Exception {
        Client a = client("a");
        open(a, READ, DENY_WRITE);
        clock.advance(LEASE.dividedBy(2));
        Client b = client("b");
        clock.advance(LEASE.dividedBy(2));
        h.server.laundromat().runOnce();
        ClientRecord ra = record(a);
        assertThat(ra.state()).isEqualTo(ClientRecord.State.COURTESY);
        assertThat(record(b).state()).isEqualTo(ClientRecord.State.ACTIVE);

        OpenShare granted = open(b, WRITE, 0);

        assertThat(granted.stateId().seqid()).isEqualTo(1);
        assertThat(ra.state()).isEqualTo(ClientRecord.State.DESTROYED);
        assertThat(h.server.opens().openCount(a.id)).isZero();
        assertThat(h.call(seq(a.session, 1, 0, false)).status()).isEqualTo(NfsStatus.NFS4ERR_BADSESSION);
    }

    private LockOutcome writeLock(Client c, OpenShare open) throws NfsException {
        return h.server.locks().lockNewOwner(c.id, FILE, open.stateId(), new OpenOwner(c.id, new byte[] {2}),
                true, false, false, LockRange.of(0, 100));
    }

    @Test
    void lock_conflictsWithCourtesyClientsLock_courtesyClientExpiredAndLockGranted() throws Exception {
        Client a = client("a");
        assertThat(writeLock(a, open(a, READ | WRITE, 0))).isInstanceOf(LockOutcome.Granted.class);
        clock.advance(LEASE.dividedBy(2));
        Client b = client("b");
        OpenShare bOpen = open(b, READ | WRITE, 0);
        clock.advance(LEASE.dividedBy(2));
        h.server.laundromat().runOnce();
        ClientRecord ra = record(a);
        assertThat(ra.state()).isEqualTo(ClientRecord.State.COURTESY);

        LockOutcome outcome = writeLock(b, bOpen);

        assertThat(outcome).isInstanceOf(LockOutcome.Granted.class);
        assertThat(ra.state()).isEqualTo(ClientRecord.State.DESTROYED);
        assertThat(h.server.locks().lockStateCount(a.id)).isZero();
        assertThat(h.server.opens().openCount(a.id)).isZero();
    }

    @Test
    void lock_conflictsWithActiveClientsLock_deniedAndHolderKept() throws Exception {
        Client a = client("a");
        writeLock(a, open(a, READ | WRITE, 0));
        Client b = client("b");

        LockOutcome outcome = writeLock(b, open(b, READ | WRITE, 0));

        assertThat(outcome).isInstanceOf(LockOutcome.Denied.class);
        assertThat(record(a).state()).isEqualTo(ClientRecord.State.ACTIVE);
        assertThat(h.server.locks().lockStateCount(a.id)).isEqualTo(1);
    }

    @Test
    void open_conflictsWithACourtesyAndAnActiveClient_shareDeniedAndCourtesyClientKept() throws Exception {
        Client a = client("a");
        open(a, READ, DENY_WRITE);
        clock.advance(LEASE.dividedBy(2));
        Client b = client("b");
        h.server.opens().open(b.id, new OpenOwner(b.id, new byte[] {2}), FILE, READ, DENY_WRITE);
        Client c = client("c");
        clock.advance(LEASE.dividedBy(2));
        h.server.laundromat().runOnce();
        assertThat(record(a).state()).isEqualTo(ClientRecord.State.COURTESY);

        assertThat(status(() -> open(c, WRITE, 0))).isEqualTo(NfsStatus.NFS4ERR_SHARE_DENIED);

        assertThat(record(a).state()).isEqualTo(ClientRecord.State.COURTESY);
        assertThat(h.server.opens().openCount(a.id)).isEqualTo(1);
    }

    @Test
    void open_noConflictWithCourtesyClient_courtesyClientKept() throws Exception {
        Client a = client("a");
        open(a, READ, 0);
        clock.advance(LEASE.dividedBy(2));
        Client b = client("b");
        clock.advance(LEASE.dividedBy(2));
        h.server.laundromat().runOnce();

        open(b, READ, 0);

        assertThat(record(a).state()).isEqualTo(ClientRecord.State.COURTESY);
    }

    @Test
    void laundromat_moreCourtesyClientsThanTheLimit_oldestExpired() throws Exception {
        h = new Harness(ServerConfig.builder().leaseTime(LEASE).maxCourtesyClients(2).build(), clock);
        List<ClientRecord> records = new ArrayList<>();
        for (int i = 0; i < 4; i++) {
            records.add(record(client("c" + i)));
            clock.advance(Duration.ofSeconds(1));
        }
        clock.advance(LEASE);

        h.server.laundromat().runOnce();

        assertThat(records).extracting(ClientRecord::state).containsExactly(ClientRecord.State.DESTROYED,
                ClientRecord.State.DESTROYED, ClientRecord.State.COURTESY, ClientRecord.State.COURTESY);
    }

    @Test
    void laundromat_courtesyLongerThanTheMaximum_expired() throws Exception {
        h = new Harness(ServerConfig.builder().leaseTime(LEASE).maxCourtesyTime(Duration.ofHours(1)).build(), clock);
        Client a = client("a");
        ClientRecord ra = record(a);
        open(a, READ, 0);
        clock.advance(LEASE);
        h.server.laundromat().runOnce();
        clock.advance(Duration.ofHours(1).minusSeconds(1));
        h.server.laundromat().runOnce();
        assertThat(ra.state()).isEqualTo(ClientRecord.State.COURTESY);

        clock.advance(Duration.ofSeconds(1));
        h.server.laundromat().runOnce();

        assertThat(ra.state()).isEqualTo(ClientRecord.State.DESTROYED);
        assertThat(h.server.opens().openCount(a.id)).isZero();
        assertThat(h.server.opens().isOpen(FILE)).isFalse();
    }

    @Test
    void laundromat_unconfirmedLeaseLapsed_destroyed() throws Exception {
        ExchangeIdResult eid = h.exchangeId(ALICE, "u", VERIFIER_1);
        ClientRecord r = h.server.sessions().client(eid.clientId());
        clock.advance(LEASE);

        h.server.laundromat().runOnce();

        assertThat(r.state()).isEqualTo(ClientRecord.State.DESTROYED);
        assertThat(h.call(Harness.createSessionArgs(eid.clientId(), eid.sequenceId(), attrs(1))).status())
                .isEqualTo(NfsStatus.NFS4ERR_STALE_CLIENTID);
    }

    /** An operation that runs a test's action in the middle of a COMPOUND (PUTROOTFH's opcode). */
    private record Midway(Runnable action) implements Operation<Void> {
        @Override
        public Opcode opcode() {
            return Opcode.PUTROOTFH;
        }

        @Override
        public Void decode(XdrDecoder in) {
            return null;
        }

        @Override
        public OpResult execute(CompoundContext ctx, Void args) {
            action.run();
            return StatusResult.OK;
        }
    }

    @Test
    void expiry_whileACompoundIsInFlight_deferredUntilItCompletes() throws Exception {
        h = new Harness(ServerConfig.builder().leaseTime(LEASE).maxCourtesyClients(0).build(), clock);
        Client a = client("a");
        ClientRecord ra = record(a);
        open(a, READ, DENY_WRITE);
        Client b = client("b");
        ClientRecord rb = record(b);
        List<Object> seen = new ArrayList<>();
        Runnable midway = () -> {
            // the lease lapses and, with no courtesy allowed, a's record expires at once
            clock.advance(LEASE);
            h.server.sessions().renew(rb); // b stays active
            h.server.laundromat().runOnce();
            seen.add(ra.state());
            seen.add(ra.compoundsInFlight());
            seen.add(h.server.opens().openCount(a.id));
            seen.add(h.call(seq(a.session, 2, 1, false)).status());
        };
        CompoundProcessor p = new CompoundProcessor(h.server, new OperationTable(
                List.of(new Sequence(), new Midway(midway))));
        Harness.Reply r = callWith(p, seq(a.session, 1, 0, false), Harness.count());

        assertThat(r.status()).isEqualTo(NfsStatus.NFS4_OK);
        // during the compound: expiring, new work refused, state still there
        assertThat(seen).containsExactly(ClientRecord.State.EXPIRING, 1, 1, NfsStatus.NFS4ERR_BADSESSION);
        // after it: torn down by the last compound out
        assertThat(ra.state()).isEqualTo(ClientRecord.State.DESTROYED);
        assertThat(ra.compoundsInFlight()).isZero();
        assertThat(h.server.opens().openCount(a.id)).isZero();
        assertThat(open(b, WRITE, 0).stateId().seqid()).isEqualTo(1);
    }

    @Test
    void conflictingOpen_courtesyClientWithACompoundInFlight_delayThenGranted() throws Exception {
        Client a = client("a");
        ClientRecord ra = record(a);
        open(a, READ, DENY_WRITE);
        Client b = client("b");
        ClientRecord rb = record(b);
        List<Object> seen = new ArrayList<>();
        Runnable midway = () -> {
            clock.advance(LEASE);
            h.server.sessions().renew(rb); // b stays active
            h.server.laundromat().runOnce();
            seen.add(ra.state());
            seen.add(status(() -> open(b, WRITE, 0)));
            seen.add(ra.state());
        };
        CompoundProcessor p = new CompoundProcessor(h.server, new OperationTable(
                List.of(new Sequence(), new Midway(midway))));

        assertThat(callWith(p, seq(a.session, 1, 0, false), Harness.count()).status()).isEqualTo(NfsStatus.NFS4_OK);

        assertThat(seen).containsExactly(ClientRecord.State.COURTESY, NfsStatus.NFS4ERR_DELAY,
                ClientRecord.State.EXPIRING);
        assertThat(ra.state()).isEqualTo(ClientRecord.State.DESTROYED);
        assertThat(status(() -> open(b, WRITE, 0))).isEqualTo(NfsStatus.NFS4_OK);
    }

    @Test
    void rebootedClient_confirmedWhileOldRecordHasACompoundInFlight_oldStateDiscardedWhenItCompletes()
            throws Exception {
        Client old = client("a");
        ClientRecord rOld = record(old);
        open(old, READ, DENY_WRITE);
        List<Object> seen = new ArrayList<>();
        Runnable midway = () -> {
            ExchangeIdResult eid = h.exchangeId(ALICE, "a", Harness.VERIFIER_2);
            seen.add(h.server.opens().openCount(old.id));
            h.createSession(eid.clientId(), eid.sequenceId(), attrs(1));
            seen.add(rOld.state());
            seen.add(h.server.opens().openCount(old.id));
        };
        CompoundProcessor p = new CompoundProcessor(h.server, new OperationTable(
                List.of(new Sequence(), new Midway(midway))));

        assertThat(callWith(p, seq(old.session, 1, 0, false), Harness.count()).status()).isEqualTo(NfsStatus.NFS4_OK);

        assertThat(seen).containsExactly(1, ClientRecord.State.EXPIRING, 1);
        assertThat(rOld.state()).isEqualTo(ClientRecord.State.DESTROYED);
        assertThat(h.server.opens().openCount(old.id)).isZero();
    }

    @Test
    void rebootedClient_confirmed_oldRecordDestroyedAndItsStateDiscarded() throws Exception {
        Client old = client("a");
        ClientRecord rOld = record(old);
        open(old, READ, DENY_WRITE);
        ExchangeIdResult eid = h.exchangeId(ALICE, "a", Harness.VERIFIER_2);
        assertThat(rOld.state()).isEqualTo(ClientRecord.State.ACTIVE);

        h.createSession(eid.clientId(), eid.sequenceId(), attrs(1));

        assertThat(rOld.state()).isEqualTo(ClientRecord.State.DESTROYED);
        assertThat(h.server.opens().openCount(old.id)).isZero();
        assertThat(h.call(seq(old.session, 1, 0, false)).status()).isEqualTo(NfsStatus.NFS4ERR_BADSESSION);
    }

    @Test
    void testStateid_overTheEngine_perStateidResults() throws Exception {
        Client a = client("a");
        OpenShare revoked = open(a, READ, DENY_WRITE);
        h.server.opens().revokeClient(a.id);
        h.server.opens().free(a.id, revoked.stateId());
        OpenShare current = h.server.opens().open(a.id, new OpenOwner(a.id, new byte[] {2}), FILE, READ, 0);
        h.server.opens().revokeClient(a.id);
        OpenShare ok = h.server.opens().open(a.id, new OpenOwner(a.id, new byte[] {3}), FILE, READ, 0);
        h.server.opens().open(a.id, new OpenOwner(a.id, new byte[] {3}), FILE, WRITE, 0); // seqid 2
        StateId otherInstance = new StateId(1, new org.jnfsd.core.state.StateIdAllocator(0x77).newOther(
                org.jnfsd.core.state.StateKind.OPEN));
        CompoundProcessor p = new CompoundProcessor(h.server, org.jnfsd.core.compound.StandardOperations.table());

        Harness.Reply r = callWith(p, seq(a.session, 1, 0, false), new TestStateidArgs(List.of(
                new StateId(2, ok.stateId().other()), ok.stateId(), new StateId(0, ok.stateId().other()),
                new StateId(3, ok.stateId().other()), current.stateId(), revoked.stateId(), otherInstance,
                StateId.ANONYMOUS)));

        assertThat(r.status()).isEqualTo(NfsStatus.NFS4_OK);
        assertThat(r.result(1, TestStateidResult.class).statusCodes()).containsExactly(
                NfsStatus.NFS4_OK, NfsStatus.NFS4ERR_OLD_STATEID, NfsStatus.NFS4_OK, NfsStatus.NFS4ERR_BAD_STATEID,
                NfsStatus.NFS4ERR_ADMIN_REVOKED, NfsStatus.NFS4ERR_BAD_STATEID, NfsStatus.NFS4ERR_BAD_STATEID,
                NfsStatus.NFS4ERR_BAD_STATEID);
        assertThat(status(() -> h.server.opens().validate(a.id, otherInstance, FILE)))
                .isEqualTo(NfsStatus.NFS4ERR_STALE_STATEID);
    }

    private static Harness.Reply callWith(CompoundProcessor p, org.jnfsd.protocol.nfs4.OpArgs... ops) {
        return Harness.callVia(p, ALICE, null, ops);
    }

    @Test
    void destroyClientid_courtesyClientWithOpensAndNoSession_destroyedAndOpensReleased() throws Exception {
        Client a = client("a");
        open(a, READ, DENY_WRITE);
        assertThat(h.call(new DestroySessionArgs(a.session)).status()).isEqualTo(NfsStatus.NFS4_OK);
        assertThat(h.call(new DestroyClientidArgs(a.id)).status()).isEqualTo(NfsStatus.NFS4ERR_CLIENTID_BUSY);
        clock.advance(LEASE);
        h.server.laundromat().runOnce();

        assertThat(h.call(new DestroyClientidArgs(a.id)).status()).isEqualTo(NfsStatus.NFS4_OK);

        assertThat(h.server.opens().openCount(a.id)).isZero();
        assertThat(h.server.opens().isOpen(FILE)).isFalse();
    }

    @Test
    void revokeClient_openStateid_adminRevokedUntilFreedAndFlagInSequence() throws Exception {
        Client a = client("a");
        OpenShare o = open(a, READ, DENY_WRITE);

        assertThat(h.server.opens().revokeClient(a.id)).isEqualTo(1);

        assertThat(status(() -> h.server.opens().validate(a.id, o.stateId(), FILE)))
                .isEqualTo(NfsStatus.NFS4ERR_ADMIN_REVOKED);
        assertThat(h.server.opens().test(a.id, o.stateId())).isEqualTo(NfsStatus.NFS4ERR_ADMIN_REVOKED);
        assertThat(h.server.opens().isOpen(FILE)).isFalse(); // its share reservation is gone
        Harness.Reply r = h.call(seq(a.session, 1, 0, false));
        assertThat(r.result(0, SequenceResult.class).statusFlags() & SequenceResult.STATUS_ADMIN_STATE_REVOKED)
                .isNotZero();

        assertThat(h.server.opens().free(a.id, o.stateId())).isEqualTo(NfsStatus.NFS4_OK);

        assertThat(h.server.opens().test(a.id, o.stateId())).isEqualTo(NfsStatus.NFS4ERR_BAD_STATEID);
        assertThat(h.call(seq(a.session, 2, 0, false)).result(0, SequenceResult.class).statusFlags()
                & SequenceResult.STATUS_ADMIN_STATE_REVOKED).isZero();
        assertThat(h.server.opens().free(a.id, o.stateId())).isEqualTo(NfsStatus.NFS4ERR_BAD_STATEID);
    }
}
