package org.jnfsd.daemon;

import java.io.IOException;
import java.io.PrintWriter;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import org.jnfsd.cluster.ClusterDatabase;
import org.jnfsd.cluster.ClusterException;
import org.jnfsd.cluster.ClusterNode;
import org.jnfsd.cluster.ClusterSecrets;
import org.jnfsd.core.ServerConfig;
import org.jnfsd.core.callback.CallbackAddressPolicy;
import org.jnfsd.core.fs.Export;
import org.jnfsd.core.fs.HandleKey;
import org.jnfsd.core.metrics.OpMetrics;
import org.jnfsd.core.recovery.InMemoryRecoveryStore;
import org.jnfsd.core.recovery.RecoveryStore;
import org.jnfsd.core.recovery.SqliteRecoveryStore;
import org.jnfsd.server.JnfsdServer;
import org.jnfsd.server.admin.AdminClient;
import org.jnfsd.vfs.VirtualFileSystem;
import org.jnfsd.vfs.local.LocalFileSystem;
import org.jnfsd.vfs.memory.MemoryFileSystem;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;
import sun.misc.Signal;

/** The jnfsd daemon's command line. */
@Command(name = "jnfsd", mixinStandardHelpOptions = true, version = "jnfsd 0.1.0",
        description = "An NFSv4.1/4.2 server.", subcommands = {Main.Serve.class, Main.Stats.class, AdminCommands.Clients.class,
                AdminCommands.States.class, AdminCommands.Evict.class, AdminCommands.Inject.class,
                AdminCommands.Exportfs.class, Takeover.class})
public final class Main implements Callable<Integer> {
    private static final Logger log = LoggerFactory.getLogger(Main.class);

    public static void main(String[] args) {
        System.exit(new CommandLine(new Main()).execute(args));
    }

    @Override
    public Integer call() {
        CommandLine.usage(this, System.err);
        return 2;
    }

    enum Backend { local, memory }

    enum Failover { auto, manual }

    @Command(name = "stats", mixinStandardHelpOptions = true,
            description = "Print a running server's counters (name and value per line), read over its own port from this machine.")
    static final class Stats implements Callable<Integer> {
        @Option(names = "--port", defaultValue = "2049", description = "The server's TCP port (default: ${DEFAULT-VALUE}).")
        int port;

        @Option(names = "--host", defaultValue = "127.0.0.1",
                description = "The server's address; it answers loopback callers only (default: ${DEFAULT-VALUE}).")
        String host;

        @Option(names = "--ops", description = "A table of operations instead (as nfsstat -s): calls, share of all "
                + "calls, errors (status other than NFS4_OK), mean time.")
        boolean ops;

        @Spec
        CommandSpec spec;

        @Override
        public Integer call() {
            PrintWriter out = spec.commandLine().getOut();
            try {
                InetSocketAddress server = new InetSocketAddress(host, port);
                if (ops) {
                    out.println(opsTable(AdminClient.ops(server)));
                } else {
                    AdminClient.stats(server).forEach((k, v) -> out.println(k + " " + v));
                }
                out.flush();
                return 0;
            } catch (IOException e) {
                spec.commandLine().getErr().println("jnfsd stats: " + e.getMessage());
                spec.commandLine().getErr().flush();
                return 1;
            }
        }
    }

    /** The per-operation table of {@code jnfsd stats --ops}, busiest first, with a total line. */
    static String opsTable(List<OpMetrics.OpSummary> ops) {
        long all = ops.stream().mapToLong(OpMetrics.OpSummary::calls).sum();
        long errors = ops.stream().mapToLong(OpMetrics.OpSummary::errors).sum();
        StringBuilder b = new StringBuilder(String.format("%-22s %12s %6s %10s %10s", "OPERATION", "CALLS", "%", "ERRORS",
                "MEAN_US"));
        ops.stream().sorted(Comparator.comparingLong(OpMetrics.OpSummary::calls).reversed()
                        .thenComparing(OpMetrics.OpSummary::op))
                .forEach(o -> b.append('\n').append(String.format(Locale.ROOT, "%-22s %12d %5.1f%% %10d %10.1f", o.op(),
                        o.calls(), all == 0 ? 0.0 : 100.0 * o.calls() / all, o.errors(), o.meanNanos() / 1000.0)));
        b.append('\n').append(String.format(Locale.ROOT, "%-22s %12d %5.1f%% %10d", "total", all, all == 0 ? 0.0 : 100.0,
                errors));
        return b.toString();
    }

