package org.jnfsd.server;

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
import org.jnfsd.rpc.RpcCall;
import org.jnfsd.rpc.RpcProgram;
import org.jnfsd.rpc.RpcServer;

/**
 * An NFSv4.0 client's callback service, run by a test on loopback: an RPC server for callback
 * program {@link #PROGRAM} version 1 (the RPC layer answers CB_NULL), which records every
 * CB_COMPOUND and answers each operation with {@link #answer} (NFS4_OK by default), as RFC 7530
 * §16.2.3 says: the first failing operation ends the compound. Its universal address is what
 * SETCLIENTID names.
 */
final class V40CallbackServer implements AutoCloseable {
    static final int PROGRAM = 0x40000000;

    final BlockingQueue<CbCompoundArgs> compounds = new LinkedBlockingQueue<>();
    volatile Function<CbArgs, NfsStatus> answer = op -> NfsStatus.NFS4_OK;
    private final RpcServer rpc;
    private final InetSocketAddress address;

    private V40CallbackServer(RpcServer rpc, InetSocketAddress address) {
        this.rpc = rpc;
        this.address = address;
    }

    static V40CallbackServer start(InetAddress bind) throws IOException {
        V40CallbackServer[] self = new V40CallbackServer[1];
        RpcProgram program = new RpcProgram() {
            @Override
            public int program() {
                return PROGRAM;
            }

            @Override
            public int minVersion() {
                return CallbackProgram.VERSION;
            }

            @Override
            public int maxVersion() {
                return CallbackProgram.VERSION;
            }

            @Override
            public void call(RpcCall call, XdrDecoder args, XdrEncoder results) {
                CbCompoundArgs a = CbCompoundArgs.decode(args);
                self[0].compounds.add(a);
                List<CbResult> done = new ArrayList<>();
                NfsStatus status = NfsStatus.NFS4_OK;
                for (CbArgs op : a.operations()) {
                    status = self[0].answer.apply(op);
                    done.add(new CbStatusResult(op.opcode(), status));
                    if (!status.isOk()) {
                        break;
                    }
                }
                new CbCompoundResult(status, a.tag(), done).encode(results);
            }
        };
        RpcServer rpc = RpcServer.builder().bindAddress(bind).port(0).program(program).build();
        InetSocketAddress addr = rpc.start();
        self[0] = new V40CallbackServer(rpc, addr);
        return self[0];
    }

    /** "h1.h2.h3.h4.p1.p2" (RFC 5665): the cb_client4 address of this server. */
    String universalAddress() {
        return address.getAddress().getHostAddress() + "." + (address.getPort() >> 8) + "." + (address.getPort() & 0xff);
    }

    /** The next CB_COMPOUND received, waiting at most 30 s (a bound, not an expectation). */
    CbCompoundArgs nextCompound() throws InterruptedException {
        CbCompoundArgs a = compounds.poll(30, TimeUnit.SECONDS);
        if (a == null) {
            throw new AssertionError("no CB_COMPOUND within 30 s");
        }
        return a;
    }

    @Override
    public void close() {
        rpc.close();
    }
}
