package org.jnfsd.server;

import static org.assertj.core.api.Assertions.assertThat;
import static org.jnfsd.server.DelegationFixture.awaitChannelUp;

import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import org.jnfsd.client.NfsClient;
import org.jnfsd.client.RecordingCallbacks;
import org.jnfsd.core.ServerConfig;
import org.jnfsd.core.attr.AttrBit;
import org.jnfsd.protocol.nfs4.Bitmap;
import org.jnfsd.protocol.nfs4.CompoundReply;
import org.jnfsd.protocol.nfs4.Fattr4;
import org.jnfsd.protocol.nfs4.NfsStatus;
import org.jnfsd.protocol.nfs4.OpArgs;
import org.jnfsd.protocol.nfs4.Opcode;
import org.jnfsd.protocol.nfs4.StateId;
import org.jnfsd.protocol.nfs4.callback.CbGetattrArgs;
import org.jnfsd.protocol.nfs4.callback.CbOpcode;
import org.jnfsd.protocol.nfs4.io.OpenArgs;
import org.jnfsd.protocol.nfs4.io.OpenClaim;
import org.jnfsd.protocol.nfs4.io.OpenDelegation;
import org.jnfsd.protocol.nfs4.io.OpenHow;
import org.jnfsd.protocol.nfs4.io.OpenOwner;
import org.jnfsd.protocol.nfs4.io.OpenResult;
import org.jnfsd.protocol.nfs4.io.ShareAccess;
import org.jnfsd.protocol.nfs4.namespace.GetFhResult;
import org.jnfsd.protocol.nfs4.namespace.GetattrArgs;
import org.jnfsd.protocol.nfs4.namespace.GetattrResult;
import org.jnfsd.protocol.nfs4.namespace.PutFhArgs;
import org.jnfsd.protocol.nfs4.namespace.SetattrArgs;
import org.jnfsd.protocol.nfs4.namespace.VoidArgs;
import org.jnfsd.rpc.Credential;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Delegated timestamps (RFC 9754, "Proxying of Times") over real TCP: an OPEN with
 * OPEN4_SHARE_ACCESS_WANT_DELEG_TIMESTAMPS gets OPEN_DELEGATE_WRITE_ATTRS_DELEG (or READ_ATTRS_DELEG);
 * another client's GETATTR makes the server ask the holder for time_deleg_access/modify in
 * CB_GETATTR and keep them; the holder sets them with SETATTR and its delegation stateid (any
 * other stateid is NFS4ERR_BAD_STATEID, an older time is ignored); the attributes are 4.2 only
 * and write-only.
 */
class DelegatedTimestampsTcpTest {
    private static final Credential CRED = new Credential.AuthSys(0, "deleg-times", 1000, 1000, new int[0]);
    /** Not the owner of f (uid 1000): the delegation, not ownership, lets it set the times. */
    private static final Credential OTHER_UID = new Credential.AuthSys(0, "deleg-times", 2000, 2000, new int[0]);
    private static final OpArgs PUTROOTFH = new VoidArgs(Opcode.PUTROOTFH);
    private static final OpArgs GETFH = new VoidArgs(Opcode.GETFH);
    private static final GetattrArgs TIMES = new GetattrArgs(Bitmap.of(AttrBit.TIME_ACCESS, AttrBit.TIME_MODIFY));
    private static final int TIMESTAMPS = ShareAccess.WANT_DELEG_TIMESTAMPS;

    private final RecordingCallbacks callbacks = new RecordingCallbacks();
    private JnfsdServer server;
    private InetSocketAddress address;

    @BeforeEach
    void start() throws Exception {
        // a bound no loaded machine reaches: the holder answers at once
        server = DelegationFixture.serverWithFileF()
                .config(ServerConfig.builder().maxDelegations(100).cbGetattrTimeout(Duration.ofSeconds(30)).build())
                .build();
        address = server.start();
    }

    @AfterEach
    void stop() {
        server.close();
    }

    private record Opened(byte[] fh, StateId open, OpenDelegation delegation) {}

