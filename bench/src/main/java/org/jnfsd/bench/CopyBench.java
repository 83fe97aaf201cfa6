package org.jnfsd.bench;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import java.io.IOException;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.UUID;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicLong;
import java.util.stream.Stream;
import org.jnfsd.bench.BenchSession.OpenFile;
import org.jnfsd.client.CallbackHandler;
import org.jnfsd.client.NfsClient;
import org.jnfsd.core.callback.CallbackChannel;
import org.jnfsd.core.session.ClientId;
import org.jnfsd.protocol.nfs4.NfsStatus;
import org.jnfsd.protocol.nfs4.StateId;
import org.jnfsd.protocol.nfs4.callback.CbOffloadArgs;
import org.jnfsd.core.fs.Export;
import org.jnfsd.protocol.nfs4.CompoundReply;
import org.jnfsd.protocol.nfs4.io.CommitArgs;
import org.jnfsd.protocol.nfs4.io.ReadArgs;
import org.jnfsd.protocol.nfs4.io.ReadResult;
import org.jnfsd.protocol.nfs4.io.ShareAccess;
import org.jnfsd.protocol.nfs4.io.StableHow;
import org.jnfsd.protocol.nfs4.io.WriteArgs;
import org.jnfsd.protocol.nfs4.io.WriteResult;
import org.jnfsd.protocol.nfs4.namespace.PutFhArgs;
import org.jnfsd.protocol.nfs4.namespace.RemoveArgs;
import org.jnfsd.protocol.nfs4.namespace.VoidArgs;
import org.jnfsd.protocol.nfs4.v42.CopyArgs;
import org.jnfsd.protocol.nfs4.v42.CopyResult;
import org.jnfsd.rpc.Credential;
import org.jnfsd.server.JnfsdServer;
import org.jnfsd.vfs.local.LocalFileSystem;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * Server-side COPY against the same bytes moved through the client (issue 6): writes a
 * {@code --size} source file, then times (1) COPY of the whole file (saved FH source, current FH a new
 * file; repeated while the server answers a partial copy) + COMMIT, and (2) READ of the source and
 * WRITE (UNSTABLE) of a second new file in {@code --chunk} pieces with {@code --inflight} chunks in
 * flight, + COMMIT; prints both and their ratio. With {@code --async} the COPY asks for an
 * asynchronous copy (ca_synchronous false) and the client serves the callback program; a COPY the
 * server runs asynchronously is timed until its CB_OFFLOAD arrives. Against {@code --server}, or by default an in-process
 * server over the local backend in a fresh temp directory (deleted afterwards). The source is read
 * back from the page cache in both cases (it was just written).
 *
 * <pre>{@code
 * bench/run copy --size 256MiB --chunk 1MiB --inflight 8
 * }</pre>
 */
@Command(name = "copy", mixinStandardHelpOptions = true,
        description = "Time a server-side COPY of a file against READ + WRITE of it through the client.")
public final class CopyBench implements Callable<Integer> {
    @Option(names = "--server", description = "host:port of a running server; default: an in-process jnfsd "
            + "over the local backend in a fresh temp directory")
    String server;

    @Option(names = "--path", defaultValue = "/", description = "export path to work under (default ${DEFAULT-VALUE})")
    String path;

    @Option(names = "--dir", description = "parent of the in-process server's temp directory (default java.io.tmpdir)")
    Path dir;

    @Option(names = "--size", defaultValue = "256MiB", description = "file size (bytes, or KiB/MiB/GiB)")
    String size;

    @Option(names = "--chunk", defaultValue = "1MiB", description = "READ/WRITE size of the client copy")
    String chunk;

    @Option(names = "--inflight", defaultValue = "8", description = "chunks in flight in the client copy")
    int inflight;

    @Option(names = "--uid", defaultValue = "0", description = "AUTH_SYS uid")
    int uid;

    @Option(names = "--async", description = "send COPY with ca_synchronous false and serve the callback program: "
            + "a server that copies asynchronously reports the end with CB_OFFLOAD, which is waited for")
    boolean async;

