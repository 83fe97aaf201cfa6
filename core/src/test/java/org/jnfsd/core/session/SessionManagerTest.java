package org.jnfsd.core.session;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.netty.buffer.Unpooled;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import org.jnfsd.core.NfsException;
import org.jnfsd.core.ServerConfig;
import org.jnfsd.protocol.nfs4.NfsStatus;
import org.jnfsd.protocol.nfs4.session.ChannelAttrs;
import org.junit.jupiter.api.Test;

class SessionManagerTest {
    private static final Clock CLOCK = Clock.fixed(Instant.parse("2026-01-01T00:00:00Z"), ZoneOffset.UTC);
    private static final ChannelAttrs FORE = new ChannelAttrs(0, 4096, 4096, 1024, 8, 2, null);
    private static final byte[] VERIFIER = new byte[8];
    private static final Principal ALICE = new Principal("sys:1000@a");

    private final SessionManager m = new SessionManager(ServerConfig.defaults(), CLOCK, 0x1234, "jnfsd:test");

    private ClientRecord exchange(String owner) throws NfsException {
        return m.exchangeId(owner.getBytes(StandardCharsets.UTF_8), VERIFIER, ALICE, false).client();
    }

    private Session create(ClientRecord c) throws NfsException {
        return m.createSession(c, ALICE, FORE, FORE, 0, 1, List.of(), null, ChannelDirection.FORE).session();
    }

    private static NfsStatus status(ThrowingRunnable r) {
        try {
            r.run();
            return NfsStatus.NFS4_OK;
        } catch (NfsException e) {
            return e.status();
        }
    }

    interface ThrowingRunnable {
        void run() throws NfsException;
    }

    @Test
    void exchangeId_clientIdCarriesBootEpoch() throws Exception {
        ClientRecord c = exchange("o");

        assertThat(c.id().epoch()).isEqualTo(0x1234);
        assertThat(c.state()).isEqualTo(ClientRecord.State.UNCONFIRMED);
        assertThat(c.lastRenewed()).isEqualTo(CLOCK.instant());
    }

    @Test
    void serverOwnerAndScope_fromServerName() {
        assertThat(m.serverOwner().majorId()).isEqualTo("jnfsd:test".getBytes(StandardCharsets.UTF_8));
        assertThat(m.serverScope()).isEqualTo("jnfsd:test".getBytes(StandardCharsets.UTF_8));
    }

    @Test
    void client_idFromOtherEpochOrUnknown_staleClientId() throws Exception {
        ClientRecord c = exchange("o");
        SessionManager other = new SessionManager(ServerConfig.defaults(), CLOCK, 0x4321, "jnfsd:test");

        assertThat(status(() -> other.client(c.id().value()))).isEqualTo(NfsStatus.NFS4ERR_STALE_CLIENTID);
        assertThat(status(() -> m.client(ClientId.of(0x1234, 999).value()))).isEqualTo(NfsStatus.NFS4ERR_STALE_CLIENTID);
        assertThat(m.client(c.id().value())).isSameAs(c);
    }

    @Test
    void createSession_confirmsAndRegisters() throws Exception {
        ClientRecord c = exchange("o");

        Session s = create(c);

        assertThat(c.state()).isEqualTo(ClientRecord.State.ACTIVE);
        assertThat(c.sessions()).containsExactly(s);
        assertThat(m.session(s.id())).isSameAs(s);
        assertThat(s.foreChannel()).isEqualTo(FORE);
        assertThat(s.highestSlotId()).isEqualTo(1);
    }

    @Test
    void destroySession_twice_badSessionTheSecondTime() throws Exception {
        Session s = create(exchange("o"));

        m.destroySession(s);

        assertThat(status(() -> m.destroySession(s))).isEqualTo(NfsStatus.NFS4ERR_BADSESSION);
        assertThat(status(() -> m.session(s.id()))).isEqualTo(NfsStatus.NFS4ERR_BADSESSION);
    }

    @Test
    void destroyClient_drainingSession_delayUntilDrained() throws Exception {
        ClientRecord c = exchange("o");
        Session s = create(c);
        SlotOutcome.Acquired held = (SlotOutcome.Acquired) s.acquire(0, 1, false, false);
        m.destroySession(s);

        assertThat(status(() -> m.destroyClient(c.id().value(), id -> false))).isEqualTo(NfsStatus.NFS4ERR_DELAY);
        held.slot().complete(Unpooled.EMPTY_BUFFER);

        assertThat(m.destroyClient(c.id().value(), id -> false)).isSameAs(c);
        assertThat(c.state()).isEqualTo(ClientRecord.State.DESTROYED);
        assertThat(m.clients()).isEmpty();
    }

    @Test
    void createSession_recordDestroyedMeanwhile_staleClientId() throws Exception {
        ClientRecord c = exchange("o");
        m.destroyClient(c.id().value(), id -> false);

        assertThat(status(() -> create(c))).isEqualTo(NfsStatus.NFS4ERR_STALE_CLIENTID);
    }

    @Test
    void replacedConfirmedRecord_sessionsDrainedAndReported() throws Exception {
        ClientRecord old = exchange("o");
        Session oldSession = create(old);
        ClientRecord fresh = m.exchangeId("o".getBytes(StandardCharsets.UTF_8), new byte[] {1, 1, 1, 1, 1, 1, 1, 1},
                ALICE, false).client();

        SessionManager.CreateOutcome outcome =
                m.createSession(fresh, ALICE, FORE, FORE, 0, 1, List.of(), null, ChannelDirection.FORE);

        assertThat(outcome.released()).containsExactly(old);
        assertThat(old.state()).isEqualTo(ClientRecord.State.EXPIRING); // the caller's teardown finishes it
        assertThat(oldSession.state()).isEqualTo(Session.State.DESTROYED);
        assertThat(status(() -> m.client(old.id().value()))).isEqualTo(NfsStatus.NFS4ERR_STALE_CLIENTID);
    }

    @Test
    void reclaimComplete_secondTime_completeAlready() throws Exception {
        ClientRecord c = exchange("o");
        m.reclaimComplete(c);

        assertThat(status(() -> m.reclaimComplete(c))).isEqualTo(NfsStatus.NFS4ERR_COMPLETE_ALREADY);
    }

    @Test
    void defaultConstructor_twoInstances_differentEpochs() {
        SessionManager a = new SessionManager(ServerConfig.defaults(), CLOCK);
        SessionManager b = new SessionManager(ServerConfig.defaults(), CLOCK);

        assertThat(a.bootEpoch()).isNotEqualTo(b.bootEpoch());
        assertThatThrownBy(() -> b.client(ClientId.of(a.bootEpoch(), 1).value())).isInstanceOf(NfsException.class);
    }
}
