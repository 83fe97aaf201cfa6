package org.jnfsd.core.ops.session;

import static org.assertj.core.api.Assertions.assertThat;
import static org.jnfsd.core.ops.session.Harness.ALICE;
import static org.jnfsd.core.ops.session.Harness.attrs;
import static org.jnfsd.core.ops.session.Harness.big;
import static org.jnfsd.core.ops.session.Harness.count;
import static org.jnfsd.core.ops.session.Harness.seq;

import io.netty.buffer.Unpooled;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.jnfsd.core.ServerConfig;
import org.jnfsd.core.session.ClientRecord;
import org.jnfsd.core.session.Session;
import org.jnfsd.core.session.SlotOutcome;
import org.jnfsd.protocol.nfs4.NfsStatus;
import org.jnfsd.protocol.nfs4.OpArgs;
import org.jnfsd.protocol.nfs4.Opcode;
import org.jnfsd.protocol.nfs4.session.ChannelAttrs;
import org.jnfsd.protocol.nfs4.session.SequenceResult;
import org.jnfsd.protocol.nfs4.session.SessionId;
import org.jnfsd.rpc.RpcConnection;
import org.junit.jupiter.api.Test;
import org.jnfsd.core.time.ManualClock;

class SequenceTest {
    private final Harness h = new Harness();

    @Test
    void sequence_newRequest_okWithSlotTableLimits() {
        SessionId id = h.newSession();

        Harness.Reply r = h.call(seq(id, 1, 2, false), count());

        assertThat(r.status()).isEqualTo(NfsStatus.NFS4_OK);
        SequenceResult s = r.result(0, SequenceResult.class);
        assertThat(s).isEqualTo(new SequenceResult(id, 1, 2, 3, 3, 0));
        assertThat(h.executions).hasValue(1);
    }

    @Test
    void sequence_retryOfCachedRequest_identicalReplyAndNotExecutedAgain() {
        SessionId id = h.newSession();
        Harness.Reply first = h.call(seq(id, 1, 0, true), count(), count());

        Harness.Reply retry = h.call(seq(id, 1, 0, true), count(), count());

        assertThat(first.status()).isEqualTo(NfsStatus.NFS4_OK);
        assertThat(retry.bytes()).isEqualTo(first.bytes());
        assertThat(h.executions).hasValue(2);
    }

    @Test
    void sequence_retryOfCachedFailure_identicalReply() {
        SessionId id = h.newSession();
        Harness.Reply first = h.call(seq(id, 1, 0, true), count(), new Harness.NoArgs(Opcode.READLINK));

        Harness.Reply retry = h.call(seq(id, 1, 0, true), count(), new Harness.NoArgs(Opcode.READLINK));

        assertThat(first.status()).isEqualTo(NfsStatus.NFS4ERR_NOTSUPP);
        assertThat(retry.bytes()).isEqualTo(first.bytes());
        assertThat(h.executions).hasValue(1);
    }

    @Test
    void sequence_retryOfUncachedRequest_retryUncachedRepOnNextOperation() {
        SessionId id = h.newSession();
        h.call(seq(id, 1, 0, false), count());

        Harness.Reply retry = h.call(seq(id, 1, 0, false), count());

        assertThat(retry.status()).isEqualTo(NfsStatus.NFS4ERR_RETRY_UNCACHED_REP);
        assertThat(retry.decoded().opcodes()).containsExactly(Opcode.SEQUENCE, Harness.COUNT);
        assertThat(retry.result(0, SequenceResult.class).sequenceId()).isEqualTo(1);
        assertThat(retry.status(1)).isEqualTo(NfsStatus.NFS4ERR_RETRY_UNCACHED_REP);
        assertThat(h.executions).hasValue(1);
    }

    @Test
    void sequence_retryOfSoloSequence_cachedEvenWithoutCacheThis() {
        SessionId id = h.newSession();
        Harness.Reply first = h.call(seq(id, 1, 0, false));

        Harness.Reply retry = h.call(seq(id, 1, 0, false));

        assertThat(retry.bytes()).isEqualTo(first.bytes());
    }

    @Test
    void sequence_afterReplay_nextSeqidIsNewRequest() {
        SessionId id = h.newSession();
        h.call(seq(id, 1, 0, true), count());
        h.call(seq(id, 1, 0, true), count());

        Harness.Reply next = h.call(seq(id, 2, 0, true), count());

        assertThat(next.status()).isEqualTo(NfsStatus.NFS4_OK);
        assertThat(h.executions).hasValue(2);
    }

