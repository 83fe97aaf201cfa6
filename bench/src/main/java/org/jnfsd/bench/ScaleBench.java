package org.jnfsd.bench;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.concurrent.Callable;
import org.jnfsd.client.NfsClient;
import org.jnfsd.protocol.nfs4.io.CommitArgs;
import org.jnfsd.protocol.nfs4.io.ReadArgs;
import org.jnfsd.protocol.nfs4.io.ReadResult;
import org.jnfsd.protocol.nfs4.io.ShareAccess;
import org.jnfsd.protocol.nfs4.io.StableHow;
import org.jnfsd.protocol.nfs4.io.WriteArgs;
import org.jnfsd.protocol.nfs4.io.WriteResult;
import org.jnfsd.protocol.nfs4.namespace.GetFhResult;
import org.jnfsd.protocol.nfs4.namespace.GetattrArgs;
import org.jnfsd.protocol.nfs4.namespace.LookupArgs;
import org.jnfsd.protocol.nfs4.namespace.PutFhArgs;
import org.jnfsd.protocol.nfs4.namespace.ReaddirArgs;
import org.jnfsd.protocol.nfs4.namespace.ReaddirResult;
import org.jnfsd.protocol.nfs4.namespace.RemoveArgs;
import org.jnfsd.protocol.nfs4.namespace.VoidArgs;
import org.jnfsd.rpc.Credential;
import org.jnfsd.rpc.RpcClient;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code bench/run scale}: cost curves. For directories of each size: a whole READDIR listing
 * (time and server CPU per entry), then LOOKUP + GETATTR of random names and GETATTR of random
 * handles (per operation); then 1..N clients, each its own connection and session holding
 * {@code --opens} open files, doing GETATTR (per operation, and the server's resident memory
 * per client). Operations are sent one at a time on one connection (latency, not throughput):
 * what matters is whether the per-entry and per-operation figures stay flat as the size grows.
 * The directories are filled through {@code --export-dir} (the server's exported directory on
 * this machine), not over NFS: only the measured operations go through the server.
 */
@Command(name = "scale", mixinStandardHelpOptions = true,
        description = "Cost curves: READDIR/LOOKUP/GETATTR against directory size, GETATTR against clients.")
final class ScaleBench implements Callable<Integer> {
    @Option(names = "--server", defaultValue = "127.0.0.1:2049", description = "host:port")
    String server;

    @Option(names = "--server-pid", defaultValue = "-1", description = "the server's pid, for its CPU and RSS")
    long pid;

    @Option(names = "--export-dir", required = true, description = "the server's exported directory, filled here")
    Path exportDir;

    @Option(names = "--sizes", split = ",", defaultValue = "10,1000,10000,100000", description = "directory sizes")
    List<Integer> sizes;

    @Option(names = "--clients", split = ",", defaultValue = "1,10,100,1000", description = "client counts")
    List<Integer> clientCounts;

    @Option(names = "--opens", defaultValue = "10", description = "files each client keeps open")
    int opens;

    @Option(names = "--ops", defaultValue = "3000", description = "operations measured per point")
    int ops;

    @Option(names = "--warmup-ops", defaultValue = "20000",
            description = "LOOKUP + GETATTR sent first, unmeasured (the server's JIT)")
    int warmupOps;

    @Option(names = "--fd-files", defaultValue = "0",
            description = "files opened, written, read and closed one after another (0: no fd curve); more than the"
                    + " server's RLIMIT_NOFILE shows its channel cache stays bounded")
    int fdFiles;

    @Option(names = "--seq-mib", split = ",",
            description = "sizes in MiB of a file written then read sequentially in 1 MiB operations (none: no curve)")
    List<Integer> seqMib = new ArrayList<>();

    @Option(names = "--json", description = "write the figures as JSON to this file")
    Path json;

    /**
     * One point of a curve: {@code x} (entries, clients, files or MiB) and the figures measured
     * there; {@code heapKib} the server's live heap per client, {@code mibPerSec} a transfer rate
     * (-1: not measured).
     */
    record Point(String curve, long x, double wallNanosPer, double cpuNanosPer, long rssKib, long heapKib,
            double mibPerSec) {
        Point(String curve, long x, double wallNanosPer, double cpuNanosPer, long rssKib) {
            this(curve, x, wallNanosPer, cpuNanosPer, rssKib, -1, -1);
        }
    }

