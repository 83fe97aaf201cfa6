package org.jnfsd.server;

import static org.assertj.core.api.Assertions.assertThat;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import org.jnfsd.client.NfsV40Client;
import org.jnfsd.core.ServerConfig;
import org.jnfsd.core.fs.Export;
import org.jnfsd.core.time.ManualClock;
import org.jnfsd.protocol.nfs4.CompoundReply;
import org.jnfsd.protocol.nfs4.NfsStatus;
import org.jnfsd.protocol.nfs4.OpResult;
import org.jnfsd.protocol.nfs4.Opcode;
import org.jnfsd.protocol.nfs4.StateId;
import org.jnfsd.protocol.nfs4.io.CloseArgs;
import org.jnfsd.protocol.nfs4.io.OpenArgs;
import org.jnfsd.protocol.nfs4.io.OpenClaim;
import org.jnfsd.protocol.nfs4.io.OpenHow;
import org.jnfsd.protocol.nfs4.io.OpenOwner;
import org.jnfsd.protocol.nfs4.io.OpenResult;
import org.jnfsd.protocol.nfs4.io.ShareAccess;
import org.jnfsd.protocol.nfs4.io.StateIdResult;
import org.jnfsd.protocol.nfs4.lock.LockArgs;
import org.jnfsd.protocol.nfs4.lock.LockType;
import org.jnfsd.protocol.nfs4.lock.Locker;
import org.jnfsd.protocol.nfs4.lock.LockuArgs;
import org.jnfsd.protocol.nfs4.lock.ReleaseLockownerArgs;
import org.jnfsd.protocol.nfs4.namespace.GetFhResult;
import org.jnfsd.protocol.nfs4.namespace.VoidArgs;
import org.jnfsd.protocol.nfs4.v40.CallbackClient;
import org.jnfsd.protocol.nfs4.v40.NetAddr;
import org.jnfsd.protocol.nfs4.v40.OpenConfirmArgs;
import org.jnfsd.protocol.nfs4.v40.SetClientIdArgs;
import org.jnfsd.protocol.nfs4.v40.SetClientIdConfirmArgs;
import org.jnfsd.protocol.nfs4.v40.SetClientIdResult;
import org.jnfsd.protocol.xdr.XdrEncoder;
import org.jnfsd.rpc.Credential;
import org.jnfsd.vfs.memory.MemoryFileSystem;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * NFSv4.0 owner sequencing over TCP (RFC 7530 §9.1.7): a retransmitted OPEN, LOCK, LOCKU or CLOSE
 * gets the first reply, byte for byte, without running again; other seqids get
 * NFS4ERR_BAD_SEQID; OPEN_CONFIRM; RELEASE_LOCKOWNER; idle owners expire. Manual clock.
 */
class V40OwnerTcpTest {
    private static final Credential CRED = new Credential.AuthSys(0, "v40-owner", 1000, 1000, new int[0]);
    private static final VoidArgs PUTROOTFH = new VoidArgs(Opcode.PUTROOTFH);
    private static final VoidArgs GETFH = new VoidArgs(Opcode.GETFH);
    private static final Duration LEASE = Duration.ofSeconds(90);

    private final ManualClock clock = new ManualClock(Instant.parse("2026-01-01T00:00:00Z"));
    private JnfsdServer server;
    private NfsV40Client c;
    private long clientId;

    @BeforeEach
    void start() throws Exception {
        server = JnfsdServer.builder().export(new Export(1, "/", new MemoryFileSystem(clock,
                MemoryFileSystem.Options.DEFAULTS.withRoot(0777, 0, 0)))).port(0).clock(clock)
                .config(ServerConfig.builder().leaseTime(LEASE).build()).build();
        InetSocketAddress address = server.start();
        c = NfsV40Client.connect(address, CRED);
        CompoundReply r = c.compound(new SetClientIdArgs(new byte[8], "owner-test".getBytes(StandardCharsets.UTF_8),
                new CallbackClient(1, new NetAddr("tcp", "127.0.0.1.0.1")), 1));
        SetClientIdResult s = r.result(0, SetClientIdResult.class);
        clientId = s.clientId();
        assertThat(c.compound(new SetClientIdConfirmArgs(clientId, s.confirm())).status()).isEqualTo(NfsStatus.NFS4_OK);
    }

