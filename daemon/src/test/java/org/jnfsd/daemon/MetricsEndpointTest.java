package org.jnfsd.daemon;

import static org.assertj.core.api.Assertions.assertThat;

import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.netty.buffer.Unpooled;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.jnfsd.client.NfsClient;
import org.jnfsd.core.fs.Export;
import org.jnfsd.protocol.nfs4.CompoundReply;
import org.jnfsd.protocol.nfs4.Fattr4;
import org.jnfsd.protocol.nfs4.NfsStatus;
import org.jnfsd.protocol.nfs4.OpArgs;
import org.jnfsd.protocol.nfs4.Opcode;
import org.jnfsd.protocol.nfs4.StateId;
import org.jnfsd.protocol.nfs4.io.CloseArgs;
import org.jnfsd.protocol.nfs4.io.OpenArgs;
import org.jnfsd.protocol.nfs4.io.OpenClaim;
import org.jnfsd.protocol.nfs4.io.OpenHow;
import org.jnfsd.protocol.nfs4.io.OpenOwner;
import org.jnfsd.protocol.nfs4.io.ReadArgs;
import org.jnfsd.protocol.nfs4.io.ShareAccess;
import org.jnfsd.protocol.nfs4.io.StableHow;
import org.jnfsd.protocol.nfs4.io.WriteArgs;
import org.jnfsd.protocol.nfs4.namespace.LookupArgs;
import org.jnfsd.protocol.nfs4.namespace.VoidArgs;
import org.jnfsd.rpc.Credential;
import org.jnfsd.server.JnfsdServer;
import org.jnfsd.vfs.memory.MemoryFileSystem;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;

/** {@code --metrics}: the Prometheus endpoint over HTTP after real NFS traffic from the Java client. */
class MetricsEndpointTest {
    private static final OpArgs PUTROOTFH = new VoidArgs(Opcode.PUTROOTFH);
    private static final Credential ROOT = new Credential.AuthSys(0, "metrics-test", 0, 0, new int[0]);

    @Test
    void scrape_afterOpenWriteReadAndAMiss_countsLatencyBytesAndErrors() throws Exception {
        PrometheusMeterRegistry registry = MetricsEndpoint.registry();
        try (JnfsdServer server = JnfsdServer.builder()
                        .export(new Export(1, "/", new MemoryFileSystem(Clock.systemUTC(),
                                MemoryFileSystem.Options.DEFAULTS.withRoot(0777, 0, 0))))
                        .port(0).meterRegistry(registry).build()) {
            InetSocketAddress nfs = server.start();
            try (MetricsEndpoint endpoint = MetricsEndpoint.start(registry, new InetSocketAddress("127.0.0.1", 0));
                    NfsClient client = NfsClient.connect(nfs, 1, ROOT)) {
                client.reclaimComplete();
                byte[] data = "twelve bytes".getBytes(StandardCharsets.UTF_8);
                OpenArgs open = new OpenArgs(0, ShareAccess.ACCESS_BOTH, ShareAccess.DENY_NONE,
                        new OpenOwner(client.clientId(), "o1".getBytes(StandardCharsets.UTF_8)),
                        new OpenHow.Unchecked(Fattr4.EMPTY), new OpenClaim.Null("f"));
                assertThat(client.compound(PUTROOTFH, open,
                        new WriteArgs(StateId.CURRENT, 0, StableHow.FILE_SYNC4, Unpooled.wrappedBuffer(data)),
                        new ReadArgs(StateId.CURRENT, 0, 100), new CloseArgs(0, StateId.CURRENT)).status())
                        .isEqualTo(NfsStatus.NFS4_OK);
                CompoundReply miss = client.compound(PUTROOTFH, LookupArgs.of("absent"));
                assertThat(miss.status()).isEqualTo(NfsStatus.NFS4ERR_NOENT);

                String text = get(endpoint.address(), "/metrics", 200);

                assertThat(value(text, "jnfsd_ops_total{op=\"OPEN\",status=\"OK\"}")).isEqualTo(1);
                assertThat(value(text, "jnfsd_ops_total{op=\"WRITE\",status=\"OK\"}")).isEqualTo(1);
                assertThat(value(text, "jnfsd_ops_total{op=\"READ\",status=\"OK\"}")).isEqualTo(1);
                assertThat(value(text, "jnfsd_ops_total{op=\"LOOKUP\",status=\"NOENT\"}")).isEqualTo(1);
                // SEQUENCE of the two COMPOUNDs above and of RECLAIM_COMPLETE's
                assertThat(value(text, "jnfsd_ops_total{op=\"SEQUENCE\",status=\"OK\"}")).isEqualTo(3);
                assertThat(value(text, "jnfsd_op_duration_seconds_count{op=\"READ\"}")).isEqualTo(1);
                assertThat(value(text, "jnfsd_op_duration_seconds_bucket{op=\"READ\",le=\"+Inf\"}")).isEqualTo(1);
                assertThat(value(text, "jnfsd_read_bytes_total")).isEqualTo(data.length);
                assertThat(value(text, "jnfsd_write_bytes_total")).isEqualTo(data.length);
                assertThat(value(text, "jnfsd_connections")).isEqualTo(1);
                assertThat(value(text, "jnfsd_connections_accepted_total")).isEqualTo(1);
                assertThat(value(text, "jnfsd_clients")).isEqualTo(1);
                assertThat(value(text, "jnfsd_callbacks_recall_sent_total")).isZero();
                assertThat(text).contains("jvm_memory_used_bytes{");
                assertThat(value(text, "jnfsd_connections_refused_total{reason=\"CONNECTION_LIMIT\"}")).isZero();
                assertThat(seriesOf(text)).as("every series the shipped Grafana dashboard queries")
                        .containsAll(dashboardSeries());
                get(endpoint.address(), "/", 404);
            }
        }
    }

