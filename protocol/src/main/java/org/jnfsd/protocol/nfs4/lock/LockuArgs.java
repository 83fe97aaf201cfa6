package org.jnfsd.protocol.nfs4.lock;

import org.jnfsd.protocol.nfs4.OpArgs;
import org.jnfsd.protocol.nfs4.Opcode;
import org.jnfsd.protocol.nfs4.StateId;
import org.jnfsd.protocol.xdr.XdrDecoder;
import org.jnfsd.protocol.xdr.XdrEncoder;

/** LOCKU4args; the result is a {@code StateIdResult}. The seqid is ignored in 4.1. */
public record LockuArgs(LockType type, int seqid, StateId lockStateId, long offset, long length) implements OpArgs {
    public static LockuArgs decode(XdrDecoder in) {
        LockType type = LockType.fromCode(in.readInt());
        int seqid = in.readInt();
        StateId sid = StateId.decode(in);
        long offset = in.readLong();
        return new LockuArgs(type, seqid, sid, offset, in.readLong());
    }

    @Override
    public Opcode opcode() {
        return Opcode.LOCKU;
    }

    @Override
    public void encode(XdrEncoder out) {
        out.writeInt(type.code());
        out.writeInt(seqid);
        lockStateId.encode(out);
        out.writeLong(offset);
        out.writeLong(length);
    }
}
