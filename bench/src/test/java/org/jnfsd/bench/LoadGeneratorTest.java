package org.jnfsd.bench;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.time.Clock;
import java.time.Duration;
import org.jnfsd.core.fs.Export;
import org.jnfsd.rpc.Credential;
import org.jnfsd.server.JnfsdServer;
import org.jnfsd.vfs.memory.MemoryFileSystem;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * Smoke: every workload runs against an in-process jnfsd (memory backend) for a fraction of a
 * second and completes operations without a single error. Correctness only, never speed.
 */
class LoadGeneratorTest {
    private static JnfsdServer server;
    private static InetSocketAddress address;

    @BeforeAll
    static void start() throws Exception {
        server = JnfsdServer.builder()
                .export(new Export(1, "/", new MemoryFileSystem(Clock.systemUTC())))
                .bindAddress(InetAddress.getLoopbackAddress())
                .port(0)
                .build();
        address = server.start();
    }

    @AfterAll
    static void stop() {
        server.close();
    }

    static LoadGenerator.Settings settings(InetSocketAddress where, Workload.Kind kind) {
        return new LoadGenerator.Settings(where, kind, new Workloads.Params("/", 64 * 1024, 1024 * 1024, 4096),
                2, 4, Duration.ofMillis(100), Duration.ofMillis(200), 1,
                new Credential.AuthSys(0, "bench-test", 0, 0, new int[0]));
    }

    @ParameterizedTest
    @EnumSource(Workload.Kind.class)
    void run_eachWorkloadAgainstJnfsd_completesOperationsWithoutErrors(Workload.Kind kind) throws Exception {
        LoadResult r = LoadGenerator.run(settings(address, kind));

        assertThat(r.firstError()).isNull();
        assertThat(r.errors()).isZero();
        assertThat(r.ops()).isPositive();
        assertThat(r.p50Micros()).isPositive();
        if (kind.isData() || kind == Workload.Kind.CREATE) {
            assertThat(r.bytes()).isPositive();
        } else {
            assertThat(r.bytes()).isZero();
        }
    }
}
