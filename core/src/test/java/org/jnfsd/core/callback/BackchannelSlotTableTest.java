package org.jnfsd.core.callback;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.jnfsd.core.callback.BackchannelSlotTable.Fate;
import org.jnfsd.core.callback.BackchannelSlotTable.Slot;
import org.junit.jupiter.api.Test;

class BackchannelSlotTableTest {
    @Test
    void acquire_allInUse_returnsNull() {
        BackchannelSlotTable t = new BackchannelSlotTable(2);
        assertThat(t.acquire().id).isZero();
        assertThat(t.acquire().id).isEqualTo(1);
        assertThat(t.acquire()).isNull();
    }

    @Test
    void release_advanced_nextCallUsesNextSequenceId() {
        BackchannelSlotTable t = new BackchannelSlotTable(1);
        Slot s = t.acquire();
        assertThat(s.sent).isEqualTo(1);
        t.release(s, Fate.ADVANCED);
        assertThat(t.acquire().sent).isEqualTo(2);
    }

    @Test
    void release_unchanged_sameSequenceIdAgain() {
        BackchannelSlotTable t = new BackchannelSlotTable(1);
        t.release(t.acquire(), Fate.UNCHANGED);
        assertThat(t.acquire().sent).isEqualTo(1);
    }

    @Test
    void release_twice_throws() {
        BackchannelSlotTable t = new BackchannelSlotTable(1);
        Slot s = t.acquire();
        t.release(s, Fate.ADVANCED);
        assertThatThrownBy(() -> t.release(s, Fate.ADVANCED)).isInstanceOf(IllegalStateException.class);
    }

    @Test
    void release_lostThenMisordered_fallsBackToTheUnprocessedId() {
        BackchannelSlotTable t = new BackchannelSlotTable(1);
        t.release(t.acquire(), Fate.LOST);
        Slot s = t.acquire();
        assertThat(s.sent).isEqualTo(2);
        t.release(s, Fate.MISORDERED);
        Slot again = t.acquire();
        assertThat(again.sent).isEqualTo(1);
        assertThat(t.usableSlots()).isEqualTo(1);
    }

    @Test
    void release_lostThenAnsweredOnPlusTwo_certainAgain() {
        BackchannelSlotTable t = new BackchannelSlotTable(1);
        t.release(t.acquire(), Fate.LOST);
        t.release(t.acquire(), Fate.ADVANCED);
        assertThat(t.acquire().sent).isEqualTo(3);
    }

    @Test
    void release_misorderedWhileCertain_retiresSlot_neverResetTo1() {
        BackchannelSlotTable t = new BackchannelSlotTable(2);
        Slot s = t.acquire();
        t.release(s, Fate.ADVANCED);
        Slot s2 = t.acquire();
        t.release(s2, Fate.MISORDERED);
        assertThat(t.usableSlots()).isEqualTo(1);
        assertThat(t.acquire().id).isEqualTo(1);
        assertThat(t.acquire()).isNull();
    }

    @Test
    void release_badSlot_retired() {
        BackchannelSlotTable t = new BackchannelSlotTable(1);
        t.release(t.acquire(), Fate.BAD);
        assertThat(t.acquire()).isNull();
        assertThat(t.usableSlots()).isZero();
    }

    @Test
    void setTarget_lowered_slotsAboveNotUsed() {
        BackchannelSlotTable t = new BackchannelSlotTable(4);
        t.setTarget(0);
        assertThat(t.acquire().id).isZero();
        assertThat(t.acquire()).isNull();
        assertThat(t.usableSlots()).isEqualTo(1);
    }

    @Test
    void highestSlotId_followsSlotsInUse() {
        BackchannelSlotTable t = new BackchannelSlotTable(4);
        Slot a = t.acquire();
        Slot b = t.acquire();
        assertThat(t.highestSlotId()).isEqualTo(1);
        t.release(b, Fate.ADVANCED);
        assertThat(t.highestSlotId()).isZero();
        t.release(a, Fate.ADVANCED);
        assertThat(t.inUse()).isZero();
    }
}
