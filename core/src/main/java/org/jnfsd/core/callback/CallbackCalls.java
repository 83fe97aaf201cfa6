package org.jnfsd.core.callback;

import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CompletionStage;
import org.jnfsd.protocol.nfs4.callback.CallbackProgram;
import org.jnfsd.protocol.nfs4.callback.CbCompoundArgs;
import org.jnfsd.protocol.nfs4.callback.CbCompoundResult;
import org.jnfsd.protocol.xdr.XdrException;
import org.jnfsd.rpc.Credential;
import org.jnfsd.rpc.RpcCallException;
import org.jnfsd.rpc.RpcConnection;
import org.jnfsd.rpc.RpcReply;

/**
 * The one RPC call of the callback program that both transports make (4.1 on the client's back
 * channel, 4.0 on a connection the server dialled): send, classify the reply, decode CB_COMPOUND's.
 */
final class CallbackCalls {
    private CallbackCalls() {}

    /**
     * Calls {@code proc} (version 1 of {@code program}) on {@code conn} and completes {@code f} with
     * the accepted reply, or exceptionally with the failure or a not-accepted reply.
     */
    static void send(RpcConnection conn, int program, int proc, Credential cred, CbCompoundArgs args, Duration timeout,
            CompletableFuture<RpcReply> f) {
        conn.callAsync(program, CallbackProgram.VERSION, proc, cred, out -> {
            if (args != null) {
                args.encode(out);
            }
        }, timeout).whenComplete((reply, failure) -> {
            if (failure != null) {
                f.completeExceptionally(failure);
            } else if (!reply.isSuccess()) {
                f.completeExceptionally(new RpcCallException(RpcCallException.Reason.MALFORMED_REPLY,
                        "callback call not accepted: " + reply));
            } else {
                f.complete(reply);
            }
        });
    }

    /** CB_COMPOUND's result from its reply; a reply that does not decode fails as MALFORMED_REPLY. */
    static CompletionStage<CbCompoundResult> compoundResult(CompletionStage<RpcReply> reply) {
        return reply.thenApply(r -> {
            try {
                return CbCompoundResult.decode(r.decoder());
            } catch (XdrException | IndexOutOfBoundsException e) {
                throw new CompletionException(
                        new RpcCallException(RpcCallException.Reason.MALFORMED_REPLY, "bad CB_COMPOUND reply", e));
            }
        });
    }

    /** The failure of a call made after its transport closed. */
    static RpcCallException closed() {
        return new RpcCallException(RpcCallException.Reason.CONNECTION_CLOSED, "callback transport closed");
    }
}
