package org.jnfsd.bench;

import java.io.IOException;
import java.io.PrintStream;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import org.HdrHistogram.Histogram;
import org.jnfsd.client.CallbackHandler;
import org.jnfsd.client.NfsClient;
import org.jnfsd.core.ServerConfig;
import org.jnfsd.core.callback.CallbackChannel;
import org.jnfsd.core.fs.Export;
import org.jnfsd.core.metrics.ServerCounters;
import org.jnfsd.core.metrics.ServerEvent;
import org.jnfsd.core.session.ClientId;
import org.jnfsd.protocol.nfs4.CompoundReply;
import org.jnfsd.protocol.nfs4.NfsStatus;
import org.jnfsd.protocol.nfs4.callback.CbRecallArgs;
import org.jnfsd.protocol.nfs4.delegation.DelegreturnArgs;
import org.jnfsd.protocol.nfs4.io.CloseArgs;
import org.jnfsd.protocol.nfs4.io.OpenArgs;
import org.jnfsd.protocol.nfs4.io.OpenClaim;
import org.jnfsd.protocol.nfs4.io.OpenDelegation;
import org.jnfsd.protocol.nfs4.io.OpenHow;
import org.jnfsd.protocol.nfs4.io.OpenOwner;
import org.jnfsd.protocol.nfs4.io.OpenResult;
import org.jnfsd.protocol.nfs4.io.ShareAccess;
import org.jnfsd.protocol.nfs4.namespace.PutFhArgs;
import org.jnfsd.protocol.nfs4.namespace.VoidArgs;
import org.jnfsd.rpc.Credential;
import org.jnfsd.server.JnfsdServer;
import org.jnfsd.vfs.SetAttributes;
import org.jnfsd.vfs.memory.MemoryFileSystem;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * Delegations recalled per second, end to end over TCP (issue 4). An in-process jnfsd (memory
 * backend, {@code maxDelegations} set) and, on loopback: {@code --holders} clients serving the
 * callback program, each opening its own {@code --files} files for read and getting a read delegation
 * on each; then one conflicting client opens every file for write, {@code --inflight} files at a
 * time, retrying each OPEN answered NFS4ERR_DELAY after {@code --retry-delay}. A holder answers
 * CB_RECALL with OK at once and sends DELEGRETURN right after, as the Linux client does. Reports
 * recalls per second over the whole conflicting pass and the latency of each conflicting OPEN from
 * its first try to its success. Each of {@code --rounds} rounds uses fresh holders and files; the
 * last one is the figure, the others warm the JIT up.
 *
 * <pre>{@code
 * bench/run recall --holders 8 --files 64 --inflight 16 --retry-delay 1ms
 * }</pre>
 */
@Command(name = "recall", mixinStandardHelpOptions = true,
        description = "Delegations recalled per second: holders with read delegations, one client opening for write.")
public final class RecallBench implements Callable<Integer> {
    private static final Credential CRED = new Credential.AuthSys(0, "jnfsd-bench", 1000, 1000, new int[0]);
    /** SEQUENCEs a holder sends at most while waiting for the server to probe its backchannel. */
    private static final int MAX_PROBE_POLLS = 100_000;

    @Option(names = "--holders", defaultValue = "8", description = "clients holding read delegations")
    int holders;

    @Option(names = "--files", defaultValue = "64", description = "files (and delegations) per holder")
    int files;

    @Option(names = "--inflight", defaultValue = "16", description = "conflicting OPENs in flight")
    int inflight;

    @Option(names = "--rounds", defaultValue = "3",
            description = "rounds, each with fresh holders and files; all but the last are the warm-up")
    int rounds;

    @Option(names = "--retry-delay", defaultValue = "1ms",
            description = "pause before retrying an OPEN answered NFS4ERR_DELAY (the Linux client starts at 100ms)")
    String retryDelay;

    @Option(names = "--minor", defaultValue = "1", description = "NFSv4 minor version, 1 or 2")
    int minor;

