package org.jnfsd.server;

import static org.assertj.core.api.Assertions.assertThat;
import static org.jnfsd.server.DelegationFixture.awaitChannelUp;
import static org.jnfsd.server.DelegationFixture.awaitNoCallbackInFlight;
import static org.jnfsd.server.DelegationFixture.openF;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import org.jnfsd.client.NfsClient;
import org.jnfsd.client.RecordingCallbacks;
import org.jnfsd.core.ServerConfig;
import org.jnfsd.core.callback.CallbackChannel;
import org.jnfsd.core.fs.Export;
import org.jnfsd.core.metrics.ServerEvent;
import org.jnfsd.protocol.nfs4.CompoundReply;
import org.jnfsd.protocol.nfs4.NfsStatus;
import org.jnfsd.protocol.nfs4.OpArgs;
import org.jnfsd.protocol.nfs4.Opcode;
import org.jnfsd.protocol.nfs4.callback.CbOpcode;
import org.jnfsd.protocol.nfs4.callback.CbRecallAnyArgs;
import org.jnfsd.protocol.nfs4.callback.CbRecallArgs;
import org.jnfsd.protocol.nfs4.delegation.DelegreturnArgs;
import org.jnfsd.protocol.nfs4.io.OpenDelegation;
import org.jnfsd.protocol.nfs4.io.OpenResult;
import org.jnfsd.protocol.nfs4.io.ShareAccess;
import org.jnfsd.protocol.nfs4.io.TestStateidArgs;
import org.jnfsd.protocol.nfs4.io.TestStateidResult;
import org.jnfsd.protocol.nfs4.namespace.GetFhResult;
import org.jnfsd.protocol.nfs4.namespace.PutFhArgs;
import org.jnfsd.protocol.nfs4.namespace.VoidArgs;
import org.jnfsd.protocol.nfs4.session.SequenceResult;
import org.jnfsd.rpc.Credential;
import org.jnfsd.vfs.SetAttributes;
import org.jnfsd.vfs.memory.MemoryFileSystem;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * A read delegation recalled over real TCP between two clients: A (serving callbacks through a RecordingCallbacks)
 * gets a read delegation, B's OPEN for write is answered NFS4ERR_DELAY and makes the server send
 * A a CB_RECALL; once A returns the delegation, B's retried OPEN succeeds. Waits are bounded.
 */
class DelegationTcpTest {
    private static final Credential CRED = new Credential.AuthSys(0, "deleg-test", 1000, 1000, new int[0]);
    private static final long BOUND_S = 30;
    private static final OpArgs PUTROOTFH = new VoidArgs(Opcode.PUTROOTFH);
    private static final OpArgs GETFH = new VoidArgs(Opcode.GETFH);

    private final RecordingCallbacks callbacks = new RecordingCallbacks();
    private JnfsdServer server;

    @AfterEach
    void stop() {
        if (server != null) {
            server.close();
        }
    }

    @Test
    void openForWrite_otherClientHoldsReadDelegation_delayRecallThenOkAfterDelegreturn() throws Exception {
        server = DelegationFixture.serverWithFileF().build();
        InetSocketAddress address = server.start();

        try (NfsClient a = NfsClient.connect(address, 1, CRED, callbacks);
                NfsClient b = NfsClient.connect(address, 1, CRED)) {
            a.reclaimComplete();
            b.reclaimComplete();
            awaitChannelUp(server, a);

            CompoundReply ra = a.compound(PUTROOTFH,
                    openF(a, ShareAccess.ACCESS_READ | ShareAccess.WANT_READ_DELEG), GETFH);
            assertThat(ra.status()).isEqualTo(NfsStatus.NFS4_OK);
            OpenDelegation deleg = ra.result(2, OpenResult.class).delegation();
            assertThat(deleg).isInstanceOf(OpenDelegation.Read.class);
            OpenDelegation.Read read = (OpenDelegation.Read) deleg;
            byte[] fh = ra.result(3, GetFhResult.class).fh();

            assertThat(b.compound(PUTROOTFH, openF(b, ShareAccess.ACCESS_WRITE)).status())
                    .isEqualTo(NfsStatus.NFS4ERR_DELAY);

            CbRecallArgs recall = callbacks.await(CbOpcode.CB_RECALL, 1, CbRecallArgs.class, Duration.ofSeconds(BOUND_S));
            assertThat(recall.stateId()).isEqualTo(read.stateId());
            assertThat(recall.fileHandle()).isEqualTo(fh);
            assertThat(b.compound(PUTROOTFH, openF(b, ShareAccess.ACCESS_WRITE)).status())
                    .as("still recalling until A returns it").isEqualTo(NfsStatus.NFS4ERR_DELAY);

            assertThat(a.compound(new PutFhArgs(fh), new DelegreturnArgs(read.stateId())).status())
                    .isEqualTo(NfsStatus.NFS4_OK);

            assertThat(b.compound(PUTROOTFH, openF(b, ShareAccess.ACCESS_WRITE)).status()).isEqualTo(NfsStatus.NFS4_OK);
        }
    }

