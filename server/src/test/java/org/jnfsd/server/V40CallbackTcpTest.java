package org.jnfsd.server;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import org.jnfsd.client.NfsV40Client;
import org.jnfsd.client.V40CallbackServer;
import org.jnfsd.core.ServerConfig;
import org.jnfsd.core.callback.CallbackAddressPolicy;
import org.jnfsd.core.callback.CallbackChannel;
import org.jnfsd.core.fs.Export;
import org.jnfsd.core.metrics.ServerEvent;
import org.jnfsd.core.session.ClientId;
import org.jnfsd.protocol.nfs4.CompoundReply;
import org.jnfsd.protocol.nfs4.NfsStatus;
import org.jnfsd.protocol.nfs4.Opcode;
import org.jnfsd.protocol.nfs4.callback.CbCompoundArgs;
import org.jnfsd.protocol.nfs4.callback.CbRecallArgs;
import org.jnfsd.protocol.nfs4.delegation.DelegreturnArgs;
import org.jnfsd.protocol.nfs4.io.OpenArgs;
import org.jnfsd.protocol.nfs4.io.OpenClaim;
import org.jnfsd.protocol.nfs4.io.OpenDelegation;
import org.jnfsd.protocol.nfs4.io.OpenHow;
import org.jnfsd.protocol.nfs4.io.OpenOwner;
import org.jnfsd.protocol.nfs4.io.OpenResult;
import org.jnfsd.protocol.nfs4.io.ShareAccess;
import org.jnfsd.protocol.nfs4.namespace.GetFhResult;
import org.jnfsd.protocol.nfs4.namespace.PutFhArgs;
import org.jnfsd.protocol.nfs4.namespace.VoidArgs;
import org.jnfsd.protocol.nfs4.v40.CallbackClient;
import org.jnfsd.protocol.nfs4.v40.NetAddr;
import org.jnfsd.protocol.nfs4.v40.RenewArgs;
import org.jnfsd.protocol.nfs4.v40.SetClientIdArgs;
import org.jnfsd.protocol.nfs4.v40.SetClientIdConfirmArgs;
import org.jnfsd.protocol.nfs4.v40.SetClientIdResult;
import org.jnfsd.rpc.Credential;
import org.jnfsd.vfs.SetAttributes;
import org.jnfsd.vfs.memory.MemoryFileSystem;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * The NFSv4.0 callback path over real TCP: SETCLIENTID names a callback service the test runs on
 * loopback ({@link V40CallbackServer}); the server dials it, probes it with CB_NULL, grants read
 * delegations once it is UP, and recalls them with a CB_COMPOUND of minor version 0 over the
 * connection it opened. A lost connection makes RENEW answer NFS4ERR_CB_PATH_DOWN; a callback
 * update re-establishes the path; an address outside {@code --callback-addresses} is never dialled.
 * Waits are bounded polls (RENEW round trips), never timed assertions.
 */
class V40CallbackTcpTest {
    private static final Credential CRED = new Credential.AuthSys(0, "v40-cb", 1000, 1000, new int[0]);
    private static final VoidArgs PUTROOTFH = new VoidArgs(Opcode.PUTROOTFH);
    private static final VoidArgs GETFH = new VoidArgs(Opcode.GETFH);
    private static final int IDENT = 77;

    private JnfsdServer server;
    private final java.util.List<AutoCloseable> closing = new java.util.ArrayList<>();

    private InetSocketAddress start(CallbackAddressPolicy policy) throws Exception {
        MemoryFileSystem fs = new MemoryFileSystem(Clock.systemUTC(), MemoryFileSystem.Options.DEFAULTS.withRoot(0777, 0, 0));
        fs.createFile(fs.root(), "f", new SetAttributes(0666, 1000, 1000, null, null, null), true);
        server = JnfsdServer.builder()
                .export(new Export(1, "/", fs, false, false, Export.NOBODY, Export.NOBODY))
                .config(ServerConfig.builder().maxDelegations(100).callbackAddresses(policy).build())
                .bindAddress(InetAddress.getLoopbackAddress()).port(0).build();
        return server.start();
    }

    @AfterEach
    void stop() throws Exception {
        for (AutoCloseable c : closing.reversed()) {
            c.close();
        }
        if (server != null) {
            server.close();
        }
    }

    private <T extends AutoCloseable> T closeLater(T c) {
        closing.add(c);
        return c;
    }

