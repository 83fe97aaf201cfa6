package org.jnfsd.server;

import static org.assertj.core.api.Assertions.assertThat;
import static org.jnfsd.server.Nfs.putfh;

import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Proxy;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import org.jnfsd.protocol.nfs4.CompoundReply;
import org.jnfsd.protocol.nfs4.NfsStatus;
import org.jnfsd.protocol.nfs4.StateId;
import org.jnfsd.protocol.nfs4.io.ReadArgs;
import org.jnfsd.protocol.nfs4.io.ReadResult;
import org.jnfsd.protocol.nfs4.session.SequenceResult;
import org.jnfsd.vfs.VirtualFileSystem;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * One connection with 64 COMPOUNDs in flight at once, on 64 distinct slots: all are answered
 * correctly, and the server runs them concurrently. The proof does not use time: the backend's
 * {@code read} holds every caller until all 64 are inside it at once, which a server running
 * COMPOUNDs one after another never reaches (the bounded wait then fails the test).
 */
class ConcurrencyTest {
    private static final int IN_FLIGHT = 64;
    private static final int CHUNK = 4096;

    @RegisterExtension
    final NfsServerFixture nfs = new NfsServerFixture();

    /** Counts callers inside {@code read} and, once armed, holds them until {@link #IN_FLIGHT} are. */
    private static final class ReadGate {
        final AtomicBoolean armed = new AtomicBoolean();
        final CountDownLatch allInside = new CountDownLatch(IN_FLIGHT);
        final AtomicInteger inside = new AtomicInteger();
        final AtomicInteger mostInside = new AtomicInteger();
        final AtomicBoolean gaveUp = new AtomicBoolean();

        VirtualFileSystem wrap(VirtualFileSystem fs) {
            return (VirtualFileSystem) Proxy.newProxyInstance(VirtualFileSystem.class.getClassLoader(),
                    new Class<?>[] {VirtualFileSystem.class}, (proxy, method, args) -> {
                        boolean gated = method.getName().equals("read") && armed.get();
                        if (gated) {
                            mostInside.accumulateAndGet(inside.incrementAndGet(), Math::max);
                            allInside.countDown();
                            // bounded: a serial server never gets all callers in; the test then fails,
                            // and after one caller gave up the others do not wait any more
                            if (!gaveUp.get() && !allInside.await(20, TimeUnit.SECONDS)) {
                                gaveUp.set(true);
                            }
                        }
                        try {
                            return method.invoke(fs, args);
                        } catch (InvocationTargetException e) {
                            throw e.getCause();
                        } finally {
                            if (gated) {
                                inside.decrementAndGet();
                            }
                        }
                    });
        }
    }

    @Test
    void oneConnection_64CompoundsInFlight_allCorrect_andServedConcurrently() throws Exception {
        ReadGate gate = new ReadGate();
        nfs.wrap(gate::wrap);
        Nfs user = nfs.user();
        byte[] content = new byte[IN_FLIGHT * CHUNK];
        for (int i = 0; i < content.length; i++) {
            content[i] = (byte) (i * 31 + i / CHUNK);
        }
        byte[] fh = user.writeFile("/shared", content);
        ManualSession session = ManualSession.create(user, IN_FLIGHT);
        assertThat(session.slots()).as("slots granted").isEqualTo(IN_FLIGHT);
        gate.armed.set(true);

        List<Future<CompoundReply>> replies = new ArrayList<>();
        try (ExecutorService threads = Executors.newVirtualThreadPerTaskExecutor()) {
            for (int i = 0; i < IN_FLIGHT; i++) {
                int slot = i;
                int seqid = i == 0 ? 2 : 1; // slot 0 carried RECLAIM_COMPLETE
                long offset = (long) i * CHUNK;
                replies.add(threads.submit(() -> session.call(slot, seqid, false, putfh(fh),
                        new ReadArgs(StateId.ANONYMOUS, offset, CHUNK))));
            }
            for (int i = 0; i < IN_FLIGHT; i++) {
                CompoundReply r = replies.get(i).get();
                assertThat(r.status()).isEqualTo(NfsStatus.NFS4_OK);
                assertThat(r.result(0, SequenceResult.class).slotId()).isEqualTo(i);
                byte[] expected = Arrays.copyOfRange(content, i * CHUNK, (i + 1) * CHUNK);
                assertThat(r.result(2, ReadResult.class).data()).as("chunk %d", i).isEqualTo(expected);
            }
        }
        assertThat(gate.gaveUp).as("some READ waited in vain for the others").isFalse();
        assertThat(gate.mostInside.get()).as("READs inside the backend at the same moment").isEqualTo(IN_FLIGHT);
        user.ok(Nfs.PUTROOTFH, Nfs.GETFH);
    }

    @Test
    void nfsClient_manyThreadsShareOneSession_eachGetsItsOwnAnswer() throws Exception {
        Nfs user = nfs.user();
        int files = 32;
        List<byte[]> handles = new ArrayList<>();
        for (int i = 0; i < files; i++) {
            handles.add(user.writeFile("/f" + i, ("content of " + i).getBytes()));
        }
        List<Future<byte[]>> reads = new ArrayList<>();
        try (ExecutorService threads = Executors.newVirtualThreadPerTaskExecutor()) {
            for (int round = 0; round < 4; round++) {
                for (byte[] fh : handles) {
                    reads.add(threads.submit(() -> user.read(fh)));
                }
            }
            for (int i = 0; i < reads.size(); i++) {
                assertThat(new String(reads.get(i).get())).isEqualTo("content of " + (i % files));
            }
        }
    }

    @Test
    void manyConnections_workSideBySide() throws Exception {
        int connections = 8;
        List<Nfs> clients = new ArrayList<>();
        for (int i = 0; i < connections; i++) {
            clients.add(i % 2 == 0 ? nfs.user() : nfs.client(NfsServerFixture.USER, 1));
        }
        List<Future<byte[]>> results = new ArrayList<>();
        try (ExecutorService threads = Executors.newVirtualThreadPerTaskExecutor()) {
            for (int i = 0; i < connections; i++) {
                Nfs c = clients.get(i);
                String name = "/conn" + i;
                results.add(threads.submit(() -> c.read(c.writeFile(name, name.getBytes()))));
            }
            for (int i = 0; i < connections; i++) {
                assertThat(new String(results.get(i).get())).isEqualTo("/conn" + i);
            }
        }
        for (Nfs c : clients) {
            assertThat(c.read(c.fh("/conn0"))).as("each sees the others' files").isEqualTo("/conn0".getBytes());
        }
    }
}
