package org.jnfsd.rpc;

/** Thrown by a {@link RpcProgram} to answer a call with an accepted-but-failed reply. */
public class RpcException extends Exception {
    private final AcceptStat stat;

    public RpcException(AcceptStat stat, String message) {
        super(message);
        this.stat = stat;
    }

    public RpcException(AcceptStat stat, String message, Throwable cause) {
        super(message, cause);
        this.stat = stat;
    }

    public AcceptStat stat() {
        return stat;
    }
}
