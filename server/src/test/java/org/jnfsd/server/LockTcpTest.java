package org.jnfsd.server;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import org.jnfsd.client.NfsClient;
import org.jnfsd.client.RecordingCallbacks;
import org.jnfsd.core.fs.Export;
import org.jnfsd.core.fs.FileHandle;
import org.jnfsd.core.metrics.ServerEvent;
import org.jnfsd.core.session.ClientId;
import org.jnfsd.protocol.nfs4.CompoundReply;
import org.jnfsd.protocol.nfs4.Fattr4;
import org.jnfsd.protocol.nfs4.NfsStatus;
import org.jnfsd.protocol.nfs4.StateId;
import org.jnfsd.protocol.nfs4.StatusResult;
import org.jnfsd.protocol.nfs4.callback.CbNotifyLockArgs;
import org.jnfsd.protocol.nfs4.callback.CbOpcode;
import org.jnfsd.protocol.nfs4.io.CloseArgs;
import org.jnfsd.protocol.nfs4.io.OpenArgs;
import org.jnfsd.protocol.nfs4.io.OpenClaim;
import org.jnfsd.protocol.nfs4.io.OpenHow;
import org.jnfsd.protocol.nfs4.io.OpenOwner;
import org.jnfsd.protocol.nfs4.io.OpenResult;
import org.jnfsd.protocol.nfs4.io.ShareAccess;
import org.jnfsd.protocol.nfs4.io.StateIdResult;
import org.jnfsd.protocol.nfs4.lock.LockArgs;
import org.jnfsd.protocol.nfs4.lock.LockDenied;
import org.jnfsd.protocol.nfs4.lock.LockDeniedResult;
import org.jnfsd.protocol.nfs4.lock.LockType;
import org.jnfsd.protocol.nfs4.lock.Locker;
import org.jnfsd.protocol.nfs4.lock.LocktArgs;
import org.jnfsd.protocol.nfs4.lock.LockuArgs;
import org.jnfsd.protocol.nfs4.namespace.GetFhResult;
import org.jnfsd.protocol.nfs4.namespace.PutFhArgs;
import org.jnfsd.protocol.nfs4.namespace.VoidArgs;
import org.jnfsd.rpc.Credential;
import org.jnfsd.vfs.memory.MemoryFileSystem;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Byte-range locks between two clients over TCP: LOCK, LOCKT, LOCKU, a fair blocking waiter, CLOSE,
 * and CB_NOTIFY_LOCK to a waiter that serves its callback program. Waits are bounded.
 */
class LockTcpTest {
    private static final Credential CRED = new Credential.AuthSys(0, "lock-test", 1000, 1000, new int[0]);
    private static final long BOUND_S = 30;
    private static final int MAX_POLLS = DelegationFixture.MAX_POLLS;

    /** The waiting client's callbacks: answered OK, recorded. */
    private final RecordingCallbacks callbacks = new RecordingCallbacks();

    private JnfsdServer server;
    private InetSocketAddress address;

    @BeforeEach
    void start() throws Exception {
        server = JnfsdServer.builder().export(new Export(1, "/", new MemoryFileSystem(Clock.systemUTC(),
                MemoryFileSystem.Options.DEFAULTS.withRoot(0777, 0, 0)))).port(0).build();
        address = server.start();
    }

    @AfterEach
    void stop() {
        server.close();
    }

    @Test
    void twoClients_conflictingLocks_deniedWithTheHolder_thenGrantedAfterLocku() throws Exception {
        try (NfsClient one = NfsClient.connect(address, 1, CRED); NfsClient two = NfsClient.connect(address, 1, CRED)) {
            one.reclaimComplete();
            two.reclaimComplete();
            Opened a = open(one, "shared");
            Opened b = open(two, "shared");

            CompoundReply locked = one.compound(new PutFhArgs(a.fh), lockNew(LockType.WRITE_LT, 0, 100, a.stateId, "one"));
            assertThat(locked.status()).isEqualTo(NfsStatus.NFS4_OK);
            StateId lockOne = locked.result(2, StateIdResult.class).stateId();

            // a conflicting read lock of the other client: DENIED, naming the holder and its range
            CompoundReply denied = two.compound(new PutFhArgs(b.fh), lockNew(LockType.READ_LT, 50, 10, b.stateId, "two"));
            assertThat(denied.status()).isEqualTo(NfsStatus.NFS4ERR_DENIED);
            LockDenied body = denied.result(2, LockDeniedResult.class).denied();
            assertThat(body).isEqualTo(new LockDenied(0, 100, LockType.WRITE_LT,
                    new OpenOwner(one.clientId(), "one".getBytes(StandardCharsets.UTF_8))));
            CompoundReply tested = two.compound(new PutFhArgs(b.fh), new LocktArgs(LockType.READ_LT, 100, -1L,
                    new OpenOwner(two.clientId(), "two".getBytes(StandardCharsets.UTF_8))));
            assertThat(tested.result(2, StatusResult.class)).isEqualTo(StatusResult.OK);

            // the holder cannot close while locked; it unlocks, and the other client gets the range
            assertThat(one.compound(new PutFhArgs(a.fh), new CloseArgs(0, a.stateId)).status())
                    .isEqualTo(NfsStatus.NFS4ERR_LOCKS_HELD);
            CompoundReply unlocked = one.compound(new PutFhArgs(a.fh), new LockuArgs(LockType.WRITE_LT, 0, lockOne, 0, 100));
            assertThat(unlocked.result(2, StateIdResult.class).stateId()).isEqualTo(lockOne.withSeqid(2));
            CompoundReply granted = two.compound(new PutFhArgs(b.fh), lockNew(LockType.READ_LT, 50, 10, b.stateId, "two"));
            assertThat(granted.status()).isEqualTo(NfsStatus.NFS4_OK);
            assertThat(one.compound(new PutFhArgs(a.fh), new CloseArgs(0, a.stateId)).status()).isEqualTo(NfsStatus.NFS4_OK);
        }
    }

