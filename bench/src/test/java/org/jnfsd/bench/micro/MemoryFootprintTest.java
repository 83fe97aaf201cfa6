package org.jnfsd.bench.micro;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/** The measurement runs (it checks itself that every client and open was created); no figure asserted. */
class MemoryFootprintTest {
    @Test
    void measure_smallCount_createsEveryClientAndOpen() throws Exception {
        MemoryFootprint.Figures f = MemoryFootprint.measure(200, 16);

        assertThat(f.count()).isEqualTo(200);
    }

    @Test
    void measureV40_smallCount_createsEveryClientAndOwner() throws Exception {
        MemoryFootprint.V40Figures f = MemoryFootprint.measureV40(200);

        assertThat(f.count()).isEqualTo(200);
    }

    @Test
    void measureV40Channels_smallCount_queuesEveryProbe() throws Exception {
        // it throws unless every channel queued its probe
        assertThat(MemoryFootprint.measureV40Channels(200)).isFinite();
    }
}
