package org.jnfsd.core.ops.session;

import static org.assertj.core.api.Assertions.assertThat;
import static org.jnfsd.core.ops.session.Harness.ALICE;
import static org.jnfsd.core.ops.session.Harness.VERIFIER_1;
import static org.jnfsd.core.ops.session.Harness.attrs;
import static org.jnfsd.core.ops.session.Harness.count;
import static org.jnfsd.core.ops.session.Harness.createSessionArgs;
import static org.jnfsd.core.ops.session.Harness.seq;

import org.jnfsd.core.fs.FileHandle;
import org.jnfsd.core.session.ClientRecord;
import org.jnfsd.protocol.nfs4.NfsStatus;
import org.jnfsd.protocol.nfs4.io.OpenOwner;
import org.jnfsd.protocol.nfs4.io.ShareAccess;
import org.jnfsd.protocol.nfs4.session.CreateSessionResult;
import org.jnfsd.protocol.nfs4.session.DestroyClientidArgs;
import org.jnfsd.protocol.nfs4.session.DestroySessionArgs;
import org.jnfsd.protocol.nfs4.session.ExchangeIdResult;
import org.jnfsd.vfs.Inode;
import org.junit.jupiter.api.Test;

class DestroyClientidTest {
    private final Harness h = new Harness();

    @Test
    void destroyClientid_withSession_clientidBusy() {
        ExchangeIdResult eid = h.exchangeId(ALICE, "owner", VERIFIER_1);
        h.createSession(eid.clientId(), 1, attrs(1));

        assertThat(h.call(new DestroyClientidArgs(eid.clientId())).status()).isEqualTo(NfsStatus.NFS4ERR_CLIENTID_BUSY);
    }

    @Test
    void destroyClientid_underSequenceOfOwnSession_clientidBusy() {
        ExchangeIdResult eid = h.exchangeId(ALICE, "owner", VERIFIER_1);
        CreateSessionResult cs = h.createSession(eid.clientId(), 1, attrs(1));

        Harness.Reply r = h.call(seq(cs.sessionId(), 1, 0, false), new DestroyClientidArgs(eid.clientId()));

        assertThat(r.status()).isEqualTo(NfsStatus.NFS4ERR_CLIENTID_BUSY);
    }

    @Test
    void destroyClientid_afterSessionDestroyed_okThenStale() throws Exception {
        ExchangeIdResult eid = h.exchangeId(ALICE, "owner", VERIFIER_1);
        CreateSessionResult cs = h.createSession(eid.clientId(), 1, attrs(1));
        ClientRecord client = h.server.sessions().client(eid.clientId());
        h.call(new DestroySessionArgs(cs.sessionId()));

        assertThat(h.call(new DestroyClientidArgs(eid.clientId())).status()).isEqualTo(NfsStatus.NFS4_OK);

        assertThat(client.state()).isEqualTo(ClientRecord.State.DESTROYED);
        assertThat(h.call(new DestroyClientidArgs(eid.clientId())).status())
                .isEqualTo(NfsStatus.NFS4ERR_STALE_CLIENTID);
        assertThat(h.call(createSessionArgs(eid.clientId(), 2, attrs(1))).status())
                .isEqualTo(NfsStatus.NFS4ERR_STALE_CLIENTID);
        ExchangeIdResult fresh = h.exchangeId(ALICE, "owner", VERIFIER_1);
        assertThat(fresh.clientId()).isNotEqualTo(eid.clientId());
        assertThat(fresh.flags() & org.jnfsd.protocol.nfs4.session.ExchangeIdArgs.FLAG_CONFIRMED_R).isZero();
    }

    @Test
    void destroyClientid_clientWithOpens_clientIdBusy() throws Exception {
        ExchangeIdResult eid = h.exchangeId(ALICE, "owner", VERIFIER_1);
        CreateSessionResult cs = h.createSession(eid.clientId(), 1, attrs(1));
        FileHandle file = new FileHandle(1, new Inode(new byte[] {7}));
        h.server.opens().open(eid.clientId(), new OpenOwner(eid.clientId(), new byte[] {1}), file,
                ShareAccess.ACCESS_READ, 0);
        assertThat(h.server.opens().openCount(eid.clientId())).isEqualTo(1);
        h.call(new DestroySessionArgs(cs.sessionId()));

        // RFC 8881 §18.50.3: opens under an unexpired lease keep the client busy
        assertThat(h.call(new DestroyClientidArgs(eid.clientId())).status())
                .isEqualTo(NfsStatus.NFS4ERR_CLIENTID_BUSY);

        assertThat(h.server.opens().openCount(eid.clientId())).isEqualTo(1);
        assertThat(h.server.opens().isOpen(file)).isTrue();
    }

    @Test
    void destroyClientid_unconfirmedRecord_ok() {
        ExchangeIdResult eid = h.exchangeId(ALICE, "owner", VERIFIER_1);

        assertThat(h.call(new DestroyClientidArgs(eid.clientId())).status()).isEqualTo(NfsStatus.NFS4_OK);
    }

    @Test
    void destroyClientid_clientIdOfAnotherServerInstance_staleClientId() {
        ExchangeIdResult eid = h.exchangeId(ALICE, "owner", VERIFIER_1);

        assertThat(new Harness().call(new DestroyClientidArgs(eid.clientId())).status())
                .isEqualTo(NfsStatus.NFS4ERR_STALE_CLIENTID);
    }

    @Test
    void destroyClientid_withAnotherOpWithoutSequence_notOnlyOp() {
        ExchangeIdResult eid = h.exchangeId(ALICE, "owner", VERIFIER_1);

        assertThat(h.call(new DestroyClientidArgs(eid.clientId()), count()).status())
                .isEqualTo(NfsStatus.NFS4ERR_NOT_ONLY_OP);
    }
}
