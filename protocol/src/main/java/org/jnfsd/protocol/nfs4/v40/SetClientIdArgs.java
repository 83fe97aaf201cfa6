package org.jnfsd.protocol.nfs4.v40;

import org.jnfsd.protocol.nfs4.OpArgs;
import org.jnfsd.protocol.nfs4.Opcode;
import org.jnfsd.protocol.xdr.XdrDecoder;
import org.jnfsd.protocol.xdr.XdrEncoder;

/**
 * SETCLIENTID4args (RFC 7530 §16.33): nfs_client_id4 (verifier, id), the callback, and the
 * callback_ident the server puts in its CB_COMPOUNDs.
 */
public record SetClientIdArgs(byte[] verifier, byte[] id, CallbackClient callback, int callbackIdent) implements OpArgs {
    /** NFS4_OPAQUE_LIMIT: the longest client id string. */
    public static final int MAX_ID = 1024;
    public static final int VERIFIER_SIZE = 8;

    public SetClientIdArgs {
        verifier = verifier.clone();
        id = id.clone();
    }

    @Override
    public byte[] verifier() {
        return verifier.clone();
    }

    @Override
    public byte[] id() {
        return id.clone();
    }

    public static SetClientIdArgs decode(XdrDecoder in) {
        byte[] verifier = in.readFixedOpaque(VERIFIER_SIZE);
        byte[] id = in.readOpaque(MAX_ID);
        return new SetClientIdArgs(verifier, id, CallbackClient.decode(in), in.readInt());
    }

    @Override
    public Opcode opcode() {
        return Opcode.SETCLIENTID;
    }

    @Override
    public void encode(XdrEncoder out) {
        out.writeFixedOpaque(verifier).writeOpaque(id);
        callback.encode(out);
        out.writeInt(callbackIdent);
    }
}
