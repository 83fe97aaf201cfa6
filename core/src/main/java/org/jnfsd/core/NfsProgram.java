package org.jnfsd.core;

import org.jnfsd.core.compound.CompoundProcessor;
import org.jnfsd.protocol.xdr.XdrDecoder;
import org.jnfsd.protocol.xdr.XdrEncoder;
import org.jnfsd.rpc.AcceptStat;
import org.jnfsd.rpc.RpcCall;
import org.jnfsd.rpc.RpcException;
import org.jnfsd.rpc.RpcProgram;

/** The NFS program (100003), version 4: NULL is answered by the RPC layer, COMPOUND here. */
public final class NfsProgram implements RpcProgram {
    public static final int PROGRAM = 100003;
    public static final int VERSION = 4;
    static final int PROC_COMPOUND = 1;

    private final CompoundProcessor compounds;

    public NfsProgram(CompoundProcessor compounds) {
        this.compounds = compounds;
    }

    @Override
    public int program() {
        return PROGRAM;
    }

    @Override
    public int minVersion() {
        return VERSION;
    }

    @Override
    public int maxVersion() {
        return VERSION;
    }

    @Override
    public void call(RpcCall call, XdrDecoder args, XdrEncoder results) throws RpcException {
        if (call.procedure() != PROC_COMPOUND) {
            throw new RpcException(AcceptStat.PROC_UNAVAIL, "NFSv4 procedure " + call.procedure());
        }
        compounds.process(call.credential(), call.connection(), args, results);
    }
}
