package org.jnfsd.bench;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;
import org.jnfsd.rpc.Credential;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * The measuring half of {@code bench/compare} (the script starts and stops the servers): runs
 * every workload against jnfsd and, when given, NFS-Ganesha, one after the other with the same
 * settings, then the null workload against the bare Netty server and the loopback bandwidth, and
 * prints one table with the ratios.
 */
@Command(name = "compare", mixinStandardHelpOptions = true,
        description = "Run every workload against jnfsd and Ganesha and print the side-by-side table.")
final class Compare implements Callable<Integer> {
    @Option(names = "--jnfsd", required = true, description = "host:port of jnfsd")
    String jnfsd;

    @Option(names = "--ganesha", description = "host:port of NFS-Ganesha (omit when not installed)")
    String ganesha;

    @Option(names = "--bare", description = "host:port of a bare-null server (the null ceiling)")
    String bare;

    @Option(names = "--jnfsd-pid", description = "jnfsd's process id, to report its CPU per operation")
    Long jnfsdPid;

    @Option(names = "--ganesha-pid", description = "Ganesha's process id, to report its CPU per operation")
    Long ganeshaPid;

    @Option(names = "--bare-pid", description = "the bare-null server's process id")
    Long barePid;

    @Option(names = "--workload", split = ",", description = "workloads (default all)")
    List<String> workloads;

    @Option(names = "--connections", defaultValue = "4")
    int connections;

    @Option(names = "--inflight", defaultValue = "16")
    int inflight;

    @Option(names = "--duration", defaultValue = "10s")
    String duration;

    @Option(names = "--warmup", defaultValue = "10s")
    String warmup;

    @Option(names = "--io-size", defaultValue = "1048576")
    int ioSize;

    @Option(names = "--file-size", defaultValue = "67108864")
    long fileSize;

    @Option(names = "--json", description = "write every figure and ratio as JSON to this file")
    Path json;

    @Override
    public Integer call() throws Exception {
        List<Workload.Kind> kinds = workloads == null
                ? List.of(Workload.Kind.values())
                : workloads.stream().map(Workload.Kind::parse).toList();
        Duration d = LoadGenerator.parseDuration(duration);
        Duration w = LoadGenerator.parseDuration(warmup);
        Workloads.Params p = new Workloads.Params("/", ioSize, fileSize, 4096);
        Credential cred = new Credential.AuthSys(0, "jnfsd-bench", 0, 0, new int[0]);
        Map<Workload.Kind, LoadResult> j = new LinkedHashMap<>();
        Map<Workload.Kind, LoadResult> g = new LinkedHashMap<>();
        for (Workload.Kind k : kinds) {
            // each workload against both servers back to back, so both see the same machine load
            j.put(k, runOne("jnfsd", jnfsd, jnfsdPid, k, p, w, d, cred));
            if (ganesha != null) {
                g.put(k, runOne("ganesha", ganesha, ganeshaPid, k, p, w, d, cred));
            }
        }
        LoadResult ceiling = bare == null ? null : runOne("bare-null", bare, barePid, Workload.Kind.NULL, p, w, d, cred);
        System.err.println("[loopback] measuring TCP bandwidth ...");
        double loopback = LoopbackBandwidth.measure(connections, ioSize, d);

        String table = table(kinds, j, g, ceiling, loopback);
        System.out.print(table);
        if (json != null) {
            Files.writeString(json, json(kinds, j, g, ceiling, loopback), StandardCharsets.UTF_8);
        }
        return 0;
    }

    private LoadResult runOne(String who, String address, Long pid, Workload.Kind k, Workloads.Params p,
            Duration w, Duration d, Credential cred) throws Exception {
        System.err.printf(Locale.ROOT, "[%s] %s ...%n", who, k.label());
        LoadResult r = LoadGenerator.run(new LoadGenerator.Settings(LoadGenerator.parseAddress(address), k, p,
                connections, inflight, w, d, 1, cred,
                pid == null ? ProcessCpu.NONE : ProcessCpu.of(pid)));
        System.err.println("[" + who + "] " + r.summary());
        return r;
    }