    @Override
    public Integer call() throws Exception {
        InetSocketAddress addr = LoadGenerator.parseAddress(server);
        Credential cred = new Credential.AuthSys(0, "bench", 0, 0, new int[0]);
        ProcessCpu cpu = pid > 0 ? ProcessCpu.of(pid) : ProcessCpu.NONE;
        Recorder points = new Recorder(json);
        try (NfsClient c = NfsClient.connect(addr, 1, cred)) {
            c.reclaimComplete();
            BenchSession s = new BenchSession(c);
            fill(exportDir.resolve("scale-warmup"), 10);
            byte[] warm = s.resolve("/scale-warmup");
            long w0 = System.nanoTime();
            for (int i = 0; i < warmupOps; i++) {
                s.call(new PutFhArgs(warm), LookupArgs.of("f" + (i % 10)), new GetattrArgs(BenchSession.GETATTR_MASK));
                if (i % 100 == 0) {
                    readdirAll(s, warm);
                }
            }
            System.err.printf(Locale.ROOT, "scale: warm-up of %d LOOKUP + GETATTR in %.1f s%n", warmupOps,
                    (System.nanoTime() - w0) / 1e9);
            for (int n : sizes) {
                String dirName = "scale-" + n;
                fill(exportDir.resolve(dirName), n);
                byte[] dir = s.resolve("/" + dirName);
                readdirAll(s, dir); // warm: the server learns the names once
                points.add(measure("readdir", n, n, cpu, () -> readdirAll(s, dir)));
                SplittableRandom rnd = new SplittableRandom(n);
                points.add(measure("lookup+getattr", n, ops, cpu, () -> {
                    for (int i = 0; i < ops; i++) {
                        s.call(new PutFhArgs(dir), LookupArgs.of("f" + rnd.nextInt(n)),
                                new GetattrArgs(BenchSession.GETATTR_MASK));
                    }
                    return ops;
                }));
                List<byte[]> handles = new ArrayList<>();
                for (int i = 0; i < Math.min(n, 256); i++) {
                    handles.add(BenchSession.last(s.call(new PutFhArgs(dir), LookupArgs.of("f" + rnd.nextInt(n)),
                            VoidArgs.GETFH), GetFhResult.class).fh());
                }
                points.add(measure("getattr", n, ops, cpu, () -> {
                    for (int i = 0; i < ops; i++) {
                        s.call(new PutFhArgs(handles.get(rnd.nextInt(handles.size()))),
                                new GetattrArgs(BenchSession.GETATTR_MASK));
                    }
                    return ops;
                }));
                System.err.printf("scale: directory of %d entries done%n", n);
            }
        }
        try (RpcClient shared = RpcClient.builder().eventLoopThreads(2).build()) {
            for (int clients : clientCounts) {
                points.add(clients(shared, addr, cred, clients, cpu));
                System.err.printf("scale: %d clients done%n", clients);
            }
        }
        if (fdFiles > 0 || !seqMib.isEmpty()) {
            try (NfsClient c = NfsClient.connect(addr, 1, cred)) {
                c.reclaimComplete();
                BenchSession s = new BenchSession(c);
                if (fdFiles > 0) {
                    points.add(fdFiles(s, cpu));
                    System.err.printf("scale: %d files opened one after another done%n", fdFiles);
                }
                if (!seqMib.isEmpty()) {
                    double ceiling = LoopbackBandwidth.measure(1, 1 << 20, java.time.Duration.ofSeconds(3));
                    points.add(new Point("loopback", 1, 0, -1, -1, -1, ceiling));
                    for (int mib : seqMib) {
                        points.addAll(sequential(s, mib, cpu));
                        System.err.printf("scale: %d MiB written and read done%n", mib);
                    }
                }
            }
        }
        points.finish();
        return 0;
    }

    /**
     * The points so far: each is printed as a table row the moment it is measured, and the JSON
     * file is rewritten with every point so far, so a run that fails part-way (a client limit, a
     * lease expiry at the 10,000-client point) keeps the points before the failure.
     */
    static final class Recorder {
        private final Path json;
        private final List<Point> points = new ArrayList<>();

        Recorder(Path json) {
            this.json = json;
        }

