package org.jnfsd.core.state.lock;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.jnfsd.core.ServerConfig;
import org.jnfsd.core.fs.FileHandle;
import org.jnfsd.core.state.ConflictResolver;
import org.jnfsd.core.state.LockQuery;
import org.jnfsd.core.state.OpenStates;
import org.jnfsd.core.state.StateIdAllocator;
import org.jnfsd.protocol.nfs4.StateId;
import org.jnfsd.protocol.nfs4.io.OpenOwner;
import org.jnfsd.protocol.nfs4.io.ShareAccess;
import org.jnfsd.vfs.Inode;
import org.junit.jupiter.api.Test;

/**
 * Randomized soak: several clients lock and unlock random ranges of one file at once, each on its
 * own thread, and record what they were granted. One verifier checks at the end that what they
 * believe they hold never conflicts, and that the manager reports exactly those locks.
 */
class LockManagerSoakTest {
    private static final int THREADS = 4;
    private static final int STEPS = 1500;
    private static final int SIZE = 48;
    private static final int NONE = 0;
    private static final int READ = 1;
    private static final int WRITE = 2;

    @Test
    void concurrentLockUnlock_manyClients_grantedLocksNeverConflict() throws Exception {
        Clock clock = Clock.fixed(Instant.parse("2026-01-01T00:00:00Z"), ZoneOffset.UTC);
        StateIdAllocator ids = new StateIdAllocator();
        OpenStates opens = new OpenStates(ServerConfig.defaults(), clock, ids, LockQuery.NONE, ConflictResolver.NONE);
        LockManager locks = new LockManager(opens, ids, clock, Duration.ofSeconds(90));
        FileHandle file = new FileHandle(1, new Inode(new byte[] {7}));
        CountDownLatch go = new CountDownLatch(1);
        ExecutorService pool = Executors.newFixedThreadPool(THREADS);
        try {
            List<Future<int[]>> results = new ArrayList<>();
            for (int t = 0; t < THREADS; t++) {
                long client = 100 + t;
                long seed = 0x5eed + t;
                results.add(pool.submit(() -> run(locks, opens, file, client, seed, go)));
            }
            go.countDown();
            int[][] held = new int[THREADS][];
            for (int t = 0; t < THREADS; t++) {
                held[t] = results.get(t).get();
            }
            for (int b = 0; b < SIZE; b++) {
                int writers = 0;
                int readers = 0;
                for (int t = 0; t < THREADS; t++) {
                    writers += held[t][b] == WRITE ? 1 : 0;
                    readers += held[t][b] == READ ? 1 : 0;
                }
                assertThat(writers == 0 || (writers == 1 && readers == 0)).as("byte %s: %s writers, %s readers", b,
                        writers, readers).isTrue();
                // the manager agrees: a write test by an outsider is denied exactly where someone holds a lock
                boolean locked = writers + readers > 0;
                OpenOwner outsider = new OpenOwner(999, bytes("outsider"));
                assertThat(locks.test(999, file, outsider, true, new LockRange(b, b)).isPresent()).as("byte %s", b)
                        .isEqualTo(locked);
            }
        } finally {
            pool.shutdownNow();
        }
    }

    /** One client's random walk; returns what it holds at the end, per byte. */
    private static int[] run(LockManager locks, OpenStates opens, FileHandle file, long client, long seed,
            CountDownLatch go) throws Exception {
        Random rnd = new Random(seed);
        OpenOwner owner = new OpenOwner(client, bytes("o"));
        StateId open = opens.open(client, new OpenOwner(client, bytes("open")), file, ShareAccess.ACCESS_BOTH,
                ShareAccess.DENY_NONE).stateId();
        int[] mine = new int[SIZE];
        StateId lockSid = null;
        go.await();
        for (int i = 0; i < STEPS; i++) {
            int first = rnd.nextInt(SIZE);
            int last = first + rnd.nextInt(Math.min(8, SIZE - first));
            LockRange range = new LockRange(first, last);
            int type = rnd.nextInt(3);
            if (type == NONE) {
                if (lockSid != null) {
                    lockSid = locks.unlock(client, file, lockSid.withSeqid(0), range);
                    for (int b = first; b <= last; b++) {
                        mine[b] = NONE;
                    }
                }
                continue;
            }
            LockOutcome o = lockSid == null
                    ? locks.lockNewOwner(client, file, open, owner, type == WRITE, false, false, range)
                    : locks.lockExisting(client, file, lockSid.withSeqid(0), type == WRITE, false, false, range);
            if (o instanceof LockOutcome.Granted g) {
                lockSid = g.stateId();
                for (int b = first; b <= last; b++) {
                    mine[b] = type;
                }
            }
        }
        return mine;
    }

    private static byte[] bytes(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }
}
