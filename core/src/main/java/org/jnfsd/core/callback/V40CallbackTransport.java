package org.jnfsd.core.callback;

import com.google.errorprone.annotations.concurrent.GuardedBy;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentHashMap;
import org.jnfsd.protocol.nfs4.callback.CbCompoundArgs;
import org.jnfsd.protocol.nfs4.callback.CbCompoundResult;
import org.jnfsd.rpc.Credential;
import org.jnfsd.rpc.RpcCallException;
import org.jnfsd.rpc.RpcClient;
import org.jnfsd.rpc.RpcConnection;
import org.jnfsd.rpc.RpcReply;

/**
 * NFSv4.0 callbacks over a TCP connection the server opens itself (RFC 7530 §3.3.3, §16.33): to
 * the client's cb_client4 address, program cb_program, version 1. The connection is dialled on the
 * first call (without blocking: {@link RpcClient#connectAsync}) and kept; once it closes, the next
 * call dials again, so a re-probe can bring the channel back. A call never retries: a refused
 * connect or a lost connection fails the calls on it and the channel decides (DOWN, bounded
 * re-probe). {@code onConnectionLost} runs once each time an established connection closes while
 * the transport is open. Thread-safe: {@link #connection} under {@link #lock}; {@link #pending} holds
 * the stages of calls not yet answered so {@link #close} can fail them.
 */
public final class V40CallbackTransport implements CallbackTransport {
    /** Calls sent as the server's machine credential, as knfsd does for 4.0 AUTH_SYS callbacks. */
    static final Credential MACHINE = new Credential.AuthSys(0, "jnfsd", 0, 0, new int[0]);

    private final RpcClient rpc;
    private final InetSocketAddress target;
    private final int program;
    private final Duration timeout;
    private final Runnable onConnectionLost;
    private final Object lock = new Object();
    private final Set<CompletableFuture<?>> pending = ConcurrentHashMap.newKeySet();
    /** The connection dialled or up; null before the first call and once it closed. */
    @GuardedBy("lock")
    private CompletableFuture<RpcConnection> connection;
    @GuardedBy("lock")
    private boolean closed;

    public V40CallbackTransport(RpcClient rpc, InetSocketAddress target, int program, Duration timeout,
            Runnable onConnectionLost) {
        this.rpc = rpc;
        this.target = target;
        this.program = program;
        this.timeout = timeout;
        this.onConnectionLost = onConnectionLost;
    }

    /** Where the calls go. */
    public InetSocketAddress target() {
        return target;
    }

    @Override
    public CompletionStage<Void> nullAsync() {
        return call(org.jnfsd.protocol.nfs4.callback.CallbackProgram.PROC_NULL, null).thenApply(reply -> null);
    }

    @Override
    public CompletionStage<CbCompoundResult> compoundAsync(CbCompoundArgs args) {
        return CallbackCalls.compoundResult(call(org.jnfsd.protocol.nfs4.callback.CallbackProgram.PROC_COMPOUND, args));
    }

    private CompletableFuture<RpcReply> call(int proc, CbCompoundArgs args) {
        CompletableFuture<RpcReply> f = new CompletableFuture<>();
        CompletableFuture<RpcConnection> conn = connected();
        if (conn == null) {
            f.completeExceptionally(CallbackCalls.closed());
            return f;
        }
        pending.add(f);
        f.whenComplete((r, t) -> pending.remove(f));
        conn.whenComplete((c, failure) -> {
            if (failure != null) {
                f.completeExceptionally(failure instanceof CompletionException ce && ce.getCause() != null
                        ? ce.getCause() : failure);
                return;
            }
            CallbackCalls.send(c, program, proc, MACHINE, args, timeout, f);
        });
        synchronized (lock) {
            if (closed) {
                f.completeExceptionally(CallbackCalls.closed());
            }
        }
        return f;
    }

    /** The live connection, or a new dial if there is none; null once closed. */
    private CompletableFuture<RpcConnection> connected() {
        CompletableFuture<RpcConnection> dial;
        synchronized (lock) {
            if (closed) {
                return null;
            }
            CompletableFuture<RpcConnection> c = connection;
            if (c != null && (!c.isDone() || !c.isCompletedExceptionally() && c.join().isOpen())) {
                return c;
            }
            dial = new CompletableFuture<>();
            connection = dial;
        }
        rpc.connectAsync(target, List.of()).whenComplete((conn, failure) -> {
            if (failure != null) {
                forget(dial);
                dial.completeExceptionally(failure);
                return;
            }
            conn.onClose(() -> lost(dial));
            boolean close;
            synchronized (lock) {
                close = closed;
            }
            if (close) {
                conn.close();
            }
            dial.complete(conn);
        });
        return dial;
    }

    private void forget(CompletableFuture<RpcConnection> dial) {
        synchronized (lock) {
            if (connection == dial) {
                connection = null;
            }
        }
    }

    private void lost(CompletableFuture<RpcConnection> dial) {
        boolean tell;
        synchronized (lock) {
            tell = !closed && connection == dial;
            if (connection == dial) {
                connection = null;
            }
        }
        if (tell) {
            onConnectionLost.run();
        }
    }

    /** Fails every pending call, closes the connection; later calls fail at once. Idempotent. */
    @Override
    public void close() {
        CompletableFuture<RpcConnection> c;
        synchronized (lock) {
            closed = true;
            c = connection;
            connection = null;
        }
        for (CompletableFuture<?> f : pending) {
            f.completeExceptionally(new RpcCallException(RpcCallException.Reason.CONNECTION_CLOSED, "callback channel killed"));
        }
        if (c != null) {
            c.thenAccept(RpcConnection::close);
        }
    }

    @Override
    public String toString() {
        return "V40CallbackTransport[" + target + " prog " + Integer.toUnsignedString(program) + "]";
    }
}
