package org.jnfsd.bench;

import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicReference;
import org.HdrHistogram.Histogram;
import org.jnfsd.client.NfsClient;
import org.jnfsd.rpc.Credential;
import org.jnfsd.rpc.RpcClient;
import org.jnfsd.rpc.RpcConnection;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * Drives an NFSv4.1 server with one workload: {@code connections} clients (one TCP connection and
 * one session each), {@code inflight} virtual threads per connection, each sending its next
 * operation as soon as the previous one is answered (closed loop). Operations run during the
 * warm-up are not counted; then latency (HdrHistogram, per worker, merged at the end), operations,
 * bytes and this process's CPU time are measured for {@code duration}.
 *
 * <pre>{@code
 * bench/run load --server 127.0.0.1:2049 --path / --workload getattr --connections 4 --inflight 16 \
 *     --duration 10s --warmup 3s --json out.json
 * }</pre>
 *
 * <p>Workers read the wall clock ({@code System.nanoTime}): this is a measuring tool, not core.
 */
@Command(name = "load", mixinStandardHelpOptions = true,
        description = "Run one workload against an NFSv4.1 server and print ops/s, MiB/s and latency.")
public final class LoadGenerator implements Callable<Integer> {
    /** Largest reply record the NULL connections accept (they get empty ones). */
    private static final int MAX_RECORD = 64 * 1024;

    @Option(names = "--server", description = "host:port (default ${DEFAULT-VALUE})", defaultValue = "127.0.0.1:2049")
    String server;

    @Option(names = "--path", description = "export path the workloads work under (default ${DEFAULT-VALUE})",
            defaultValue = "/")
    String path;

    @Option(names = "--workload", split = ",",
            description = "null, getattr, lookup, create, read, write, openclose (comma-separated; default all)")
    List<String> workloads;

    @Option(names = "--connections", defaultValue = "4", description = "TCP connections, one session each")
    int connections;

    @Option(names = "--inflight", defaultValue = "16", description = "requests in flight per connection")
    int inflight;

    @Option(names = "--duration", defaultValue = "10s", description = "measured time, e.g. 10s, 500ms")
    String duration;

    @Option(names = "--warmup", defaultValue = "3s", description = "time run but not measured")
    String warmup;

    @Option(names = "--io-size", defaultValue = "1048576", description = "READ/WRITE size in bytes")
    int ioSize;

    @Option(names = "--file-size", defaultValue = "67108864",
            description = "size of the read workload's file and of each write file before it wraps")
    long fileSize;

    @Option(names = "--small-write", defaultValue = "4096", description = "bytes the create workload writes")
    int smallWrite;

    @Option(names = "--minor", defaultValue = "1", description = "NFSv4 minor version, 1 or 2")
    int minor;

    @Option(names = "--uid", defaultValue = "0", description = "AUTH_SYS uid")
    int uid;

    @Option(names = "--json", description = "write the results as a JSON array to this file")
    Path json;

    /** The settings of one run. */
    record Settings(InetSocketAddress server, Workload.Kind kind, Workloads.Params params, int connections,
            int inflight, Duration warmup, Duration duration, int minorVersion, Credential credential,
            ProcessCpu serverCpu) {
        /** Settings without a server process to watch. */
        Settings(InetSocketAddress server, Workload.Kind kind, Workloads.Params params, int connections,
                int inflight, Duration warmup, Duration duration, int minorVersion, Credential credential) {
            this(server, kind, params, connections, inflight, warmup, duration, minorVersion, credential,
                    ProcessCpu.NONE);
        }
    }