    @Command(name = "serve", mixinStandardHelpOptions = true,
            description = "Export a directory read-write as the NFSv4 root \"/\" until SIGTERM or SIGINT.")
    static final class Serve implements Callable<Integer> {
        @Parameters(index = "0", arity = "0..1", paramLabel = "<dir>",
                description = "Directory to export (required unless --exports names an exports file).")
        Path dir;

        @Option(names = "--exports", paramLabel = "<file>",
                description = "Read the exports and their client rules from an exports(5)-style file; the "
                        + "exports appear at their paths under the NFSv4 pseudo-root. Default: "
                        + "/etc/jnfsd/exports when it exists and no <dir> is given.")
        Path exportsFile;

        /** The exports file used when neither <dir> nor --exports is given and it exists. */
        static final Path DEFAULT_EXPORTS = Path.of("/etc/jnfsd/exports");

        /** {@link #DEFAULT_EXPORTS}, replaced by tests. */
        Path defaultExports = DEFAULT_EXPORTS;

        /** --exports, else the default exports file when it exists and nothing else says what to export. */
        Path exportsFileToUse() {
            if (exportsFile != null || dir != null || backend == Backend.memory) {
                return exportsFile;
            }
            return Files.isRegularFile(defaultExports) ? defaultExports : null;
        }

        @Option(names = "--port", defaultValue = "2049", description = "TCP port (default: ${DEFAULT-VALUE}; 0 picks a free one).")
        int port;

        @Option(names = "--bind", defaultValue = "127.0.0.1",
                description = "Address to listen on (default: ${DEFAULT-VALUE}: local clients only; 0.0.0.0 for all).")
        String bind;

        @Option(names = "--backend", defaultValue = "local",
                description = "Storage: local (the directory) or memory (a scratch in-memory file system; <dir> is ignored). Default: ${DEFAULT-VALUE}.")
        Backend backend;

        @Option(names = "--read-only", description = "Export read-only.")
        boolean readOnly;

        @Option(names = "--root-squash", description = "Map uid 0 to the anonymous user 65534 (the default).")
        boolean rootSquash;

        @Option(names = "--no-root-squash", description = "Keep uid 0 as root on <dir>.")
        boolean noRootSquash;

        @Option(names = "--clients", paramLabel = "<clients>", defaultValue = "127.0.0.1",
                description = "Who may use <dir>: clients as an exports file names them (a host, an address, a "
                        + "network, a name wildcard, * for everyone), separated by commas. Default: ${DEFAULT-VALUE}.")
        String clients;

        @Option(names = "--lease", defaultValue = "90", description = "Lease time in seconds (default: ${DEFAULT-VALUE}).")
        int leaseSeconds;

        @Option(names = "--grace", description = "Grace period after a restart, in seconds (default: the lease time).")
        Integer graceSeconds;

        @Option(names = "--state-dir", paramLabel = "<state-dir>",
                description = "Directory for the recovery store (clients that may reclaim after a restart), locked "
                        + "while the server runs. Default: <base>/<hash of the exported directory>, <base> being "
                        + "$STATE_DIRECTORY (systemd), else /var/lib/jnfsd when writable, else $XDG_STATE_HOME/jnfsd "
                        + "($XDG_STATE_HOME defaulting to ~/.local/state). Not used with --backend memory.")
        Path stateDir;

        @Option(names = "--max-courtesy-clients", defaultValue = "1024",
                description = "Most clients whose lease lapsed that keep their state until another client conflicts with it; the oldest beyond are expired (default: ${DEFAULT-VALUE}).")
        int maxCourtesyClients;

        @Option(names = "--max-courtesy-hours", defaultValue = "24",
                description = "Hours a client whose lease lapsed keeps its state at most (default: ${DEFAULT-VALUE}).")
        int maxCourtesyHours;

