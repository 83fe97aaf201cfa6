package org.jnfsd.core.session;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import org.jnfsd.core.NfsException;
import org.jnfsd.core.ServerConfig;
import org.jnfsd.core.time.ManualClock;
import org.jnfsd.protocol.nfs4.NfsStatus;
import org.jnfsd.protocol.nfs4.session.ChannelAttrs;
import org.junit.jupiter.api.Test;

/**
 * The client-record limit and the unconfirmed timeout (issue 16: 5,000 new clients were accepted
 * in 4 s; nothing capped the records). Manual clock, no laundromat thread: sweeps are called.
 */
class ClientLimitTest {
    private static final ChannelAttrs FORE = new ChannelAttrs(0, 4096, 4096, 1024, 8, 2, null);
    private static final Principal ALICE = new Principal("sys:1000@a");

    private final ManualClock clock = new ManualClock();
    private final AtomicInteger refusals = new AtomicInteger();
    private final SessionManager m = new SessionManager(ServerConfig.builder().leaseTime(Duration.ofSeconds(90))
            .maxClients(3).unconfirmedClientTimeout(Duration.ofSeconds(15)).build(), clock, 0x1234, "jnfsd:test");

    ClientLimitTest() {
        m.onClientLimit(refusals::incrementAndGet);
    }

    private SessionManager.ExchangeOutcome exchange(String owner) throws NfsException {
        return m.exchangeId(owner.getBytes(StandardCharsets.UTF_8), new byte[8], ALICE, false);
    }

    private ClientRecord confirmed(String owner) throws NfsException {
        ClientRecord c = exchange(owner).client();
        m.createSession(c, ALICE, FORE, FORE, 0, 1, List.of(), null, ChannelDirection.FORE);
        return c;
    }

    @Test
    void atTheLimit_newClientIsDelayedAndCounted_existingOnesStillServed() throws Exception {
        confirmed("a");
        confirmed("b");
        ClientRecord c = confirmed("c");

        assertThatThrownBy(() -> exchange("d")).isInstanceOfSatisfying(NfsException.class,
                e -> assertThat(e.status()).isEqualTo(NfsStatus.NFS4ERR_DELAY));
        assertThat(refusals).hasValue(1);
        assertThat(m.clients()).hasSize(3);
        // a known client's EXCHANGE_ID (same owner and verifier) is no new record: answered
        assertThat(exchange("c").client()).isSameAs(c);
    }

    @Test
    void atTheLimit_theOldestCourtesyClientMakesRoom() throws Exception {
        ClientRecord a = confirmed("a");
        clock.advance(Duration.ofSeconds(10));
        confirmed("b");
        confirmed("c");
        clock.advance(Duration.ofSeconds(95)); // a's lease lapsed, b's and c's too
        m.sweep();
        assertThat(a.state()).isEqualTo(ClientRecord.State.COURTESY);

        SessionManager.ExchangeOutcome d = exchange("d");

        assertThat(d.released()).containsExactly(a); // the caller tears down its state
        assertThat(a.state()).isEqualTo(ClientRecord.State.EXPIRING);
        assertThat(m.clients()).hasSize(3).contains(d.client());
        assertThat(refusals).hasValue(0);
    }

    @Test
    void atTheLimit_anUnconfirmedRecordOlderThanTheTimeoutMakesRoom_aYoungerOneDoesNot() throws Exception {
        confirmed("a");
        confirmed("b");
        ClientRecord stale = exchange("u").client();
        clock.advance(Duration.ofSeconds(14));
        assertThatThrownBy(() -> exchange("d")).isInstanceOf(NfsException.class);

        clock.advance(Duration.ofSeconds(1));
        ClientRecord d = exchange("d").client();

        assertThat(stale.state()).isEqualTo(ClientRecord.State.EXPIRING);
        assertThat(m.clients()).hasSize(3).contains(d);
    }

    @Test
    void sweep_expiresUnconfirmedRecordsAfterTheUnconfirmedTimeout_notTheLease() throws Exception {
        ClientRecord u = exchange("u").client();
        clock.advance(Duration.ofSeconds(5));
        ClientRecord v = exchange("v").client();
        clock.advance(Duration.ofSeconds(10));

        SessionManager.Sweep sweep = m.sweep();

        assertThat(sweep.tearDownNow()).containsExactly(u);
        assertThat(v.state()).isEqualTo(ClientRecord.State.UNCONFIRMED);
        assertThat(m.clients()).containsExactly(v);
    }

    @Test
    void confirmedRecordsAreNotExpiredByTheUnconfirmedTimeout() throws Exception {
        ClientRecord a = confirmed("a");
        clock.advance(Duration.ofSeconds(60));

        assertThat(m.sweep().tearDownNow()).isEmpty();
        assertThat(a.state()).isEqualTo(ClientRecord.State.ACTIVE);
    }
}