    @Option(names = "--max-wait", defaultValue = "120s",
            description = "give up when one conflicting OPEN is still delayed after this long")
    String maxWait;

    /** The figures of one run. */
    record Result(int recalls, long nanos, int delays, Histogram openLatencyMicros, int returned,
            long recallsSent, long revoked) {
        double recallsPerSecond() {
            return recalls / (nanos / 1e9);
        }

        void print(PrintStream out) {
            out.printf("delegations recalled: %d in %.1f ms: %.0f recalls/s%n", recalls, nanos / 1e6, recallsPerSecond());
            out.printf("conflicting OPEN, first try to success (us): p50 %d  p90 %d  p99 %d  max %d%n",
                    openLatencyMicros.getValueAtPercentile(50), openLatencyMicros.getValueAtPercentile(90),
                    openLatencyMicros.getValueAtPercentile(99), openLatencyMicros.getMaxValue());
            out.printf("NFS4ERR_DELAY answers: %d (%.2f per OPEN); DELEGRETURNs OK: %d%n", delays,
                    (double) delays / Math.max(1, recalls), returned);
            out.printf("server counters: CB_RECALL sent %d, delegations revoked %d%n", recallsSent, revoked);
        }
    }

    @Override
    public Integer call() throws Exception {
        List<Result> rs = run(rounds, holders, files, inflight, minor, LoadGenerator.parseDuration(retryDelay),
                LoadGenerator.parseDuration(maxWait));
        System.out.printf("%d holders x %d files, %d conflicting OPENs in flight, retry after %s%n", holders, files,
                inflight, retryDelay);
        boolean clean = true;
        for (int i = 0; i < rs.size(); i++) {
            System.out.printf("-- round %d of %d%s%n", i + 1, rs.size(), i + 1 < rs.size() ? " (warm-up)" : "");
            rs.get(i).print(System.out);
            clean &= rs.get(i).returned() == rs.get(i).recalls() && rs.get(i).revoked() == 0;
        }
        return clean ? 0 : 1;
    }

    /**
     * Starts the server and runs {@code rounds} rounds, each with fresh holders and fresh files (a
     * recalled file is not delegated again for a while); the figures of each round. The first rounds
     * are the warm-up (JIT).
     */
    static List<Result> run(int rounds, int holders, int files, int inflight, int minor, Duration retryDelay,
            Duration maxWait) throws Exception {
        MemoryFileSystem fs = new MemoryFileSystem(Clock.systemUTC(), MemoryFileSystem.Options.DEFAULTS.withRoot(0777, 0, 0));
        SetAttributes rw = new SetAttributes(0666, 1000, 1000, null, null, null);
        for (int round = 0; round < rounds; round++) {
            for (int h = 0; h < holders; h++) {
                for (int f = 0; f < files; f++) {
                    fs.createFile(fs.root(), name(round, h, f), rw, true);
                }
            }
        }
        try (JnfsdServer server = JnfsdServer.builder()
                .export(new Export(1, "/", fs, false, false, Export.NOBODY, Export.NOBODY))
                .config(ServerConfig.builder().maxDelegations(holders * files).build())
                .port(0).build()) {
            InetSocketAddress address = server.start();
            try (NfsClient writer = NfsClient.connect(address, minor, CRED)) {
                writer.reclaimComplete();
                return rounds(server, address, writer, rounds, holders, files, inflight, minor, retryDelay, maxWait);
            }
        }
    }

