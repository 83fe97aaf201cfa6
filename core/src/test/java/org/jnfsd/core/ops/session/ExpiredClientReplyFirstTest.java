package org.jnfsd.core.ops.session;

import static org.assertj.core.api.Assertions.assertThat;
import static org.jnfsd.core.ops.session.Harness.ALICE;
import static org.jnfsd.core.ops.session.Harness.VERIFIER_1;
import static org.jnfsd.core.ops.session.Harness.attrs;
import static org.jnfsd.core.ops.session.Harness.seq;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufUtil;
import io.netty.buffer.Unpooled;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import org.jnfsd.core.ServerConfig;
import org.jnfsd.core.compound.CompoundContext;
import org.jnfsd.core.compound.CompoundProcessor;
import org.jnfsd.core.compound.Operation;
import org.jnfsd.core.compound.OperationTable;
import org.jnfsd.core.fs.FileHandle;
import org.jnfsd.core.ops.v40.V40Operations;
import org.jnfsd.core.session.ClientRecord;
import org.jnfsd.core.session.Principal;
import org.jnfsd.core.session.SessionManager;
import org.jnfsd.core.session.V40ClientIds;
import org.jnfsd.core.time.ManualClock;
import org.jnfsd.protocol.nfs4.CompoundReply;
import org.jnfsd.protocol.nfs4.CompoundRequest;
import org.jnfsd.protocol.nfs4.NfsStatus;
import org.jnfsd.protocol.nfs4.OpArgs;
import org.jnfsd.protocol.nfs4.OpResult;
import org.jnfsd.protocol.nfs4.Opcode;
import org.jnfsd.protocol.nfs4.StatusResult;
import org.jnfsd.protocol.nfs4.io.OpenOwner;
import org.jnfsd.protocol.nfs4.io.ShareAccess;
import org.jnfsd.protocol.nfs4.session.CreateSessionResult;
import org.jnfsd.protocol.nfs4.session.ExchangeIdResult;
import org.jnfsd.protocol.nfs4.v40.RenewArgs;
import org.jnfsd.protocol.xdr.XdrDecoder;
import org.jnfsd.protocol.xdr.XdrEncoder;
import org.jnfsd.vfs.Inode;
import org.junit.jupiter.api.Test;

/**
 * The last COMPOUND of a client that expired while it ran is answered before the client's teardown
 * runs: {@code InFlightSlot.complete} only starts the teardown on the teardown executor, which this
 * test holds (a queue it runs by hand), so the reply is back while the record is still EXPIRING
 * with its state in place.
 */
class ExpiredClientReplyFirstTest {
    private static final Duration LEASE = Duration.ofSeconds(90);
    private static final FileHandle FILE = new FileHandle(1, new Inode(new byte[] {7}));

    private final ManualClock clock = new ManualClock(Instant.parse("2026-01-01T00:00:00Z"));
    private final ArrayDeque<Runnable> teardowns = new ArrayDeque<>();
    private final Harness h = new Harness(ServerConfig.builder().leaseTime(LEASE).maxCourtesyClients(0).build(),
            clock, teardowns::add);

    /** A test operation (PUTROOTFH's opcode) that runs {@code action} in the middle of the COMPOUND. */
    private record Midway(Runnable action) implements Operation<Boolean> {
        @Override
        public Opcode opcode() {
            return Opcode.PUTROOTFH;
        }

        @Override
        public Boolean decode(XdrDecoder in) {
            return Boolean.TRUE; // not null: a 4.0 COMPOUND asks each operation's arguments for a client
        }

        @Override
        public OpResult execute(CompoundContext ctx, Boolean args) {
            action.run();
            return StatusResult.OK;
        }
    }

