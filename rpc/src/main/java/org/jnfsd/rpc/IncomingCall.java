package org.jnfsd.rpc;

/** The {@link RpcCall} handed to a program: the decoded call header and its connection. */
record IncomingCall(int xid, int program, int version, int procedure, Credential credential,
        RpcConnection connection) implements RpcCall {
}