    /** A confirmed 4.0 client whose callback is {@code uaddr}; returns its clientid. */
    private static long setClientId(NfsV40Client c, String id, byte[] verifier, String uaddr) throws Exception {
        CompoundReply r = c.compound(new SetClientIdArgs(verifier, id.getBytes(StandardCharsets.UTF_8),
                new CallbackClient(V40CallbackServer.PROGRAM, new NetAddr("tcp", uaddr)), IDENT));
        assertThat(r.status()).isEqualTo(NfsStatus.NFS4_OK);
        SetClientIdResult s = r.result(0, SetClientIdResult.class);
        assertThat(c.compound(new SetClientIdConfirmArgs(s.clientId(), s.confirm())).status()).isEqualTo(NfsStatus.NFS4_OK);
        return s.clientId();
    }

    private CallbackChannel channel(long clientId) {
        return server.context().callbacks().channel(new ClientId(clientId));
    }

    /** RENEWs until the channel is in {@code state} (at most 10,000 round trips); the last RENEW status. */
    private NfsStatus renewUntil(NfsV40Client c, long clientId, CallbackChannel.State state) throws Exception {
        NfsStatus last = null;
        for (int i = 0; i < DelegationFixture.MAX_POLLS; i++) {
            last = c.compound(new RenewArgs(clientId)).status();
            if (channel(clientId) != null && channel(clientId).state() == state) {
                return c.compound(new RenewArgs(clientId)).status();
            }
        }
        throw new AssertionError("callback channel not " + state + " after " + DelegationFixture.MAX_POLLS
                + " RENEWs; last " + last);
    }

    private static OpenArgs openF(long clientId, int seqid, String owner, int access) {
        return new OpenArgs(seqid, access, ShareAccess.DENY_NONE, new OpenOwner(clientId, owner.getBytes(StandardCharsets.UTF_8)),
                new OpenHow.NoCreate(), new OpenClaim.Null("f"));
    }

    @Test
    void setClientIdConfirm_serverDialsTheCallbackService_probeAnswered_channelUp() throws Exception {
        InetSocketAddress address = start(CallbackAddressPolicy.CLIENT_ONLY);
        V40CallbackServer cb = closeLater(V40CallbackServer.start(InetAddress.getLoopbackAddress()));
        NfsV40Client c = closeLater(NfsV40Client.connect(address, CRED));

        long id = setClientId(c, "up", new byte[8], cb.universalAddress());

        assertThat(renewUntil(c, id, CallbackChannel.State.UP)).isEqualTo(NfsStatus.NFS4_OK);
    }

    @Test
    void readDelegation_otherClientsWriteOpen_cbRecallOverTheServersConnection_delegreturn_writerProceeds()
            throws Exception {
        InetSocketAddress address = start(CallbackAddressPolicy.CLIENT_ONLY);
        V40CallbackServer cb = closeLater(V40CallbackServer.start(InetAddress.getLoopbackAddress()));
        NfsV40Client a = closeLater(NfsV40Client.connect(address, CRED));
        NfsV40Client b = closeLater(NfsV40Client.connect(address, CRED));
        long ida = setClientId(a, "holder", new byte[8], cb.universalAddress());
        long idb = setClientId(b, "writer", new byte[8], "127.0.0.1.0.1"); // nothing listens: no delegations
        renewUntil(a, ida, CallbackChannel.State.UP);

        CompoundReply ra = a.compound(PUTROOTFH, openF(ida, 1, "oa", ShareAccess.ACCESS_READ), GETFH);
        assertThat(ra.status()).isEqualTo(NfsStatus.NFS4_OK);
        OpenDelegation.Read read = (OpenDelegation.Read) ra.result(1, OpenResult.class).delegation();
        byte[] fh = ra.result(2, GetFhResult.class).fh();

        assertThat(b.compound(PUTROOTFH, openF(idb, 1, "ob", ShareAccess.ACCESS_WRITE)).status())
                .isEqualTo(NfsStatus.NFS4ERR_DELAY);
        CbCompoundArgs recall = cb.nextCompound();
        assertThat(recall.minorVersion()).isZero();
        assertThat(recall.callbackIdent()).isEqualTo(IDENT);
        assertThat(recall.operations()).hasSize(1);
        CbRecallArgs r = (CbRecallArgs) recall.operations().get(0);
        assertThat(r.stateId()).isEqualTo(read.stateId());
        assertThat(r.fileHandle()).isEqualTo(fh);

        assertThat(a.compound(new PutFhArgs(fh), new DelegreturnArgs(read.stateId())).status()).isEqualTo(NfsStatus.NFS4_OK);
        assertThat(b.compound(PUTROOTFH, openF(idb, 2, "ob", ShareAccess.ACCESS_WRITE)).status()).isEqualTo(NfsStatus.NFS4_OK);
        assertThat(server.context().counters().count(ServerEvent.CB_RECALL_SENT)).isEqualTo(1);
        assertThat(server.context().delegations().liveCount()).isZero();
    }