        @Option(names = "--no-delegations",
                description = "Grant no delegations on this export (clients then ask the server for every open and revalidate their caches).")
        boolean noDelegations;

        @Option(names = "--max-delegations", defaultValue = "" + ServerConfig.DEFAULT_MAX_DELEGATIONS,
                description = "Most delegations (read and write) granted at once, server-wide; near it clients are asked to "
                        + "return some (CB_RECALL_ANY); 0 grants none (default: ${DEFAULT-VALUE}).")
        int maxDelegations;

        @Option(names = "--no-write-delegations",
                description = "Offer read delegations only: OPEN for write never gets a write delegation.")
        boolean noWriteDelegations;

        @Option(names = "--async-copy-threshold", defaultValue = "16777216",
                description = "A COPY of more bytes runs asynchronously, answered by CB_OFFLOAD, when the client allows it and its callback channel is up (default: ${DEFAULT-VALUE}).")
        long asyncCopyThreshold;

        @Option(names = "--max-async-copies-per-client", defaultValue = "4",
                description = "Most asynchronous copies running at once for one client; beyond it COPY answers NFS4ERR_DELAY (default: ${DEFAULT-VALUE}).")
        int maxAsyncCopiesPerClient;

        @Option(names = "--max-async-copies", defaultValue = "64",
                description = "Most asynchronous copies running at once on the server; beyond it COPY answers NFS4ERR_DELAY (default: ${DEFAULT-VALUE}).")
        int maxAsyncCopies;

        @Option(names = "--allow-fault-injection",
                description = "Let jnfsd inject (from this machine) recall or revoke delegations, delay callbacks and drop "
                        + "back channels, for tests and drills. Off by default.")
        boolean allowFaultInjection;

        @Mixin
        LimitOptions limits;

        @Mixin
        CallbackOptions callbacks;

        @Option(names = "--versions", paramLabel = "<4.x,...>", defaultValue = "4.0,4.1,4.2",
                description = "NFSv4 minor versions to serve, comma-separated; a COMPOUND of another is answered "
                        + "NFS4ERR_MINOR_VERS_MISMATCH and logged once per client (default: ${DEFAULT-VALUE}).")
        String versions;

        @Option(names = "--callback-addresses", paramLabel = "<cidr,...>", defaultValue = "",
                description = "Where NFSv4.0 callback connections may be opened: addresses and CIDR networks, "
                        + "comma-separated (e.g. 10.77.0.0/24); a SETCLIENTID naming any other address gets no "
                        + "callback path (logged). Default: only the address the client connects from.")
        String callbackAddresses;

        @Option(names = "--metrics", paramLabel = "<addr:port>",
                description = "Serve Prometheus metrics at http://<addr:port>/metrics (e.g. 127.0.0.1:9587; a bare port "
                        + "means loopback). Off by default.")
        String metrics;

        @Option(names = "--log-file", paramLabel = "<file>",
                description = "Append the log to this file instead of stderr (default: stderr, which systemd sends to the journal).")
        Path logFile;

        @Option(names = "--log-level", paramLabel = "<[logger=]level>",
                description = "TRACE, DEBUG, INFO, WARN or ERROR (default: $JNFSD_LOG_LEVEL, else INFO); "
                        + "logger=level sets one logger and those below it (org.jnfsd.core.callback=DEBUG). Repeatable.")
        List<String> logLevels = List.of();

        @Mixin
        ClusterOptions cluster;

        @Option(names = "--service-address", paramLabel = "<addr>",
                description = "With --cluster: the service's (floating) address; this node listens on it, at --port, "
                        + "only while it serves the service.")
        String serviceAddress;

        @Option(names = "--service-address-hook", paramLabel = "<program>",
                description = "With --cluster: run '<program> up ADDR' before binding the service address and "
                        + "'<program> down ADDR' once this node stopped serving it (e.g. ip addr replace / del). "
                        + "Default: none (the address is managed elsewhere).")
        Path serviceAddressHook;

        @Option(names = "--failover", defaultValue = "manual",
                description = "With --cluster: auto (take the service over as soon as its owner's lease lapsed) or "
                        + "manual (only once jnfsd takeover names this node). Default: ${DEFAULT-VALUE}.")
        Failover failover;

