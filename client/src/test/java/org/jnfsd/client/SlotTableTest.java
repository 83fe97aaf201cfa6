package org.jnfsd.client;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import org.junit.jupiter.api.Test;

class SlotTableTest {
    @Test
    void acquire_allSlotsTaken_failsAfterTimeout() throws Exception {
        SlotTable t = new SlotTable(2);
        assertThat(t.acquire(Duration.ZERO)).isEqualTo(0);
        assertThat(t.acquire(Duration.ZERO)).isEqualTo(1);

        assertThatThrownBy(() -> t.acquire(Duration.ZERO)).isInstanceOf(IllegalStateException.class);
    }

    @Test
    void release_consumed_seqidAdvances() throws Exception {
        SlotTable t = new SlotTable(1);
        int s = t.acquire(Duration.ZERO);
        assertThat(t.nextSeqid(s)).isEqualTo(1);

        t.release(s, true);

        assertThat(t.nextSeqid(t.acquire(Duration.ZERO))).isEqualTo(2);
    }

    @Test
    void release_notConsumed_seqidKept() throws Exception {
        SlotTable t = new SlotTable(1);
        int s = t.acquire(Duration.ZERO);

        t.release(s, false);

        assertThat(t.nextSeqid(t.acquire(Duration.ZERO))).isEqualTo(1);
    }

    @Test
    void retire_slotNeverHandedOutAgainAndDrainIgnoresIt() throws Exception {
        SlotTable t = new SlotTable(2);
        int a = t.acquire(Duration.ZERO);
        t.retire(a);

        int b = t.acquire(Duration.ZERO);
        assertThat(b).isNotEqualTo(a);
        t.release(b, true);

        assertThat(t.drain(Duration.ZERO)).isTrue();
        assertThatThrownBy(() -> t.acquire(Duration.ZERO)).isInstanceOf(IllegalStateException.class);
    }

    @Test
    void drain_requestInFlight_false() throws Exception {
        SlotTable t = new SlotTable(2);
        t.acquire(Duration.ZERO);

        assertThat(t.drain(Duration.ZERO)).isFalse();
    }
}
