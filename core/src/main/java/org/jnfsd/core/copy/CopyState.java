package org.jnfsd.core.copy;

/** The lifecycle of an asynchronous COPY; see {@link AsyncCopy} for the diagram. */
public enum CopyState {
    /** The copy task has bytes left to copy (or has not started). */
    RUNNING,
    /** The copy ended and its CB_OFFLOAD is queued or in flight: visible, never reaped. */
    NOTIFYING,
    /** The copy ended and no CB_OFFLOAD is in flight (released, or none could be queued). */
    COMPLETED,
    /** OFFLOAD_CANCEL or the client's teardown stopped it before it ended: no CB_OFFLOAD. */
    CANCELLED,
    /** Unlinked from the copy table; terminal. */
    REAPED
}