    private static Opened open(NfsClient c, int access) throws Exception {
        CompoundReply r = c.compound(PUTROOTFH, new OpenArgs(0, access, ShareAccess.DENY_NONE,
                new OpenOwner(c.clientId(), ("o-" + access).getBytes(StandardCharsets.UTF_8)), new OpenHow.NoCreate(),
                new OpenClaim.Null("f")), GETFH);
        assertThat(r.status()).isEqualTo(NfsStatus.NFS4_OK);
        OpenResult o = r.result(2, OpenResult.class);
        return new Opened(r.result(3, GetFhResult.class).fh(), o.stateId(), o.delegation());
    }

    private NfsClient holder(Credential cred) throws Exception {
        NfsClient a = NfsClient.connect(address, 2, cred, callbacks);
        a.reclaimComplete();
        awaitChannelUp(server, a);
        return a;
    }

    /** time_access and time_modify of a PUTFH + GETATTR(TIMES) reply. */
    private static Instant[] times(CompoundReply r) {
        assertThat(r.status()).isEqualTo(NfsStatus.NFS4_OK);
        ByteBuffer v = ByteBuffer.wrap(r.result(2, GetattrResult.class).attrs().values());
        return new Instant[] {Instant.ofEpochSecond(v.getLong(), v.getInt()), Instant.ofEpochSecond(v.getLong(), v.getInt())};
    }

    private static Fattr4 delegTimes(Instant atime, Instant mtime) {
        return new Fattr4(Bitmap.of(AttrBit.TIME_DELEG_ACCESS, AttrBit.TIME_DELEG_MODIFY), ByteBuffer.allocate(24)
                .putLong(atime.getEpochSecond()).putInt(atime.getNano())
                .putLong(mtime.getEpochSecond()).putInt(mtime.getNano()).array());
    }

    @Test
    void writeAttrsDeleg_getattrByOther_cbGetattrAsksTheTimes_serverKeepsThem() throws Exception {
        try (NfsClient a = holder(CRED); NfsClient b = NfsClient.connect(address, 2, CRED)) {
            b.reclaimComplete();
            Opened o = open(a, ShareAccess.ACCESS_BOTH | ShareAccess.WANT_WRITE_DELEG | TIMESTAMPS);
            assertThat(o.delegation()).isInstanceOf(OpenDelegation.Write.class);
            assertThat(((OpenDelegation.Write) o.delegation()).timestamps()).as("OPEN_DELEGATE_WRITE_ATTRS_DELEG").isTrue();
            Instant[] before = times(a.compound(new PutFhArgs(o.fh()), TIMES));
            Instant atime = before[0].plusSeconds(100).plusNanos(7);
            Instant mtime = before[1].plusSeconds(200).plusNanos(9);
            // the holder: change unchanged (it only read and touched), and its times
            ByteBuffer v = ByteBuffer.allocate(40);
            CompoundReply cs = a.compound(new PutFhArgs(o.fh()), new GetattrArgs(Bitmap.of(AttrBit.CHANGE, AttrBit.SIZE)));
            ByteBuffer held = ByteBuffer.wrap(cs.result(2, GetattrResult.class).attrs().values());
            v.putLong(held.getLong()).putLong(held.getLong())
                    .putLong(atime.getEpochSecond()).putInt(atime.getNano())
                    .putLong(mtime.getEpochSecond()).putInt(mtime.getNano());
            callbacks.getattrReply(new Fattr4(Bitmap.of(AttrBit.CHANGE, AttrBit.SIZE, AttrBit.TIME_DELEG_ACCESS,
                    AttrBit.TIME_DELEG_MODIFY), v.array()));

            Instant[] seen = times(b.compound(new PutFhArgs(o.fh()), TIMES));

            CbGetattrArgs asked = callbacks.await(CbOpcode.CB_GETATTR, 1, CbGetattrArgs.class, Duration.ofSeconds(30));
            assertThat(Bitmap.isSet(asked.attrRequest(), AttrBit.TIME_DELEG_ACCESS)).isTrue();
            assertThat(Bitmap.isSet(asked.attrRequest(), AttrBit.TIME_DELEG_MODIFY)).isTrue();
            assertThat(seen).as("the holder's times").containsExactly(atime, mtime);
            assertThat(times(b.compound(new PutFhArgs(o.fh()), TIMES))).as("kept").containsExactly(atime, mtime);
        }
    }