    @Override
    public Integer call() throws Exception {
        List<Workload.Kind> kinds = workloads == null
                ? List.of(Workload.Kind.values())
                : workloads.stream().map(Workload.Kind::parse).toList();
        List<LoadResult> results = new ArrayList<>();
        long errors = 0;
        for (Workload.Kind k : kinds) {
            Settings s = new Settings(parseAddress(server), k, new Workloads.Params(path, ioSize, fileSize, smallWrite),
                    connections, inflight, parseDuration(warmup), parseDuration(duration), minor,
                    new Credential.AuthSys(0, "jnfsd-bench", uid, uid, new int[0]));
            LoadResult r = run(s);
            System.out.println(r.summary());
            results.add(r);
            errors += r.errors();
        }
        if (json != null) {
            Files.writeString(json, toJson(results), StandardCharsets.UTF_8);
        }
        return errors == 0 ? 0 : 1;
    }

    static String toJson(List<LoadResult> results) {
        return "[\n" + String.join(",\n", results.stream().map(LoadResult::toJson).toList()) + "\n]\n";
    }

    /** Runs one workload and returns what it measured. */
    public static LoadResult run(Settings s) throws IOException, InterruptedException {
        return s.kind() == Workload.Kind.NULL ? runNull(s) : runCompound(s);
    }

    /** NULL needs no session: plain RPC connections, so it also drives the bare NULL server. */
    private static LoadResult runNull(Settings s) throws IOException, InterruptedException {
        List<RpcClient> clients = new ArrayList<>();
        try {
            List<Workload.Worker> workers = new ArrayList<>();
            for (int c = 0; c < s.connections(); c++) {
                RpcClient rpc = RpcClient.builder().maxRecordSize(MAX_RECORD).build();
                clients.add(rpc);
                RpcConnection conn = rpc.connect(s.server(), List.of());
                for (int i = 0; i < s.inflight(); i++) {
                    workers.add(Workloads.NullCall.worker(conn, s.credential()));
                }
            }
            return measure(s, workers);
        } finally {
            for (RpcClient c : clients) {
                c.close();
            }
        }
    }

    private static LoadResult runCompound(Settings s) throws IOException, InterruptedException {
        Workload w = Workloads.of(s.kind(), s.params());
        List<NfsClient> clients = new ArrayList<>();
        try {
            for (int i = 0; i < s.connections(); i++) {
                NfsClient c = NfsClient.connect(s.server(), s.minorVersion(), s.credential());
                clients.add(c);
                c.reclaimComplete();
            }
            w.setup(new BenchSession(clients.getFirst()));
            List<Workload.Worker> workers = new ArrayList<>();
            for (int c = 0; c < clients.size(); c++) {
                BenchSession session = new BenchSession(clients.get(c));
                for (int i = 0; i < s.inflight(); i++) {
                    workers.add(w.worker(session, c * s.inflight() + i));
                }
            }
            return measure(s, workers);
        } finally {
            for (NfsClient c : clients) {
                c.close();
            }
        }
    }

