package org.jnfsd.core.callback;

import java.time.Duration;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentHashMap;
import org.jnfsd.core.session.Session;
import org.jnfsd.protocol.nfs4.callback.CallbackProgram;
import org.jnfsd.protocol.nfs4.callback.CbCompoundArgs;
import org.jnfsd.protocol.nfs4.callback.CbCompoundResult;
import org.jnfsd.protocol.nfs4.session.CallbackSecParms;
import org.jnfsd.rpc.Credential;
import org.jnfsd.rpc.RpcCallException;
import org.jnfsd.rpc.RpcConnection;
import org.jnfsd.rpc.RpcReply;

/**
 * Callbacks over a session's back-channel connections ({@link RpcConnection#callAsync}): program
 * {@link Session#cbProgram()}, version 1, credential from the session's callback security (the
 * first AUTH_SYS or AUTH_NONE entry; RPCSEC_GSS is not supported). Each call takes one open
 * back-channel connection of the session at the time of the call; with none, it fails at once
 * (no reconnect: a 4.1 backchannel is the client's to rebuild). Thread-safe; {@link #pending} holds
 * the stages of calls not yet answered so {@link #close} can fail them.
 */
public final class RpcCallbackTransport implements CallbackTransport {
    private final Session session;
    private final Duration timeout;
    private final Set<CompletableFuture<?>> pending = ConcurrentHashMap.newKeySet();
    private volatile boolean closed;

    public RpcCallbackTransport(Session session, Duration timeout) {
        this.session = session;
        this.timeout = timeout;
    }

    /** The path for {@code session}'s backchannel, for {@link CallbackChannel#pathBound}. */
    public static CallbackPath pathOf(Session session, int minorVersion, Duration timeout) {
        return new CallbackPath(session.id(), Math.max(1, session.backChannel().maxRequests()), minorVersion,
                new RpcCallbackTransport(session, timeout), () -> !session.backChannelConnections().isEmpty());
    }

    @Override
    public CompletionStage<Void> nullAsync() {
        return call(CallbackProgram.PROC_NULL, null).thenApply(reply -> null);
    }

    @Override
    public CompletionStage<CbCompoundResult> compoundAsync(CbCompoundArgs args) {
        return CallbackCalls.compoundResult(call(CallbackProgram.PROC_COMPOUND, args));
    }

    private CompletableFuture<RpcReply> call(int proc, CbCompoundArgs args) {
        CompletableFuture<RpcReply> f = new CompletableFuture<>();
        if (closed) {
            f.completeExceptionally(CallbackCalls.closed());
            return f;
        }
        List<RpcConnection> conns = session.backChannelConnections();
        if (conns.isEmpty()) {
            f.completeExceptionally(new RpcCallException(RpcCallException.Reason.CONNECTION_CLOSED,
                    "no back-channel connection bound to " + session.id()));
            return f;
        }
        Credential cred;
        try {
            cred = credential(session.callbackSecurity());
        } catch (IllegalStateException e) {
            f.completeExceptionally(new RpcCallException(RpcCallException.Reason.SEND_FAILED, e.getMessage(), e));
            return f;
        }
        pending.add(f);
        f.whenComplete((r, t) -> pending.remove(f));
        CallbackCalls.send(conns.get(0), session.cbProgram(), proc, cred, args, timeout, f);
        if (closed) {
            f.completeExceptionally(CallbackCalls.closed());
        }
        return f;
    }

    static Credential credential(List<CallbackSecParms> security) {
        for (CallbackSecParms p : security) {
            if (p instanceof CallbackSecParms.Sys s) {
                return new Credential.AuthSys(s.stamp(), s.machineName(), s.uid(), s.gid(), s.gids());
            }
            if (p instanceof CallbackSecParms.None) {
                return Credential.AuthNone.INSTANCE;
            }
        }
        throw new IllegalStateException("no AUTH_SYS or AUTH_NONE among the callback security flavors " + security);
    }

    @Override
    public void close() {
        closed = true;
        for (CompletableFuture<?> f : pending) {
            f.completeExceptionally(new RpcCallException(RpcCallException.Reason.CONNECTION_CLOSED, "callback channel killed"));
        }
    }
}
