package org.jnfsd.server;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import org.jnfsd.client.NfsClient;
import org.jnfsd.protocol.nfs4.CompoundReply;
import org.jnfsd.protocol.nfs4.CompoundRequest;
import org.jnfsd.protocol.nfs4.NfsStatus;
import org.jnfsd.protocol.nfs4.OpArgs;
import org.jnfsd.protocol.nfs4.session.CallbackSecParms;
import org.jnfsd.protocol.nfs4.session.ChannelAttrs;
import org.jnfsd.protocol.nfs4.session.CreateSessionArgs;
import org.jnfsd.protocol.nfs4.session.CreateSessionResult;
import org.jnfsd.protocol.nfs4.session.ExchangeIdArgs;
import org.jnfsd.protocol.nfs4.session.ExchangeIdResult;
import org.jnfsd.protocol.nfs4.session.ReclaimCompleteArgs;
import org.jnfsd.protocol.nfs4.session.SequenceArgs;
import org.jnfsd.protocol.nfs4.session.SessionId;
import org.jnfsd.protocol.nfs4.session.StateProtectArgs;
import org.jnfsd.rpc.RpcReply;

/**
 * A session whose slots and sequence ids the test chooses itself (for retries and sequencing
 * errors), carried by the connection of an {@link Nfs} client but with its own client record.
 * Slot 0 sequence 1 was used for RECLAIM_COMPLETE; the other slots are fresh (next seqid 1).
 */
final class ManualSession {
    static final int SLOTS = 8;

    private final NfsClient carrier;
    private final long clientId;
    private final SessionId sessionId;
    private final int slots;

    private ManualSession(NfsClient carrier, long clientId, SessionId sessionId, int slots) {
        this.carrier = carrier;
        this.clientId = clientId;
        this.sessionId = sessionId;
        this.slots = slots;
    }

    static ManualSession create(Nfs carrier) throws IOException {
        return create(carrier, SLOTS);
    }

    /** A session asking for {@code slotCount} fore-channel slots (the server may grant fewer). */
    static ManualSession create(Nfs carrier, int slotCount) throws IOException {
        return create(carrier, new ChannelAttrs(0, 1 << 20, 1 << 20, 64 * 1024, 16, slotCount, null));
    }

    /** A session asking for the fore-channel attributes {@code fore}. */
    static ManualSession create(Nfs carrier, ChannelAttrs fore) throws IOException {
        NfsClient c = carrier.client();
        byte[] verifier = new byte[ExchangeIdArgs.VERIFIER_SIZE];
        byte[] owner = ("manual/" + UUID.randomUUID()).getBytes(StandardCharsets.UTF_8);
        ExchangeIdResult ex = c.compoundWithoutSequence(new ExchangeIdArgs(verifier, owner, 0,
                StateProtectArgs.None.INSTANCE, List.of())).result(0, ExchangeIdResult.class);
        ChannelAttrs back = new ChannelAttrs(0, 4096, 4096, 0, 2, 1, null);
        CreateSessionResult cs = c.compoundWithoutSequence(new CreateSessionArgs(ex.clientId(), ex.sequenceId(), 0,
                fore, back, NfsClient.DEFAULT_CB_PROGRAM, List.of(CallbackSecParms.None.INSTANCE)))
                .result(0, CreateSessionResult.class);
        ManualSession s = new ManualSession(c, ex.clientId(), cs.sessionId(), cs.foreChannel().maxRequests());
        assertThat(s.call(0, 1, false, new ReclaimCompleteArgs(false)).status()).isEqualTo(NfsStatus.NFS4_OK);
        return s;
    }

    long clientId() {
        return clientId;
    }

    SessionId sessionId() {
        return sessionId;
    }

    /** The number of slots the server granted. */
    int slots() {
        return slots;
    }

    /** SEQUENCE(slot, seqid, cacheThis) + {@code ops}, sent as is; the RPC reply undecoded. */
    RpcReply raw(int slot, int seqid, boolean cacheThis, OpArgs... ops) throws IOException {
        List<OpArgs> all = new ArrayList<>();
        all.add(new SequenceArgs(sessionId, seqid, slot, slots - 1, cacheThis));
        all.addAll(List.of(ops));
        return carrier.rawCall(out -> new CompoundRequest("", 2, all).encode(out));
    }

    CompoundReply call(int slot, int seqid, boolean cacheThis, OpArgs... ops) throws IOException {
        return decode(raw(slot, seqid, cacheThis, ops));
    }

    static CompoundReply decode(RpcReply reply) {
        assertThat(reply.isSuccess()).as("RPC reply %s", reply).isTrue();
        return CompoundReply.decode(reply.decoder());
    }
}