    @AfterEach
    void stop() {
        c.close();
        server.close();
    }

    private OpenArgs open(int seqid, String owner, String name) {
        return new OpenArgs(seqid, ShareAccess.ACCESS_BOTH, ShareAccess.DENY_NONE,
                new OpenOwner(clientId, owner.getBytes(StandardCharsets.UTF_8)),
                new OpenHow.Unchecked(Fattr.builder().mode(0644).build()), new OpenClaim.Null(name));
    }

    private static byte[] bytes(OpResult r) {
        ByteBuf b = Unpooled.buffer();
        try {
            r.encode(new XdrEncoder(b));
            byte[] out = new byte[b.readableBytes()];
            b.readBytes(out);
            return out;
        } finally {
            b.release();
        }
    }

    private record Opened(byte[] fh, StateId stateId) {}

    private Opened opened(int seqid, String owner, String name) throws Exception {
        CompoundReply r = c.compound(PUTROOTFH, open(seqid, owner, name), GETFH);
        assertThat(r.status()).isEqualTo(NfsStatus.NFS4_OK);
        return new Opened(r.result(2, GetFhResult.class).fh(), r.result(1, OpenResult.class).stateId());
    }

    private LockArgs newLockOwner(int openSeqid, StateId open, String lockOwner) {
        return new LockArgs(LockType.WRITE_LT, false, 0, 100, new Locker.NewOwner(openSeqid, open, 0,
                new OpenOwner(clientId, lockOwner.getBytes(StandardCharsets.UTF_8))));
    }

    @Test
    void open_retransmitted_sameBytesAndTheCurrentFile_notRunTwice() throws Exception {
        CompoundReply first = c.compound(PUTROOTFH, open(5, "o", "f"), GETFH);
        CompoundReply again = c.compound(PUTROOTFH, open(5, "o", "f"), GETFH);

        assertThat(first.status()).isEqualTo(NfsStatus.NFS4_OK);
        assertThat(again.status()).isEqualTo(NfsStatus.NFS4_OK);
        assertThat(bytes(again.results().get(1))).isEqualTo(bytes(first.results().get(1)));
        assertThat(again.result(2, GetFhResult.class).fh()).isEqualTo(first.result(2, GetFhResult.class).fh());
        // a second run would have upgraded the same open: seqid 2
        assertThat(server.context().opens().sharesOf(clientId)).singleElement()
                .satisfies(s -> assertThat(s.stateId().seqid()).isEqualTo(1));
    }

    @Test
    void open_seqidNeitherNextNorLast_badSeqid_thenTheNextRuns() throws Exception {
        opened(5, "o", "f");

        CompoundReply skipped = c.compound(PUTROOTFH, open(7, "o", "f"));
        CompoundReply old = c.compound(PUTROOTFH, open(4, "o", "f"));
        CompoundReply next = c.compound(PUTROOTFH, open(6, "o", "f"));

        assertThat(skipped.status()).isEqualTo(NfsStatus.NFS4ERR_BAD_SEQID);
        assertThat(old.status()).isEqualTo(NfsStatus.NFS4ERR_BAD_SEQID);
        assertThat(next.status()).isEqualTo(NfsStatus.NFS4_OK);
        assertThat(next.result(1, OpenResult.class).stateId().seqid()).isEqualTo(2);
    }

    @Test
    void lock_retransmitted_sameReply_heldOnce_thenLockuAndItsRetransmission() throws Exception {
        Opened f = opened(1, "o", "f");

        CompoundReply lock = c.compound(Nfs.putfh(f.fh()), newLockOwner(2, f.stateId(), "l"));
        CompoundReply lockAgain = c.compound(Nfs.putfh(f.fh()), newLockOwner(2, f.stateId(), "l"));
        StateId lockId = lock.result(1, StateIdResult.class).stateId();
        CompoundReply unlock = c.compound(Nfs.putfh(f.fh()), new LockuArgs(LockType.WRITE_LT, 1, lockId, 0, 100));
        CompoundReply unlockAgain = c.compound(Nfs.putfh(f.fh()), new LockuArgs(LockType.WRITE_LT, 1, lockId, 0, 100));

        assertThat(lock.status()).isEqualTo(NfsStatus.NFS4_OK);
        assertThat(bytes(lockAgain.results().get(1))).isEqualTo(bytes(lock.results().get(1)));
        assertThat(unlock.status()).isEqualTo(NfsStatus.NFS4_OK);
        assertThat(bytes(unlockAgain.results().get(1))).isEqualTo(bytes(unlock.results().get(1)));
        assertThat(server.context().locks().locksOf(clientId)).singleElement()
                .satisfies(v -> assertThat(v.ranges()).isEmpty());
    }

