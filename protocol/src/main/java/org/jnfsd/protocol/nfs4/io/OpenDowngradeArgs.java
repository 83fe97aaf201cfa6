package org.jnfsd.protocol.nfs4.io;

import org.jnfsd.protocol.nfs4.OpArgs;
import org.jnfsd.protocol.nfs4.Opcode;
import org.jnfsd.protocol.nfs4.StateId;
import org.jnfsd.protocol.xdr.XdrDecoder;
import org.jnfsd.protocol.xdr.XdrEncoder;

/** OPEN_DOWNGRADE4args; the result is a {@link StateIdResult}. */
public record OpenDowngradeArgs(StateId openStateId, int seqid, int shareAccess, int shareDeny) implements OpArgs {
    public static OpenDowngradeArgs decode(XdrDecoder in) {
        StateId s = StateId.decode(in);
        int seqid = in.readInt();
        int access = in.readInt();
        return new OpenDowngradeArgs(s, seqid, access, in.readInt());
    }

    @Override
    public Opcode opcode() {
        return Opcode.OPEN_DOWNGRADE;
    }

    @Override
    public void encode(XdrEncoder out) {
        openStateId.encode(out);
        out.writeInt(seqid).writeInt(shareAccess).writeInt(shareDeny);
    }
}