    @Test
    void sequence_seqidAheadOrBehind_misordered() {
        SessionId id = h.newSession();
        assertThat(h.call(seq(id, 2, 0, false)).status()).isEqualTo(NfsStatus.NFS4ERR_SEQ_MISORDERED);
        assertThat(h.call(seq(id, 0, 0, false)).status()).isEqualTo(NfsStatus.NFS4ERR_SEQ_MISORDERED);
        h.call(seq(id, 1, 0, false));

        assertThat(h.call(seq(id, 3, 0, false), count()).status()).isEqualTo(NfsStatus.NFS4ERR_SEQ_MISORDERED);
        assertThat(h.call(seq(id, 0, 0, false), count()).status()).isEqualTo(NfsStatus.NFS4ERR_SEQ_MISORDERED);
        assertThat(h.executions).hasValue(0);
        assertThat(h.call(seq(id, 2, 0, false)).status()).isEqualTo(NfsStatus.NFS4_OK);
    }

    @Test
    void sequence_slotsAreIndependent() {
        SessionId id = h.newSession();

        assertThat(h.call(seq(id, 1, 0, false)).status()).isEqualTo(NfsStatus.NFS4_OK);
        assertThat(h.call(seq(id, 1, 3, false)).status()).isEqualTo(NfsStatus.NFS4_OK);
        assertThat(h.call(seq(id, 2, 0, false)).status()).isEqualTo(NfsStatus.NFS4_OK);
    }

    @Test
    void sequence_slotAboveHighest_badSlot() {
        SessionId id = h.newSession();

        assertThat(h.call(seq(id, 1, 4, false)).status()).isEqualTo(NfsStatus.NFS4ERR_BADSLOT);
        assertThat(h.call(seq(id, 1, -1, false)).status()).isEqualTo(NfsStatus.NFS4ERR_BADSLOT);
    }

    @Test
    void sequence_slotInUse_delayAndNothingExecuted() throws Exception {
        SessionId id = h.newSession();
        Session session = h.server.sessions().session(id);
        SlotOutcome.Acquired held = (SlotOutcome.Acquired) session.acquire(1, 1, false, false);

        assertThat(h.call(seq(id, 1, 1, false), count()).status()).isEqualTo(NfsStatus.NFS4ERR_DELAY);
        assertThat(h.call(seq(id, 2, 1, false), count()).status()).isEqualTo(NfsStatus.NFS4ERR_DELAY);
        assertThat(h.executions).hasValue(0);

        held.slot().complete(Unpooled.EMPTY_BUFFER);
        assertThat(h.call(seq(id, 2, 1, false), count()).status()).isEqualTo(NfsStatus.NFS4_OK);
    }

    @Test
    void sequence_unknownSession_badSession() {
        SessionId unknown = new SessionId(new byte[16]);

        assertThat(h.call(seq(unknown, 1, 0, false)).status()).isEqualTo(NfsStatus.NFS4ERR_BADSESSION);
    }

    @Test
    void sequence_sessionOfAnotherServerInstance_badSession() {
        SessionId id = h.newSession();

        assertThat(new Harness().call(seq(id, 1, 0, false)).status()).isEqualTo(NfsStatus.NFS4ERR_BADSESSION);
    }

    @Test
    void sequence_requestLargerThanNegotiated_reqTooBigAndNothingExecuted() {
        SessionId id = h.newSession("owner", new ChannelAttrs(0, 100, 4096, 1024, 64, 1, null)).sessionId();
        OpArgs[] ops = new OpArgs[20];
        ops[0] = seq(id, 1, 0, false);
        for (int i = 1; i < ops.length; i++) {
            ops[i] = count();
        }

        Harness.Reply r = h.call(ops);

        assertThat(r.status()).isEqualTo(NfsStatus.NFS4ERR_REQ_TOO_BIG);
        assertThat(h.executions).hasValue(0);
        assertThat(h.call(seq(id, 1, 0, false), count()).status()).isEqualTo(NfsStatus.NFS4_OK);
    }

    @Test
    void sequence_moreOperationsThanNegotiated_tooManyOps() {
        SessionId id = h.newSession("owner", new ChannelAttrs(0, 4096, 4096, 1024, 2, 1, null)).sessionId();

        Harness.Reply r = h.call(seq(id, 1, 0, false), count(), count());

        assertThat(r.status()).isEqualTo(NfsStatus.NFS4ERR_TOO_MANY_OPS);
        assertThat(h.executions).hasValue(0);
        assertThat(h.call(seq(id, 1, 0, false), count()).status()).isEqualTo(NfsStatus.NFS4_OK);
    }

