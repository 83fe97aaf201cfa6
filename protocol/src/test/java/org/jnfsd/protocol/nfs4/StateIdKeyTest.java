package org.jnfsd.protocol.nfs4;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/** StateId.key(): the 12 bytes of other as a value, independent of seqid, no string built. */
class StateIdKeyTest {
    private static byte[] other(int changedByte) {
        byte[] b = new byte[StateId.OTHER_SIZE];
        for (int i = 0; i < b.length; i++) {
            b[i] = (byte) (0x80 + i);
        }
        if (changedByte >= 0) {
            b[changedByte] ^= 1;
        }
        return b;
    }

    @Test
    void key_sameOtherOtherSeqid_equal() {
        assertThat(new StateId(1, other(-1)).key()).isEqualTo(new StateId(7, other(-1)).key());
        assertThat(new StateId(1, other(-1)).key().hashCode()).isEqualTo(new StateId(7, other(-1)).key().hashCode());
    }

    @Test
    void key_everyByteCounts() {
        for (int i = 0; i < StateId.OTHER_SIZE; i++) {
            assertThat(new StateId(1, other(i)).key()).as("byte %d", i).isNotEqualTo(new StateId(1, other(-1)).key());
        }
    }

    @Test
    void key_toString_isTheHexOfOther() {
        assertThat(new StateId(1, other(-1)).key().toString()).isEqualTo("808182838485868788898a8b");
    }
}