    @Test
    void writeAttrsDeleg_getattrOfTimeAccessAlone_asksTheHolder() throws Exception {
        try (NfsClient a = holder(CRED); NfsClient b = NfsClient.connect(address, 2, CRED)) {
            b.reclaimComplete();
            Opened o = open(a, ShareAccess.ACCESS_BOTH | ShareAccess.WANT_WRITE_DELEG | TIMESTAMPS);
            GetattrArgs atimeOnly = new GetattrArgs(Bitmap.of(AttrBit.TIME_ACCESS));
            CompoundReply cs = a.compound(new PutFhArgs(o.fh()), new GetattrArgs(Bitmap.of(AttrBit.CHANGE, AttrBit.SIZE)));
            ByteBuffer held = ByteBuffer.wrap(cs.result(2, GetattrResult.class).attrs().values());
            ByteBuffer before = ByteBuffer.wrap(a.compound(new PutFhArgs(o.fh()), atimeOnly)
                    .result(2, GetattrResult.class).attrs().values());
            Instant atime = Instant.ofEpochSecond(before.getLong(), before.getInt()).plusSeconds(30);
            callbacks.getattrReply(new Fattr4(Bitmap.of(AttrBit.CHANGE, AttrBit.SIZE, AttrBit.TIME_DELEG_ACCESS),
                    ByteBuffer.allocate(28).putLong(held.getLong()).putLong(held.getLong())
                            .putLong(atime.getEpochSecond()).putInt(atime.getNano()).array()));

            CompoundReply r = b.compound(new PutFhArgs(o.fh()), atimeOnly);

            assertThat(r.status()).isEqualTo(NfsStatus.NFS4_OK);
            ByteBuffer seen = ByteBuffer.wrap(r.result(2, GetattrResult.class).attrs().values());
            assertThat(Instant.ofEpochSecond(seen.getLong(), seen.getInt())).as("the holder's access time").isEqualTo(atime);
            assertThat(callbacks.received(CbOpcode.CB_GETATTR)).hasSize(1);
        }
    }

    @Test
    void plainWriteDelegation_cbGetattrAsksNoTimes() throws Exception {
        try (NfsClient a = holder(CRED); NfsClient b = NfsClient.connect(address, 2, CRED)) {
            b.reclaimComplete();
            Opened o = open(a, ShareAccess.ACCESS_BOTH | ShareAccess.WANT_WRITE_DELEG);
            assertThat(((OpenDelegation.Write) o.delegation()).timestamps()).isFalse();
            CompoundReply cs = a.compound(new PutFhArgs(o.fh()), new GetattrArgs(Bitmap.of(AttrBit.CHANGE, AttrBit.SIZE)));
            callbacks.getattrReply(cs.result(2, GetattrResult.class).attrs());

            assertThat(b.compound(new PutFhArgs(o.fh()), TIMES).status()).isEqualTo(NfsStatus.NFS4_OK);

            CbGetattrArgs asked = callbacks.await(CbOpcode.CB_GETATTR, 1, CbGetattrArgs.class, Duration.ofSeconds(30));
            assertThat(Bitmap.trim(asked.attrRequest())).isEqualTo(Bitmap.of(AttrBit.CHANGE, AttrBit.SIZE));
        }
    }