    @Test
    void callbackServiceGone_renewAnswersCbPathDown_callbackUpdate_upAgain_renewOk() throws Exception {
        InetSocketAddress address = start(CallbackAddressPolicy.CLIENT_ONLY);
        V40CallbackServer cb = V40CallbackServer.start(InetAddress.getLoopbackAddress());
        NfsV40Client a = closeLater(NfsV40Client.connect(address, CRED));
        byte[] verifier = {1, 2, 3, 4, 5, 6, 7, 8};
        long id = setClientId(a, "path-down", verifier, cb.universalAddress());
        renewUntil(a, id, CallbackChannel.State.UP);
        CompoundReply ra = a.compound(PUTROOTFH, openF(id, 1, "oa", ShareAccess.ACCESS_READ));
        assertThat(ra.result(1, OpenResult.class).delegation()).isInstanceOf(OpenDelegation.Read.class);

        cb.close(); // the client's callback service goes away: the server's connection closes

        assertThat(renewUntil(a, id, CallbackChannel.State.DOWN)).isEqualTo(NfsStatus.NFS4ERR_CB_PATH_DOWN);
        V40CallbackServer again = closeLater(V40CallbackServer.start(InetAddress.getLoopbackAddress()));
        assertThat(setClientId(a, "path-down", verifier, again.universalAddress()))
                .as("a callback update keeps the clientid").isEqualTo(id);
        assertThat(renewUntil(a, id, CallbackChannel.State.UP)).isEqualTo(NfsStatus.NFS4_OK);
    }

    @Test
    void callbackAddressNotTheClients_neverDialled_down_noDelegation_renewOk() throws Exception {
        InetSocketAddress address = start(CallbackAddressPolicy.CLIENT_ONLY);
        V40CallbackServer elsewhere = closeLater(V40CallbackServer.start(InetAddress.getByName("127.0.0.2")));
        NfsV40Client a = closeLater(NfsV40Client.connect(address, CRED)); // from 127.0.0.1

        long id = setClientId(a, "elsewhere", new byte[8], elsewhere.universalAddress());

        assertThat(channel(id).state()).as("refused while confirming, before any dial").isEqualTo(CallbackChannel.State.DOWN);
        CompoundReply ra = a.compound(PUTROOTFH, openF(id, 1, "oa", ShareAccess.ACCESS_READ));
        assertThat(ra.result(1, OpenResult.class).delegation()).isEqualTo(OpenDelegation.NONE);
        assertThat(a.compound(new RenewArgs(id)).status()).as("no delegation: nothing to report").isEqualTo(NfsStatus.NFS4_OK);
        assertThat(elsewhere.compounds()).isEmpty();
    }

    @Test
    void callbackAddressesOption_networkAllowed_dialledThere_up() throws Exception {
        InetSocketAddress address = start(CallbackAddressPolicy.parse("127.0.0.2/32"));
        V40CallbackServer other = closeLater(V40CallbackServer.start(InetAddress.getByName("127.0.0.2")));
        NfsV40Client a = closeLater(NfsV40Client.connect(address, CRED));

        long id = setClientId(a, "allowed", new byte[8], other.universalAddress());

        assertThat(renewUntil(a, id, CallbackChannel.State.UP)).isEqualTo(NfsStatus.NFS4_OK);
    }

    /** A confirmed 4.0 client with its callback service UP, holding nothing yet. */
    private record Holder(NfsV40Client c, long id, V40CallbackServer cb) {}

    private Holder holder(InetSocketAddress address, String name) throws Exception {
        V40CallbackServer cb = closeLater(V40CallbackServer.start(InetAddress.getLoopbackAddress()));
        NfsV40Client c = closeLater(NfsV40Client.connect(address, CRED));
        long id = setClientId(c, name, new byte[8], cb.universalAddress());
        renewUntil(c, id, CallbackChannel.State.UP);
        return new Holder(c, id, cb);
    }

