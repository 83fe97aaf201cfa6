package org.jnfsd.rpc;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import org.jnfsd.protocol.xdr.XdrDecoder;
import org.jnfsd.protocol.xdr.XdrEncoder;
import org.jnfsd.protocol.xdr.XdrException;

/**
 * RFC 5531 message layout: constants, record marks for outgoing records, reply headers, and the
 * decoding of replies to outgoing calls. Stateless.
 *
 * <p>Outgoing records are built in place: {@link #startRecord} reserves the 4-byte record mark at
 * the start of a pooled buffer, the message is written after it, and {@link #sealRecord} patches
 * the mark (one last fragment), so a message is never copied to be framed.
 */
final class RpcMessages {
    static final int CALL = 0;
    static final int REPLY = 1;
    static final int RPC_VERSION = 2;
    static final int MSG_ACCEPTED = 0;
    static final int MSG_DENIED = 1;
    static final int RPC_MISMATCH = 0;
    static final int AUTH_ERROR = 1;
    static final int AUTH_NONE = 0;
    static final int AUTH_SYS = 1;
    /** RFC 5531 §8.2: opaque_auth bodies are at most 400 bytes. */
    static final int MAX_AUTH_BYTES = 400;
    static final int LAST_FRAGMENT = 0x8000_0000;

    private RpcMessages() {
    }

    /** A pooled buffer with the record mark reserved; the caller owns it. */
    static ByteBuf startRecord(ByteBufAllocator alloc) {
        ByteBuf buf = alloc.ioBuffer();
        buf.writeInt(0);
        return buf;
    }

    /** Patches the record mark reserved by {@link #startRecord}: the whole message is one last fragment. */
    static void sealRecord(ByteBuf record) {
        int start = record.readerIndex();
        record.setInt(start, LAST_FRAGMENT | (record.writerIndex() - start - 4));
    }

    /** xid, REPLY, MSG_ACCEPTED, an AUTH_NONE verifier; the accept_stat comes next. */
    static void writeAcceptedHeader(XdrEncoder out, int xid) {
        out.writeInt(xid).writeInt(REPLY).writeInt(MSG_ACCEPTED).writeInt(AUTH_NONE).writeInt(0);
    }

    /** A complete accepted reply record without results (errors, and NULL's empty SUCCESS). */
    static ByteBuf acceptedReply(ByteBufAllocator alloc, int xid, AcceptStat stat, int low, int high) {
        ByteBuf buf = startRecord(alloc);
        XdrEncoder out = new XdrEncoder(buf);
        writeAcceptedHeader(out, xid);
        out.writeInt(stat.code());
        if (stat == AcceptStat.PROG_MISMATCH) {
            out.writeInt(low).writeInt(high);
        }
        sealRecord(buf);
        return buf;
    }

    /** A complete MSG_DENIED / RPC_MISMATCH(2, 2) reply record. */
    static ByteBuf rpcMismatchReply(ByteBufAllocator alloc, int xid) {
        ByteBuf buf = startRecord(alloc);
        new XdrEncoder(buf).writeInt(xid).writeInt(REPLY).writeInt(MSG_DENIED).writeInt(RPC_MISMATCH)
                .writeInt(RPC_VERSION).writeInt(RPC_VERSION);
        sealRecord(buf);
        return buf;
    }

    /** A complete MSG_DENIED / AUTH_ERROR reply record. */
    static ByteBuf authErrorReply(ByteBufAllocator alloc, int xid, AuthStat stat) {
        ByteBuf buf = startRecord(alloc);
        new XdrEncoder(buf).writeInt(xid).writeInt(REPLY).writeInt(MSG_DENIED).writeInt(AUTH_ERROR)
                .writeInt(stat.code());
        sealRecord(buf);
        return buf;
    }

    /** The call header of an outgoing call, up to and including the AUTH_NONE verifier. */
    static void writeCallHeader(XdrEncoder out, int xid, int program, int version, int procedure, Credential cred) {
        out.writeInt(xid).writeInt(CALL).writeInt(RPC_VERSION).writeInt(program).writeInt(version)
                .writeInt(procedure);
        Authentication.writeCredential(out, cred);
        out.writeInt(AUTH_NONE).writeInt(0);
    }

    /**
     * Decodes a whole reply message (xid and msg_type included); does not release {@code record}.
     *
     * @throws XdrException if the reply is malformed
     */
    static RpcReply decodeReply(ByteBuf record) {
        XdrDecoder in = new XdrDecoder(record);
        int xid = in.readInt();
        int msgType = in.readInt();
        if (msgType != REPLY) {
            throw new XdrException("msg_type " + msgType + " is not REPLY");
        }
        int replyStat = in.readInt();
        if (replyStat == MSG_ACCEPTED) {
            in.readInt(); // verifier flavor: we only send AUTH_NONE/AUTH_SYS and check no verifier
            in.readOpaque(MAX_AUTH_BYTES);
            int code = in.readInt();
            AcceptStat stat = AcceptStat.fromCode(code);
            if (stat == null) {
                throw new XdrException("accept_stat " + code);
            }
            return switch (stat) {
                case SUCCESS -> new RpcReply(xid, RpcReply.Status.ACCEPTED, stat, null, 0, 0,
                        remainingBytes(record));
                case PROG_MISMATCH -> new RpcReply(xid, RpcReply.Status.ACCEPTED, stat, null, in.readInt(),
                        in.readInt(), new byte[0]);
                default -> new RpcReply(xid, RpcReply.Status.ACCEPTED, stat, null, 0, 0, new byte[0]);
            };
        }
        if (replyStat == MSG_DENIED) {
            int rejectStat = in.readInt();
            if (rejectStat == RPC_MISMATCH) {
                return new RpcReply(xid, RpcReply.Status.DENIED_RPC_MISMATCH, null, null, in.readInt(), in.readInt(),
                        new byte[0]);
            }
            if (rejectStat == AUTH_ERROR) {
                int code = in.readInt();
                AuthStat stat = AuthStat.fromCode(code);
                if (stat == null) {
                    throw new XdrException("auth_stat " + code);
                }
                return new RpcReply(xid, RpcReply.Status.DENIED_AUTH_ERROR, null, stat, 0, 0, new byte[0]);
            }
            throw new XdrException("reject_stat " + rejectStat);
        }
        throw new XdrException("reply_stat " + replyStat);
    }

    private static byte[] remainingBytes(ByteBuf buf) {
        byte[] bytes = new byte[buf.readableBytes()];
        buf.readBytes(bytes);
        return bytes;
    }
}
