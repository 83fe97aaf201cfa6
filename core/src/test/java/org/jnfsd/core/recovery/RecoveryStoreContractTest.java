package org.jnfsd.core.recovery;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** What every {@link RecoveryStore} must do; subclasses say how to (re)open one. */
abstract class RecoveryStoreContractTest {
    static final ReclaimableClient A = new ReclaimableClient("a".getBytes(StandardCharsets.UTF_8), "sys:0@a");
    static final ReclaimableClient B = new ReclaimableClient("b".getBytes(StandardCharsets.UTF_8), "sys:0@b");

    private RecoveryStore store;

    /** The store as a new server process would find it (the same one, for the in-memory store). */
    abstract RecoveryStore reopen(RecoveryStore previous);

    abstract RecoveryStore create();

    RecoveryStore restart() {
        store = reopen(store);
        return store;
    }

    RecoveryStore first() {
        store = create();
        return store;
    }

    @AfterEach
    void closeStore() {
        if (store != null) {
            store.close();
        }
    }

    @Test
    void beginEpoch_empty_nothingToReclaim() {
        assertThat(first().beginEpoch()).isEmpty();
    }

    @Test
    void beginEpoch_afterRecords_listsPreviousEpochsClients() {
        RecoveryStore s = first();
        s.beginEpoch();
        s.record(A);
        s.record(B);

        List<ReclaimableClient> reclaimable = restart().beginEpoch();

        assertThat(reclaimable).containsExactlyInAnyOrder(A, B);
    }

    @Test
    void beginEpoch_recordOfThisEpoch_notReclaimableInIt() {
        RecoveryStore s = first();
        s.beginEpoch();
        s.record(A);

        s.endGrace();

        assertThat(restart().beginEpoch()).containsExactly(A);
    }

    @Test
    void remove_recordedClient_gone() {
        RecoveryStore s = first();
        s.beginEpoch();
        s.record(A);
        s.record(B);

        s.remove(A.ownerId());

        assertThat(restart().beginEpoch()).containsExactly(B);
    }

    @Test
    void record_sameOwnerAgain_oneRecordWithNewPrincipal() {
        RecoveryStore s = first();
        s.beginEpoch();
        s.record(A);
        ReclaimableClient again = new ReclaimableClient(A.ownerId(), "sys:1@a");
        s.record(again);

        assertThat(restart().beginEpoch()).containsExactly(again);
    }

    @Test
    void endGrace_dropsClientsNotRecordedAgain() {
        RecoveryStore s = first();
        s.beginEpoch();
        s.record(A);
        s.record(B);
        RecoveryStore second = restart();
        second.beginEpoch();
        second.record(A); // A came back and reclaimed

        second.endGrace();

        assertThat(restart().beginEpoch()).containsExactly(A);
    }

    @Test
    void beginEpoch_twiceWithoutEndGrace_keepsFirstGeneration() {
        RecoveryStore s = first();
        s.beginEpoch();
        s.record(A);
        restart().beginEpoch(); // restarted, nobody came back, grace never ended

        List<ReclaimableClient> third = restart().beginEpoch();

        assertThat(third).containsExactly(A);
    }
}