    private static LoadResult measure(Settings s, List<Workload.Worker> workers)
            throws IOException, InterruptedException {
        com.sun.management.OperatingSystemMXBean os =
                (com.sun.management.OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean();
        long start = System.nanoTime();
        long measureFrom = start + s.warmup().toNanos();
        long end = measureFrom + s.duration().toNanos();
        AtomicReference<Long> cpuAtMeasureFrom = new AtomicReference<>();
        long serverCpuAtMeasureFrom;
        AtomicReference<String> firstError = new AtomicReference<>();
        List<Future<WorkerTally>> tallies = new ArrayList<>();
        try (ExecutorService pool = Executors.newVirtualThreadPerTaskExecutor()) {
            for (Workload.Worker worker : workers) {
                tallies.add(pool.submit(() -> loop(worker, measureFrom, end, firstError)));
            }
            // the CPU reading at the start of the measured interval, taken by this (otherwise idle) thread
            long wait = measureFrom - System.nanoTime();
            if (wait > 0) {
                Thread.sleep(Duration.ofNanos(wait));
            }
            cpuAtMeasureFrom.set(os.getProcessCpuTime());
            serverCpuAtMeasureFrom = s.serverCpu().nanos();
        }
        long cpuEnd = os.getProcessCpuTime();
        long serverCpuEnd = s.serverCpu().nanos();
        long stopped = System.nanoTime();
        Histogram all = new Histogram(3);
        long ops = 0;
        long bytes = 0;
        long errors = 0;
        for (Future<WorkerTally> f : tallies) {
            try {
                WorkerTally t = f.get();
                all.add(t.latency());
                ops += t.ops();
                bytes += t.bytes();
                errors += t.errors();
            } catch (ExecutionException e) {
                throw new IOException("worker failed", e.getCause());
            }
        }
        for (Workload.Worker worker : workers) {
            try {
                worker.finish();
            } catch (IOException e) {
                errors++;
                firstError.compareAndSet(null, "finish: " + e);
            }
        }
        // the interval ends when the last worker stopped (its last operation started before `end`)
        double seconds = Math.max(stopped, end) - measureFrom;
        seconds /= 1e9;
        double cpu = (cpuEnd - cpuAtMeasureFrom.get()) / 1e9 / seconds;
        double serverCpu = serverCpuEnd < 0 || serverCpuAtMeasureFrom < 0 ? Double.NaN
                : (serverCpuEnd - serverCpuAtMeasureFrom) / 1e9 / seconds;
        return new LoadResult(s.kind().label(), s.connections(), s.inflight(), ops, errors, seconds, bytes,
                all.getValueAtPercentile(50) / 1000.0, all.getValueAtPercentile(99) / 1000.0,
                all.getValueAtPercentile(99.9) / 1000.0, all.getMaxValue() / 1000.0, cpu, serverCpu,
                firstError.get());
    }

    /** What one worker counted in the measured interval. */
    private record WorkerTally(Histogram latency, long ops, long bytes, long errors) {
    }

    private static WorkerTally loop(Workload.Worker worker, long measureFrom, long end,
            AtomicReference<String> firstError) {
        Histogram h = new Histogram(3);
        long ops = 0;
        long bytes = 0;
        long errors = 0;
        long t0 = System.nanoTime();
        // a worker starts operations until `end`, and at least one inside the measured interval: on a
        // loaded machine it may otherwise sleep through a short interval and measure nothing
        while (t0 < end || ops + errors == 0) {
            boolean ok;
            long moved = 0;
            try {
                moved = worker.op();
                ok = true;
            } catch (IOException | RuntimeException e) {
                ok = false;
                firstError.compareAndSet(null, e.toString());
            }
            long t1 = System.nanoTime();
            if (t0 >= measureFrom) {
                if (ok) {
                    h.recordValue(t1 - t0);
                    ops++;
                    bytes += moved;
                } else {
                    errors++;
                }
            } else if (!ok) {
                errors++; // a failure in the warm-up is still a failure
            }
            if (!ok && Thread.currentThread().isInterrupted()) {
                break;
            }
            t0 = t1;
        }
        return new WorkerTally(h, ops, bytes, errors);
    }

    static InetSocketAddress parseAddress(String hostPort) {
        int colon = hostPort.lastIndexOf(':');
        if (colon < 0) {
            return new InetSocketAddress(hostPort, 2049);
        }
        return new InetSocketAddress(hostPort.substring(0, colon), Integer.parseInt(hostPort.substring(colon + 1)));
    }

    /** "10s", "500ms", "2m", or ISO-8601 ("PT10S"). */
    static Duration parseDuration(String s) {
        String t = s.trim();
        if (t.startsWith("P") || t.startsWith("p")) {
            return Duration.parse(t);
        }
        if (t.endsWith("ms")) {
            return Duration.ofMillis(Long.parseLong(t.substring(0, t.length() - 2)));
        }
        char unit = t.charAt(t.length() - 1);
        long n = Long.parseLong(Character.isDigit(unit) ? t : t.substring(0, t.length() - 1));
        return switch (unit) {
            case 'm' -> Duration.ofMinutes(n);
            case 'h' -> Duration.ofHours(n);
            default -> Duration.ofSeconds(n);
        };
    }
}
