package org.jnfsd.core.copy;

/** The lifecycle of an asynchronous COPY; see {@link AsyncCopy} for the diagram. */
public enum CopyState {
    RUNNING,
    COMPLETED,
    CANCELLED,
    REAPED
}
