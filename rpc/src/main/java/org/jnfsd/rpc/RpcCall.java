package org.jnfsd.rpc;

/** One incoming ONC RPC call, as a {@link RpcProgram} sees it. Immutable. */
public interface RpcCall {
    int xid();

    int program();

    int version();

    int procedure();

    Credential credential();

    /** The connection the call arrived on; replies go back on it. */
    RpcConnection connection();
}
