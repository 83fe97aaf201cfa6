package org.jnfsd.server.admin;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Consumer;
import org.jnfsd.core.lease.ClientAdmin;
import org.jnfsd.core.metrics.OpMetrics;
import org.jnfsd.core.session.ClientInfo;
import org.jnfsd.protocol.xdr.XdrDecoder;
import org.jnfsd.protocol.xdr.XdrEncoder;
import org.jnfsd.rpc.Credential;
import org.jnfsd.rpc.RpcClient;
import org.jnfsd.rpc.RpcConnection;
import org.jnfsd.rpc.RpcReply;

/** Calls a running server's {@link AdminProgram} (what {@code jnfsd stats|clients|states|evict} do). */
public final class AdminClient {
    private static final Duration TIMEOUT = Duration.ofSeconds(30);
    private static final int MAX_ENTRIES = 1 << 20;

    private AdminClient() {}

    /** The counters of the server at {@code server}, by name in the server's order. */
    public static Map<String, Long> stats(InetSocketAddress server) throws IOException {
        return call(server, "stats", AdminProgram.PROC_STATS, args -> {}, in -> {
            int n = in.readArrayLength(65536, 12);
            Map<String, Long> out = new LinkedHashMap<>();
            for (int i = 0; i < n; i++) {
                out.put(in.readUtf8(1024), in.readLong());
            }
            return out;
        });
    }

    /** The per-operation totals of the server at {@code server}, in opcode order. */
    public static List<OpMetrics.OpSummary> ops(InetSocketAddress server) throws IOException {
        return call(server, "ops", AdminProgram.PROC_OPS, args -> {}, in -> {
            int n = in.readArrayLength(4096, 28);
            List<OpMetrics.OpSummary> out = new ArrayList<>(n);
            for (int i = 0; i < n; i++) {
                out.add(new OpMetrics.OpSummary(in.readUtf8(64), in.readLong(), in.readLong(), in.readLong()));
            }
            return out;
        });
    }

    /** Every client of the server at {@code server}. */
    public static List<ClientAdmin.Summary> clients(InetSocketAddress server) throws IOException {
        return call(server, "clients", AdminProgram.PROC_CLIENTS, args -> {}, in -> {
            int n = in.readArrayLength(MAX_ENTRIES, 48);
            List<ClientAdmin.Summary> out = new ArrayList<>(n);
            for (int i = 0; i < n; i++) {
                long id = in.readLong();
                String state = in.readUtf8(64);
                ClientInfo info = new ClientInfo(in.readUtf8(256), in.readInt(), in.readUtf8(4096), in.readUtf8(4096));
                out.add(new ClientAdmin.Summary(id, state, info, in.readLong(), in.readInt(), in.readUtf8(64),
                        in.readInt(), in.readInt(), in.readInt()));
            }
            return out;
        });
    }

    /** Evicts client {@code clientId} of the server at {@code server}. */
    public static ClientAdmin.Eviction evict(InetSocketAddress server, long clientId) throws IOException {
        return call(server, "evict", AdminProgram.PROC_EVICT, args -> args.writeLong(clientId), in -> {
            int r = in.readInt();
            ClientAdmin.Result[] all = ClientAdmin.Result.values();
            if (r < 0 || r >= all.length) {
                throw new IOException("evict: unknown result " + r);
            }
            return new ClientAdmin.Eviction(all[r], in.readInt(), in.readInt(), in.readInt());
        });
    }

    /** The stateids client {@code clientId} holds on the server at {@code server}; null when it has no such client. */
    public static List<ClientAdmin.StateEntry> states(InetSocketAddress server, long clientId) throws IOException {
        return call(server, "states", AdminProgram.PROC_STATES, args -> args.writeLong(clientId), in -> {
            boolean known = in.readBool();
            int n = in.readArrayLength(MAX_ENTRIES, 16);
            List<ClientAdmin.StateEntry> out = new ArrayList<>(n);
            for (int i = 0; i < n; i++) {
                out.add(new ClientAdmin.StateEntry(in.readUtf8(64), in.readUtf8(256), in.readUtf8(1024),
                        in.readUtf8(8192)));
            }
            return known ? out : null;
        });
    }

    /** Asks the server at {@code server} to inject {@code fault} on {@code target} ({@link FaultInjector}). */
    public static FaultInjector.Outcome inject(InetSocketAddress server, String fault, String target) throws IOException {
        return call(server, "inject", AdminProgram.PROC_INJECT, args -> args.writeUtf8(fault).writeUtf8(target), in -> {
            int r = in.readInt();
            FaultInjector.Result[] all = FaultInjector.Result.values();
            if (r < 0 || r >= all.length) {
                throw new IOException("inject: unknown result " + r);
            }
            return new FaultInjector.Outcome(all[r], in.readInt(), in.readUtf8(4096));
        });
    }

    /** The exports in force at {@code server}, as an exports file with every option explicit. */
    public static String exports(InetSocketAddress server) throws IOException {
        return call(server, "exportfs", AdminProgram.PROC_EXPORTS, args -> { }, in -> in.readUtf8(1 << 20));
    }

    /** Asks {@code server} to re-read its exports file; the outcome line. */
    public static ReloadOutcome reloadExports(InetSocketAddress server) throws IOException {
        return call(server, "exportfs -r", AdminProgram.PROC_EXPORTS_RELOAD, args -> { },
                in -> new ReloadOutcome(in.readBool(), in.readUtf8(1 << 16)));
    }

    /** What {@link #reloadExports} answered: whether the new exports are in force, and why not. */
    public record ReloadOutcome(boolean ok, String message) { }

    private interface ReplyReader<T> {
        T read(XdrDecoder in) throws IOException;
    }

    private static <T> T call(InetSocketAddress server, String what, int proc, Consumer<XdrEncoder> args,
            ReplyReader<T> reader) throws IOException {
        try (RpcClient client = RpcClient.create()) {
            RpcConnection conn = client.connect(server, List.of());
            RpcReply reply = conn.callAsync(AdminProgram.PROGRAM, AdminProgram.VERSION, proc,
                    Credential.AuthNone.INSTANCE, args::accept, TIMEOUT).toCompletableFuture()
                    .get(TIMEOUT.toMillis() + 1000, TimeUnit.MILLISECONDS);
            if (!reply.isSuccess()) {
                throw new IOException(what + " refused by " + server + ": " + reply.status() + " " + reply.acceptStat());
            }
            return reader.read(reply.decoder());
        } catch (ExecutionException e) {
            throw new IOException(what + " from " + server + " failed: " + e.getCause().getMessage(), e.getCause());
        } catch (TimeoutException e) {
            throw new IOException(what + " from " + server + " timed out", e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException("interrupted", e);
        }
    }
}
