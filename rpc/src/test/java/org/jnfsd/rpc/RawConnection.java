package org.jnfsd.rpc;

import io.netty.buffer.Unpooled;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketException;
import java.nio.charset.StandardCharsets;

/** A plain blocking socket speaking hand-crafted RPC bytes, for tests. Reads time out after 5 s. */
final class RawConnection implements AutoCloseable {
    private final Socket socket;
    private final DataInputStream in;
    private final DataOutputStream out;

    RawConnection(InetSocketAddress server) throws IOException {
        socket = new Socket();
        socket.connect(server, 5000);
        socket.setSoTimeout(5000);
        socket.setTcpNoDelay(true);
        in = new DataInputStream(socket.getInputStream());
        out = new DataOutputStream(socket.getOutputStream());
    }

    /** Sends {@code message} as one record made of fragments of the given sizes (the last takes the rest). */
    void sendRecord(byte[] message, int... fragmentSizes) throws IOException {
        int offset = 0;
        for (int size : fragmentSizes) {
            out.writeInt(size);
            out.write(message, offset, size);
            offset += size;
        }
        out.writeInt(RpcMessages.LAST_FRAGMENT | (message.length - offset));
        out.write(message, offset, message.length - offset);
        out.flush();
    }

    void sendRaw(byte[] bytes) throws IOException {
        out.write(bytes);
        out.flush();
    }

    void shutdownOutput() throws IOException {
        socket.shutdownOutput();
    }

    /** Reads one whole record. */
    byte[] readRecord() throws IOException {
        ByteArrayOutputStream record = new ByteArrayOutputStream();
        while (true) {
            int mark = in.readInt();
            byte[] fragment = new byte[mark & ~RpcMessages.LAST_FRAGMENT];
            in.readFully(fragment);
            record.write(fragment);
            if ((mark & RpcMessages.LAST_FRAGMENT) != 0) {
                return record.toByteArray();
            }
        }
    }

    RpcReply readReply() throws IOException {
        return RpcMessages.decodeReply(Unpooled.wrappedBuffer(readRecord()));
    }

    /** Sends a message and reads the raw reply record. */
    byte[] sendAndRead(byte[] message) throws IOException {
        sendRecord(message);
        return readRecord();
    }

    /** Sends a call and reads its reply. */
    RpcReply call(byte[] message) throws IOException {
        sendRecord(message);
        return readReply();
    }

    /** True if the peer closed the connection (EOF or reset) before sending anything more. */
    boolean closedByPeer() throws IOException {
        try {
            return in.read() == -1;
        } catch (SocketException e) {
            return true; // connection reset
        } catch (EOFException e) {
            return true;
        }
    }

    @Override
    public void close() throws IOException {
        socket.close();
    }

    /** Builds XDR messages by hand. */
    static final class Msg {
        private final ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        private final DataOutputStream data = new DataOutputStream(bytes);

        Msg i(int... values) {
            try {
                for (int v : values) {
                    data.writeInt(v);
                }
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
            return this;
        }

        Msg opaque(byte[] body) {
            i(body.length);
            bytes.writeBytes(body);
            bytes.writeBytes(new byte[(4 - body.length % 4) % 4]);
            return this;
        }

        Msg string(String s) {
            return opaque(s.getBytes(StandardCharsets.US_ASCII));
        }

        Msg raw(byte[] b) {
            bytes.writeBytes(b);
            return this;
        }

        byte[] bytes() {
            return bytes.toByteArray();
        }

        /** A call header with the given credential (flavor and body) and an AUTH_NONE verifier. */
        static Msg call(int xid, int rpcVersion, int prog, int vers, int proc, int credFlavor, byte[] credBody) {
            return new Msg().i(xid, RpcMessages.CALL, rpcVersion, prog, vers, proc, credFlavor).opaque(credBody)
                    .i(RpcMessages.AUTH_NONE, 0);
        }

        /** An AUTH_NONE call to the test program, version 1. */
        static Msg call(int xid, int proc) {
            return call(xid, RpcMessages.RPC_VERSION, TestProgram.PROGRAM, 1, proc, RpcMessages.AUTH_NONE, new byte[0]);
        }

        static byte[] authSysBody(int stamp, String machine, int uid, int gid, int... gids) {
            Msg m = new Msg().i(stamp).string(machine).i(uid, gid, gids.length);
            return m.i(gids).bytes();
        }
    }
}