    /** Each round: fresh holders take delegations on the round's files, then the conflicting pass. */
    private static List<Result> rounds(JnfsdServer server, InetSocketAddress address, NfsClient writer, int rounds,
            int holders, int files, int inflight, int minor, Duration retryDelay, Duration maxWait) throws Exception {
        List<Result> results = new ArrayList<>();
        ServerCounters counters = server.context().counters();
        for (int round = 0; round < rounds; round++) {
            long sentBefore = counters.count(ServerEvent.CB_RECALL_SENT);
            long revokedBefore = counters.count(ServerEvent.DELEGATION_REVOKED);
            List<Holder> hs = new ArrayList<>();
            try {
                for (int h = 0; h < holders; h++) {
                    Holder holder = new Holder();
                    hs.add(holder);
                    holder.connect(address, minor, server);
                    holder.takeDelegations(round, h, files);
                }
                Result r = conflictingPass(writer, round, holders, files, inflight, retryDelay, maxWait);
                int returned = 0;
                for (Holder holder : hs) {
                    returned += holder.awaitReturns(files);
                }
                results.add(new Result(r.recalls(), r.nanos(), r.delays(), r.openLatencyMicros(), returned,
                        counters.count(ServerEvent.CB_RECALL_SENT) - sentBefore,
                        counters.count(ServerEvent.DELEGATION_REVOKED) - revokedBefore));
            } finally {
                for (Holder holder : hs) {
                    holder.close();
                }
            }
        }
        return results;
    }

    static String name(int round, int holder, int file) {
        return "r" + round + "-h" + holder + "-f" + file;
    }

    /** The conflicting client opens every file of {@code round} for write; times each from first try to success. */
    private static Result conflictingPass(NfsClient writer, int round, int holders, int files, int inflight,
            Duration retryDelay, Duration maxWait) throws IOException, InterruptedException {
        int total = holders * files;
        AtomicInteger next = new AtomicInteger();
        AtomicInteger delays = new AtomicInteger();
        List<Histogram> perWorker = new ArrayList<>();
        long t0 = System.nanoTime();
        try (ExecutorService ex = Executors.newVirtualThreadPerTaskExecutor()) {
            List<Future<Void>> workers = new ArrayList<>();
            for (int w = 0; w < inflight; w++) {
                Histogram hist = new Histogram(3_600_000_000L, 3);
                perWorker.add(hist);
                OpenOwner owner = new OpenOwner(writer.clientId(), ("writer-" + w).getBytes(StandardCharsets.UTF_8));
                workers.add(ex.submit(() -> {
                    int i;
                    while ((i = next.getAndIncrement()) < total) {
                        String n = name(round, i / files, i % files);
                        OpenArgs open = new OpenArgs(0, ShareAccess.ACCESS_WRITE, ShareAccess.DENY_NONE, owner,
                                new OpenHow.NoCreate(), new OpenClaim.Null(n));
                        long start = System.nanoTime();
                        CompoundReply r;
                        while ((r = writer.compound(VoidArgs.PUTROOTFH, open, VoidArgs.GETFH)).status()
                                == NfsStatus.NFS4ERR_DELAY) {
                            delays.incrementAndGet();
                            if (System.nanoTime() - start > maxWait.toNanos()) {
                                throw new IOException("OPEN of " + n + " still delayed after " + maxWait);
                            }
                            Thread.sleep(retryDelay);
                        }
                        if (r.status() != NfsStatus.NFS4_OK) {
                            throw new IOException("conflicting OPEN of " + n + ": " + r.status());
                        }
                        hist.recordValue((System.nanoTime() - start) / 1000);
                        OpenResult o = r.result(2, OpenResult.class);
                        byte[] fh = BenchSession.last(r, org.jnfsd.protocol.nfs4.namespace.GetFhResult.class).fh();
                        CompoundReply c = writer.compound(new PutFhArgs(fh), new CloseArgs(0, o.stateId()));
                        if (c.status() != NfsStatus.NFS4_OK) {
                            throw new IOException("CLOSE of " + n + ": " + c.status());
                        }
                    }
                    return null;
                }));
            }
            for (Future<Void> w : workers) {
                try {
                    w.get();
                } catch (ExecutionException e) {
                    next.set(total);
                    throw new IOException("conflicting OPEN worker failed", e.getCause());
                }
            }
        }
        long nanos = System.nanoTime() - t0;
        Histogram all = new Histogram(3_600_000_000L, 3);
        perWorker.forEach(all::add);
        return new Result(total, nanos, delays.get(), all, 0, 0, 0);
    }

