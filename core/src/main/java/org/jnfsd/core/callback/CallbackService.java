package org.jnfsd.core.callback;

import com.google.errorprone.annotations.concurrent.GuardedBy;
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
 * (CREATE_SESSION with CONN_BACK_CHAN, BIND_CONN_TO_SESSION for the back channel), and
 * SETCLIENTID_CONFIRM calls {@link #v40CallbackConfirmed} for a 4.0 client's callback (a
 * connection this service's {@code RpcClient} dials, within {@link CallbackAddressPolicy}); client teardown
 * calls {@link #killAsync} ("kill callback channel / drain / wait") before dropping the client's
 * tables. Thread-safe: {@link #channels} is a concurrent map; a killed channel is removed and a
 * later bind for that client (a new client record) gets a fresh one.
 */
public final class CallbackService {
    private static final org.slf4j.Logger log = org.slf4j.LoggerFactory.getLogger(CallbackService.class);
    private final Executor executor;
    private final CallbackScheduler scheduler;
    private final Clock clock;
    private final CallbackChannel.Settings settings;
    private final Map<ClientId, CallbackChannel> channels = new ConcurrentHashMap<>();
    private volatile CallbackAddressPolicy addressPolicy = CallbackAddressPolicy.CLIENT_ONLY;
    private final Object dialerLock = new Object();
    /** Made on the first 4.0 callback path, closed by close(); null after close. */
    @GuardedBy("dialerLock")
    private org.jnfsd.rpc.RpcClient dialer;
    @GuardedBy("dialerLock")
    private boolean closed;

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

    /**
     * Where 4.0 callback connections may go ({@code --callback-addresses}); default the client's
     * own address.
     */
    public void addressPolicy(CallbackAddressPolicy policy) {
        this.addressPolicy = java.util.Objects.requireNonNull(policy, "policy");
    }

    /**
     * A 4.0 client's callback was confirmed (SETCLIENTID_CONFIRM of a new record or of a callback
     * update): its channel dials {@code callback}'s address from now on and probes it with CB_NULL.
     * An address the policy refuses, a netid other than tcp/tcp6 or a malformed universal address
     * is logged (one WARN line naming the client, the address and why) and leaves the channel DOWN
     * with no path: nothing is ever dialled there.
     *
     * @param source the address the client's request came from
     */
    public void v40CallbackConfirmed(ClientRecord client, org.jnfsd.protocol.nfs4.v40.CallbackClient callback,
            int callbackIdent, java.net.InetAddress source) {
        CallbackChannel ch = channelFor(client);
        String netid = callback.location().netid();
        String uaddr = callback.location().uaddr();
        java.net.InetSocketAddress target;
        String refusal;
        try {
            target = V40CallbackAddress.parse(netid, uaddr);
            refusal = addressPolicy.refusal(target, source);
        } catch (IllegalArgumentException e) {
            target = null;
            refusal = e.getMessage();
        }
        org.jnfsd.rpc.RpcClient rpc = refusal == null ? dialer() : null;
        if (refusal == null && rpc == null) {
            refusal = "server closing";
        }
        if (refusal != null) {
            org.jnfsd.rpc.PeerLog.warn(log, "v40-callback-refused",
                    "client {} {}: callback {} {} not used ({}); callback path DOWN, no delegations",
                    client.id().hex(), client.info(), netid, uaddr, refusal);
            ch.pathRefused("callback address refused: " + refusal);
            return;
        }
        log.debug("client {}: 4.0 callback at {} program {}", client.id().hex(), target,
                Integer.toUnsignedString(callback.program()));
        CallbackTransport transport = new V40CallbackTransport(rpc, target, callback.program(),
                settings.callTimeout(), ch::connectionLost);
        ch.pathBound(CallbackPath.v40(callbackIdent,
                new DelayingCallbackTransport(transport, () -> injectedDelay, scheduler)));
    }

    private org.jnfsd.rpc.RpcClient dialer() {
        synchronized (dialerLock) {
            if (closed) {
                return null;
            }
            if (dialer == null) {
                dialer = org.jnfsd.rpc.RpcClient.builder().connectTimeout(settings.callTimeout()).build();
            }
            return dialer;
        }
    }

    /**
     * Closes the connections 4.0 callbacks opened and their event loop; after server shutdown killed
     * every channel. Blocks (bounded by the RPC client's shutdown timeout). Idempotent.
     */
    public void close() {
        org.jnfsd.rpc.RpcClient d;
        synchronized (dialerLock) {
            closed = true;
            d = dialer;
            dialer = null;
        }
        if (d != null) {
            d.close();
        }
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
