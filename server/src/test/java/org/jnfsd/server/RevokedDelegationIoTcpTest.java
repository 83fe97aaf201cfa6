package org.jnfsd.server;

import static org.assertj.core.api.Assertions.assertThat;
import static org.jnfsd.server.DelegationFixture.awaitChannelUp;
import static org.jnfsd.server.DelegationFixture.openF;

import io.netty.buffer.Unpooled;
import java.net.InetSocketAddress;
import java.time.Duration;
import org.jnfsd.client.NfsClient;
import org.jnfsd.client.RecordingCallbacks;
import org.jnfsd.protocol.nfs4.CompoundReply;
import org.jnfsd.protocol.nfs4.NfsStatus;
import org.jnfsd.protocol.nfs4.OpArgs;
import org.jnfsd.protocol.nfs4.Opcode;
import org.jnfsd.protocol.nfs4.StateId;
import org.jnfsd.protocol.nfs4.callback.CbOpcode;
import org.jnfsd.protocol.nfs4.callback.CbRecallArgs;
import org.jnfsd.protocol.nfs4.io.FreeStateidArgs;
import org.jnfsd.protocol.nfs4.io.OpenDelegation;
import org.jnfsd.protocol.nfs4.io.OpenResult;
import org.jnfsd.protocol.nfs4.io.ReadArgs;
import org.jnfsd.protocol.nfs4.io.ShareAccess;
import org.jnfsd.protocol.nfs4.io.StableHow;
import org.jnfsd.protocol.nfs4.io.WriteArgs;
import org.jnfsd.protocol.nfs4.namespace.GetFhResult;
import org.jnfsd.protocol.nfs4.namespace.PutFhArgs;
import org.jnfsd.protocol.nfs4.namespace.VoidArgs;
import org.jnfsd.rpc.Credential;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * I/O through a delegation the server revoked (issue 17): while the revoked delegation is kept for
 * FREE_STATEID, READ and WRITE with its stateid answer NFS4ERR_DELEG_REVOKED (RFC 8881 §15.1.5.2,
 * §8.2.4 lists it for every operation taking a stateid), so the client knows to free it; after
 * FREE_STATEID the stateid is unknown (NFS4ERR_BAD_STATEID).
 */
class RevokedDelegationIoTcpTest {
    private static final Credential CRED = new Credential.AuthSys(0, "revoked-io", 1000, 1000, new int[0]);
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
    void readAndWrite_withRevokedDelegation_areDelegRevoked_untilFreed() throws Exception {
        server = DelegationFixture.serverWithFileF().build();
        InetSocketAddress address = server.start();
        // the holder refuses the recall: the server revokes at once (no lease to wait)
        callbacks.answer(CbOpcode.CB_RECALL, RecordingCallbacks.Answer.status(NfsStatus.NFS4ERR_BADHANDLE));
        try (NfsClient a = NfsClient.connect(address, 1, CRED, callbacks);
                NfsClient b = NfsClient.connect(address, 1, CRED)) {
            a.reclaimComplete();
            b.reclaimComplete();
            awaitChannelUp(server, a);
            CompoundReply ra = a.compound(PUTROOTFH, openF(a, ShareAccess.ACCESS_READ | ShareAccess.WANT_READ_DELEG),
                    GETFH);
            StateId deleg = ((OpenDelegation.Read) ra.result(2, OpenResult.class).delegation()).stateId();
            byte[] fh = ra.result(3, GetFhResult.class).fh();

            assertThat(b.compound(PUTROOTFH, openF(b, ShareAccess.ACCESS_WRITE)).status())
                    .isEqualTo(NfsStatus.NFS4ERR_DELAY);
            callbacks.await(CbOpcode.CB_RECALL, 1, CbRecallArgs.class, Duration.ofSeconds(30));
            NfsStatus last = NfsStatus.NFS4ERR_DELAY;
            for (int i = 0; i < DelegationFixture.MAX_POLLS && last == NfsStatus.NFS4ERR_DELAY; i++) {
                last = b.compound(PUTROOTFH, openF(b, ShareAccess.ACCESS_WRITE)).status();
            }
            assertThat(last).isEqualTo(NfsStatus.NFS4_OK);
            assertThat(server.context().delegations().hasRevoked(a.clientId())).isTrue();

            assertThat(a.compound(new PutFhArgs(fh), new ReadArgs(deleg, 0, 10)).status())
                    .isEqualTo(NfsStatus.NFS4ERR_DELEG_REVOKED);
            assertThat(a.compound(new PutFhArgs(fh),
                    new WriteArgs(deleg, 0, StableHow.FILE_SYNC4, Unpooled.wrappedBuffer(new byte[] {1}))).status())
                    .isEqualTo(NfsStatus.NFS4ERR_DELEG_REVOKED);

            assertThat(a.compound(new FreeStateidArgs(deleg)).status()).isEqualTo(NfsStatus.NFS4_OK);
            assertThat(a.compound(new PutFhArgs(fh), new ReadArgs(deleg, 0, 10)).status())
                    .as("freed: no longer known").isEqualTo(NfsStatus.NFS4ERR_BAD_STATEID);
        }
    }
}