        void add(Point p) throws IOException {
            if (points.isEmpty()) {
                printHeader();
            }
            points.add(p);
            printRow(p);
            System.out.flush();
            if (json != null) {
                Files.writeString(json, toJson(points));
            }
        }

        void addAll(List<Point> ps) throws IOException {
            for (Point p : ps) {
                add(p);
            }
        }

        void finish() {
            if (points.isEmpty()) {
                printHeader();
            }
            printUnits();
        }
    }

    /** Creates {@code n} empty files f0..f(n-1) in {@code dir} (kept from an earlier run when complete). */
    private static void fill(Path dir, int n) throws IOException {
        Files.createDirectories(dir);
        for (int i = 0; i < n; i++) {
            Path f = dir.resolve("f" + i);
            if (!Files.exists(f)) {
                Files.createFile(f);
            }
        }
    }

    /** Lists {@code dir} to the end with the usual attributes: the entries seen. */
    private static int readdirAll(BenchSession s, byte[] dir) throws IOException {
        long cookie = 0;
        byte[] verf = new byte[ReaddirArgs.VERIFIER_SIZE];
        int seen = 0;
        while (true) {
            ReaddirResult r = BenchSession.last(s.call(new PutFhArgs(dir),
                    new ReaddirArgs(cookie, verf, 32768, 65536, BenchSession.GETATTR_MASK)), ReaddirResult.class);
            seen += r.entries().size();
            if (r.eof() || r.entries().isEmpty()) {
                return seen;
            }
            cookie = r.entries().getLast().cookie();
            verf = r.cookieVerf();
        }
    }

    private interface Run {
        int run() throws IOException;
    }

    private static Point measure(String curve, long x, int per, ProcessCpu cpu, Run run) throws IOException {
        long c0 = cpu.nanos();
        long t0 = System.nanoTime();
        int done = run.run();
        long wall = System.nanoTime() - t0;
        long used = c0 < 0 ? -1 : cpu.nanos() - c0;
        int count = Math.max(1, done);
        return new Point(curve, x, (double) wall / count, used < 0 ? -1 : (double) used / count, -1);
    }

    /**
     * {@code n} clients (connection + session each, all on the one {@code shared} event-loop group)
     * with {@code opens} open files each, then GETATTR round robin; the server's RSS and live heap
     * (after a full GC) per client, measured against those before the clients came.
     */
    private Point clients(RpcClient shared, InetSocketAddress addr, Credential cred, int n, ProcessCpu cpu)
            throws Exception {
        List<NfsClient> all = new ArrayList<>();
        List<byte[]> handles = new ArrayList<>();
        long heap0 = heapKib();
        long rss0 = rssKib();
        try {
            byte[] dir = null;
            for (int i = 0; i < n; i++) {
                NfsClient c = NfsClient.connect(shared, addr, 1, cred);
                all.add(c);
                c.reclaimComplete();
                BenchSession s = new BenchSession(c);
                if (dir == null) {
                    try {
                        dir = s.resolve("/scale-clients");
                    } catch (IOException e) {
                        dir = s.mkdir(s.resolve("/"), "scale-clients");
                    }
                }
                for (int k = 0; k < opens; k++) {
                    BenchSession.OpenFile f = s.create(dir, "c" + i + "-" + k, BenchSession.owner("o" + i));
                    if (k == 0) {
                        handles.add(f.fh());
                    }
                }
            }
            long rss1 = rssKib();
            long heap1 = heapKib();
            SplittableRandom rnd = new SplittableRandom(n);
            Point p = measure("clients-getattr", n, ops, cpu, () -> {
                for (int i = 0; i < ops; i++) {
                    int k = rnd.nextInt(all.size());
                    new BenchSession(all.get(k)).call(new PutFhArgs(handles.get(k)),
                            new GetattrArgs(BenchSession.GETATTR_MASK));
                }
                return ops;
            });
            long perClient = rss0 < 0 ? -1 : (rss1 - rss0) / n;
            long heapPerClient = heap0 < 0 || heap1 < 0 ? -1 : (heap1 - heap0) / n;
            return new Point(p.curve(), n, p.wallNanosPer(), p.cpuNanosPer(), perClient, heapPerClient, -1);
        } finally {
            for (NfsClient c : all) {
                try {
                    c.close();
                } catch (RuntimeException e) {
                    System.err.println("scale: closing a client: " + e);
                }
            }
        }
    }