    @Test
    void sequence_replyLargerThanNegotiated_repTooBigOnTheOperation() {
        SessionId id = h.newSession("owner", new ChannelAttrs(0, 4096, 200, 100, 8, 1, null)).sessionId();

        Harness.Reply r = h.call(seq(id, 1, 0, false), count(), big(), count());

        assertThat(r.status()).isEqualTo(NfsStatus.NFS4ERR_REP_TOO_BIG);
        assertThat(r.decoded().opcodes()).containsExactly(Opcode.SEQUENCE, Harness.COUNT, Harness.BIG);
        assertThat(h.executions).hasValue(1);
    }

    @Test
    void sequence_cachedReplyLargerThanCacheLimit_repTooBigToCache() {
        SessionId id = h.newSession("owner", new ChannelAttrs(0, 4096, 8192, 100, 8, 1, null)).sessionId();

        Harness.Reply r = h.call(seq(id, 1, 0, true), big());

        assertThat(r.status()).isEqualTo(NfsStatus.NFS4ERR_REP_TOO_BIG_TO_CACHE);
    }

    @Test
    void compound_withoutSequence_opNotInSession() {
        Harness.Reply r = h.call(count());

        assertThat(r.status()).isEqualTo(NfsStatus.NFS4ERR_OP_NOT_IN_SESSION);
        assertThat(h.executions).hasValue(0);
    }

    @Test
    void sequence_notFirst_sequencePos() {
        SessionId id = h.newSession();

        Harness.Reply r = h.call(seq(id, 1, 0, false), count(), seq(id, 1, 1, false));

        assertThat(r.status()).isEqualTo(NfsStatus.NFS4ERR_SEQUENCE_POS);
        assertThat(r.status(2)).isEqualTo(NfsStatus.NFS4ERR_SEQUENCE_POS);
    }

    @Test
    void sequence_newRequest_renewsLease() throws Exception {
        ManualClock clock = new ManualClock(Instant.parse("2026-01-01T00:00:00Z"));
        Harness timed = new Harness(ServerConfig.defaults(), clock);
        SessionId id = timed.newSession();
        ClientRecord client = timed.server.sessions().session(id).client();
        clock.advance(Duration.ofSeconds(30));

        timed.call(seq(id, 1, 0, false));

        assertThat(client.lastRenewed()).isEqualTo(Instant.parse("2026-01-01T00:00:30Z"));
    }

    @Test
    void sequence_onUnboundConnection_bindsItForeUntilClosed() throws Exception {
        SessionId id = h.newSession();
        Session session = h.server.sessions().session(id);
        RpcConnection conn = FakeConnection.open();

        h.call(ALICE, conn, seq(id, 1, 0, false));

        assertThat(session.isBound(conn)).isTrue();
        assertThat(session.backChannelConnections()).isEmpty();
        conn.close();
        assertThat(session.isBound(conn)).isFalse();
    }

    @Test
    void sequence_threadsOnDistinctSlots_everyRequestExecutedExactlyOnce() throws Exception {
        SessionId id = h.newSession();
        int perSlot = 200;
        List<Callable<List<NfsStatus>>> tasks = new ArrayList<>();
        for (int slot = 0; slot < 4; slot++) {
            int s = slot;
            tasks.add(() -> {
                List<NfsStatus> statuses = new ArrayList<>();
                for (int i = 1; i <= perSlot; i++) {
                    statuses.add(h.call(seq(id, i, s, i % 2 == 0), count()).status());
                    statuses.add(h.call(seq(id, i, s, i % 2 == 0), count()).status()); // a retry
                }
                return statuses;
            });
        }
        List<NfsStatus> all = new ArrayList<>();
        try (ExecutorService pool = Executors.newFixedThreadPool(4)) {
            for (Future<List<NfsStatus>> f : pool.invokeAll(tasks)) {
                all.addAll(f.get());
            }
        }

        assertThat(all).containsOnly(NfsStatus.NFS4_OK, NfsStatus.NFS4ERR_RETRY_UNCACHED_REP);
        assertThat(all).filteredOn(s -> s == NfsStatus.NFS4ERR_RETRY_UNCACHED_REP).hasSize(4 * perSlot / 2);
        assertThat(h.executions).hasValue(4 * perSlot);
    }
}