    /** The figures of one run. */
    record Result(long bytes, long copyNanos, long copyCommitNanos, long clientNanos, long clientCommitNanos,
            int copyCompounds, int asyncCopies) {
        double copyMiBs() {
            return mibPerSecond(copyNanos);
        }

        double clientMiBs() {
            return mibPerSecond(clientNanos);
        }

        /** How many times faster the server-side COPY was (both including their COMMIT). */
        double ratio() {
            return (double) clientNanos / copyNanos;
        }

        private double mibPerSecond(long nanos) {
            return bytes / (1024.0 * 1024.0) / (nanos / 1e9);
        }

        void print(PrintStream out) {
            out.printf("size %d bytes (%.0f MiB)%n", bytes, bytes / (1024.0 * 1024.0));
            out.printf("server-side COPY + COMMIT : %8.1f ms  %8.1f MiB/s  (%d COPY call(s), %d asynchronous)%n",
                    copyNanos / 1e6, copyMiBs(), copyCompounds, asyncCopies);
            out.printf("READ + WRITE + COMMIT    : %8.1f ms  %8.1f MiB/s%n", clientNanos / 1e6, clientMiBs());
            out.printf("  of which COMMIT (the dirty pages to disk): COPY %.1f ms, READ + WRITE %.1f ms%n",
                    copyCommitNanos / 1e6, clientCommitNanos / 1e6);
            out.printf("ratio (client copy time / COPY time): %.2f%n", ratio());
        }
    }

    @Override
    public Integer call() throws Exception {
        long bytes = parseSize(size);
        int chunkBytes = Math.toIntExact(parseSize(chunk));
        Credential cred = new Credential.AuthSys(0, "jnfsd-bench", uid, uid, new int[0]);
        Result r;
        if (server != null) {
            r = run(LoadGenerator.parseAddress(server), path, cred, bytes, chunkBytes, inflight, async, null);
        } else {
            Path root = Files.createTempDirectory(dir != null ? dir : Path.of(System.getProperty("java.io.tmpdir")),
                    "jnfsd-copy-");
            try (JnfsdServer s = JnfsdServer.builder()
                    .export(new Export(1, "/", new LocalFileSystem(root, Clock.systemUTC()))).port(0).build()) {
                System.out.println("in-process jnfsd, local backend at " + root);
                r = run(s.start(), "/", cred, bytes, chunkBytes, inflight, async, backchannelUp(s));
            } finally {
                deleteTree(root);
            }
        }
        r.print(System.out);
        return 0;
    }

    /**
     * Removes the run's files (those that exist) and its directory. A failure here, after a run that
     * itself failed, is added to that run's exception as suppressed, so it never hides it.
     */
    private static void removeRunDir(NfsClient client, byte[] parent, byte[] dir, String name) throws IOException {
        for (String f : List.of("src", "dst-copy", "dst-rw")) {
            NfsStatus st = client.compound(new PutFhArgs(dir), new RemoveArgs(f.getBytes(StandardCharsets.UTF_8)))
                    .status();
            if (st != NfsStatus.NFS4_OK && st != NfsStatus.NFS4ERR_NOENT) {
                throw new IOException("REMOVE of " + name + "/" + f + ": " + st);
            }
        }
        NfsStatus st = client.compound(new PutFhArgs(parent), new RemoveArgs(name.getBytes(StandardCharsets.UTF_8)))
                .status();
        if (st != NfsStatus.NFS4_OK) {
            throw new IOException("REMOVE of the run directory " + name + ": " + st);
        }
    }

    /** For an in-process server: whether a client's callback channel is UP (the server copies async only then). */
    static java.util.function.LongPredicate backchannelUp(JnfsdServer s) {
        return clientId -> {
            CallbackChannel ch = s.context().callbacks().channel(new ClientId(clientId));
            return ch != null && ch.state() == CallbackChannel.State.UP;
        };
    }

