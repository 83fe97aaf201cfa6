package org.jnfsd.daemon;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import io.micrometer.core.instrument.binder.jvm.ClassLoaderMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmGcMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmMemoryMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmThreadMetrics;
import io.micrometer.core.instrument.binder.system.ProcessorMetrics;
import io.micrometer.core.instrument.binder.system.UptimeMetrics;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;

/**
 * The Prometheus endpoint of {@code jnfsd serve --metrics ADDR:PORT}: {@code GET /metrics} answers
 * the registry's text exposition (format 0.0.4), anything else 404. One platform thread serves the
 * scrapes (a scrape is a read of the meters, never blocking the NFS server). Lifecycle: {@link #start}
 * once, {@link #close} idempotent; the registry is the server's, closed by the daemon after it.
 */
final class MetricsEndpoint implements AutoCloseable {
    private final PrometheusMeterRegistry registry;
    private final HttpServer http;
    private final ExecutorService thread;
    private final JvmGcMetrics gc = new JvmGcMetrics();

    private MetricsEndpoint(PrometheusMeterRegistry registry, HttpServer http) {
        this.registry = registry;
        this.http = http;
        this.thread = Executors.newSingleThreadExecutor(r -> {
            Thread t = new Thread(r, "jnfsd-metrics");
            t.setDaemon(true);
            return t;
        });
    }

    /** A Prometheus registry with the JVM's and the process's meters bound. */
    static PrometheusMeterRegistry registry() {
        PrometheusMeterRegistry r = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
        new ClassLoaderMetrics().bindTo(r);
        new JvmMemoryMetrics().bindTo(r);
        new JvmThreadMetrics().bindTo(r);
        new ProcessorMetrics().bindTo(r);
        new UptimeMetrics().bindTo(r);
        return r;
    }

    /** Binds {@code where} and serves {@code registry} on it; the bound address is {@link #address()}. */
    static MetricsEndpoint start(PrometheusMeterRegistry registry, InetSocketAddress where) throws IOException {
        HttpServer http = HttpServer.create(where, 16);
        MetricsEndpoint e = new MetricsEndpoint(registry, http);
        e.gc.bindTo(registry);
        http.createContext("/", e::handle);
        http.setExecutor(e.thread);
        http.start();
        return e;
    }

    InetSocketAddress address() {
        return http.getAddress();
    }

    private void handle(HttpExchange x) throws IOException {
        try (x) {
            if (!x.getRequestURI().getPath().equals("/metrics")
                    || !(x.getRequestMethod().equals("GET") || x.getRequestMethod().equals("HEAD"))) {
                x.sendResponseHeaders(404, -1);
                return;
            }
            byte[] body = registry.scrape().getBytes(StandardCharsets.UTF_8);
            x.getResponseHeaders().set("Content-Type", "text/plain; version=0.0.4; charset=utf-8");
            if (x.getRequestMethod().equals("HEAD")) {
                x.sendResponseHeaders(200, -1);
                return;
            }
            x.sendResponseHeaders(200, body.length);
            try (OutputStream out = x.getResponseBody()) {
                out.write(body);
            }
        }
    }

    /** Parses {@code ADDR:PORT}, {@code PORT} (loopback) or {@code [v6]:PORT}. */
    static InetSocketAddress parse(String spec) {
        int colon = spec.lastIndexOf(':');
        String host = colon < 0 ? "127.0.0.1" : spec.substring(0, colon);
        if (host.startsWith("[") && host.endsWith("]")) {
            host = host.substring(1, host.length() - 1);
        }
        int port;
        try {
            port = Integer.parseInt(spec.substring(colon + 1));
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("--metrics " + spec + ": expected ADDR:PORT, e.g. 127.0.0.1:9587");
        }
        if (port < 0 || port > 65535) {
            throw new IllegalArgumentException("--metrics " + spec + ": port out of range");
        }
        return new InetSocketAddress(host.isEmpty() ? "127.0.0.1" : host, port);
    }

    @Override
    public void close() {
        http.stop(0);
        thread.shutdownNow();
        gc.close();
    }
}