    /**
     * {@code --fd-files} files, each created, written (4 KiB), closed, then opened again, read and
     * closed, one after another: the server keeps a bounded set of file channels, so this works
     * past its file-descriptor limit; any error status is an error of the run. Per file: both
     * rounds. The server's open descriptors at the end are reported in the rss column's place.
     */
    private Point fdFiles(BenchSession s, ProcessCpu cpu) throws IOException {
        byte[] root = s.resolve("/");
        byte[] dir;
        try {
            dir = s.resolve("/scale-fd");
        } catch (IOException e) {
            dir = s.mkdir(root, "scale-fd");
        }
        byte[] d = dir;
        io.netty.buffer.ByteBuf data = io.netty.buffer.Unpooled.wrappedBuffer(new byte[4096]);
        try {
            Point p = measure("fd-files", fdFiles, fdFiles, cpu, () -> {
                List<BenchSession.OpenFile> files = new ArrayList<>();
                for (int i = 0; i < fdFiles; i++) {
                    BenchSession.OpenFile f = s.create(d, "f" + i, BenchSession.owner("fd"));
                    s.call(new PutFhArgs(f.fh()), new WriteArgs(f.stateId(), 0, StableHow.UNSTABLE4, data.duplicate()));
                    s.close(f);
                    files.add(f);
                }
                for (int i = 0; i < fdFiles; i++) {
                    BenchSession.OpenFile f = s.open(d, "f" + i, BenchSession.owner("fd"), ShareAccess.ACCESS_READ);
                    ReadResult r = BenchSession.last(s.call(new PutFhArgs(f.fh()), new ReadArgs(f.stateId(), 0, 4096)),
                            ReadResult.class);
                    if (r.data().length != 4096) {
                        throw new IOException("f" + i + ": read " + r.data().length + " bytes of 4096");
                    }
                    s.close(f);
                }
                return fdFiles;
            });
            return new Point(p.curve(), fdFiles, p.wallNanosPer(), p.cpuNanosPer(), openFds(), -1, -1);
        } finally {
            data.release();
        }
    }

    /**
     * A file of {@code mib} MiB written sequentially (UNSTABLE, 1 MiB a WRITE, one COMMIT at the
     * end), then read back sequentially (1 MiB a READ): MiB/s, and wall and server CPU per MiB.
     */
    private List<Point> sequential(BenchSession s, int mib, ProcessCpu cpu) throws IOException {
        byte[] root = s.resolve("/");
        String name = "scale-seq-" + mib;
        BenchSession.OpenFile f = s.create(root, name, BenchSession.owner("seq"));
        byte[] block = new byte[1 << 20];
        new SplittableRandom(mib).nextBytes(block);
        io.netty.buffer.ByteBuf data = io.netty.buffer.Unpooled.wrappedBuffer(block);
        List<Point> out = new ArrayList<>();
        try {
            Point w = measure("seq-write", mib, mib, cpu, () -> {
                for (long i = 0; i < mib; i++) {
                    WriteResult r = BenchSession.last(s.call(new PutFhArgs(f.fh()),
                            new WriteArgs(f.stateId(), i << 20, StableHow.UNSTABLE4, data.duplicate())), WriteResult.class);
                    if (r.count() != 1 << 20) {
                        throw new IOException("short write at MiB " + i + ": " + r.count());
                    }
                }
                s.call(new PutFhArgs(f.fh()), new CommitArgs(0, 0));
                return mib;
            });
            out.add(withRate(w));
            Point r = measure("seq-read", mib, mib, cpu, () -> {
                for (long i = 0; i < mib; i++) {
                    ReadResult rr = BenchSession.last(s.call(new PutFhArgs(f.fh()),
                            new ReadArgs(f.stateId(), i << 20, 1 << 20)), ReadResult.class);
                    if (rr.data().length != 1 << 20) {
                        throw new IOException("short read at MiB " + i + ": " + rr.data().length);
                    }
                }
                return mib;
            });
            out.add(withRate(r));
            s.close(f);
            s.call(new PutFhArgs(root), RemoveArgs.of(name));
        } finally {
            data.release();
        }
        return out;
    }

    private static Point withRate(Point p) {
        return new Point(p.curve(), p.x(), p.wallNanosPer(), p.cpuNanosPer(), -1, -1, 1e9 / p.wallNanosPer());
    }

