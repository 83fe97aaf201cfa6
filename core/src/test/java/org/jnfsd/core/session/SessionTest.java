package org.jnfsd.core.session;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.jnfsd.core.NfsException;
import org.jnfsd.protocol.nfs4.NfsStatus;
import org.jnfsd.protocol.nfs4.session.ChannelAttrs;
import org.jnfsd.protocol.nfs4.session.SessionId;
import org.junit.jupiter.api.Test;

class SessionTest {
    private final List<Session> destroyed = new ArrayList<>();
    private final ClientRecord client = new ClientRecord(new Object(), ClientId.of(1, 1), new OwnerKey(new byte[] {1}),
            new byte[8], Principal.NONE, Instant.EPOCH);
    private final Session session = new Session(new SessionId(new byte[16]), client,
            new ChannelAttrs(0, 4096, 4096, 1024, 8, 2, null), new ChannelAttrs(0, 4096, 4096, 0, 2, 1, null), 0, 7,
            List.of(), destroyed::add);

    private NfsStatus status(int slot, int seqid) {
        try {
            session.acquire(slot, seqid, true, false);
            return NfsStatus.NFS4_OK;
        } catch (NfsException e) {
            return e.status();
        }
    }

    private static ByteBuf bytes(int... b) {
        ByteBuf buf = Unpooled.buffer();
        for (int x : b) {
            buf.writeByte(x);
        }
        return buf;
    }

    @Test
    void complete_cacheThis_replayReturnsTheStoredBytes() throws Exception {
        SlotOutcome.Acquired a = (SlotOutcome.Acquired) session.acquire(0, 1, true, false);
        ByteBuf reply = bytes(1, 2, 3);
        a.slot().complete(reply);
        reply.release();

        SlotOutcome again = session.acquire(0, 1, true, false);

        assertThat(again).isInstanceOf(SlotOutcome.Replay.class);
        assertThat(((SlotOutcome.Replay) again).compoundReply()).containsExactly(1, 2, 3);
    }

    @Test
    void complete_notCacheThisNotSolo_replayIsUncached() throws Exception {
        ((SlotOutcome.Acquired) session.acquire(0, 1, false, false)).slot().complete(Unpooled.EMPTY_BUFFER);

        assertThat(session.acquire(0, 1, false, false)).isInstanceOf(SlotOutcome.UncachedReplay.class);
    }

    @Test
    void complete_twice_illegalState() throws Exception {
        Session.Slot slot = ((SlotOutcome.Acquired) session.acquire(0, 1, false, false)).slot();
        slot.complete(Unpooled.EMPTY_BUFFER);

        assertThatThrownBy(() -> slot.complete(Unpooled.EMPTY_BUFFER)).isInstanceOf(IllegalStateException.class);
    }

    @Test
    void acquire_seqidRules() throws Exception {
        assertThat(status(0, 0)).isEqualTo(NfsStatus.NFS4ERR_SEQ_MISORDERED);
        assertThat(status(2, 1)).isEqualTo(NfsStatus.NFS4ERR_BADSLOT);
        assertThat(status(0, 1)).isEqualTo(NfsStatus.NFS4_OK);
        assertThat(status(0, 2)).isEqualTo(NfsStatus.NFS4ERR_DELAY);
    }

    @Test
    void acquire_consecutiveRequests_onlyTheNextSeqidIsNew() throws Exception {
        Session.Slot slot = ((SlotOutcome.Acquired) session.acquire(1, 1, false, false)).slot();
        slot.complete(Unpooled.EMPTY_BUFFER);
        for (int i = 2; i <= 3; i++) {
            ((SlotOutcome.Acquired) session.acquire(1, i, false, false)).slot().complete(Unpooled.EMPTY_BUFFER);
        }
        assertThat(status(1, 5)).isEqualTo(NfsStatus.NFS4ERR_SEQ_MISORDERED);
        assertThat(status(1, 4)).isEqualTo(NfsStatus.NFS4_OK);
    }

    @Test
    void drain_noSlotInUse_destroyedAtOnce() {
        assertThat(session.drain()).isTrue();

        assertThat(session.state()).isEqualTo(Session.State.DESTROYED);
        assertThat(destroyed).containsExactly(session);
        assertThat(session.drain()).isFalse();
        assertThat(status(0, 1)).isEqualTo(NfsStatus.NFS4ERR_BADSESSION);
    }

    @Test
    void drain_slotInUse_destroyedByItsCompletion() throws Exception {
        Session.Slot slot = ((SlotOutcome.Acquired) session.acquire(0, 1, false, false)).slot();

        session.drain();
        assertThat(session.state()).isEqualTo(Session.State.DRAINING);
        assertThat(destroyed).isEmpty();
        slot.complete(Unpooled.EMPTY_BUFFER);

        assertThat(session.state()).isEqualTo(Session.State.DESTROYED);
        assertThat(destroyed).containsExactly(session);
    }
}
