package org.jnfsd.protocol.nfs4.io;

import org.jnfsd.protocol.nfs4.OpArgs;
import org.jnfsd.protocol.nfs4.Opcode;
import org.jnfsd.protocol.xdr.XdrDecoder;
import org.jnfsd.protocol.xdr.XdrEncoder;

/**
 * OPEN4args (RFC 8881 §18.16.1).
 *
 * @param shareAccess {@link ShareAccess} ACCESS_* bits with the 4.1 WANT_* and signal bits
 * @param shareDeny {@link ShareAccess} DENY_* bits
 */
public record OpenArgs(int seqid, int shareAccess, int shareDeny, OpenOwner owner, OpenHow how, OpenClaim claim)
        implements OpArgs {

    public static OpenArgs decode(XdrDecoder in) {
        int seqid = in.readInt();
        int access = in.readInt();
        int deny = in.readInt();
        OpenOwner owner = OpenOwner.decode(in);
        OpenHow how = OpenHow.decode(in);
        return new OpenArgs(seqid, access, deny, owner, how, OpenClaim.decode(in));
    }

    @Override
    public Opcode opcode() {
        return Opcode.OPEN;
    }

    @Override
    public void encode(XdrEncoder out) {
        out.writeInt(seqid).writeInt(shareAccess).writeInt(shareDeny);
        owner.encode(out);
        how.encode(out);
        claim.encode(out);
    }
}
