/**
 * The callback channel of every minor version (a 4.1/4.2 backchannel, or the connection the server
 * dials to a 4.0 client), built to survive every row of {@code docs/callback-races.md}.
 *
 * <h2>Public surface</h2>
 * <ul>
 *   <li>{@link org.jnfsd.core.callback.CallbackService} (one per server, {@code ServerContext.callbacks()}):
 *       {@code channelFor(client)}, {@code backChannelBound(session, conn, minor)} (called by CREATE_SESSION
 *       and BIND_CONN_TO_SESSION), {@code v40CallbackConfirmed(client, callback, ident, source)} (called by
 *       SETCLIENTID_CONFIRM), {@code killAsync(clientId, bound)} (client teardown's "kill callback
 *       channel / drain / wait" step), {@code killAllAsync(bound)} (server shutdown).
 *   <li>{@link org.jnfsd.core.callback.CallbackChannel}: one client's channel: state
 *       (UNKNOWN, UP, DOWN, FAULT, KILLED), {@code submit(Callback)}, {@code inFlight()},
 *       {@code statusFlags()} (fed to SEQUENCE through {@code ClientRecord.sequenceStatusFlags()}),
 *       {@code shutdownAsync(bound)}.
 *   <li>{@link org.jnfsd.core.callback.Callback}: what delegations, locks and copies subclass:
 *       {@code prepare} → {@code done(CallbackOutcome)} → {@code release} (exactly once).
 *   <li>{@link org.jnfsd.core.callback.CallbackTransport} and the real
 *       {@link org.jnfsd.core.callback.RpcCallbackTransport} (4.1) and
 *       {@link org.jnfsd.core.callback.V40CallbackTransport} (4.0); {@link org.jnfsd.core.callback.CallbackScheduler}
 *       for injected timers.
 * </ul>
 *
 * <h2>Threads</h2>
 * Each client's callbacks run on its own ordered queue (a serial executor over an injected executor,
 * virtual threads in production), never on a request thread; transport replies and timers hop back
 * onto that queue. Teardown runs on its caller's thread and never blocks: it returns a stage.
 */
package org.jnfsd.core.callback;
