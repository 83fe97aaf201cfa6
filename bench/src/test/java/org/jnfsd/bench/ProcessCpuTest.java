package org.jnfsd.bench;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class ProcessCpuTest {
    @Test
    void of_thisProcess_readsCpuTimeThatNeverDecreases() {
        ProcessCpu cpu = ProcessCpu.of(ProcessHandle.current().pid());

        long first = cpu.nanos();
        long x = 0;
        for (int i = 0; i < 5_000_000; i++) {
            x += Long.hashCode(x ^ i);
        }
        assertThat(x).isNotEqualTo(1); // keeps the loop
        assertThat(first).isPositive(); // a JVM that ran tests has used more than one tick
        assertThat(cpu.nanos()).isGreaterThanOrEqualTo(first);
    }

    @Test
    void none_isUnknown() {
        assertThat(ProcessCpu.NONE.nanos()).isEqualTo(-1);
    }
}