    @Test
    void blockingWaiter_pollingAfterUnlock_winsOverANewcomer() throws Exception {
        try (NfsClient one = NfsClient.connect(address, 1, CRED); NfsClient two = NfsClient.connect(address, 1, CRED)) {
            one.reclaimComplete();
            two.reclaimComplete();
            Opened a = open(one, "queue");
            Opened b = open(two, "queue");
            StateId lockOne = one.compound(new PutFhArgs(a.fh), lockNew(LockType.WRITE_LT, 0, -1L, a.stateId, "one"))
                    .result(2, StateIdResult.class).stateId();
            assertThat(two.compound(new PutFhArgs(b.fh), lockNew(LockType.WRITEW_LT, 0, -1L, b.stateId, "two")).status())
                    .isEqualTo(NfsStatus.NFS4ERR_DENIED);
            one.compound(new PutFhArgs(a.fh), new LockuArgs(LockType.WRITE_LT, 0, lockOne, 0, -1L));
            // client one comes back with a new owner: the waiter's reservation comes first
            CompoundReply newcomer = one.compound(new PutFhArgs(a.fh), lockNew(LockType.WRITE_LT, 0, 1, a.stateId, "one-b"));
            assertThat(newcomer.result(2, LockDeniedResult.class).denied().owner())
                    .isEqualTo(new OpenOwner(two.clientId(), "two".getBytes(StandardCharsets.UTF_8)));
            assertThat(two.compound(new PutFhArgs(b.fh), lockNew(LockType.WRITEW_LT, 0, -1L, b.stateId, "two")).status())
                    .isEqualTo(NfsStatus.NFS4_OK);
        }
    }

    @Test
    void blockingLockDenied_holderUnlocks_waiterGetsCbNotifyLock_andItsRetrySucceeds() throws Exception {
        try (NfsClient one = NfsClient.connect(address, 1, CRED);
                NfsClient two = NfsClient.connect(address, 1, CRED, callbacks)) {
            one.reclaimComplete();
            two.reclaimComplete();
            DelegationFixture.awaitChannelUp(server, two);
            Opened a = open(one, "notify");
            CompoundReply openedTwo = openReply(two, "notify");
            Opened b = opened(openedTwo);
            // the waiter's OPEN promises notifications (its callback channel is UP)
            assertThat(openedTwo.result(2, OpenResult.class).rflags() & OpenResult.RESULT_MAY_NOTIFY_LOCK).isNotZero();
            StateId lockOne = one.compound(new PutFhArgs(a.fh), lockNew(LockType.WRITE_LT, 0, -1L, a.stateId, "one"))
                    .result(2, StateIdResult.class).stateId();
            assertThat(two.compound(new PutFhArgs(b.fh), lockNew(LockType.WRITEW_LT, 0, 10, b.stateId, "two")).status())
                    .isEqualTo(NfsStatus.NFS4ERR_DENIED);
            assertThat(callbacks.received()).isEmpty();

            one.compound(new PutFhArgs(a.fh), new LockuArgs(LockType.WRITE_LT, 0, lockOne, 0, -1L));

            CbNotifyLockArgs n = callbacks.await(CbOpcode.CB_NOTIFY_LOCK, 1, CbNotifyLockArgs.class,
                    Duration.ofSeconds(BOUND_S));
            assertThat(n.fileHandle()).isEqualTo(b.fh);
            assertThat(n.clientId()).isEqualTo(two.clientId());
            assertThat(n.owner()).isEqualTo("two".getBytes(StandardCharsets.UTF_8));
            assertThat(two.compound(new PutFhArgs(b.fh), lockNew(LockType.WRITEW_LT, 0, 10, b.stateId, "two")).status())
                    .isEqualTo(NfsStatus.NFS4_OK);
            awaitCounter(one, ServerEvent.CB_NOTIFY_LOCK_SENT, 1);
            assertThat(callbacks.received()).hasSize(1); // exactly one
        }
    }

