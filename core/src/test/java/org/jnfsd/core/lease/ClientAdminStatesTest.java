package org.jnfsd.core.lease;

import static org.assertj.core.api.Assertions.assertThat;
import static org.jnfsd.core.lease.AdminFixture.A;
import static org.jnfsd.core.lease.AdminFixture.B;
import static org.jnfsd.core.lease.AdminFixture.file;

import java.time.Duration;
import org.jnfsd.core.fs.FileHandle;
import org.jnfsd.core.session.ClientRecord;
import org.jnfsd.core.state.lock.LockRange;
import org.jnfsd.protocol.nfs4.StateId;
import org.jnfsd.protocol.nfs4.io.ShareAccess;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * {@link ClientAdmin} over lock states and delegations ({@code ClientAdminTest} in ops.session
 * covers opens): how {@code jnfsd states} prints each, what {@code jnfsd clients} counts, and what
 * {@code jnfsd evict} reports and releases, at once or when the client's last COMPOUND ends.
 */
class ClientAdminStatesTest {
    private static final FileHandle A1 = file(A, 1);
    private static final FileHandle B7 = file(B, 7);

    private final AdminFixture f = new AdminFixture();
    private final ClientAdmin admin = new ClientAdmin(f.server);

    @AfterEach
    void close() {
        f.close();
    }

    private static String id(StateId s) {
        return Integer.toUnsignedString(s.seqid()) + ":" + java.util.HexFormat.of().formatHex(s.other());
    }

    @Test
    void states_lockRangesInOrder_toEofAndUnsigned_thenNoRangesAfterUnlock() throws Exception {
        long c = f.client("c", "192.0.2.7:801");
        StateId lock = f.lock(c, A1, "lockowner", true, new LockRange(0, 9));
        lock = ((org.jnfsd.core.state.lock.LockOutcome.Granted) f.server.locks().lockExisting(c, A1, lock, false,
                false, false, new LockRange(0x8000_0000_0000_0000L, LockRange.TO_EOF))).stateId();

        ClientAdmin.StateEntry e = admin.states(c).stream().filter(s -> s.kind().equals("LOCK")).findFirst()
                .orElseThrow();
        assertThat(e.file()).isEqualTo("1:01");
        assertThat(e.detail()).isEqualTo("WRITE 0-9,READ 9223372036854775808-EOF owner=lockowner");
        assertThat(e.stateId()).isEqualTo(id(lock));

        StateId unlocked = f.server.locks().unlock(c, A1, lock, new LockRange(0, LockRange.TO_EOF));
        assertThat(admin.states(c)).filteredOn(s -> s.kind().equals("LOCK")).singleElement()
                .satisfies(s -> {
                    assertThat(s.detail()).isEqualTo("no ranges owner=lockowner");
                    assertThat(s.stateId()).isEqualTo(id(unlocked));
                });
    }

    @Test
    void states_opensThenLocksThenDelegations_delegationTypeStateAndRecallStart() throws Exception {
        long c = f.client("c", "192.0.2.7:801");
        long other = f.client("other", "192.0.2.8:801");
        StateId deleg = f.delegate(c, B7);
        f.lock(c, A1, "l", false, new LockRange(5, 5));

        assertThat(admin.states(c)).extracting(ClientAdmin.StateEntry::kind).containsExactly("OPEN", "LOCK",
                "DELEGATION");
        ClientAdmin.StateEntry d = admin.states(c).get(2);
        assertThat(d.detail()).isEqualTo("READ GRANTED");
        assertThat(d.file()).isEqualTo("2:07");
        assertThat(d.stateId()).isEqualTo(id(deleg));
        assertThat(admin.states(c).get(1).detail()).isEqualTo("READ 5-5 owner=l");

        f.clock.advance(Duration.ofSeconds(3));
        assertThat(f.server.delegations().recallConflicting(other, B7, x -> {})).isTrue();
        assertThat(admin.states(c).get(2).detail()).isEqualTo("READ RECALLING since " + f.clock.instant());
    }

    @Test
    void clients_countsLockStatesAndDelegations() throws Exception {
        long c = f.client("c", "192.0.2.7:801");
        f.lock(c, A1, "l1", true, new LockRange(0, 0));
        f.lock(c, B7, "l2", true, new LockRange(0, 0));
        f.delegate(c, file(B, 8));

        ClientAdmin.Summary s = admin.clients().getFirst();
        assertThat(s.opens()).isEqualTo(2);
        assertThat(s.locks()).isEqualTo(2);
        assertThat(s.delegations()).isEqualTo(1);
    }

    @Test
    void evict_countsEachKindItHeld_allReleased() throws Exception {
        long c = f.client("c", "192.0.2.7:801");
        f.lock(c, A1, "l1", true, new LockRange(0, 0));
        f.lock(c, B7, "l2", true, new LockRange(0, 0));
        f.delegate(c, file(B, 8));

        assertThat(admin.evict(c)).isEqualTo(new ClientAdmin.Eviction(ClientAdmin.Result.TORN_DOWN, 2, 2, 1));

        assertThat(f.server.opens().openCount(c)).isZero();
        assertThat(f.server.locks().lockStateCount(c)).isZero();
        assertThat(f.server.delegations().liveByClient()).doesNotContainKey(c);
        assertThat(admin.evict(c)).as("no longer live").isEqualTo(
                new ClientAdmin.Eviction(ClientAdmin.Result.UNKNOWN, 0, 0, 0));
    }

    @Test
    void evict_compoundInFlight_expiringWithCounts_stateKeptUntilTheLastCompoundEnds() throws Exception {
        long c = f.client("c", "192.0.2.7:801");
        ClientRecord rec = f.server.sessions().clients().getFirst();
        f.lock(c, A1, "l1", true, new LockRange(0, 0));
        assertThat(f.server.sessions().beginCompound(rec)).isTrue();

        assertThat(admin.evict(c)).isEqualTo(new ClientAdmin.Eviction(ClientAdmin.Result.EXPIRING, 1, 1, 0));

        assertThat(f.server.locks().lockStateCount(c)).as("not torn down yet").isEqualTo(1);
        assertThat(rec.state()).isEqualTo(ClientRecord.State.EXPIRING);
    }
}