    /**
     * Writes the source, times both copies, removes the run's directory; the figures. With
     * {@code async} the client serves the callback program and asks for an asynchronous COPY; {@code
     * backchannelUp}, when known (in-process server), is polled (bounded) before the COPY.
     */
    static Result run(InetSocketAddress address, String path, Credential cred, long bytes, int chunk, int inflight,
            boolean async, java.util.function.LongPredicate backchannelUp) throws IOException, InterruptedException {
        Offloads offloads = new Offloads();
        NfsClient client = async ? NfsClient.connect(address, 2, cred, offloads) : NfsClient.connect(address, 2, cred);
        try {
            client.reclaimComplete();
            if (async && backchannelUp != null) {
                for (int i = 0; !backchannelUp.test(client.clientId()); i++) {
                    if (i == 100_000) {
                        throw new IOException("backchannel not UP after 100000 SEQUENCEs");
                    }
                    client.compound();
                }
            }
            BenchSession s = new BenchSession(client);
            byte[] parent = s.resolve(path);
            String name = "jnfsd-copy-" + UUID.randomUUID();
            byte[] dir = s.mkdir(parent, name);
            Result result;
            try {
                OpenFile src = s.create(dir, "src", BenchSession.owner("src"));
                parallel(bytes, chunk, inflight, (off, n, data) -> write(s, src, off, data.slice(0, n)));
                commit(s, src);

                OpenFile dstCopy = s.create(dir, "dst-copy", BenchSession.owner("dst-copy"));
                long t0 = System.nanoTime();
                int[] calls = serverCopy(s, src, dstCopy, bytes, async, offloads);
                long c0 = System.nanoTime();
                commit(s, dstCopy);
                long copyCommitNanos = System.nanoTime() - c0;
                long copyNanos = System.nanoTime() - t0;

                OpenFile dstRw = s.create(dir, "dst-rw", BenchSession.owner("dst-rw"));
                long t1 = System.nanoTime();
                parallel(bytes, chunk, inflight, (off, n, unused) -> {
                    ReadResult rd = BenchSession.last(s.call(new PutFhArgs(src.fh()), new ReadArgs(src.stateId(), off, n)),
                            ReadResult.class);
                    byte[] got = rd.data();
                    if (got.length != n) {
                        throw new IOException("short READ at " + off + ": " + got.length + " of " + n);
                    }
                    ByteBuf b = Unpooled.wrappedBuffer(got);
                    try {
                        write(s, dstRw, off, b);
                    } finally {
                        b.release();
                    }
                });
                long c1 = System.nanoTime();
                commit(s, dstRw);
                long clientCommitNanos = System.nanoTime() - c1;
                long clientNanos = System.nanoTime() - t1;

                verifySample(s, dstCopy, bytes, chunk);
                verifySample(s, dstRw, bytes, chunk);
                s.close(src);
                s.close(dstCopy);
                s.close(dstRw);
                result = new Result(bytes, copyNanos, copyCommitNanos, clientNanos, clientCommitNanos, calls[0],
                        calls[1]);
            } catch (IOException | InterruptedException | RuntimeException e) {
                try {
                    removeRunDir(client, parent, dir, name);
                } catch (IOException | RuntimeException cleanup) {
                    e.addSuppressed(cleanup);
                }
                throw e;
            }
            removeRunDir(client, parent, dir, name);
            return result;
        } finally {
            client.close();
        }
    }

    /**
     * COPY of the whole source; repeated from where a partial copy stopped. An asynchronous one
     * (a callback id in the reply) is waited for through its CB_OFFLOAD. {COPYs, of which async}.
     */
    private static int[] serverCopy(BenchSession s, OpenFile src, OpenFile dst, long bytes, boolean async,
            Offloads offloads) throws IOException, InterruptedException {
        long done = 0;
        int calls = 0;
        int asyncCalls = 0;
        while (done < bytes) {
            CompoundReply r = s.call(new PutFhArgs(src.fh()), VoidArgs.SAVEFH, new PutFhArgs(dst.fh()),
                    new CopyArgs(src.stateId(), dst.stateId(), done, done, bytes - done, false, !async, List.of()));
            CopyResult c = BenchSession.last(r, CopyResult.class);
            calls++;
            long count;
            if (c.response().callbackId() != null) {
                asyncCalls++;
                CbOffloadArgs o = offloads.await(c.response().callbackId());
                if (!o.status().isOk()) {
                    throw new IOException("asynchronous COPY failed: " + o.status() + " after " + o.count() + " bytes");
                }
                count = o.count();
            } else {
                count = c.response().count();
            }
            if (count <= 0) {
                throw new IOException("COPY made no progress at " + done);
            }
            done += count;
        }
        return new int[] {calls, asyncCalls};
    }

    /** The client's callback handler: hands each CB_OFFLOAD to whoever waits for that copy stateid. */
    static final class Offloads implements CallbackHandler {
        private final Map<StateId.Key, CompletableFuture<CbOffloadArgs>> byCopy = new ConcurrentHashMap<>();

        private CompletableFuture<CbOffloadArgs> slot(StateId copy) {
            return byCopy.computeIfAbsent(copy.key(), k -> new CompletableFuture<>());
        }

