package org.jnfsd.cluster;

/** The cluster database could not be reached or refused a change; always carries its cause. */
public final class ClusterException extends RuntimeException {
    public ClusterException(String message, Throwable cause) {
        super(message, cause);
    }
}