        @Option(names = "--server-scope", paramLabel = "<name>",
                description = "The server owner and scope told to clients (RFC 8881 §2.10.5); every node of a cluster "
                        + "must tell the same, so that clients take them for one server. Default: this host's name; "
                        + "with --cluster: jnfsd/<service>.")
        String serverScope;

        @Spec
        CommandSpec spec;

        @Override
        public Integer call() throws Exception {
            try {
                if (cluster.any() || serviceAddress != null) {
                    return serveCluster();
                }
                return serve();
            } catch (DaemonException e) {
                spec.commandLine().getErr().println("jnfsd: " + e.getMessage());
                spec.commandLine().getErr().flush();
                return 1;
            }
        }

        private int serve() throws Exception {
            try {
                minorVersions(versions);
                CallbackAddressPolicy.parse(callbackAddresses);
            } catch (IllegalArgumentException e) {
                throw new DaemonException(e.getMessage());
            }
            for (String logLevel : logLevels) {
                Logging.level(logLevel);
            }
            if (logFile != null) {
                Logging.toFile(logFile);
            }
            ExportsFileLoader loader = null;
            exportsFile = exportsFileToUse();
            if (exportsFile != null) {
                if (dir != null || readOnly || rootSquash || noRootSquash || !"127.0.0.1".equals(clients)
                        || backend == Backend.memory) {
                    throw new DaemonException("--exports takes the exports and their options from the file: "
                            + "give no <dir>, --read-only, --root-squash, --no-root-squash, --clients or --backend "
                            + "memory with it");
                }
                loader = ExportsFileLoader.open(exportsFile, !noDelegations, org.jnfsd.core.fs.HostResolver.SYSTEM);
                // the recovery store's default place follows the first export, as it followed <dir>
                dir = Path.of(loader.table().all().getFirst().path());
            } else if (dir == null && backend != Backend.memory) {
                throw new DaemonException("no directory to export: give <dir> or --exports <file> (or write "
                        + DEFAULT_EXPORTS + ")");
            }
            VirtualFileSystem fs = null;
            if (loader != null) {
                // the loader opened every export's directory
            } else if (backend == Backend.memory) {
                fs = new MemoryFileSystem(Clock.systemUTC());
            } else {
                if (!Files.isDirectory(dir)) {
                    spec.commandLine().getErr().println("jnfsd: " + dir + " is not a directory");
                    return 2;
                }
                fs = new LocalFileSystem(dir.toAbsolutePath().normalize(), Clock.systemUTC());
            }
            List<Export> exports = loader != null ? loader.table().all()
                    : List.of(new Export(1, "/", fs, dirRules(), !noDelegations));
            String exportClients = loader != null ? ExportsFileLoader.describe(loader.table())
                    : String.join(" ", exports.getFirst().rules().stream().map(Object::toString).toList());
            StateDirectory state = null;
            RecoveryStore recovery;
            // handles sealed with a key kept beside the recovery store survive a restart
            HandleKey handleKey = HandleKey.processKey();
            if (backend == Backend.memory) {
                // the files do not survive a restart, so neither may the state on them
                recovery = new InMemoryRecoveryStore();
            } else {
                Path where = stateDir != null ? stateDir.toAbsolutePath().normalize()
                        : StateDirectory.defaultFor(dir.toAbsolutePath().normalize(), System.getenv(),
                                StateDirectory.SYSTEM_BASE, System.getProperty("user.home"));
                // held until the server and its store are closed: one daemon per recovery store
                state = StateDirectory.lock(where);
                log.info("jnfsd: recovery store in {}", where);
                recovery = SqliteRecoveryStore.open(where);
                handleKey = HandleKey.loadOrCreate(where);
            }
            InetAddress address = InetAddress.getByName(bind);
            InetSocketAddress metricsAddress;
            try {
                metricsAddress = metrics == null ? null : MetricsEndpoint.parse(metrics);
            } catch (IllegalArgumentException e) {
                throw new DaemonException(e.getMessage());
            }
            PrometheusMeterRegistry registry = metricsAddress == null ? null : MetricsEndpoint.registry();
            JnfsdServer.Builder builder = JnfsdServer.builder();
            exports.forEach(builder::export);
            JnfsdServer server = builder
                    .meterRegistry(registry)
                    .config(config(handleKey))
                    .bindAddress(address)
                    .port(port)
                    .recoveryStore(recovery)
                    .allowFaultInjection(allowFaultInjection)
                    .build();
            // SIGTERM and SIGINT end the wait below; the server then closes in order and the
            // process exits 0 (a shutdown hook would make the JVM exit 143 instead)
            CountDownLatch stop = new CountDownLatch(1);
            for (String sig : new String[] {"TERM", "INT"}) {
                Signal.handle(new Signal(sig), s -> {
                    log.info("jnfsd: SIG{} received, shutting down", s.getName());
                    stop.countDown();
                });
            }
            // systemctl reload: SIGHUP must never stop the server (the JVM's default would)
            ExportsFileLoader reloads = loader;
            Signal.handle(new Signal("HUP"), s -> {
                if (exportsFile == null) {
                    log.info("jnfsd: SIGHUP received: nothing to re-read (the export and its options come from the "
                            + "command line)");
                    return;
                }
                reloadExports(server, reloads);
            });
            if (exportsFile != null) {
                server.context().exportsReloader(() -> {
                    try {
                        return reloadExportsOrThrow(server, reloads);
                    } catch (DaemonException e) {
                        log.error("jnfsd: exportfs -r: exports not changed: {}", e.getMessage());
                        throw e;
                    }
                });
            }
            // the server first, then the store it writes to, then the state directory's lock,
            // however start or the wait ends
            try (StateDirectory held = state; recovery; ExportsFileLoader retired = loader; server) {
                InetSocketAddress bound;
                try {
                    bound = server.start();
                } catch (IOException e) {
                    throw new DaemonException("cannot listen on " + address.getHostAddress() + ":" + port + ": "
                            + rootMessage(e));
                }
                try (MetricsEndpoint endpoint = metricsAddress == null ? null : startMetrics(registry, metricsAddress)) {
                    log.info("jnfsd ready: exporting {} on {}:{} ({}, {}{}){}",
                            loader != null ? "under the pseudo-root" : (backend == Backend.memory ? "memory"
                                    : dir.toAbsolutePath().normalize()) + " as /",
                            bound.getAddress().getHostAddress(), bound.getPort(),
                            String.join(", ", minorVersions(versions).stream().map(v -> "NFSv4." + v).toList()),
                            "clients " + exportClients,
                            noDelegations || maxDelegations == 0 ? ", no delegations" : "",
                            endpoint == null ? "" : "; metrics on http://" + endpoint.address().getAddress().getHostAddress()
                                    + ":" + endpoint.address().getPort() + "/metrics");
                    if (allowFaultInjection) {
                        log.warn("jnfsd: fault injection allowed (--allow-fault-injection): jnfsd inject may recall and "
                                + "revoke delegations, delay callbacks and drop back channels");
                    }
                    SdNotify.ready();
                    stop.await();
                    SdNotify.stopping();
                }
            }
            return 0;
        }