    @Test
    void setattrOfDelegatedTimes_byTheHolderWithItsDelegation_keptWhenNewer_otherStateidsRefused() throws Exception {
        try (NfsClient a = holder(OTHER_UID)) {
            Opened o = open(a, ShareAccess.ACCESS_READ | ShareAccess.WANT_READ_DELEG | TIMESTAMPS);
            assertThat(((OpenDelegation.Read) o.delegation()).timestamps()).as("OPEN_DELEGATE_READ_ATTRS_DELEG").isTrue();
            StateId deleg = ((OpenDelegation.Read) o.delegation()).stateId();
            Instant[] before = times(a.compound(new PutFhArgs(o.fh()), TIMES));
            Instant atime = before[0].plusSeconds(50);
            Instant mtime = before[1].plusSeconds(60);

            assertThat(a.compound(new PutFhArgs(o.fh()), new SetattrArgs(o.open(), delegTimes(atime, mtime))).status())
                    .as("an open stateid").isEqualTo(NfsStatus.NFS4ERR_BAD_STATEID);
            assertThat(a.compound(new PutFhArgs(o.fh()), new SetattrArgs(StateId.ANONYMOUS, delegTimes(atime, mtime)))
                    .status()).as("the anonymous stateid").isEqualTo(NfsStatus.NFS4ERR_BAD_STATEID);
            assertThat(a.compound(new PutFhArgs(o.fh()), new SetattrArgs(deleg, delegTimes(atime, mtime))).status())
                    .as("the holder, though not the owner").isEqualTo(NfsStatus.NFS4_OK);
            assertThat(times(a.compound(new PutFhArgs(o.fh()), TIMES))).containsExactly(atime, mtime);

            assertThat(a.compound(new PutFhArgs(o.fh()), new SetattrArgs(deleg,
                    delegTimes(atime.minusSeconds(10), mtime.minusSeconds(10)))).status()).isEqualTo(NfsStatus.NFS4_OK);
            assertThat(times(a.compound(new PutFhArgs(o.fh()), TIMES))).as("older times are ignored")
                    .containsExactly(atime, mtime);
        }
    }

    @Test
    void plainDelegation_cannotSetDelegatedTimes() throws Exception {
        try (NfsClient a = holder(CRED)) {
            Opened o = open(a, ShareAccess.ACCESS_READ | ShareAccess.WANT_READ_DELEG);
            StateId deleg = ((OpenDelegation.Read) o.delegation()).stateId();
            Instant now = Instant.now();

            assertThat(a.compound(new PutFhArgs(o.fh()), new SetattrArgs(deleg, delegTimes(now, now))).status())
                    .isEqualTo(NfsStatus.NFS4ERR_BAD_STATEID);
        }
    }

    @Test
    void attributes_supportedIn42Only_andWriteOnly() throws Exception {
        try (NfsClient v42 = NfsClient.connect(address, 2, CRED); NfsClient v41 = NfsClient.connect(address, 1, CRED)) {
            v42.reclaimComplete();
            v41.reclaimComplete();
            GetattrArgs supported = new GetattrArgs(Bitmap.of(AttrBit.SUPPORTED_ATTRS));
            int[] s42 = readBitmap(v42.compound(PUTROOTFH, supported));
            int[] s41 = readBitmap(v41.compound(PUTROOTFH, supported));

            assertThat(Bitmap.isSet(s42, AttrBit.TIME_DELEG_ACCESS) && Bitmap.isSet(s42, AttrBit.TIME_DELEG_MODIFY)).isTrue();
            assertThat(Bitmap.isSet(s41, AttrBit.TIME_DELEG_ACCESS) || Bitmap.isSet(s41, AttrBit.TIME_DELEG_MODIFY)).isFalse();
            assertThat(v42.compound(PUTROOTFH, new GetattrArgs(Bitmap.of(AttrBit.TIME_DELEG_MODIFY))).status())
                    .as("write-only, as knfsd").isEqualTo(NfsStatus.NFS4ERR_INVAL);
            assertThat(v41.compound(PUTROOTFH, new OpenArgs(0, ShareAccess.ACCESS_READ | TIMESTAMPS,
                    ShareAccess.DENY_NONE, new OpenOwner(v41.clientId(), new byte[] {1}), new OpenHow.NoCreate(),
                    new OpenClaim.Null("f"))).status()).as("an NFSv4.2 extension").isEqualTo(NfsStatus.NFS4ERR_INVAL);
        }
    }

    /** supported_attrs of a PUTROOTFH + GETATTR(supported_attrs) reply. */
    private static int[] readBitmap(CompoundReply r) {
        assertThat(r.status()).isEqualTo(NfsStatus.NFS4_OK);
        ByteBuffer v = ByteBuffer.wrap(r.result(2, GetattrResult.class).attrs().values());
        int[] words = new int[v.getInt()];
        for (int i = 0; i < words.length; i++) {
            words[i] = v.getInt();
        }
        return words;
    }
}
