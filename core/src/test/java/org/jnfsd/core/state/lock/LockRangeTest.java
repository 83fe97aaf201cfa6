package org.jnfsd.core.state.lock;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.jnfsd.core.NfsException;
import org.jnfsd.protocol.nfs4.NfsStatus;
import org.junit.jupiter.api.Test;

class LockRangeTest {
    @Test
    void of_zeroLength_inval() {
        assertThatThrownBy(() -> LockRange.of(0, 0)).isInstanceOf(NfsException.class)
                .extracting(e -> ((NfsException) e).status()).isEqualTo(NfsStatus.NFS4ERR_INVAL);
    }

    @Test
    void of_allOnesLength_runsToEofEvenFromTheLastByte() throws NfsException {
        assertThat(LockRange.of(0, -1L)).isEqualTo(new LockRange(0, LockRange.TO_EOF));
        assertThat(LockRange.of(-1L, -1L)).isEqualTo(new LockRange(-1L, LockRange.TO_EOF));
        assertThat(LockRange.of(12345, -1L).length()).isEqualTo(-1L);
    }

    @Test
    void of_offsetPlusLengthUpTo2To64MinusOne_ok_beyond_inval() throws NfsException {
        // offset + length = 2^64 - 1 exactly: the last byte is 2^64 - 2
        assertThat(LockRange.of(-3L, 2)).isEqualTo(new LockRange(-3L, -2L));
        assertThat(LockRange.of(1, -2L)).isEqualTo(new LockRange(1, -2L));
        for (long[] bad : new long[][] {{-3L, 3}, {2, -2L}, {-1L, 1}, {Long.MAX_VALUE + 1, Long.MAX_VALUE + 1}}) {
            assertThatThrownBy(() -> LockRange.of(bad[0], bad[1])).as("%s", Long.toUnsignedString(bad[0]))
                    .extracting(e -> ((NfsException) e).status()).isEqualTo(NfsStatus.NFS4ERR_INVAL);
        }
    }

    @Test
    void overlaps_unsignedHighRanges() {
        LockRange high = new LockRange(Long.MIN_VALUE, LockRange.TO_EOF); // 2^63 .. end
        assertThat(high.overlaps(new LockRange(0, Long.MAX_VALUE))).isFalse();
        assertThat(high.overlaps(new LockRange(Long.MAX_VALUE, Long.MIN_VALUE))).isTrue();
        assertThat(new LockRange(5, 10).length()).isEqualTo(6);
    }
}
