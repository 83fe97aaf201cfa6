package org.jnfsd.server;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import java.io.DataInputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.util.function.Consumer;
import org.jnfsd.protocol.xdr.XdrDecoder;
import org.jnfsd.protocol.xdr.XdrEncoder;

/**
 * A deliberately dumb RPC peer over a plain socket, for sending malformed or unusual bytes that a
 * well-behaved client never would. One outstanding call at a time.
 */
final class RawRpc implements AutoCloseable {
    static final int NFS = 100003;
    private final Socket socket;
    private final DataInputStream in;
    private final OutputStream out;
    private int xid = 0x1000;

    RawRpc(InetSocketAddress server) throws IOException {
        socket = new Socket(server.getAddress(), server.getPort());
        socket.setSoTimeout(10_000);
        in = new DataInputStream(socket.getInputStream());
        out = socket.getOutputStream();
    }

    /** Writes a call header with AUTH_SYS uid/gid 1000 and the given body; returns the xid. */
    int call(int prog, int vers, int proc, Consumer<XdrEncoder> body) throws IOException {
        ByteBuf b = Unpooled.buffer();
        XdrEncoder e = new XdrEncoder(b);
        int id = ++xid;
        e.writeInt(id).writeInt(0).writeInt(2).writeInt(prog).writeInt(vers).writeInt(proc);
        ByteBuf cred = Unpooled.buffer();
        new XdrEncoder(cred).writeInt(1).writeAscii("test").writeInt(1000).writeInt(1000).writeInt(0);
        e.writeInt(1).writeOpaque(cred);
        e.writeInt(0).writeInt(0);
        body.accept(e);
        sendRecord(b);
        return id;
    }

    void sendRecord(ByteBuf record) throws IOException {
        byte[] bytes = new byte[record.readableBytes()];
        record.readBytes(bytes);
        int mark = 0x80000000 | bytes.length;
        out.write(new byte[] {(byte) (mark >>> 24), (byte) (mark >>> 16), (byte) (mark >>> 8), (byte) mark});
        out.write(bytes);
        out.flush();
    }

    void sendRaw(byte[] bytes) throws IOException {
        out.write(bytes);
        out.flush();
    }

    /** Reads one reply record and returns a decoder positioned after the xid. */
    Reply readReply() throws IOException {
        int mark = in.readInt();
        byte[] body = new byte[mark & 0x7fffffff];
        in.readFully(body);
        XdrDecoder d = new XdrDecoder(Unpooled.wrappedBuffer(body));
        int replyXid = d.readInt();
        int type = d.readInt();
        int replyStat = d.readInt();
        if (replyStat != 0) {
            return new Reply(replyXid, type, replyStat, -1, d);
        }
        d.readInt(); // verifier flavor
        d.readOpaque(400);
        return new Reply(replyXid, type, replyStat, d.readInt(), d);
    }

    boolean isClosedByPeer() {
        try {
            return in.read() < 0;
        } catch (IOException e) {
            return true;
        }
    }

    @Override
    public void close() throws IOException {
        socket.close();
    }

    /** A reply: msg_type, reply_stat (0 accepted), accept_stat (-1 when denied), and the rest. */
    record Reply(int xid, int msgType, int replyStat, int acceptStat, XdrDecoder body) {}
}