    @Test
    void recall_holderAnswersDelayTwice_serverResendsOnNextSequenceIds_thenOkAndChannelStaysUp() throws Exception {
        server = DelegationFixture.serverWithFileF().build();
        InetSocketAddress address = server.start();
        callbacks.answer(CbOpcode.CB_RECALL, RecordingCallbacks.Answer.delay());

        try (NfsClient a = NfsClient.connect(address, 1, CRED, callbacks);
                NfsClient b = NfsClient.connect(address, 1, CRED)) {
            a.reclaimComplete();
            b.reclaimComplete();
            CallbackChannel ch = awaitChannelUp(server, a);
            CompoundReply ra = a.compound(PUTROOTFH, openF(a, ShareAccess.ACCESS_READ | ShareAccess.WANT_READ_DELEG));
            OpenDelegation.Read read = (OpenDelegation.Read) ra.result(2, OpenResult.class).delegation();
            assertThat(b.compound(PUTROOTFH, openF(b, ShareAccess.ACCESS_WRITE)).status())
                    .isEqualTo(NfsStatus.NFS4ERR_DELAY);

            callbacks.await(CbOpcode.CB_RECALL, 2, CbRecallArgs.class, Duration.ofSeconds(BOUND_S));
            callbacks.answer(CbOpcode.CB_RECALL, RecordingCallbacks.Answer.ok());
            callbacks.await(CbOpcode.CB_RECALL, 3, CbRecallArgs.class, Duration.ofSeconds(BOUND_S));

            assertThat(callbacks.received(CbOpcode.CB_RECALL)).allSatisfy(r ->
                    assertThat(((CbRecallArgs) r).stateId()).isEqualTo(read.stateId()));
            awaitNoCallbackInFlight(a, ch);
            assertThat(ch.state()).as("every resend was in sequence for the client's slot table")
                    .isEqualTo(CallbackChannel.State.UP);
        }
    }

    /** A server with one file "f" on an export with delegations {@code on}, at most {@code limit}. */
    private InetSocketAddress serve(boolean on, int limit) throws Exception {
        MemoryFileSystem fs = new MemoryFileSystem(Clock.systemUTC(), MemoryFileSystem.Options.DEFAULTS.withRoot(0777, 0, 0));
        fs.createFile(fs.root(), "f", new SetAttributes(0666, 1000, 1000, null, null, null), true);
        server = JnfsdServer.builder()
                .export(new Export(1, "/", fs).withDelegations(on))
                .config(ServerConfig.builder().maxDelegations(limit).build())
                .bindAddress(InetAddress.getLoopbackAddress()).port(0).build();
        return server.start();
    }

