package org.jnfsd.core.callback;

import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executor;
import org.jnfsd.core.session.ClientId;
import org.jnfsd.core.session.ClientRecord;
import org.jnfsd.core.session.Session;
import org.jnfsd.rpc.RpcConnection;

/**
 * The server's callback channels, one per client, created on first use. Operations call
 * {@link #backChannelBound} when a connection starts carrying a session's back channel
 * (CREATE_SESSION with CONN_BACK_CHAN, BIND_CONN_TO_SESSION for the back channel); client teardown
 * calls {@link #killAsync} ("kill callback channel / drain / wait") before dropping the client's
 * tables. Thread-safe: {@link #channels} is a concurrent map; a killed channel is removed and a
 * later bind for that client (a new client record) gets a fresh one.
 */
public final class CallbackService {
    private final Executor executor;
    private final CallbackScheduler scheduler;
    private final Clock clock;
    private final CallbackChannel.Settings settings;
    private final Map<ClientId, CallbackChannel> channels = new ConcurrentHashMap<>();

    /**
     * @param executor runs the per-client ordered queues (virtual threads in production)
     */
    private volatile Duration injectedDelay = Duration.ZERO;

    public CallbackService(Executor executor, CallbackScheduler scheduler, Clock clock, CallbackChannel.Settings settings) {
        this.executor = executor;
        this.scheduler = scheduler;
        this.clock = clock;
        this.settings = settings;
    }

    /**
     * Fault injection ({@code jnfsd inject callback-delay}): every callback call sent from now on
     * leaves {@code delay} late (zero: at once again). Only the admin program, when the server
     * allows fault injection, calls it.
     */
    public void injectDelay(Duration delay) {
        this.injectedDelay = delay.isNegative() ? Duration.ZERO : delay;
    }

    /** The delay {@link #injectDelay} set. */
    public Duration injectedDelay() {
        return injectedDelay;
    }

    /** The timeouts and retries of every channel made here ({@code ServerConfig}'s callback settings). */
    public CallbackChannel.Settings settings() {
        return settings;
    }

    /** The client's channel, created (UNKNOWN, no path) if it has none; its flags feed SEQUENCE. */
    public CallbackChannel channelFor(ClientRecord client) {
        return channels.computeIfAbsent(client.id(), id -> {
            CallbackChannel ch = new CallbackChannel(client.toString(), executor, scheduler, clock, settings);
            client.setCallbackStatusFlags(ch::statusFlags);
            return ch;
        });
    }

    /** The client's channel if it has one. */
    public CallbackChannel channel(ClientId id) {
        return channels.get(id);
    }

    /**
     * {@code conn} now carries {@code session}'s back channel: use that session's backchannel and
     * probe it; when the connection closes, tell the channel (which re-probes or goes DOWN).
     */
    public void backChannelBound(Session session, RpcConnection conn, int minorVersion) {
        CallbackChannel ch = channelFor(session.client());
        CallbackPath path = RpcCallbackTransport.pathOf(session, minorVersion, settings.callTimeout());
        ch.pathBound(new CallbackPath(path.sessionId(), path.slots(), path.minorVersion(),
                new DelayingCallbackTransport(path.transport(), () -> injectedDelay, scheduler), path.hasConnection()));
        if (conn != null) {
            conn.onClose(ch::connectionLost);
        }
    }

    /**
     * Client teardown's callback step: kills the client's channel, cancels its calls, drains its
     * queue and waits (at most {@code bound}) for its callbacks in flight; see
     * {@link CallbackChannel#shutdownAsync}. Completes at once if the client never had a channel.
     */
    public CompletionStage<TeardownReport> killAsync(ClientId id, Duration bound) {
        CallbackChannel ch = channels.remove(id);
        if (ch == null) {
            return CompletableFuture.completedStage(new TeardownReport(0, List.of()));
        }
        return ch.shutdownAsync(bound);
    }

    /** Callbacks in flight over every client's channel (a gauge; a moment's sum, not atomic). */
    public int inFlightTotal() {
        int n = 0;
        for (CallbackChannel ch : channels.values()) {
            n += ch.inFlight();
        }
        return n;
    }

    /** Server shutdown: every client's channel, in parallel, each bounded. */
    public CompletionStage<List<TeardownReport>> killAllAsync(Duration bound) {
        List<CompletableFuture<TeardownReport>> all = new ArrayList<>();
        for (ClientId id : List.copyOf(channels.keySet())) {
            all.add(killAsync(id, bound).toCompletableFuture());
        }
        return CompletableFuture.allOf(all.toArray(CompletableFuture[]::new))
                .thenApply(v -> all.stream().map(CompletableFuture::join).toList());
    }
}