    static String table(List<Workload.Kind> kinds, Map<Workload.Kind, LoadResult> j,
            Map<Workload.Kind, LoadResult> g, LoadResult ceiling, double loopback) {
        StringBuilder b = new StringBuilder();
        b.append(String.format(Locale.ROOT, "%-9s | %10s %7s %7s %7s %7s | %10s %7s %7s %7s %7s | %6s | %s%n",
                "workload", "jnfsd op/s", "MiB/s", "p50 us", "p99 us", "cpu/op", "ganesha", "MiB/s", "p50 us",
                "p99 us", "cpu/op", "ratio", "target"));
        for (Workload.Kind k : kinds) {
            LoadResult a = j.get(k);
            LoadResult o = g.get(k);
            double ratio = o == null ? Double.NaN : k.isData() ? a.mibPerSecond() / o.mibPerSecond()
                    : a.opsPerSecond() / o.opsPerSecond();
            b.append(String.format(Locale.ROOT, "%-9s | %10.0f %7.1f %7.0f %7.0f %7s | %10s %7s %7s %7s %7s | %6s | %s%n",
                    k.label(), a.opsPerSecond(), a.mibPerSecond(), a.p50Micros(), a.p99Micros(),
                    fmt(a.serverMicrosPerOp()),
                    o == null ? "-" : String.format(Locale.ROOT, "%.0f", o.opsPerSecond()),
                    o == null ? "-" : String.format(Locale.ROOT, "%.1f", o.mibPerSecond()),
                    o == null ? "-" : String.format(Locale.ROOT, "%.0f", o.p50Micros()),
                    o == null ? "-" : String.format(Locale.ROOT, "%.0f", o.p99Micros()),
                    o == null ? "-" : fmt(o.serverMicrosPerOp()),
                    Double.isNaN(ratio) ? "-" : String.format(Locale.ROOT, "%.2f", ratio), target(k)));
        }
        if (ceiling != null && j.containsKey(Workload.Kind.NULL)) {
            b.append(String.format(Locale.ROOT,
                    "null ceiling (bare Netty): %.0f op/s; jnfsd null = %.0f%% of it (target >= 80%%)%n",
                    ceiling.opsPerSecond(), 100 * j.get(Workload.Kind.NULL).opsPerSecond() / ceiling.opsPerSecond()));
        }
        b.append(String.format(Locale.ROOT, "loopback TCP ceiling: %.0f MiB/s%n", loopback));
        b.append("cpu/op: the server process's CPU microseconds (user + system) per operation%n".formatted());
        double maxCpu = 0;
        String at = "";
        for (LoadResult r : j.values()) {
            if (r.cpuCores() > maxCpu) {
                maxCpu = r.cpuCores();
                at = r.workload();
            }
        }
        for (LoadResult r : g.values()) {
            if (r.cpuCores() > maxCpu) {
                maxCpu = r.cpuCores();
                at = r.workload() + " (ganesha)";
            }
        }
        b.append(String.format(Locale.ROOT, "load generator CPU: at most %.2f cores (%s)%n", maxCpu, at));
        long errors = 0;
        for (LoadResult r : j.values()) {
            errors += r.errors();
        }
        for (LoadResult r : g.values()) {
            errors += r.errors();
        }
        b.append("errors: ").append(errors).append('\n');
        return b.toString();
    }

    private static String fmt(double d) {
        return Double.isNaN(d) ? "-" : String.format(Locale.ROOT, "%.0f", d);
    }

    private static String target(Workload.Kind k) {
        return switch (k) {
            case GETATTR, CREATE -> "ops >= 1.3x";
            case READ, WRITE -> "MiB/s >= 1x";
            case NULL -> "vs ceiling";
            default -> "";
        };
    }

    static String json(List<Workload.Kind> kinds, Map<Workload.Kind, LoadResult> j, Map<Workload.Kind, LoadResult> g,
            LoadResult ceiling, double loopback) {
        List<String> rows = new ArrayList<>();
        for (Workload.Kind k : kinds) {
            LoadResult a = j.get(k);
            LoadResult o = g.get(k);
            String ratio = "null";
            if (o != null) {
                ratio = String.format(Locale.ROOT, "{\"opsPerSecond\":%.3f,\"mibPerSecond\":%s}",
                        a.opsPerSecond() / o.opsPerSecond(),
                        o.mibPerSecond() > 0 ? String.format(Locale.ROOT, "%.3f", a.mibPerSecond() / o.mibPerSecond())
                                : "null");
            }
            rows.add(String.format(Locale.ROOT, "  {\"workload\":\"%s\",\"jnfsd\":%s,\"ganesha\":%s,\"ratio\":%s}",
                    k.label(), a.toJson(), o == null ? "null" : o.toJson(), ratio));
        }
        return "{\"workloads\":[\n" + String.join(",\n", rows) + "\n],\n\"bareNull\":"
                + (ceiling == null ? "null" : ceiling.toJson())
                + String.format(Locale.ROOT, ",\n\"loopbackMiBPerSecond\":%.1f}%n", loopback);
    }
}
