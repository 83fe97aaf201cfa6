package org.jnfsd.rpc;

/** What the RPC layer refused or cut off to protect itself from a peer; each is counted and logged rate-limited. */
public enum Refusal {
    /** A connection accepted beyond the server's connection limit, closed at once. */
    CONNECTION_LIMIT,
    /** A connection beyond the limit per client address, closed at once. */
    CONNECTION_PER_ADDRESS_LIMIT,
    /** A connection closed because its unfinished record was the largest when the memory budget was exceeded. */
    RECORD_BUDGET,
    /** A connection closed because its peer read none of its replies within the drain timeout. */
    DRAIN_TIMEOUT,
    /** A connection bound to no session, closed after the idle timeout. */
    IDLE
}
