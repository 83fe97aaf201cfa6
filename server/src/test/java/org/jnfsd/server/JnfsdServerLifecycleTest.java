package org.jnfsd.server;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.InetSocketAddress;
import java.time.Clock;
import java.time.Duration;
import java.util.Set;
import java.util.stream.Collectors;
import org.jnfsd.client.NfsClient;
import org.jnfsd.client.RecordingCallbacks;
import org.jnfsd.core.fs.Export;
import org.jnfsd.rpc.Credential;
import org.jnfsd.vfs.memory.MemoryFileSystem;
import org.junit.jupiter.api.Test;

/**
 * An embedded server owns every executor and timer it makes: started and stopped many times, each
 * time with a client (with a back channel, so its callback queue and timer are used) that is still
 * there when the server closes (so its teardown runs on the teardown pool), it leaves no executor
 * running and no thread of its own behind.
 */
class JnfsdServerLifecycleTest {
    private static final Credential CRED = new Credential.AuthSys(0, "lifecycle-test", 1000, 1000, new int[0]);
    private static final int ROUNDS = 100;
    /** Platform threads a server makes (the callback queues and timer are virtual: see terminated()). */
    private static final String[] OWN_THREADS = {"jnfsd-teardown-", "jnfsd-laundromat", "jnfsd-callback", "rpc-server-io"};

    @Test
    void startStop_100TimesWithAClient_everyExecutorTerminatedAndNoThreadLeft() throws Exception {
        Set<Thread> before = ownThreads();
        long teardowns = 0;
        for (int i = 0; i < ROUNDS; i++) {
            JnfsdServer server = JnfsdServer.builder()
                    .export(new Export(1, "/", new MemoryFileSystem(Clock.systemUTC())))
                    .port(0)
                    .build();
            InetSocketAddress address = server.start();
            try (NfsClient client = NfsClient.connect(address, 1, CRED, new RecordingCallbacks())) {
                client.reclaimComplete();
                assertThat(server.context().sessions().clients()).hasSize(1);
                assertThat(server.context().terminated()).isFalse();

                server.close();
            }

            assertThat(server.shutdownReport().orElseThrow().clientsTornDown()).isEqualTo(1);
            teardowns += server.context().teardown().tornDown();
            assertThat(server.context().terminated()).as("round %d: every executor and timer stopped", i).isTrue();
        }

        assertThat(teardowns).isEqualTo(ROUNDS);
        Set<Thread> left = ownThreads();
        left.removeAll(before);
        // an event loop's termination future completes just before its thread exits: give such
        // threads one bounded moment in all to finish exiting; one that is really left stays alive
        long deadline = System.nanoTime() + Duration.ofSeconds(5).toNanos();
        for (Thread t : left) {
            t.join(Duration.ofNanos(Math.max(1, deadline - System.nanoTime())));
        }
        left.removeIf(t -> !t.isAlive());
        assertThat(left).as("server threads left after %d rounds", ROUNDS).isEmpty();
    }

    private static Set<Thread> ownThreads() {
        return Thread.getAllStackTraces().keySet().stream()
                .filter(Thread::isAlive)
                .filter(t -> {
                    for (String prefix : OWN_THREADS) {
                        if (t.getName().startsWith(prefix)) {
                            return true;
                        }
                    }
                    return false;
                })
                .collect(Collectors.toSet());
    }
}