    /** A confirmed 4.0 client without a callback path (nothing listens there). */
    private long plainClient(NfsV40Client c, String name) throws Exception {
        return setClientId(c, name, new byte[8], "127.0.0.1.0.1");
    }

    @Test
    void recallAnsweredWithError_revokedAtOnce_writerProceeds() throws Exception {
        InetSocketAddress address = start(CallbackAddressPolicy.CLIENT_ONLY);
        Holder h = holder(address, "bad-answer");
        h.cb().answer(op -> NfsStatus.NFS4ERR_BADHANDLE);
        NfsV40Client b = closeLater(NfsV40Client.connect(address, CRED));
        long idb = plainClient(b, "writer");
        OpenDelegation.Read read = (OpenDelegation.Read) h.c().compound(PUTROOTFH,
                openF(h.id(), 1, "oa", ShareAccess.ACCESS_READ)).result(1, OpenResult.class).delegation();

        assertThat(b.compound(PUTROOTFH, openF(idb, 1, "ob", ShareAccess.ACCESS_WRITE)).status())
                .isEqualTo(NfsStatus.NFS4ERR_DELAY);
        h.cb().nextCompound();
        NfsStatus last = NfsStatus.NFS4ERR_DELAY;
        int seqid = 1;
        for (int i = 0; i < DelegationFixture.MAX_POLLS && last == NfsStatus.NFS4ERR_DELAY; i++) {
            last = b.compound(PUTROOTFH, openF(idb, ++seqid, "ob", ShareAccess.ACCESS_WRITE)).status();
        }

        assertThat(last).as("the writer proceeds well before a lease").isEqualTo(NfsStatus.NFS4_OK);
        assertThat(server.context().counters().count(ServerEvent.DELEGATION_REVOKED)).isEqualTo(1);
        assertThat(h.c().compound(PUTROOTFH, new DelegreturnArgs(read.stateId())).status())
                .as("the holder learns it was revoked").isNotEqualTo(NfsStatus.NFS4_OK);
    }

    @Test
    void writeDelegation_v40Holder_otherClientsReadOpenRecallsIt_delegreturn_readerProceeds() throws Exception {
        InetSocketAddress address = start(CallbackAddressPolicy.CLIENT_ONLY);
        Holder h = holder(address, "writer-holder");
        NfsV40Client b = closeLater(NfsV40Client.connect(address, CRED));
        long idb = plainClient(b, "reader");

        CompoundReply ra = h.c().compound(PUTROOTFH, openF(h.id(), 1, "oa", ShareAccess.ACCESS_BOTH), GETFH);
        OpenDelegation.Write write = (OpenDelegation.Write) ra.result(1, OpenResult.class).delegation();
        byte[] fh = ra.result(2, GetFhResult.class).fh();
        assertThat(b.compound(PUTROOTFH, openF(idb, 1, "ob", ShareAccess.ACCESS_READ)).status())
                .isEqualTo(NfsStatus.NFS4ERR_DELAY);
        CbRecallArgs r = (CbRecallArgs) h.cb().nextCompound().operations().get(0);

        assertThat(r.stateId()).isEqualTo(write.stateId());
        assertThat(h.c().compound(new PutFhArgs(fh), new DelegreturnArgs(write.stateId())).status()).isEqualTo(NfsStatus.NFS4_OK);
        assertThat(b.compound(PUTROOTFH, openF(idb, 2, "ob", ShareAccess.ACCESS_READ)).status()).isEqualTo(NfsStatus.NFS4_OK);
    }

    @Test
    void claimDelegateCur_holderOpensUnderItsDelegation_ok_anotherStateidBadStateid() throws Exception {
        InetSocketAddress address = start(CallbackAddressPolicy.CLIENT_ONLY);
        Holder h = holder(address, "deleg-cur");
        OpenDelegation.Read read = (OpenDelegation.Read) h.c().compound(PUTROOTFH,
                openF(h.id(), 1, "oa", ShareAccess.ACCESS_READ)).result(1, OpenResult.class).delegation();
        byte[] otherBytes = read.stateId().other().clone();
        otherBytes[0] ^= 1;

        CompoundReply cur = h.c().compound(PUTROOTFH, new OpenArgs(1, ShareAccess.ACCESS_READ, ShareAccess.DENY_NONE,
                new OpenOwner(h.id(), "ob".getBytes(StandardCharsets.UTF_8)), new OpenHow.NoCreate(),
                new OpenClaim.DelegateCur(read.stateId(), "f")));
        CompoundReply bad = h.c().compound(PUTROOTFH, new OpenArgs(1, ShareAccess.ACCESS_READ, ShareAccess.DENY_NONE,
                new OpenOwner(h.id(), "oc".getBytes(StandardCharsets.UTF_8)), new OpenHow.NoCreate(),
                new OpenClaim.DelegateCur(new org.jnfsd.protocol.nfs4.StateId(read.stateId().seqid(), otherBytes), "f")));

        assertThat(cur.status()).isEqualTo(NfsStatus.NFS4_OK);
        assertThat(cur.result(1, OpenResult.class).delegation()).as("already held: none again").isEqualTo(OpenDelegation.NONE);
        assertThat(bad.status()).isEqualTo(NfsStatus.NFS4ERR_BAD_STATEID);
    }