    @Test
    void lastCompound_clientExpiredMeanwhile_answeredBeforeTeardownRuns() throws Exception {
        ExchangeIdResult eid = h.exchangeId(ALICE, "a", VERIFIER_1);
        CreateSessionResult cs = h.createSession(eid.clientId(), eid.sequenceId(), attrs(4));
        long id = eid.clientId();
        ClientRecord record = h.server.sessions().client(id);
        h.server.opens().open(id, new OpenOwner(id, new byte[] {1}), FILE, ShareAccess.ACCESS_READ, 0);
        List<Object> midway = new ArrayList<>();
        CompoundProcessor p = new CompoundProcessor(h.server, new OperationTable(List.of(new Sequence(),
                new Midway(() -> {
                    // the lease lapses; with no courtesy allowed the record expires at once
                    clock.advance(LEASE);
                    h.server.laundromat().runOnce();
                    midway.add(record.state());
                    midway.add(teardowns.size());
                }))));

        Harness.Reply reply = Harness.callVia(p, ALICE, null, seq(cs.sessionId(), 1, 0, false), Harness.count());

        assertThat(midway).as("expired during the compound; its teardown waits for the compound")
                .containsExactly(ClientRecord.State.EXPIRING, 0);
        assertThat(reply.status()).isEqualTo(NfsStatus.NFS4_OK);
        assertThat(record.compoundsInFlight()).isZero();
        assertThat(teardowns).as("the teardown is started, not run, by the last compound").hasSize(1);
        assertThat(record.state()).as("answered while the teardown has not run").isEqualTo(ClientRecord.State.EXPIRING);
        assertThat(h.server.opens().openCount(id)).isEqualTo(1);
        assertThat(h.server.teardown().tornDown()).isZero();

        teardowns.poll().run();

        assertThat(teardowns).isEmpty();
        assertThat(record.state()).isEqualTo(ClientRecord.State.DESTROYED);
        assertThat(h.server.opens().openCount(id)).isZero();
        assertThat(h.server.teardown().tornDown()).isEqualTo(1);
        assertThat(h.server.teardown().hookFailures()).isZero();
    }

    /** The same for NFSv4.0, where the client is bound by an operation naming it (RENEW here). */
    @Test
    void lastCompound_v40ClientExpiredMeanwhile_answeredBeforeTeardownRuns() throws Exception {
        Principal alice = new Principal("sys:1000@alice-host");
        SessionManager sessions = h.server.sessions();
        V40ClientIds.SetOutcome set = sessions.setClientId("v40".getBytes(StandardCharsets.UTF_8), VERIFIER_1, alice,
                null, 0);
        ClientRecord record = sessions.confirmClientId(set.client().id().value(), set.confirm(), alice).client();
        long id = record.id().value();
        List<Object> midway = new ArrayList<>();
        List<Operation<?>> ops = new ArrayList<>(V40Operations.all());
        ops.add(new Midway(() -> {
            clock.advance(LEASE);
            h.server.laundromat().runOnce();
            midway.add(record.state());
            midway.add(teardowns.size());
        }));
        CompoundProcessor p = new CompoundProcessor(h.server, new OperationTable(ops));

        CompoundReply reply = callMinor0(p, new RenewArgs(id), Harness.count());

        assertThat(midway).containsExactly(ClientRecord.State.EXPIRING, 0);
        assertThat(reply.status()).isEqualTo(NfsStatus.NFS4_OK);
        assertThat(teardowns).as("the teardown is started, not run, by the last compound").hasSize(1);
        assertThat(record.state()).isEqualTo(ClientRecord.State.EXPIRING);

        teardowns.poll().run();

        assertThat(record.state()).isEqualTo(ClientRecord.State.DESTROYED);
        assertThat(h.server.teardown().hookFailures()).isZero();
    }

    private static CompoundReply callMinor0(CompoundProcessor p, OpArgs... ops) throws Exception {
        ByteBuf req = Unpooled.buffer();
        ByteBuf out = Unpooled.buffer();
        try {
            new CompoundRequest("test", 0, List.of(ops)).encode(new XdrEncoder(req));
            p.process(ALICE, null, new XdrDecoder(req), new XdrEncoder(out));
            return Harness.decode(ByteBufUtil.getBytes(out));
        } finally {
            req.release();
            out.release();
        }
    }
}
