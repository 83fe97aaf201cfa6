package org.jnfsd.core.callback;

import org.jnfsd.protocol.nfs4.callback.CbResult;

/** How one callback ended, handed to {@link Callback#done}. */
public sealed interface CallbackOutcome {
    /** The client answered the operation (whatever its status, except a DELAY that was retried). */
    record Replied(CbResult result) implements CallbackOutcome {}

    /** {@link Callback#prepare} found nothing to send (for example the delegation was already returned). */
    record Skipped() implements CallbackOutcome {}

    /** No usable answer. */
    record Failed(Reason reason, String detail) implements CallbackOutcome {}

    /** Why a callback failed. */
    enum Reason {
        /** The channel was DOWN or FAULT, or there is no backchannel at all. */
        CHANNEL_DOWN,
        /** The channel was killed (client teardown) before an answer. */
        KILLED,
        /** No answer within the callback timeout (slot wait included). */
        TIMED_OUT,
        /** The transport failed (connection lost, bad reply). */
        TRANSPORT_FAILED,
        /** CB_SEQUENCE failed in a way retries cannot fix (bad session, no usable slot, retries spent). */
        SEQUENCE_FAILED,
        /** The client kept answering NFS4ERR_DELAY beyond the retry bound. */
        DELAY_RETRIES_EXHAUSTED,
        /** The per-client queue refused the callback (executor rejected it). */
        QUEUE_REJECTED,
        /** {@link Callback#prepare} threw. */
        PREPARE_FAILED
    }
}