    @Test
    void lockNewOwner_startsTheLockOwnersSequenceAtItsLockSeqid() throws Exception {
        Opened f = opened(1, "o", "f");
        StateId lockId = c.compound(Nfs.putfh(f.fh()), newLockOwner(2, f.stateId(), "l")).result(1, StateIdResult.class)
                .stateId();

        CompoundReply skipped = c.compound(Nfs.putfh(f.fh()), new LockuArgs(LockType.WRITE_LT, 5, lockId, 0, 100));

        assertThat(skipped.status()).isEqualTo(NfsStatus.NFS4ERR_BAD_SEQID);
    }

    @Test
    void close_retransmitted_sameReplyNotBadStateid() throws Exception {
        Opened f = opened(1, "o", "f");

        CompoundReply close = c.compound(Nfs.putfh(f.fh()), new CloseArgs(2, f.stateId()));
        CompoundReply again = c.compound(Nfs.putfh(f.fh()), new CloseArgs(2, f.stateId()));

        assertThat(close.status()).isEqualTo(NfsStatus.NFS4_OK);
        assertThat(again.status()).isEqualTo(NfsStatus.NFS4_OK);
        assertThat(bytes(again.results().get(1))).isEqualTo(bytes(close.results().get(1)));
    }

    @Test
    void openConfirm_returnsTheOpenStateid_inTheOwnersSequence() throws Exception {
        Opened f = opened(1, "o", "f");

        CompoundReply confirm = c.compound(Nfs.putfh(f.fh()), new OpenConfirmArgs(f.stateId(), 2));
        CompoundReply badSeqid = c.compound(Nfs.putfh(f.fh()), new OpenConfirmArgs(f.stateId(), 9));

        assertThat(confirm.status()).isEqualTo(NfsStatus.NFS4_OK);
        assertThat(confirm.result(1, StateIdResult.class).stateId()).isEqualTo(f.stateId());
        assertThat(badSeqid.status()).isEqualTo(NfsStatus.NFS4ERR_BAD_SEQID);
    }

    @Test
    void releaseLockowner_locksHeldWhileLocked_thenReleasedAndForgotten() throws Exception {
        Opened f = opened(1, "o", "f");
        StateId lockId = c.compound(Nfs.putfh(f.fh()), newLockOwner(2, f.stateId(), "l")).result(1, StateIdResult.class)
                .stateId();
        ReleaseLockownerArgs release = new ReleaseLockownerArgs(new OpenOwner(clientId, "l".getBytes(StandardCharsets.UTF_8)));

        CompoundReply held = c.compound(release);
        c.compound(Nfs.putfh(f.fh()), new LockuArgs(LockType.WRITE_LT, 1, lockId, 0, 100));
        CompoundReply released = c.compound(release);

        assertThat(held.status()).isEqualTo(NfsStatus.NFS4ERR_LOCKS_HELD);
        assertThat(released.status()).isEqualTo(NfsStatus.NFS4_OK);
        assertThat(server.context().locks().locksOf(clientId)).isEmpty();
        assertThat(server.context().v40Owners().size()).isEqualTo(1); // the open-owner only
    }

    @Test
    void idleOwners_expireAfterALease_withTheirReplies() throws Exception {
        Opened f = opened(1, "o", "f");
        c.compound(Nfs.putfh(f.fh()), new CloseArgs(2, f.stateId()));
        Opened kept = opened(1, "busy", "g");

        clock.advance(LEASE.plusSeconds(1));
        server.context().laundromat().runOnce();

        assertThat(server.context().v40Owners().size()).isEqualTo(1); // "busy" still has its open
        assertThat(server.context().v40States().size()).isEqualTo(1);
        assertThat(kept.stateId()).isNotNull();
    }
}
