package org.jnfsd.server;

import static org.assertj.core.api.Assertions.assertThat;
import static org.jnfsd.server.DelegationFixture.awaitChannelUp;
import static org.jnfsd.server.DelegationFixture.openF;

import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import org.jnfsd.client.NfsClient;
import org.jnfsd.client.RecordingCallbacks;
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
import org.jnfsd.protocol.nfs4.xattr.RemovexattrArgs;
import org.jnfsd.protocol.nfs4.xattr.SetxattrArgs;
import org.jnfsd.protocol.nfs4.xattr.SetxattrOption;
import org.jnfsd.rpc.Credential;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * SETXATTR and REMOVEXATTR against another client's read delegation over real TCP (4.2): the
 * change is answered NFS4ERR_DELAY and the holder gets a CB_RECALL; after DELEGRETURN the retry
 * succeeds. The holder's own changes recall nothing.
 */
class XattrDelegationTcpTest {
    private static final Credential CRED = new Credential.AuthSys(0, "xattr-deleg", 1000, 1000, new int[0]);
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

    private static SetxattrArgs set(String value) {
        return SetxattrArgs.of(SetxattrOption.EITHER, "k", value.getBytes(StandardCharsets.UTF_8));
    }

    @Test
    void otherClientsSetxattrAndRemovexattr_delayAndRecall_holdersOwnDoNot_okAfterDelegreturn() throws Exception {
        server = DelegationFixture.serverWithFileF().build();
        InetSocketAddress address = server.start();
        try (NfsClient a = NfsClient.connect(address, 2, CRED, callbacks);
                NfsClient b = NfsClient.connect(address, 2, CRED)) {
            a.reclaimComplete();
            b.reclaimComplete();
            awaitChannelUp(server, a);
            CompoundReply ra = a.compound(PUTROOTFH, openF(a, ShareAccess.ACCESS_READ | ShareAccess.WANT_READ_DELEG), GETFH);
            assertThat(ra.status()).isEqualTo(NfsStatus.NFS4_OK);
            OpenDelegation.Read read = (OpenDelegation.Read) ra.result(2, OpenResult.class).delegation();
            byte[] fh = ra.result(3, GetFhResult.class).fh();

            assertThat(a.compound(new PutFhArgs(fh), set("a's")).status()).as("the holder's own").isEqualTo(NfsStatus.NFS4_OK);
            assertThat(callbacks.received(CbOpcode.CB_RECALL)).isEmpty();

            assertThat(b.compound(new PutFhArgs(fh), set("b's")).status()).isEqualTo(NfsStatus.NFS4ERR_DELAY);
            CbRecallArgs recall = callbacks.await(CbOpcode.CB_RECALL, 1, CbRecallArgs.class, Duration.ofSeconds(30));
            assertThat(recall.stateId()).isEqualTo(read.stateId());
            assertThat(b.compound(new PutFhArgs(fh), RemovexattrArgs.of("k")).status())
                    .as("still recalling").isEqualTo(NfsStatus.NFS4ERR_DELAY);

            assertThat(a.compound(new PutFhArgs(fh), new DelegreturnArgs(read.stateId())).status())
                    .isEqualTo(NfsStatus.NFS4_OK);
            assertThat(b.compound(new PutFhArgs(fh), set("b's")).status()).isEqualTo(NfsStatus.NFS4_OK);
            assertThat(b.compound(new PutFhArgs(fh), RemovexattrArgs.of("k")).status()).isEqualTo(NfsStatus.NFS4_OK);
        }
    }
}
