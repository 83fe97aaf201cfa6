package org.jnfsd.core.ops.xattr;

import org.jnfsd.core.NfsException;
import org.jnfsd.core.compound.CompoundContext;
import org.jnfsd.core.compound.Operation;
import org.jnfsd.core.compound.SequenceSlot;
import org.jnfsd.protocol.nfs4.NfsStatus;
import org.jnfsd.protocol.nfs4.OpResult;
import org.jnfsd.protocol.nfs4.Opcode;
import org.jnfsd.protocol.nfs4.xattr.GetxattrArgs;
import org.jnfsd.protocol.nfs4.xattr.GetxattrResult;
import org.jnfsd.protocol.xdr.XdrDecoder;
import org.jnfsd.vfs.VfsException;

/**
 * GETXATTR (RFC 8276 §8.4.1): the value of one attribute of the current object. A missing one is
 * NFS4ERR_NOXATTR; a value larger than the session's reply size is NFS4ERR_XATTR2BIG (a reply that
 * still does not fit with what precedes it in the COMPOUND is the engine's NFS4ERR_REP_TOO_BIG).
 */
final class GetXattr implements Operation<GetxattrArgs> {
    /** Status, and the value's length. */
    private static final int OVERHEAD = 8;

    @Override
    public Opcode opcode() {
        return Opcode.GETXATTR;
    }

    @Override
    public GetxattrArgs decode(XdrDecoder in) {
        return GetxattrArgs.decode(in);
    }

    @Override
    public OpResult execute(CompoundContext ctx, GetxattrArgs args) throws NfsException {
        String name = XattrChecks.name(args.name());
        XattrChecks.Target t = XattrChecks.forRead(ctx);
        byte[] value;
        try {
            value = t.fs().getxattr(t.fh().inode(), name);
        } catch (VfsException e) {
            throw NfsException.of(e);
        }
        SequenceSlot slot = ctx.slot();
        if (slot != null && (long) value.length + OVERHEAD > slot.maxResponseSize()) {
            throw new NfsException(NfsStatus.NFS4ERR_XATTR2BIG, "a " + value.length
                    + "-byte value does not fit the session's " + slot.maxResponseSize() + "-byte replies");
        }
        return new GetxattrResult(value);
    }
}
