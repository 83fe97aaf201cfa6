package org.jnfsd.server.admin;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.jnfsd.protocol.xdr.XdrDecoder;
import org.jnfsd.rpc.Credential;
import org.jnfsd.rpc.RpcClient;
import org.jnfsd.rpc.RpcConnection;
import org.jnfsd.rpc.RpcReply;

/** Reads a running server's counters through {@link AdminProgram} (what {@code jnfsd stats} does). */
public final class AdminClient {
    private static final Duration TIMEOUT = Duration.ofSeconds(10);

    private AdminClient() {}

    /** The counters of the server at {@code server}, by name in the server's order. */
    public static Map<String, Long> stats(InetSocketAddress server) throws IOException {
        try (RpcClient client = RpcClient.create()) {
            RpcConnection conn = client.connect(server, List.of());
            RpcReply reply = conn.callAsync(AdminProgram.PROGRAM, AdminProgram.VERSION, AdminProgram.PROC_STATS,
                    Credential.AuthNone.INSTANCE, args -> {}, TIMEOUT).toCompletableFuture()
                    .get(TIMEOUT.toMillis() + 1000, TimeUnit.MILLISECONDS);
            if (!reply.isSuccess()) {
                throw new IOException("stats refused by " + server + ": " + reply.status() + " " + reply.acceptStat());
            }
            XdrDecoder in = reply.decoder();
            int n = in.readArrayLength(65536, 12);
            Map<String, Long> out = new LinkedHashMap<>();
            for (int i = 0; i < n; i++) {
                out.put(in.readUtf8(256), in.readLong());
            }
            return out;
        } catch (ExecutionException e) {
            throw new IOException("stats from " + server + " failed: " + e.getCause().getMessage(), e.getCause());
        } catch (TimeoutException e) {
            throw new IOException("stats from " + server + " timed out", e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException("interrupted", e);
        }
    }
}
