package org.jnfsd.protocol.nfs4.v40;

import org.jnfsd.protocol.nfs4.OpArgs;
import org.jnfsd.protocol.nfs4.Opcode;
import org.jnfsd.protocol.xdr.XdrDecoder;
import org.jnfsd.protocol.xdr.XdrEncoder;

/** SETCLIENTID_CONFIRM4args (RFC 7530 §16.34); the result is a status. */
public record SetClientIdConfirmArgs(long clientId, byte[] confirm) implements OpArgs {
    public SetClientIdConfirmArgs {
        confirm = confirm.clone();
    }

    @Override
    public byte[] confirm() {
        return confirm.clone();
    }

    public static SetClientIdConfirmArgs decode(XdrDecoder in) {
        return new SetClientIdConfirmArgs(in.readLong(), in.readFixedOpaque(SetClientIdArgs.VERIFIER_SIZE));
    }

    @Override
    public Opcode opcode() {
        return Opcode.SETCLIENTID_CONFIRM;
    }

    @Override
    public void encode(XdrEncoder out) {
        out.writeLong(clientId).writeFixedOpaque(confirm);
    }
}
