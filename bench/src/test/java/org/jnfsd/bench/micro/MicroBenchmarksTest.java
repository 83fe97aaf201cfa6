package org.jnfsd.bench.micro;

import static org.assertj.core.api.Assertions.assertThat;

import org.jnfsd.protocol.nfs4.NfsStatus;
import org.jnfsd.protocol.nfs4.io.ReadResult;
import org.jnfsd.protocol.nfs4.namespace.GetattrResult;
import org.junit.jupiter.api.Test;

/** Every JMH benchmark method runs once (no timing): the fixtures work and the COMPOUNDs succeed. */
class MicroBenchmarksTest {
    @Test
    void compoundBenchmark_eachMethodOnce_succeeds() {
        CompoundBenchmark b = new CompoundBenchmark();
        b.setUp();
        try {
            assertThat(b.encodeGetattrCall()).isPositive();
            assertThat((Object[]) b.decodeGetattrCall()).hasSize(3);
            assertThat(b.decodeGetattrReply().results().getLast()).isInstanceOf(GetattrResult.class);
            assertThat(b.encodeRead4kReply()).isGreaterThan(4096);
            assertThat(((ReadResult) b.decodeRead4kReply().results().getLast()).data()).hasSize(4096);
            for (int i = 0; i < 3; i++) { // repeated: each call must carry the slot's next seqid
                assertThat(EngineFixture.decodeReply(b.engineGetattr()).status()).isEqualTo(NfsStatus.NFS4_OK);
                assertThat(EngineFixture.decodeReply(b.engineGetattrCached()).status()).isEqualTo(NfsStatus.NFS4_OK);
                assertThat(((ReadResult) EngineFixture.decodeReply(b.engineRead4k()).results().getLast()).data())
                        .hasSize(4096);
            }
        } finally {
            b.tearDown();
        }
    }

    @Test
    void stateBenchmark_eachMethodOnce_succeeds() throws Exception {
        StateBenchmark b = new StateBenchmark();
        b.opens = 100;
        b.setUp();
        try {
            for (int i = 0; i < 3; i++) {
                assertThat(b.stateidLookup()).isNotNull();
                assertThat(b.slotAcquireAndCacheReply()).isNotNull();
            }
        } finally {
            b.tearDown();
        }
    }
}