        /**
         * Cluster mode: {@code <dir>} served on {@code --service-address} while this node owns the
         * service ({@link ClusterServe}), the recovery store and the handle key in the cluster
         * database instead of a state directory.
         */
        private int serveCluster() throws Exception {
            cluster.check();
            if (serviceAddress == null) {
                throw new DaemonException("a cluster node needs --service-address: the address it serves on");
            }
            CommandLine.ParseResult given = spec.commandLine().getParseResult();
            for (String single : new String[] {"--exports", "--state-dir", "--bind", "--metrics"}) {
                if (given != null && given.hasMatchedOption(single)) {
                    throw new DaemonException(single + " is not for a cluster node: it serves <dir> on --service-address, "
                            + "with its recovery store in --cluster");
                }
            }
            if (backend == Backend.memory) {
                throw new DaemonException("--backend memory is not for a cluster node: its files would not fail over");
            }
            if (port == 0) {
                throw new DaemonException("--port 0: the nodes of a cluster must listen on one known port");
            }
            if (dir == null) {
                throw new DaemonException("no directory to export: a cluster node serves <dir>, shared by every node");
            }
            for (String logLevel : logLevels) {
                Logging.level(logLevel);
            }
            if (logFile != null) {
                Logging.toFile(logFile);
            }
            try {
                minorVersions(versions);
            } catch (IllegalArgumentException e) {
                throw new DaemonException(e.getMessage());
            }
            Path root = dir.toAbsolutePath().normalize();
            if (!Files.isDirectory(root)) {
                throw new DaemonException(root + " is not a directory");
            }
            if (serviceAddressHook != null && !Files.isExecutable(serviceAddressHook)) {
                throw new DaemonException("--service-address-hook " + serviceAddressHook + ": not an executable program");
            }
            InetAddress address = InetAddress.getByName(serviceAddress);
            List<org.jnfsd.core.fs.ClientRule> rules = dirRules();
            ClusterNode.Mode mode = failover == Failover.auto ? ClusterNode.Mode.AUTO : ClusterNode.Mode.MANUAL;
            ClusterDatabase db = cluster.open();
            HandleKey key;
            try {
                key = ClusterSecrets.handleKey(db);
            } catch (ClusterException e) {
                db.close();
                throw new DaemonException(e.getMessage());
            }
            ServerConfig config = config(key);
            CountDownLatch stop = new CountDownLatch(1);
            for (String sig : new String[] {"TERM", "INT"}) {
                Signal.handle(new Signal(sig), s -> {
                    log.info("jnfsd: SIG{} received, shutting down", s.getName());
                    stop.countDown();
                });
            }
            Signal.handle(new Signal("HUP"), s -> log.info("jnfsd: SIGHUP received: nothing to re-read"));
            // a fresh file system per serving spell: closing a server closes its exports' file systems
            AddressHook hook = serviceAddressHook == null ? null : new AddressHook(serviceAddressHook, serviceAddress);
            try (ClusterServe node = ClusterServe.start(db, cluster.nodeId, cluster.service, mode, cluster.lease(), hook,
                    store -> JnfsdServer.builder()
                            .export(new Export(1, "/", new LocalFileSystem(root, Clock.systemUTC()), rules, !noDelegations))
                            .config(config)
                            .bindAddress(address)
                            .port(port)
                            .recoveryStore(store)
                            .allowFaultInjection(allowFaultInjection)
                            .build())) {
                log.info("jnfsd ready: node {} of the cluster, {} service {} ({} as /, on {}:{} while serving; failover {}, "
                        + "lease {} s, server scope {})", cluster.nodeId, node.state().name().toLowerCase(Locale.ROOT),
                        cluster.service, root, address.getHostAddress(), port, failover, cluster.leaseSeconds,
                        config.serverName());
                SdNotify.ready();
                stop.await();
                SdNotify.stopping();
            }
            return 0;
        }

