package org.jnfsd.server;

import static org.assertj.core.api.Assertions.assertThat;
import static org.jnfsd.server.DelegationFixture.awaitChannelUp;
import static org.jnfsd.server.DelegationFixture.openF;

import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import org.jnfsd.client.NfsClient;
import org.jnfsd.client.RecordingCallbacks;
import org.jnfsd.core.callback.CallbackChannel;
import org.jnfsd.core.session.ClientId;
import org.jnfsd.protocol.nfs4.CompoundReply;
import org.jnfsd.protocol.nfs4.NfsStatus;
import org.jnfsd.protocol.nfs4.OpArgs;
import org.jnfsd.protocol.nfs4.Opcode;
import org.jnfsd.protocol.nfs4.StateId;
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
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * A CB_RECALL the holder could not hear (its back channel was lost) is sent again when the
 * client comes back with a new session and back channel (RFC 8881 §20.7, §2.10.13), instead of
 * the delegation being left to revocation (issue 17). Over TCP: A holds a read delegation and
 * loses its connection; B's conflicting OPEN makes the recall fail; A reconnects with the same
 * client owner (same client id, new session with a back channel) and gets the CB_RECALL.
 */
class RecallResentTcpTest {
    private static final Credential CRED = new Credential.AuthSys(0, "recall-resent", 1000, 1000, new int[0]);
    private static final OpArgs PUTROOTFH = new VoidArgs(Opcode.PUTROOTFH);
    private static final OpArgs GETFH = new VoidArgs(Opcode.GETFH);
    private static final byte[] OWNER = "recall-resent/a".getBytes(StandardCharsets.UTF_8);
    private static final byte[] VERIFIER = "verifier".getBytes(StandardCharsets.UTF_8);

    private final RecordingCallbacks callbacks = new RecordingCallbacks();
    private JnfsdServer server;

    @AfterEach
    void stop() {
        if (server != null) {
            server.close();
        }
    }

    @Test
    void recallFailedOnALostBackChannel_isSentAgainOverTheClientsNewSession() throws Exception {
        server = DelegationFixture.serverWithFileF().build();
        InetSocketAddress address = server.start();
        NfsClient a = NfsClient.connect(address, 1, CRED, callbacks, OWNER, VERIFIER);
        try (NfsClient b = NfsClient.connect(address, 1, CRED)) {
            a.reclaimComplete();
            b.reclaimComplete();
            CallbackChannel ch = awaitChannelUp(server, a);
            CompoundReply ra = a.compound(PUTROOTFH, openF(a, ShareAccess.ACCESS_READ | ShareAccess.WANT_READ_DELEG),
                    GETFH);
            StateId deleg = ((OpenDelegation.Read) ra.result(2, OpenResult.class).delegation()).stateId();
            byte[] fh = ra.result(3, GetFhResult.class).fh();

            a.connection().close(); // A's only connection, and its back channel, are gone
            for (int i = 0; i < DelegationFixture.MAX_POLLS && ch.state() == CallbackChannel.State.UP; i++) {
                assertThat(b.compound().status()).isEqualTo(NfsStatus.NFS4_OK);
            }
            assertThat(ch.state()).isNotEqualTo(CallbackChannel.State.UP);
            assertThat(b.compound(PUTROOTFH, openF(b, ShareAccess.ACCESS_WRITE)).status())
                    .isEqualTo(NfsStatus.NFS4ERR_DELAY);
            DelegationFixture.awaitNoCallbackInFlight(b, ch);
            assertThat(callbacks.received(CbOpcode.CB_RECALL)).as("A could not hear it").isEmpty();

            try (NfsClient back = NfsClient.connect(address, 1, CRED, callbacks, OWNER, VERIFIER)) {
                assertThat(back.clientId()).as("the same client, a new session").isEqualTo(a.clientId());
                CbRecallArgs recall = callbacks.await(CbOpcode.CB_RECALL, 1, CbRecallArgs.class, Duration.ofSeconds(30));
                assertThat(recall.stateId()).isEqualTo(deleg);
                assertThat(server.context().delegations().hasRevoked(back.clientId())).isFalse();

                assertThat(back.compound(new PutFhArgs(fh), new DelegreturnArgs(deleg)).status())
                        .isEqualTo(NfsStatus.NFS4_OK);
                assertThat(b.compound(PUTROOTFH, openF(b, ShareAccess.ACCESS_WRITE)).status())
                        .isEqualTo(NfsStatus.NFS4_OK);
            }
        } finally {
            a.close();
        }
    }
}
