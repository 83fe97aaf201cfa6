package org.jnfsd.server;

import static org.assertj.core.api.Assertions.assertThat;
import static org.jnfsd.server.DelegationFixture.awaitChannelUp;
import static org.jnfsd.server.DelegationFixture.openF;

import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.HexFormat;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.jnfsd.client.NfsClient;
import org.jnfsd.client.RecordingCallbacks;
import org.jnfsd.core.fs.FileHandle;
import org.jnfsd.core.metrics.ServerEvent;
import org.jnfsd.protocol.nfs4.CompoundReply;
import org.jnfsd.protocol.nfs4.NfsStatus;
import org.jnfsd.protocol.nfs4.OpArgs;
import org.jnfsd.protocol.nfs4.Opcode;
import org.jnfsd.protocol.nfs4.callback.CbOpcode;
import org.jnfsd.protocol.nfs4.callback.CbRecallArgs;
import org.jnfsd.protocol.nfs4.delegation.DelegreturnArgs;
import org.jnfsd.protocol.nfs4.io.OpenDelegation;
import org.jnfsd.protocol.nfs4.io.OpenResult;
import org.jnfsd.protocol.nfs4.io.ShareAccess;
import org.jnfsd.protocol.nfs4.namespace.GetFhResult;
import org.jnfsd.protocol.nfs4.namespace.PutFhArgs;
import org.jnfsd.protocol.nfs4.namespace.VoidArgs;
import org.jnfsd.rpc.Credential;
import org.jnfsd.server.admin.AdminClient;
import org.jnfsd.server.admin.FaultInjector;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * {@code jnfsd inject} over TCP (the admin program's INJECT): a client holding a read delegation
 * has it recalled by client or by file, revoked, or its back channel dropped, each through the real
 * paths; nothing happens when the server was not started with fault injection allowed.
 */
class FaultInjectionTcpTest {
    private static final Credential CRED = new Credential.AuthSys(0, "fault-test", 1000, 1000, new int[0]);
    private static final OpArgs PUTROOTFH = new VoidArgs(Opcode.PUTROOTFH);
    private static final OpArgs GETFH = new VoidArgs(Opcode.GETFH);
    private static final Duration BOUND = Duration.ofSeconds(30);

    private final RecordingCallbacks callbacks = new RecordingCallbacks();
    private JnfsdServer server;

    @AfterEach
    void stop() {
        if (server != null) {
            server.close();
        }
    }

    private record Held(OpenDelegation.Read delegation, byte[] fh) {}

    private Held readDelegation(NfsClient a) throws Exception {
        a.reclaimComplete();
        awaitChannelUp(server, a);
        CompoundReply r = a.compound(PUTROOTFH, openF(a, ShareAccess.ACCESS_READ | ShareAccess.WANT_READ_DELEG), GETFH);
        assertThat(r.status()).isEqualTo(NfsStatus.NFS4_OK);
        assertThat(r.result(2, OpenResult.class).delegation()).isInstanceOf(OpenDelegation.Read.class);
        return new Held((OpenDelegation.Read) r.result(2, OpenResult.class).delegation(), r.result(3, GetFhResult.class).fh());
    }

    private InetSocketAddress start(boolean allow) throws Exception {
        server = DelegationFixture.serverWithFileF().allowFaultInjection(allow).build();
        return server.start();
    }

    @Test
    void recallByClient_sendsCbRecall_delegreturnEndsIt() throws Exception {
        InetSocketAddress address = start(true);
        try (NfsClient a = NfsClient.connect(address, 1, CRED, callbacks)) {
            Held held = readDelegation(a);

            FaultInjector.Outcome o = AdminClient.inject(address, "recall", String.format("%016x", a.clientId()));

            assertThat(o.result()).isEqualTo(FaultInjector.Result.DONE);
            assertThat(o.count()).isEqualTo(1);
            CbRecallArgs recall = callbacks.await(CbOpcode.CB_RECALL, 1, CbRecallArgs.class, BOUND);
            assertThat(recall.stateId()).isEqualTo(held.delegation().stateId());
            assertThat(a.compound(new PutFhArgs(held.fh()), new DelegreturnArgs(held.delegation().stateId())).status())
                    .isEqualTo(NfsStatus.NFS4_OK);
            assertThat(server.context().delegations().liveCount()).isZero();
        }
    }

    @Test
    void recallByFile_asJnfsdStatesNamesIt_sendsCbRecall() throws Exception {
        InetSocketAddress address = start(true);
        try (NfsClient a = NfsClient.connect(address, 1, CRED, callbacks)) {
            Held held = readDelegation(a);
            FileHandle fh = server.context().config().handleKey().open(held.fh());
            String file = fh.exportId() + ":" + HexFormat.of().formatHex(fh.inode().bytes());

            assertThat(AdminClient.inject(address, "recall", file).count()).isEqualTo(1);
            assertThat(callbacks.await(CbOpcode.CB_RECALL, 1, CbRecallArgs.class, BOUND).fileHandle())
                    .isEqualTo(held.fh());
            assertThat(AdminClient.inject(address, "recall", "1:00ff").count()).as("another file").isZero();
        }
    }

    @Test
    void revoke_revokesNow_counted() throws Exception {
        InetSocketAddress address = start(true);
        try (NfsClient a = NfsClient.connect(address, 1, CRED, callbacks)) {
            readDelegation(a);

            FaultInjector.Outcome o = AdminClient.inject(address, "revoke", String.format("%016x", a.clientId()));

            assertThat(o.count()).isEqualTo(1);
            assertThat(server.context().delegations().liveCount()).isZero();
            assertThat(server.context().counters().count(ServerEvent.DELEGATION_REVOKED)).isEqualTo(1);
            assertThat(server.context().delegations().hasRevoked(a.clientId())).isTrue();
            assertThat(callbacks.received(CbOpcode.CB_RECALL)).as("revoked without a recall").isEmpty();
        }
    }

    @Test
    void dropBackchannel_closesTheConnectionCarryingIt() throws Exception {
        InetSocketAddress address = start(true);
        try (NfsClient a = NfsClient.connect(address, 1, CRED, callbacks)) {
            a.reclaimComplete();
            awaitChannelUp(server, a);
            CountDownLatch closed = new CountDownLatch(1);
            a.connection().onClose(closed::countDown);

            FaultInjector.Outcome o = AdminClient.inject(address, "drop-backchannel", String.format("%016x", a.clientId()));

            assertThat(o.result()).isEqualTo(FaultInjector.Result.DONE);
            assertThat(o.count()).isEqualTo(1);
            assertThat(closed.await(BOUND.toSeconds(), TimeUnit.SECONDS)).as("the client's connection closed").isTrue();
        }
    }

    @Test
    void callbackDelay_setAndCleared_badValuesRefused() throws Exception {
        InetSocketAddress address = start(true);
        assertThat(AdminClient.inject(address, "callback-delay", "250").result()).isEqualTo(FaultInjector.Result.DONE);
        assertThat(server.context().callbacks().injectedDelay()).isEqualTo(Duration.ofMillis(250));
        assertThat(AdminClient.inject(address, "callback-delay", "0").result()).isEqualTo(FaultInjector.Result.DONE);
        assertThat(server.context().callbacks().injectedDelay()).isZero();
        assertThat(AdminClient.inject(address, "callback-delay", "soon").result())
                .isEqualTo(FaultInjector.Result.BAD_ARGUMENT);
        assertThat(AdminClient.inject(address, "callback-delay", "-5").result())
                .isEqualTo(FaultInjector.Result.BAD_ARGUMENT);
        assertThat(AdminClient.inject(address, "melt", "now").result()).isEqualTo(FaultInjector.Result.BAD_ARGUMENT);
        assertThat(AdminClient.inject(address, "recall", "0123456789abcdef").result())
                .isEqualTo(FaultInjector.Result.NO_SUCH_TARGET);
    }

    @Test
    void notAllowed_nothingIsInjected() throws Exception {
        InetSocketAddress address = start(false);
        try (NfsClient a = NfsClient.connect(address, 1, CRED, callbacks)) {
            readDelegation(a);

            FaultInjector.Outcome o = AdminClient.inject(address, "revoke", String.format("%016x", a.clientId()));

            assertThat(o.result()).isEqualTo(FaultInjector.Result.NOT_ALLOWED);
            assertThat(o.message()).contains("--allow-fault-injection");
            assertThat(server.context().delegations().liveCount()).isEqualTo(1);
        }
    }
}
