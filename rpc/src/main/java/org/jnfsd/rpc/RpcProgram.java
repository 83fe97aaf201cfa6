package org.jnfsd.rpc;

import org.jnfsd.protocol.xdr.XdrDecoder;
import org.jnfsd.protocol.xdr.XdrEncoder;

/**
 * A server-side RPC program (NFS, the NFSv4 callback program, ...). The RPC layer matches program
 * and version, answers NULL (procedure 0) itself, and calls {@link #call} for every other procedure.
 */
public interface RpcProgram {
    int program();

    int minVersion();

    int maxVersion();

    /**
     * Executes one call. Runs on its own virtual thread and may block. Reads the procedure's
     * arguments from {@code args} (the RPC layer releases the underlying buffer after this
     * returns) and writes the procedure's results, and only those, to {@code results}.
     *
     * @throws RpcException to answer PROC_UNAVAIL, GARBAGE_ARGS or SYSTEM_ERR instead; anything
     *     written to {@code results} is then discarded
     */
    void call(RpcCall call, XdrDecoder args, XdrEncoder results) throws RpcException;

    /** What one call of a program made by {@link #of} does: {@link RpcProgram#call}. */
    @FunctionalInterface
    interface Handler {
        void call(RpcCall call, XdrDecoder args, XdrEncoder results) throws RpcException;
    }

    /** Program {@code program}, version {@code version} only, each call handled by {@code handler}. */
    static RpcProgram of(int program, int version, Handler handler) {
        return new RpcProgram() {
            @Override
            public int program() {
                return program;
            }

            @Override
            public int minVersion() {
                return version;
            }

            @Override
            public int maxVersion() {
                return version;
            }

            @Override
            public void call(RpcCall call, XdrDecoder args, XdrEncoder results) throws RpcException {
                handler.call(call, args, results);
            }
        };
    }
}
