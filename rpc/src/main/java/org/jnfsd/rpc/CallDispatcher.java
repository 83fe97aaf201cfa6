package org.jnfsd.rpc;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import java.util.Collection;
import java.util.Map;
import java.util.TreeMap;
import org.jnfsd.protocol.xdr.XdrDecoder;
import org.jnfsd.protocol.xdr.XdrEncoder;
import org.jnfsd.protocol.xdr.XdrException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Executes incoming calls: checks the call header in RFC 5531 order (RPC version, credential and
 * verifier, program, version, procedure), answers NULL (procedure 0) itself, runs the program for
 * every other procedure and builds the reply record. Runs on the call's virtual thread, except for
 * NULL, which runs no program code and never blocks and is executed on the event loop. Immutable
 * after construction; shared by all connections of a server or client.
 *
 * <p>The one place that turns failures into replies and log levels: RPC_MISMATCH, AUTH_ERROR,
 * PROG_UNAVAIL, PROG_MISMATCH, PROC_UNAVAIL and GARBAGE_ARGS are the peer's doing and log at
 * debug; an {@link RpcException} from a program gives its accept stat (debug, SYSTEM_ERR at warn);
 * an {@link XdrException} escaping a program means its arguments were malformed (GARBAGE_ARGS,
 * debug); any other throwable is a server fault: SYSTEM_ERR and an ERROR log with the stack.
 */
final class CallDispatcher {
    private static final Logger LOG = LoggerFactory.getLogger(CallDispatcher.class);

    /** By program number. */
    private final Map<Integer, RpcProgram> programs;

    CallDispatcher(Collection<? extends RpcProgram> programs) {
        Map<Integer, RpcProgram> byNumber = new TreeMap<>();
        for (RpcProgram p : programs) {
            if (p.minVersion() > p.maxVersion()) {
                throw new IllegalArgumentException("program " + p.program() + ": versions " + p.minVersion() + ".."
                        + p.maxVersion());
            }
            if (byNumber.putIfAbsent(p.program(), p) != null) {
                throw new IllegalArgumentException("program " + p.program() + " registered twice");
            }
        }
        this.programs = Map.copyOf(byNumber);
    }

    /**
     * Executes the call in {@code record} (a whole call message: xid and msg_type CALL first) and
     * returns the reply record to send, sealed, or null if there is nothing to answer. Does not
     * release {@code record}: the caller does, after this returns.
     */
    ByteBuf execute(ByteBuf record, RpcConnection connection, ByteBufAllocator alloc) {
        XdrDecoder in = new XdrDecoder(record);
        int xid = in.readInt();
        in.readInt(); // msg_type, checked as CALL by the caller
        int rpcVersion;
        int prog;
        int vers;
        int proc;
        Credential cred;
        try {
            rpcVersion = in.readInt();
            if (rpcVersion != RpcMessages.RPC_VERSION) {
                LOG.debug("Call xid {} from {}: RPC version {}, answering RPC_MISMATCH", hex(xid),
                        connection.remoteAddress(), rpcVersion);
                return RpcMessages.rpcMismatchReply(alloc, xid);
            }
            prog = in.readInt();
            vers = in.readInt();
            proc = in.readInt();
            cred = Authentication.readCredentialAndVerifier(in);
        } catch (XdrException e) {
            LOG.debug("Call xid {} from {}: garbage call header: {}", hex(xid), connection.remoteAddress(),
                    e.getMessage());
            return RpcMessages.acceptedReply(alloc, xid, AcceptStat.GARBAGE_ARGS, 0, 0);
        } catch (Authentication.AuthException e) {
            LOG.debug("Call xid {} from {}: {}, answering {}", hex(xid), connection.remoteAddress(), e.getMessage(),
                    e.stat());
            return RpcMessages.authErrorReply(alloc, xid, e.stat());
        }
        RpcProgram program = programs.get(prog);
        if (program == null) {
            LOG.debug("Call xid {} from {}: program {} unavailable", hex(xid), connection.remoteAddress(), prog);
            return RpcMessages.acceptedReply(alloc, xid, AcceptStat.PROG_UNAVAIL, 0, 0);
        }
        if (vers < program.minVersion() || vers > program.maxVersion()) {
            LOG.debug("Call xid {} from {}: program {} version {} unavailable", hex(xid), connection.remoteAddress(),
                    prog, vers);
            return RpcMessages.acceptedReply(alloc, xid, AcceptStat.PROG_MISMATCH, program.minVersion(),
                    program.maxVersion());
        }
        if (proc == 0) {
            return RpcMessages.acceptedReply(alloc, xid, AcceptStat.SUCCESS, 0, 0);
        }
        return run(program, new IncomingCall(xid, prog, vers, proc, cred, connection), in, alloc);
    }

    private static ByteBuf run(RpcProgram program, IncomingCall call, XdrDecoder args, ByteBufAllocator alloc) {
        ByteBuf reply = RpcMessages.startRecord(alloc);
        try {
            XdrEncoder out = new XdrEncoder(reply);
            RpcMessages.writeAcceptedHeader(out, call.xid());
            int statAt = out.position();
            out.writeInt(AcceptStat.SUCCESS.code());
            AcceptStat failure = null;
            try {
                program.call(call, args, out);
            } catch (RpcException e) {
                failure = e.stat() == AcceptStat.SUCCESS ? AcceptStat.SYSTEM_ERR : e.stat();
                if (failure == AcceptStat.SYSTEM_ERR) {
                    PeerLog.warn(LOG, "rpc-system-err", "{} answered SYSTEM_ERR: {}", describe(call), e.getMessage(), e);
                } else {
                    LOG.debug("{} answered {}: {}", describe(call), failure, e.getMessage());
                }
            } catch (XdrException e) {
                failure = AcceptStat.GARBAGE_ARGS;
                LOG.debug("{} has garbage arguments: {}", describe(call), e.getMessage());
            } catch (Throwable t) {
                failure = AcceptStat.SYSTEM_ERR;
                PeerLog.error(LOG, "rpc-call-failed", "{} failed, answering SYSTEM_ERR", describe(call), t);
            }
            if (failure != null) {
                reply.writerIndex(statAt);
                out.writeInt(failure.code());
                if (failure == AcceptStat.PROG_MISMATCH) {
                    out.writeInt(program.minVersion()).writeInt(program.maxVersion());
                }
            }
            RpcMessages.sealRecord(reply);
            return reply;
        } catch (Throwable t) {
            reply.release();
            throw t;
        }
    }

    private static String describe(IncomingCall call) {
        return "Call xid " + hex(call.xid()) + " (program " + call.program() + " v" + call.version() + " procedure "
                + call.procedure() + ") from " + call.connection().remoteAddress();
    }

    static String hex(int xid) {
        return "0x" + Integer.toHexString(xid);
    }
}