    /**
     * A client holding read delegations: answers CB_RECALL with OK and returns the delegation right
     * after, on its own virtual thread (never on the thread of the incoming callback).
     */
    private static final class Holder implements CallbackHandler {
        private final AtomicReference<NfsClient> client = new AtomicReference<>();
        private final AtomicInteger returned = new AtomicInteger();
        private final AtomicInteger failed = new AtomicInteger();
        private final AtomicReference<Throwable> firstFailure = new AtomicReference<>();
        private final AtomicLong recalls = new AtomicLong();
        private final ExecutorService returns = Executors.newVirtualThreadPerTaskExecutor();

        void connect(InetSocketAddress address, int minor, JnfsdServer server) throws IOException {
            NfsClient c = NfsClient.connect(address, minor, CRED, this);
            client.set(c);
            c.reclaimComplete();
            for (int i = 0; i < MAX_PROBE_POLLS; i++) {
                CallbackChannel ch = server.context().callbacks().channel(new ClientId(c.clientId()));
                if (ch != null && ch.state() == CallbackChannel.State.UP) {
                    return;
                }
                if (c.compound().status() != NfsStatus.NFS4_OK) {
                    throw new IOException("SEQUENCE failed while waiting for the backchannel probe");
                }
            }
            throw new IOException("backchannel not UP after " + MAX_PROBE_POLLS + " SEQUENCEs");
        }

        /** Opens holder {@code h}'s files for read, wanting a read delegation; all must be granted. */
        void takeDelegations(int round, int h, int files) throws IOException {
            NfsClient c = client.get();
            OpenOwner owner = new OpenOwner(c.clientId(), ("holder-" + h).getBytes(StandardCharsets.UTF_8));
            for (int f = 0; f < files; f++) {
                CompoundReply r = c.compound(VoidArgs.PUTROOTFH, new OpenArgs(0,
                        ShareAccess.ACCESS_READ | ShareAccess.WANT_READ_DELEG, ShareAccess.DENY_NONE, owner,
                        new OpenHow.NoCreate(), new OpenClaim.Null(name(round, h, f))));
                if (r.status() != NfsStatus.NFS4_OK) {
                    throw new IOException("holder OPEN of " + name(round, h, f) + ": " + r.status());
                }
                OpenDelegation d = r.result(2, OpenResult.class).delegation();
                if (!(d instanceof OpenDelegation.Read)) {
                    throw new IOException("no read delegation on " + name(round, h, f) + ": " + d);
                }
            }
        }

        @Override
        public CompletionStage<NfsStatus> recall(CbRecallArgs args) {
            recalls.incrementAndGet();
            returns.execute(() -> {
                try {
                    CompoundReply r = client.get().compound(new PutFhArgs(args.fileHandle()),
                            new DelegreturnArgs(args.stateId()));
                    if (r.status() == NfsStatus.NFS4_OK) {
                        returned.incrementAndGet();
                    } else {
                        failed.incrementAndGet();
                        firstFailure.compareAndSet(null, new IOException("DELEGRETURN: " + r.status()));
                    }
                } catch (IOException | RuntimeException e) {
                    failed.incrementAndGet();
                    firstFailure.compareAndSet(null, e);
                }
            });
            return CompletableFuture.completedFuture(NfsStatus.NFS4_OK);
        }

        /** Waits (bounded) for the DELEGRETURNs under way; how many succeeded. */
        int awaitReturns(int expected) throws IOException {
            returns.close(); // waits for the tasks already submitted
            if (firstFailure.get() != null) {
                throw new IOException(failed.get() + " DELEGRETURN(s) failed", firstFailure.get());
            }
            if (recalls.get() != expected) {
                throw new IOException("holder got " + recalls.get() + " CB_RECALLs, expected " + expected);
            }
            return returned.get();
        }

        void close() {
            returns.close();
            NfsClient c = client.get();
            if (c != null) {
                c.close();
            }
        }
    }
}