    /** The server's open file descriptors, or -1 without a pid. */
    private long openFds() {
        if (pid <= 0) {
            return -1;
        }
        try (var fds = Files.list(Path.of("/proc", Long.toString(pid), "fd"))) {
            return fds.count();
        } catch (IOException e) {
            return -1;
        }
    }

    /**
     * The server's live heap in KiB after a full GC ({@code jcmd <pid> GC.run}, then the "used" of
     * {@code GC.heap_info}), or -1 without a pid or a jcmd.
     */
    private long heapKib() {
        if (pid <= 0) {
            return -1;
        }
        try {
            Path jcmd = Path.of(System.getProperty("java.home"), "bin", "jcmd");
            jcmd(jcmd, "GC.run");
            java.util.regex.Matcher m = java.util.regex.Pattern.compile("used (\\d+)K").matcher(jcmd(jcmd, "GC.heap_info"));
            return m.find() ? Long.parseLong(m.group(1)) : -1;
        } catch (IOException e) {
            System.err.println("scale: no heap figure: " + e);
            return -1;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return -1;
        }
    }

    private String jcmd(Path jcmd, String command) throws IOException, InterruptedException {
        Process p = new ProcessBuilder(jcmd.toString(), Long.toString(pid), command).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), java.nio.charset.StandardCharsets.UTF_8);
        if (p.waitFor() != 0) {
            throw new IOException("jcmd " + command + ": " + out.strip());
        }
        return out;
    }

    /** The server's resident set in KiB, or -1 without a pid. */
    private long rssKib() {
        if (pid <= 0) {
            return -1;
        }
        try {
            for (String line : Files.readAllLines(Path.of("/proc", Long.toString(pid), "status"))) {
                if (line.startsWith("VmRSS:")) {
                    return Long.parseLong(line.replaceAll("[^0-9]", ""));
                }
            }
            return -1;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static void printHeader() {
        System.out.println("curve            |        x | wall us/unit | server cpu us/unit | server RSS KiB/client"
                + " | heap KiB/client | MiB/s");
    }

    private static void printRow(Point p) {
        System.out.printf(Locale.ROOT, "%-16s | %8d | %12.2f | %18s | %21s | %15s | %s%n", p.curve(), p.x(),
                p.wallNanosPer() / 1000,
                p.cpuNanosPer() < 0 ? "-" : String.format(Locale.ROOT, "%.2f", p.cpuNanosPer() / 1000),
                p.rssKib() < 0 ? "-" : Long.toString(p.rssKib()), p.heapKib() < 0 ? "-" : Long.toString(p.heapKib()),
                p.mibPerSec() < 0 ? "-" : String.format(Locale.ROOT, "%.0f", p.mibPerSec()));
    }

    private static void printUnits() {
        System.out.println("unit: one entry for readdir, one file (both rounds) for fd-files, one MiB for seq-*,"
                + " one COMPOUND otherwise; fd-files' RSS column is the server's open descriptors at the end;"
                + " cpu is 10 ms ticks: small counts are coarse");
    }

    static String toJson(List<Point> points) {
        StringBuilder b = new StringBuilder("[\n");
        for (int i = 0; i < points.size(); i++) {
            Point p = points.get(i);
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("curve", "\"" + p.curve() + "\"");
            m.put("x", p.x());
            m.put("wall_us", String.format(Locale.ROOT, "%.3f", p.wallNanosPer() / 1000));
            m.put("cpu_us", p.cpuNanosPer() < 0 ? "null" : String.format(Locale.ROOT, "%.3f", p.cpuNanosPer() / 1000));
            m.put(p.curve().equals("fd-files") ? "server_fds" : "rss_kib_per_client", p.rssKib() < 0 ? "null" : p.rssKib());
            m.put("heap_kib_per_client", p.heapKib() < 0 ? "null" : p.heapKib());
            m.put("mib_s", p.mibPerSec() < 0 ? "null" : String.format(Locale.ROOT, "%.1f", p.mibPerSec()));
            StringBuilder o = new StringBuilder("  {");
            m.forEach((k, v) -> o.append(o.length() > 3 ? ", " : "").append('"').append(k).append("\": ").append(v));
            b.append(o).append('}').append(i + 1 < points.size() ? ",\n" : "\n");
        }
        return b.append("]\n").toString();
    }
}