    @Test
    void openWithoutCallbackChannel_noMayNotifyLock() throws Exception {
        try (NfsClient one = NfsClient.connect(address, 1, CRED)) {
            one.reclaimComplete();
            CompoundReply r = openReply(one, "no-notify");
            assertThat(r.result(2, OpenResult.class).rflags())
                    .isEqualTo(OpenResult.RESULT_LOCKTYPE_POSIX);
        }
    }

    @Test
    void waiterClientDestroyedWhileWaiting_noNotify_nothingLeaks() throws Exception {
        try (NfsClient one = NfsClient.connect(address, 1, CRED);
                NfsClient two = NfsClient.connect(address, 1, CRED, callbacks)) {
            one.reclaimComplete();
            two.reclaimComplete();
            DelegationFixture.awaitChannelUp(server, two);
            Opened a = open(one, "gone");
            Opened b = open(two, "gone");
            StateId lockOne = one.compound(new PutFhArgs(a.fh), lockNew(LockType.WRITE_LT, 0, -1L, a.stateId, "one"))
                    .result(2, StateIdResult.class).stateId();
            assertThat(two.compound(new PutFhArgs(b.fh), lockNew(LockType.WRITEW_LT, 0, -1L, b.stateId, "two")).status())
                    .isEqualTo(NfsStatus.NFS4ERR_DENIED);
            FileHandle file = server.context().config().handleKey().open(b.fh);
            assertThat(server.context().locks().waiterCount(file)).isEqualTo(1);
            assertThat(two.compound(new PutFhArgs(b.fh), new CloseArgs(0, b.stateId)).status()).isEqualTo(NfsStatus.NFS4_OK);

            two.destroy(); // DESTROY_SESSION, DESTROY_CLIENTID: teardown drops the waiter, kills the channel

            assertThat(server.context().locks().waiterCount(file)).isZero();
            assertThat(server.context().callbacks().channel(new ClientId(two.clientId()))).isNull();
            one.compound(new PutFhArgs(a.fh), new LockuArgs(LockType.WRITE_LT, 0, lockOne, 0, -1L));
            assertThat(server.context().counters().count(ServerEvent.CB_NOTIFY_LOCK_SENT)).isZero();
            assertThat(server.context().callbacks().inFlightTotal()).isZero();
            assertThat(server.context().locks().isTracked(file)).isFalse();
            assertThat(callbacks.received()).isEmpty();
            assertThat(one.compound(new PutFhArgs(a.fh), new CloseArgs(0, a.stateId)).status()).isEqualTo(NfsStatus.NFS4_OK);
        }
    }

    /** Bounded poll until a counter reaches {@code n} (the server counts after the client's answer). */
    private void awaitCounter(NfsClient c, ServerEvent event, long n) throws Exception {
        for (int i = 0; i < MAX_POLLS; i++) {
            if (server.context().counters().count(event) >= n) {
                assertThat(server.context().counters().count(event)).isEqualTo(n);
                return;
            }
            assertThat(c.compound().status()).isEqualTo(NfsStatus.NFS4_OK);
        }
        throw new AssertionError(event + " not at " + n + " after " + MAX_POLLS + " SEQUENCEs");
    }

    private record Opened(byte[] fh, StateId stateId) {}

    private static Opened open(NfsClient client, String name) throws IOException {
        return opened(openReply(client, name));
    }

    private static CompoundReply openReply(NfsClient client, String name) throws IOException {
        CompoundReply r = client.compound(VoidArgs.PUTROOTFH,
                new OpenArgs(0, ShareAccess.ACCESS_BOTH, ShareAccess.DENY_NONE,
                        new OpenOwner(client.clientId(), "opener".getBytes(StandardCharsets.UTF_8)),
                        new OpenHow.Unchecked(Fattr4.EMPTY), new OpenClaim.Null(name)),
                VoidArgs.GETFH);
        assertThat(r.status()).isEqualTo(NfsStatus.NFS4_OK);
        return r;
    }

    private static Opened opened(CompoundReply r) {
        return new Opened(r.result(3, GetFhResult.class).fh(), r.result(2, OpenResult.class).stateId());
    }

    private static LockArgs lockNew(LockType type, long offset, long length, StateId open, String owner) {
        return new LockArgs(type, false, offset, length,
                new Locker.NewOwner(0, open, 0, new OpenOwner(0, owner.getBytes(StandardCharsets.UTF_8))));
    }
}
