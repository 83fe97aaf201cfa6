package org.jnfsd.client;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;
import org.jnfsd.protocol.nfs4.NfsStatus;
import org.jnfsd.protocol.nfs4.callback.CallbackProgram;
import org.jnfsd.protocol.nfs4.callback.CbArgs;
import org.jnfsd.protocol.nfs4.callback.CbCompoundArgs;
import org.jnfsd.protocol.nfs4.callback.CbCompoundResult;
import org.jnfsd.protocol.nfs4.callback.CbResult;
import org.jnfsd.protocol.nfs4.callback.CbStatusResult;
import org.jnfsd.protocol.xdr.XdrDecoder;
import org.jnfsd.protocol.xdr.XdrEncoder;
import org.jnfsd.rpc.RpcConnection;
import org.jnfsd.rpc.RpcProgram;
import org.jnfsd.rpc.RpcServer;

/**
 * An NFSv4.0 client's callback service (RFC 7530 §3.3.3), for tests that play the client: an RPC
 * server on a port of its own for a callback program, version 1 (the RPC layer answers CB_NULL),
 * which records every CB_COMPOUND and every connection the server dials in, and answers each
 * operation with {@link #answer} (NFS4_OK by default); as RFC 7530 §16.2.3 says, the first failing
 * operation ends the compound. Its {@link #universalAddress} is what SETCLIENTID names. Used by the
 * core tests of the 4.0 callback transport and by the server's 4.0 callback tests over TCP.
 * Thread-safe.
 */
public final class V40CallbackServer implements AutoCloseable {
    /** The callback program {@link #start(InetAddress)} serves. */
    public static final int PROGRAM = 0x40000000;
    private static final long BOUND_S = 30;

    private final BlockingQueue<CbCompoundArgs> compounds = new LinkedBlockingQueue<>();
    private final BlockingQueue<RpcConnection> connections = new LinkedBlockingQueue<>();
    private volatile Function<CbArgs, NfsStatus> answer = op -> NfsStatus.NFS4_OK;
    private volatile RpcServer rpc;
    private volatile InetSocketAddress address;

    private V40CallbackServer() {}

    /** Serves {@link #PROGRAM} on {@code bind}, an ephemeral port. */
    public static V40CallbackServer start(InetAddress bind) throws IOException {
        return start(bind, PROGRAM);
    }

    /** Serves {@code program} version 1 on {@code bind}, an ephemeral port. */
    public static V40CallbackServer start(InetAddress bind, int program) throws IOException {
        V40CallbackServer self = new V40CallbackServer();
        RpcProgram cb = RpcProgram.of(program, CallbackProgram.VERSION, (call, args, results) -> self.compound(args, results));
        self.rpc = RpcServer.builder().bindAddress(bind).port(0).program(cb).connectionListener(self.connections::add)
                .build();
        self.address = self.rpc.start();
        return self;
    }

    private void compound(XdrDecoder args, XdrEncoder results) {
        CbCompoundArgs a = CbCompoundArgs.decode(args);
        compounds.add(a);
        List<CbResult> done = new ArrayList<>();
        NfsStatus status = NfsStatus.NFS4_OK;
        for (CbArgs op : a.operations()) {
            status = answer.apply(op);
            done.add(new CbStatusResult(op.opcode(), status));
            if (!status.isOk()) {
                break;
            }
        }
        new CbCompoundResult(status, a.tag(), done).encode(results);
    }

    /** From now on, each callback operation is answered with {@code answer}'s status. */
    public void answer(Function<CbArgs, NfsStatus> answer) {
        this.answer = answer;
    }

    /** Where it listens. */
    public InetSocketAddress address() {
        return address;
    }

    /** "h1.h2.h3.h4.p1.p2" (RFC 5665): the cb_client4 address of this service. */
    public String universalAddress() {
        return address.getAddress().getHostAddress() + "." + (address.getPort() >> 8) + "." + (address.getPort() & 0xff);
    }

    /** The CB_COMPOUNDs received and not yet taken, in order. */
    public BlockingQueue<CbCompoundArgs> compounds() {
        return compounds;
    }

    /** The connections dialled in and not yet taken, in order. */
    public BlockingQueue<RpcConnection> connections() {
        return connections;
    }

    /** The next CB_COMPOUND received, waiting at most 30 s (a bound, not an expectation). */
    public CbCompoundArgs nextCompound() throws InterruptedException {
        return next(compounds, "CB_COMPOUND");
    }

    /** The next connection dialled in, waiting at most 30 s (a bound, not an expectation). */
    public RpcConnection nextConnection() throws InterruptedException {
        return next(connections, "connection");
    }

    private static <T> T next(BlockingQueue<T> q, String what) throws InterruptedException {
        T t = q.poll(BOUND_S, TimeUnit.SECONDS);
        if (t == null) {
            throw new AssertionError("no " + what + " within " + BOUND_S + " s");
        }
        return t;
    }

    /** Stops listening and closes the connections dialled in. */
    @Override
    public void close() {
        rpc.close();
    }
}
