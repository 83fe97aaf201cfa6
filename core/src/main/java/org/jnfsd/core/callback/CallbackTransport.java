package org.jnfsd.core.callback;

import java.util.concurrent.CompletionStage;
import org.jnfsd.protocol.nfs4.callback.CbCompoundArgs;
import org.jnfsd.protocol.nfs4.callback.CbCompoundResult;

/**
 * Sends callbacks to one client over one backchannel (a session's back-channel connections). The
 * real one is {@link RpcCallbackTransport}; tests use a transport whose replies they decide.
 *
 * <p>Stages may complete on any thread; {@link CallbackChannel} moves the handling onto the
 * client's ordered queue. A transport never retries or reconnects by itself (a 4.1 backchannel
 * cannot: the client must bind a new connection).
 */
public interface CallbackTransport {
    /** CB_NULL: completes normally when the client answered, exceptionally otherwise. */
    CompletionStage<Void> nullAsync();

    /** CB_COMPOUND: the decoded reply, or a failure (no connection, timeout, connection closed, bad reply). */
    CompletionStage<CbCompoundResult> compoundAsync(CbCompoundArgs args);

    /** Fails every call still pending and every later call at once. Idempotent. */
    void close();
}