    @Test
    void openForRead_exportWithoutDelegations_noneExtResourceThoughChannelUp() throws Exception {
        InetSocketAddress address = serve(false, 100);

        try (NfsClient a = NfsClient.connect(address, 1, CRED, callbacks)) {
            a.reclaimComplete();
            awaitChannelUp(server, a);

            CompoundReply r = a.compound(PUTROOTFH, openF(a, ShareAccess.ACCESS_READ | ShareAccess.WANT_READ_DELEG));

            assertThat(r.status()).isEqualTo(NfsStatus.NFS4_OK);
            assertThat(r.result(2, OpenResult.class).delegation())
                    .isEqualTo(OpenDelegation.NoneExt.of(OpenDelegation.WND4_RESOURCE));
            assertThat(server.context().delegations().liveCount()).isZero();
        }
    }

    @Test
    void openForWrite_holderAnswersRecallWithError_revokedAtOnce_writerProceeds_holderSeesRevoked() throws Exception {
        InetSocketAddress address = serve(true, 100);
        callbacks.answer(CbOpcode.CB_RECALL, RecordingCallbacks.Answer.status(NfsStatus.NFS4ERR_BADHANDLE));

        try (NfsClient a = NfsClient.connect(address, 1, CRED, callbacks);
                NfsClient b = NfsClient.connect(address, 1, CRED)) {
            a.reclaimComplete();
            b.reclaimComplete();
            awaitChannelUp(server, a);
            CompoundReply ra = a.compound(PUTROOTFH, openF(a, ShareAccess.ACCESS_READ | ShareAccess.WANT_READ_DELEG));
            OpenDelegation.Read read = (OpenDelegation.Read) ra.result(2, OpenResult.class).delegation();

            assertThat(b.compound(PUTROOTFH, openF(b, ShareAccess.ACCESS_WRITE)).status()).isEqualTo(NfsStatus.NFS4ERR_DELAY);
            callbacks.await(CbOpcode.CB_RECALL, 1, CbRecallArgs.class, Duration.ofSeconds(BOUND_S));
            NfsStatus last = NfsStatus.NFS4ERR_DELAY;
            for (int i = 0; i < DelegationFixture.MAX_POLLS && last == NfsStatus.NFS4ERR_DELAY; i++) {
                last = b.compound(PUTROOTFH, openF(b, ShareAccess.ACCESS_WRITE)).status();
            }

            assertThat(last).as("the writer proceeds well before a lease").isEqualTo(NfsStatus.NFS4_OK);
            SequenceResult seq = a.compound().result(0, SequenceResult.class);
            assertThat(seq.statusFlags() & SequenceResult.STATUS_RECALLABLE_STATE_REVOKED).isNotZero();
            assertThat(a.compound(new TestStateidArgs(List.of(read.stateId()))).result(1, TestStateidResult.class)
                    .statusCodes()).containsExactly(NfsStatus.NFS4ERR_DELEG_REVOKED);
            assertThat(server.context().counters().count(ServerEvent.DELEGATION_REVOKED)).isEqualTo(1);
            assertThat(server.context().counters().count(ServerEvent.CB_RECALL_SENT)).isEqualTo(1);
        }
    }

    @Test
    void laundromat_delegationsAtTheLimit_holderGetsCbRecallAny() throws Exception {
        InetSocketAddress address = serve(true, 1);

        try (NfsClient a = NfsClient.connect(address, 1, CRED, callbacks)) {
            a.reclaimComplete();
            awaitChannelUp(server, a);
            CompoundReply ra = a.compound(PUTROOTFH, openF(a, ShareAccess.ACCESS_READ | ShareAccess.WANT_READ_DELEG));
            assertThat(ra.result(2, OpenResult.class).delegation()).isInstanceOf(OpenDelegation.Read.class);

            server.context().laundromat().runOnce();

            CbRecallAnyArgs any = callbacks.await(CbOpcode.CB_RECALL_ANY, 1, CbRecallAnyArgs.class,
                    Duration.ofSeconds(BOUND_S));
            assertThat(any.objectsToKeep()).isZero();
            assertThat(any.typeMask()).containsExactly(1 << CbRecallAnyArgs.TYPE_RDATA_DLG);
            assertThat(server.context().counters().count(ServerEvent.CB_RECALL_ANY_SENT)).isEqualTo(1);
        }
    }
}