        /** --server-scope, else for a cluster node one name for every node of its service. */
        String serverName() {
            if (serverScope != null) {
                return serverScope;
            }
            return cluster != null && cluster.any() ? "jnfsd/" + cluster.service : null;
        }

        private static MetricsEndpoint startMetrics(PrometheusMeterRegistry registry, InetSocketAddress where)
                throws DaemonException {
            try {
                return MetricsEndpoint.start(registry, where);
            } catch (IOException e) {
                throw new DaemonException("cannot serve metrics on " + where.getHostString() + ":" + where.getPort()
                        + ": " + rootMessage(e));
            }
        }

        private static String rootMessage(Throwable e) {
            Throwable t = e;
            while (t.getCause() != null) {
                t = t.getCause();
            }
            return t.getMessage() != null ? t.getMessage() : t.toString();
        }

        /** The export the options describe, over {@code fs}. */
        /** SIGHUP with --exports: re-reads the file; on any error nothing changes and the error is logged. */
        private void reloadExports(JnfsdServer server, ExportsFileLoader loader) {
            try {
                log.info("jnfsd: SIGHUP: {}", reloadExportsOrThrow(server, loader));
            } catch (DaemonException e) {
                log.error("jnfsd: SIGHUP: exports not changed: {}", e.getMessage());
            }
        }