        @Override
        public CompletionStage<NfsStatus> offload(CbOffloadArgs args) {
            slot(args.copyStateId()).complete(args);
            return CompletableFuture.completedFuture(NfsStatus.NFS4_OK);
        }

        /** Waits (at most 10 minutes) for the CB_OFFLOAD of {@code copy}. */
        CbOffloadArgs await(StateId copy) throws IOException, InterruptedException {
            try {
                return slot(copy).get(10, TimeUnit.MINUTES);
            } catch (ExecutionException | TimeoutException e) {
                throw new IOException("no CB_OFFLOAD for " + copy, e);
            }
        }
    }

    /** Reads the first, a middle and the last chunk of {@code f} back: each must hold the source's pattern. */
    private static void verifySample(BenchSession s, OpenFile f, long bytes, int chunk) throws IOException {
        byte[] pattern = Workloads.pattern(chunk);
        long chunks = (bytes + chunk - 1) / chunk;
        for (long k : new long[] {0, chunks / 2, chunks - 1}) {
            long off = k * chunk;
            int n = (int) Math.min(chunk, bytes - off);
            byte[] got = BenchSession.last(s.call(new PutFhArgs(f.fh()), new ReadArgs(f.stateId(), off, n)),
                    ReadResult.class).data();
            if (!java.util.Arrays.equals(got, 0, got.length, pattern, 0, n)) {
                throw new IOException("copied data differs from the source in the chunk at " + off);
            }
        }
    }

    private static void write(BenchSession s, OpenFile f, long off, ByteBuf data) throws IOException {
        int n = data.readableBytes();
        WriteResult w = BenchSession.last(s.call(new PutFhArgs(f.fh()),
                new WriteArgs(f.stateId(), off, StableHow.UNSTABLE4, data)), WriteResult.class);
        if (w.count() != n) {
            throw new IOException("short WRITE at " + off + ": " + w.count() + " of " + n);
        }
    }

    private static void commit(BenchSession s, OpenFile f) throws IOException {
        s.call(new PutFhArgs(f.fh()), new CommitArgs(0, 0));
    }

    /** One chunk's work: offset, length, and a buffer of {@code chunk} pattern bytes (do not release). */
    @FunctionalInterface
    interface ChunkTask {
        void run(long offset, int length, ByteBuf pattern) throws IOException;
    }

    /** Runs {@code task} over every chunk of {@code bytes}, {@code inflight} virtual threads taking the next. */
    static void parallel(long bytes, int chunk, int inflight, ChunkTask task) throws IOException, InterruptedException {
        ByteBuf pattern = Unpooled.wrappedBuffer(Workloads.pattern(chunk));
        AtomicLong next = new AtomicLong();
        try (ExecutorService ex = Executors.newVirtualThreadPerTaskExecutor()) {
            List<Future<Void>> workers = new ArrayList<>();
            for (int i = 0; i < inflight; i++) {
                workers.add(ex.submit(() -> {
                    long off;
                    while ((off = next.getAndAdd(chunk)) < bytes) {
                        task.run(off, (int) Math.min(chunk, bytes - off), pattern);
                    }
                    return null;
                }));
            }
            for (Future<Void> w : workers) {
                try {
                    w.get();
                } catch (ExecutionException e) {
                    next.set(bytes); // stop the other workers
                    if (e.getCause() instanceof IOException io) {
                        throw io;
                    }
                    throw new IOException("chunk worker failed", e.getCause());
                }
            }
        } finally {
            pattern.release();
        }
    }

    /** "268435456", "256MiB", "4KiB", "1GiB". */
    static long parseSize(String s) {
        String t = s.trim();
        long unit = 1;
        for (String[] u : new String[][] {{"GiB", "1073741824"}, {"MiB", "1048576"}, {"KiB", "1024"}}) {
            if (t.endsWith(u[0])) {
                unit = Long.parseLong(u[1]);
                t = t.substring(0, t.length() - u[0].length());
                break;
            }
        }
        long v = Long.parseLong(t.trim()) * unit;
        if (v <= 0) {
            throw new IllegalArgumentException("size must be positive: " + s);
        }
        return v;
    }

    private static void deleteTree(Path root) throws IOException {
        try (Stream<Path> all = Files.walk(root)) {
            for (Path p : all.sorted(Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(p);
            }
        } catch (UncheckedIOException e) {
            throw e.getCause();
        }
    }
}
