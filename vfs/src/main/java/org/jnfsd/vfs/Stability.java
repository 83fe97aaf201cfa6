package org.jnfsd.vfs;

/** How durable a write must be before it returns (NFSv4 stable_how4). */
public enum Stability {
    UNSTABLE,
    DATA_SYNC,
    FILE_SYNC
}
