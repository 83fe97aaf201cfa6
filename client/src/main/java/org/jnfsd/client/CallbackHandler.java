package org.jnfsd.client;

import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import org.jnfsd.protocol.nfs4.NfsStatus;
import org.jnfsd.protocol.nfs4.callback.CbGetattrArgs;
import org.jnfsd.protocol.nfs4.callback.CbGetattrResult;
import org.jnfsd.protocol.nfs4.callback.CbNotifyLockArgs;
import org.jnfsd.protocol.nfs4.callback.CbOffloadArgs;
import org.jnfsd.protocol.nfs4.callback.CbRecallAnyArgs;
import org.jnfsd.protocol.nfs4.callback.CbRecallArgs;

/**
 * What a client does with the callbacks the server sends it, one method per CB_COMPOUND operation
 * after CB_SEQUENCE (which {@link NfsClient} answers itself, with its own backchannel slot table).
 * Give one to {@link NfsClient#connect(java.net.InetSocketAddress, int, org.jnfsd.rpc.Credential,
 * CallbackHandler)}.
 *
 * <p>Each method returns the operation's answer as a stage: completed at once for OK or an error
 * (NFS4ERR_DELAY included), completed later for an answer that takes time, or never completed
 * for a client that does not answer (the backchannel slot stays busy, and the server's call times
 * out); the wait ends when the connection closes. A stage that fails answers
 * NFS4ERR_SERVERFAULT. Methods are called on the virtual thread of the incoming call, possibly
 * several at once (one per backchannel slot), so implementations must be thread-safe.
 *
 * <p>Defaults: CB_RECALL and CB_GETATTR answer NFS4ERR_NOTSUPP (a client that takes delegations
 * must handle them); CB_RECALL_ANY, CB_NOTIFY_LOCK and CB_OFFLOAD answer OK, since a client may
 * ignore those hints (RFC 8881 §20.6, §20.11; RFC 7862 §16.1).
 */
public interface CallbackHandler {
    /** CB_RECALL (RFC 8881 §20.2): return the delegation {@code args.stateId()}. */
    default CompletionStage<NfsStatus> recall(CbRecallArgs args) {
        return CompletableFuture.completedFuture(NfsStatus.NFS4ERR_NOTSUPP);
    }

    /** CB_GETATTR (RFC 8881 §20.1): the attributes a write delegation holder has cached. */
    default CompletionStage<CbGetattrResult> getattr(CbGetattrArgs args) {
        return CompletableFuture.completedFuture(new CbGetattrResult(NfsStatus.NFS4ERR_NOTSUPP, null));
    }

    /** CB_RECALL_ANY (RFC 8881 §20.6): return delegations until {@code objectsToKeep} are left. */
    default CompletionStage<NfsStatus> recallAny(CbRecallAnyArgs args) {
        return CompletableFuture.completedFuture(NfsStatus.NFS4_OK);
    }

    /** CB_NOTIFY_LOCK (RFC 8881 §20.11): a lock this client waits for may be available. */
    default CompletionStage<NfsStatus> notifyLock(CbNotifyLockArgs args) {
        return CompletableFuture.completedFuture(NfsStatus.NFS4_OK);
    }

    /** CB_OFFLOAD (RFC 7862 §16.1): an asynchronous COPY finished. */
    default CompletionStage<NfsStatus> offload(CbOffloadArgs args) {
        return CompletableFuture.completedFuture(NfsStatus.NFS4_OK);
    }
}