    @Test
    void serve_withoutMetricsOption_endpointOff() {
        Main.Serve serve = new Main.Serve();
        new CommandLine(serve).parseArgs("/srv/a");
        assertThat(serve.metrics).isNull();
    }

    @Test
    void parse_barePortIsLoopback_andJunkIsOneLine() {
        assertThat(MetricsEndpoint.parse("9587")).isEqualTo(new InetSocketAddress("127.0.0.1", 9587));
        assertThat(MetricsEndpoint.parse("0.0.0.0:1")).isEqualTo(new InetSocketAddress("0.0.0.0", 1));
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> MetricsEndpoint.parse("host:x"))
                .hasMessage("--metrics host:x: expected ADDR:PORT, e.g. 127.0.0.1:9587");
    }

    private static String get(InetSocketAddress where, String path, int expectStatus) throws IOException, InterruptedException {
        try (HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(10)).build()) {
            HttpResponse<String> r = http.send(HttpRequest.newBuilder(
                    URI.create("http://127.0.0.1:" + where.getPort() + path)).timeout(Duration.ofSeconds(10)).build(),
                    HttpResponse.BodyHandlers.ofString());
            assertThat(r.statusCode()).isEqualTo(expectStatus);
            return r.body();
        }
    }

    /** The metric names the shipped dashboard's queries use ({@code _bucket} read as its histogram). */
    private static Set<String> dashboardSeries() throws IOException {
        String json = Files.readString(Path.of("..", "dist", "src", "grafana", "jnfsd-dashboard.json"));
        Set<String> names = new TreeSet<>();
        Pattern.compile("\\b(jnfsd|jvm)_[a-z_]+").matcher(json).results().forEach(r -> names.add(r.group()));
        assertThat(names).as("dashboard queries").isNotEmpty();
        return names;
    }

    /** Every sample name in a scrape. */
    private static Set<String> seriesOf(String text) {
        Set<String> names = new TreeSet<>();
        Pattern.compile("^([a-z_]+)[{ ]", Pattern.MULTILINE).matcher(text).results().forEach(r -> names.add(r.group(1)));
        return names;
    }

    /** The value of the sample {@code series} (name and labels exactly as exposed). */
    private static double value(String text, String series) {
        Matcher m = Pattern.compile("^" + Pattern.quote(series) + " (\\S+)$", Pattern.MULTILINE).matcher(text);
        List<String> found = m.results().map(r -> r.group(1)).toList();
        assertThat(found).as("sample %s in%n%s", series, text).hasSize(1);
        return Double.parseDouble(found.getFirst());
    }
}