    @Test
    void claimDelegatePrevAndDelegpurge_notSupported_delegpurgeOfUnknownClientStale() throws Exception {
        InetSocketAddress address = start(CallbackAddressPolicy.CLIENT_ONLY);
        NfsV40Client a = closeLater(NfsV40Client.connect(address, CRED));
        long id = plainClient(a, "prev");

        CompoundReply prev = a.compound(PUTROOTFH, new OpenArgs(1, ShareAccess.ACCESS_READ, ShareAccess.DENY_NONE,
                new OpenOwner(id, "o".getBytes(StandardCharsets.UTF_8)), new OpenHow.NoCreate(),
                new OpenClaim.DelegatePrev("f")));
        CompoundReply purge = a.compound(new org.jnfsd.protocol.nfs4.delegation.DelegpurgeArgs(id));
        CompoundReply stale = a.compound(new org.jnfsd.protocol.nfs4.delegation.DelegpurgeArgs(id + 12345));

        assertThat(prev.status()).isEqualTo(NfsStatus.NFS4ERR_NOTSUPP);
        assertThat(purge.status()).isEqualTo(NfsStatus.NFS4ERR_NOTSUPP);
        assertThat(purge.opcodes()).containsExactly(Opcode.DELEGPURGE);
        assertThat(stale.status()).isEqualTo(NfsStatus.NFS4ERR_STALE_CLIENTID);
    }

    @Test
    void holdersOwnCompoundsNamingNoClient_noSelfRecall_noSelfCbGetattr_anotherClientsRemoveRecalls() throws Exception {
        InetSocketAddress address = start(CallbackAddressPolicy.CLIENT_ONLY);
        Holder h = holder(address, "own-ops");
        CompoundReply ra = h.c().compound(PUTROOTFH, openF(h.id(), 1, "oa", ShareAccess.ACCESS_BOTH), GETFH);
        assertThat(ra.result(1, OpenResult.class).delegation()).isInstanceOf(OpenDelegation.Write.class);
        byte[] fh = ra.result(2, GetFhResult.class).fh();

        // PUTFH + GETATTR and PUTROOTFH + LINK name no client: they come from the holder's connection
        CompoundReply getattr = h.c().compound(new PutFhArgs(fh), new org.jnfsd.protocol.nfs4.namespace.GetattrArgs(
                org.jnfsd.protocol.nfs4.Bitmap.of(org.jnfsd.core.attr.AttrBit.SIZE)));
        CompoundReply link = h.c().compound(new PutFhArgs(fh), new VoidArgs(Opcode.SAVEFH),
                PUTROOTFH, new org.jnfsd.protocol.nfs4.namespace.LinkArgs("g".getBytes(StandardCharsets.UTF_8)));

        assertThat(getattr.status()).isEqualTo(NfsStatus.NFS4_OK);
        assertThat(link.status()).isEqualTo(NfsStatus.NFS4_OK);
        assertThat(server.context().counters().count(ServerEvent.CB_GETATTR_SENT)).as("no CB_GETATTR to itself").isZero();
        assertThat(server.context().counters().count(ServerEvent.CB_RECALL_SENT)).as("no recall of its own").isZero();

        NfsV40Client other = closeLater(NfsV40Client.connect(address, CRED));
        plainClient(other, "remover");
        assertThat(other.compound(PUTROOTFH, new org.jnfsd.protocol.nfs4.namespace.RemoveArgs(
                "f".getBytes(StandardCharsets.UTF_8))).status()).as("another connection's REMOVE").isEqualTo(NfsStatus.NFS4ERR_DELAY);
        assertThat(h.cb().nextCompound().operations().get(0)).isInstanceOf(CbRecallArgs.class);
    }
}
