package org.jnfsd.core.metrics;

/**
 * The events a server counts, each a Micrometer counter named {@link #meterName()}. Add a constant
 * here (never a free-form name at the call site) when a new kind of event is worth counting.
 */
public enum ServerEvent {
    DELEGATION_GRANTED("jnfsd.delegations.granted"),
    DELEGATION_RETURNED("jnfsd.delegations.returned"),
    DELEGATION_REVOKED("jnfsd.delegations.revoked"),
    CB_RECALL_SENT("jnfsd.callbacks.recall.sent"),
    CB_RECALL_ANY_SENT("jnfsd.callbacks.recall_any.sent"),
    CB_GETATTR_SENT("jnfsd.callbacks.getattr.sent"),
    CB_NOTIFY_LOCK_SENT("jnfsd.callbacks.notify_lock.sent"),
    CB_OFFLOAD_SENT("jnfsd.callbacks.offload.sent"),
    COPY_SYNC("jnfsd.copies.sync"),
    COPY_ASYNC_STARTED("jnfsd.copies.async.started"),
    COPY_ASYNC_COMPLETED("jnfsd.copies.async.completed"),
    COPY_ASYNC_CANCELLED("jnfsd.copies.async.cancelled"),
    /** Data bytes READ returned. */
    BYTES_READ("jnfsd.read.bytes"),
    /** Data bytes WRITE wrote. */
    BYTES_WRITTEN("jnfsd.write.bytes"),
    /** TCP connections accepted (open ones: the gauge jnfsd.connections). */
    CONNECTION_ACCEPTED("jnfsd.connections.accepted"),
    /** EXCHANGE_IDs refused (NFS4ERR_DELAY) at the client limit, {@code ServerConfig.Limits#maxClients}. */
    CLIENT_REFUSED("jnfsd.clients.refused"),
    /** File handles refused at PUTFH before any lookup: forged, altered or malformed (NFS4ERR_BADHANDLE). */
    HANDLE_REFUSED("jnfsd.handles.refused");

    private final String meterName;

    ServerEvent(String meterName) {
        this.meterName = meterName;
    }

    /** The Micrometer counter's name. */
    public String meterName() {
        return meterName;
    }
}