        /** Re-reads --exports and puts its rules in force; the outcome line, or why nothing changed. */
        private String reloadExportsOrThrow(JnfsdServer server, ExportsFileLoader loader) throws DaemonException {
            org.jnfsd.core.fs.ExportTable next = loader.reload(server.context()::replaceExports);
            return "exports re-read from " + exportsFile + ": " + ExportsFileLoader.describe(next);
        }

        /** The export of {@code <dir>} as "/": --clients with rw or ro and root_squash unless --no-root-squash. */
        Export export(VirtualFileSystem fs) {
            try {
                return new Export(1, "/", fs, dirRules(), !noDelegations);
            } catch (DaemonException e) {
                throw new IllegalArgumentException(e.getMessage(), e);
            }
        }

        /** The client rules of {@code <dir>}: each of --clients with the options the flags give. */
        List<org.jnfsd.core.fs.ClientRule> dirRules() throws DaemonException {
            if (rootSquash && noRootSquash) {
                throw new DaemonException("--root-squash and --no-root-squash contradict each other");
            }
            String options = (readOnly ? "ro" : "rw") + "," + (noRootSquash ? "no_root_squash" : "root_squash");
            List<String> specs = java.util.Arrays.stream(clients.split(",")).map(String::strip)
                    .filter(s -> !s.isEmpty()).toList();
            if (specs.isEmpty()) {
                throw new DaemonException("--clients names no client");
            }
            for (String spec : specs) {
                if (spec.contains("(") || spec.contains(" ")) {
                    throw new DaemonException("--clients " + spec + ": a client, without options (those come from "
                            + "--read-only and --no-root-squash)");
                }
            }
            String line = "/ " + String.join(" ", specs.stream().map(s -> s + "(" + options + ")").toList()) + "\n";
            try {
                return org.jnfsd.core.fs.ExportsFile.parse(line, "--clients").getFirst().rules();
            } catch (org.jnfsd.core.fs.ExportsSyntaxException e) {
                throw new DaemonException("--clients " + clients + ": " + e.getMessage()
                        .replaceFirst("^--clients:\\d+:\\d+: ", ""));
            }
        }

        /**
         * The minor versions of {@code --versions}: "4.0,4.2" is {0, 2}.
         *
         * @throws IllegalArgumentException for anything but a non-empty list of 4.0, 4.1, 4.2
         */
        static java.util.Set<Integer> minorVersions(String list) {
            java.util.Set<Integer> out = new java.util.TreeSet<>();
            for (String v : list.split(",", -1)) {
                String t = v.strip();
                int minor = switch (t) {
                    case "4.0" -> 0;
                    case "4.1" -> 1;
                    case "4.2" -> 2;
                    default -> throw new IllegalArgumentException("--versions " + list + ": '" + t
                            + "' is not one of 4.0, 4.1, 4.2");
                };
                out.add(minor);
            }
            return out;
        }

        /** The server settings the options describe. */
        ServerConfig config() {
            return config(HandleKey.processKey());
        }

        /** As above, sealing file handles with {@code handleKey}. */
        ServerConfig config(HandleKey handleKey) {
            ServerConfig.Builder config = ServerConfig.builder()
                    .handleKey(handleKey)
                    .leaseTime(Duration.ofSeconds(leaseSeconds))
                    .maxCourtesyClients(maxCourtesyClients)
                    .maxCourtesyTime(Duration.ofHours(maxCourtesyHours))
                    .maxDelegations(maxDelegations)
                    .writeDelegations(!noWriteDelegations)
                    .asyncCopyThreshold(asyncCopyThreshold)
                    .maxAsyncCopiesPerClient(maxAsyncCopiesPerClient)
                    .maxAsyncCopies(maxAsyncCopies)
                    .minorVersions(minorVersions(versions))
                    .callbackAddresses(CallbackAddressPolicy.parse(callbackAddresses))
                    .serverName(serverName());
            if (graceSeconds != null) {
                config.graceTime(Duration.ofSeconds(graceSeconds));
            }
            limits.applyTo(config);
            callbacks.applyTo(config);
            return config.build();
        }
    }
}
