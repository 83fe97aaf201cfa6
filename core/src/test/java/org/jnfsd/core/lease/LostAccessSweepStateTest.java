package org.jnfsd.core.lease;

import static org.assertj.core.api.Assertions.assertThat;
import static org.jnfsd.core.lease.AdminFixture.A;
import static org.jnfsd.core.lease.AdminFixture.B;
import static org.jnfsd.core.lease.AdminFixture.file;
import static org.jnfsd.core.lease.AdminFixture.onlyTo;

import java.util.List;
import org.jnfsd.core.fs.ExportTable;
import org.jnfsd.core.fs.FileHandle;
import org.jnfsd.core.state.lock.LockRange;
import org.jnfsd.protocol.nfs4.io.ShareAccess;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * {@link LostAccessSweep#sweep} over a real server's tables: after a reload, exactly the clients
 * holding state (of any kind) on an export they lost are torn down; the others keep what they hold.
 */
class LostAccessSweepStateTest {
    private static final FileHandle A1 = file(A, 1);
    private static final FileHandle B1 = file(B, 1);
    private static final FileHandle B2 = file(B, 2);

    private final AdminFixture f = new AdminFixture();
    private final LostAccessSweep sweep = new LostAccessSweep(f.server);

    @AfterEach
    void close() {
        f.close();
    }

    private int held(long client) {
        return f.server.opens().openCount(client) + f.server.locks().lockStateCount(client)
                + f.server.delegations().liveByClient().getOrDefault(client, 0);
    }

    @Test
    void sweep_exportRemoved_clientWithAnOpenOnItTornDown() throws Exception {
        long lost = f.client("lost", "192.0.2.7:801");
        long other = f.client("other", "192.0.2.8:801");
        f.open(lost, A1, "o", ShareAccess.ACCESS_READ, 0);
        f.open(other, B1, "o", ShareAccess.ACCESS_READ, 0);

        assertThat(sweep.sweep(new ExportTable(List.of(B)))).containsExactly(lost);

        assertThat(held(lost)).isZero();
        assertThat(f.server.sessions().clients()).extracting(c -> c.id().value()).containsExactly(other);
        assertThat(f.server.opens().openCount(other)).isEqualTo(1);
        assertThat(f.server.teardown().hookFailures()).isZero();
    }

    @Test
    void sweep_ruleNoLongerMatches_eachKindOfStateCounts_stateOnKeptExportsAndStatelessClientsLeftAlone()
            throws Exception {
        long opener = f.client("opener", "198.51.100.9:700");
        long locker = f.client("locker", "198.51.100.10:700");
        long delegee = f.client("delegee", "198.51.100.11:700");
        long idle = f.client("idle", "198.51.100.12:700");
        long inside = f.client("inside", "192.0.2.8:900");
        long elsewhere = f.client("elsewhere", "198.51.100.13:700");
        f.open(opener, B1, "o", ShareAccess.ACCESS_READ, 0);
        f.lock(locker, B1, "l", true, new LockRange(0, 9));
        f.delegate(delegee, B2);
        f.lock(inside, B1, "l", false, new LockRange(20, 29));
        f.delegate(inside, B2);
        f.open(elsewhere, A1, "o", ShareAccess.ACCESS_READ, 0);

        List<Long> evicted = sweep.sweep(new ExportTable(List.of(A, onlyTo(B, "192.0.2.0", 24))));

        assertThat(evicted).containsExactlyInAnyOrder(opener, locker, delegee);
        for (long c : evicted) {
            assertThat(held(c)).as("client %x", c).isZero();
        }
        assertThat(f.server.sessions().clients()).extracting(c -> c.id().value())
                .containsExactlyInAnyOrder(idle, inside, elsewhere);
        assertThat(held(inside)).as("open, lock state, delegation").isEqualTo(3);
        assertThat(held(elsewhere)).isEqualTo(1);
    }

    @Test
    void sweep_clientWithoutAnAddress_skippedWhateverItHolds() throws Exception {
        long anon = f.client("anon", "?");
        f.open(anon, A1, "o", ShareAccess.ACCESS_READ, 0);
        long after = f.client("after", "192.0.2.9:1");
        f.open(after, A1, "o", ShareAccess.ACCESS_READ, 0);

        assertThat(sweep.sweep(new ExportTable(List.of(B)))).containsExactly(after);

        assertThat(held(anon)).isEqualTo(1);
        assertThat(f.server.sessions().clients()).extracting(c -> c.id().value()).containsExactly(anon);
    }
}
