/**
 * ONC RPC (RFC 5531) over TCP on Netty: record marking, calls and replies, AUTH_NONE and AUTH_SYS,
 * and both call directions on every connection (the NFSv4.1 backchannel runs on the client's own
 * connection).
 *
 * <h2>Public surface</h2>
 * <ul>
 *   <li>{@link org.jnfsd.rpc.RpcServer} (builder, {@code start()}, {@code close()}) serves
 *       {@link org.jnfsd.rpc.RpcProgram}s; its connection listener hands out each accepted
 *       {@link org.jnfsd.rpc.RpcConnection}.
 *   <li>{@link org.jnfsd.rpc.RpcClient#connect} opens a connection that also serves programs (for
 *       callbacks from the server).
 *   <li>{@link org.jnfsd.rpc.RpcConnection#callAsync} sends a call on any connection and yields an
 *       {@link org.jnfsd.rpc.RpcReply} or fails with {@link org.jnfsd.rpc.RpcCallException}.
 * </ul>
 *
 * <h2>Threads</h2>
 * Event loops (2 by default for a server, 1 for a client) do socket I/O, framing, routing of
 * records, matching of replies, and the answer to NULL calls (procedure 0: header and credential
 * checks, no program code), and never block. Every other incoming call runs on its own virtual
 * thread: header checks, the program and the reply's encoding; the reply is then queued for the
 * event loop, which writes the replies queued so far and flushes once, in completion order. Futures of outgoing calls and close listeners also complete on virtual threads.
 *
 * <h2>Buffers</h2>
 * {@code RecordMarkingDecoder} emits one buffer per record and {@code RpcMessageHandler} owns it:
 * a reply record is released after matching, a call record is handed to its virtual thread and
 * released after {@link org.jnfsd.rpc.RpcProgram#call} returns (so a program must copy, not keep,
 * what it reads). Outgoing records are built in one pooled buffer with the record mark reserved
 * and patched in place; Netty releases them once written (or when the write fails). Replies to
 * outgoing calls are copied into a {@code byte[]}, so an {@link org.jnfsd.rpc.RpcReply} needs no
 * release.
 *
 * <h2>Limits and back pressure</h2>
 * A record over the maximum size (default 4 MiB + 64 KiB) closes its connection. A connection
 * stops reading while {@code maxCallsPerConnection} of its calls execute (default 256) or while
 * its unsent replies exceed the write-buffer high-water mark (default twice the maximum record
 * size, so that one large READ reply does not pause reading), until half of them are sent.
 */
package org.jnfsd.rpc;
