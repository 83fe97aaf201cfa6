package org.jnfsd.core.ops.session;

import static org.assertj.core.api.Assertions.assertThat;
import static org.jnfsd.core.ops.session.Harness.ALICE;
import static org.jnfsd.core.ops.session.Harness.VERIFIER_1;
import static org.jnfsd.core.ops.session.Harness.attrs;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import org.jnfsd.core.ServerConfig;
import org.jnfsd.core.fs.FileHandle;
import org.jnfsd.core.lease.ClientAdmin;
import org.jnfsd.core.state.OpenShare;
import org.jnfsd.protocol.nfs4.io.OpenOwner;
import org.jnfsd.core.time.ManualClock;
import org.jnfsd.protocol.nfs4.io.ShareAccess;
import org.jnfsd.protocol.nfs4.session.ExchangeIdResult;
import org.jnfsd.vfs.Inode;
import org.junit.jupiter.api.Test;

/**
 * {@code jnfsd clients}, {@code jnfsd states} and {@code jnfsd evict} at the core: what the
 * summary and the state listing say about a client, and that an eviction tears it down through the
 * normal teardown (the admin RPC over TCP is tested in the server module).
 */
class ClientAdminTest {
    private static final Duration LEASE = Duration.ofSeconds(90);
    private static final FileHandle FILE = new FileHandle(3, new Inode(new byte[] {0x0a, 0x0b}));

    private final ManualClock clock = new ManualClock(Instant.parse("2026-01-01T00:00:00Z"));
    private final Harness h = new Harness(ServerConfig.builder().leaseTime(LEASE).build(), clock);
    private final ClientAdmin admin = new ClientAdmin(h.server);

    private long client(String owner) {
        ExchangeIdResult eid = h.exchangeId(ALICE, owner, VERIFIER_1);
        h.createSession(eid.clientId(), eid.sequenceId(), attrs(4));
        return eid.clientId();
    }

    private OpenShare open(long id, byte[] owner, int access, int deny) throws Exception {
        return h.server.opens().open(id, new OpenOwner(id, owner), FILE, access, deny);
    }

    @Test
    void clients_summaryOfEach_leaseLeftCountsDownToZero() throws Exception {
        long a = client("a");
        long b = client("b");
        open(a, new byte[] {1}, ShareAccess.ACCESS_READ, 0);
        clock.advance(Duration.ofSeconds(10));

        assertThat(admin.clients()).extracting(ClientAdmin.Summary::clientId).containsExactlyInAnyOrder(a, b);
        ClientAdmin.Summary sa = admin.clients().stream().filter(s -> s.clientId() == a).findFirst().orElseThrow();
        assertThat(sa.id()).isEqualTo(String.format("%016x", a)).hasSize(16);
        assertThat(sa.state()).isEqualTo("ACTIVE");
        assertThat(sa.sessions()).isEqualTo(1);
        assertThat(sa.callback()).as("no back channel was ever bound").isEqualTo("NONE");
        assertThat(sa.opens()).isEqualTo(1);
        assertThat(sa.locks()).isZero();
        assertThat(sa.delegations()).isZero();
        assertThat(sa.leaseLeftMillis()).isLessThanOrEqualTo(LEASE.minusSeconds(10).toMillis()).isPositive();

        clock.advance(LEASE.multipliedBy(3));
        assertThat(admin.clients()).allSatisfy(s -> assertThat(s.leaseLeftMillis()).isZero());
    }

    @Test
    void states_unknownClientNull_opensListedWithAccessDenyAndOwner() throws Exception {
        assertThat(admin.states(0x1234L)).isNull();
        long a = client("a");
        assertThat(admin.states(a)).isEmpty();

        open(a, "owner-1".getBytes(StandardCharsets.US_ASCII), ShareAccess.ACCESS_READ | ShareAccess.ACCESS_WRITE,
                ShareAccess.DENY_WRITE);
        open(a, new byte[] {0, 1, (byte) 0xff}, ShareAccess.ACCESS_READ, 0);

        assertThat(admin.states(a)).extracting(ClientAdmin.StateEntry::kind).containsOnly("OPEN").hasSize(2);
        assertThat(admin.states(a)).extracting(ClientAdmin.StateEntry::detail).containsExactlyInAnyOrder(
                "access=BOTH deny=WRITE owner=owner-1", "access=READ deny=NONE owner=0x0001ff");
        assertThat(admin.states(a)).allSatisfy(e -> {
            assertThat(e.file()).isEqualTo("3:0a0b");
            assertThat(e.stateId()).matches("[0-9]+:[0-9a-f]{24}");
        });
    }

    @Test
    void evict_unknownClient_unknownAndNothingReleased() {
        assertThat(admin.evict(0x77L)).isEqualTo(new ClientAdmin.Eviction(ClientAdmin.Result.UNKNOWN, 0, 0, 0));
    }

    @Test
    void evict_idleClientWithAnOpen_tornDownCountsWhatItHeld_thenGone() throws Exception {
        long a = client("a");
        long b = client("b");
        open(a, new byte[] {1}, ShareAccess.ACCESS_READ, 0);

        ClientAdmin.Eviction e = admin.evict(a);

        assertThat(e).isEqualTo(new ClientAdmin.Eviction(ClientAdmin.Result.TORN_DOWN, 1, 0, 0));
        assertThat(admin.states(a)).as("no longer a live client").isNull();
        assertThat(h.server.opens().openCount(a)).isZero();
        assertThat(admin.clients()).extracting(ClientAdmin.Summary::clientId).containsExactly(b);
        assertThat(h.server.teardown().hookFailures()).isZero();
    }
}
