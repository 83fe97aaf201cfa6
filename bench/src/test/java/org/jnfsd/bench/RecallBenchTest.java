package org.jnfsd.bench;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The recall harness runs end to end on a few delegations (figures not checked). */
class RecallBenchTest {
    @Test
    void run_twoRoundsTwoHoldersThreeFiles_everyDelegationRecalledAndReturned() throws Exception {
        List<RecallBench.Result> rs = RecallBench.run(2, 2, 3, 2, 1, Duration.ofMillis(1), Duration.ofSeconds(30));

        assertThat(rs).hasSize(2);
        RecallBench.Result r = rs.get(1);

        assertThat(r.recalls()).isEqualTo(6);
        assertThat(r.returned()).isEqualTo(6);
        assertThat(r.revoked()).isZero();
        assertThat(rs.get(0).returned()).as("first round").isEqualTo(6);
        assertThat(r.openLatencyMicros().getTotalCount()).isEqualTo(6);
        assertThat(r.delays()).as("each conflicting OPEN was delayed at least once").isGreaterThanOrEqualTo(6);
    }
}
