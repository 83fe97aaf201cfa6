package org.jnfsd.bench;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import org.junit.jupiter.api.Test;

class LoopbackBandwidthTest {
    @Test
    void measure_twoStreams_movesBytes() throws Exception {
        assertThat(LoopbackBandwidth.measure(2, 64 * 1024, Duration.ofMillis(100))).isPositive();
    }
}
