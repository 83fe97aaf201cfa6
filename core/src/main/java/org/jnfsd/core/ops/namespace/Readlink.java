package org.jnfsd.core.ops.namespace;

import org.jnfsd.core.NfsException;
import org.jnfsd.core.compound.CompoundContext;
import org.jnfsd.core.compound.Operation;
import org.jnfsd.protocol.nfs4.NfsStatus;
import org.jnfsd.protocol.nfs4.OpResult;
import org.jnfsd.protocol.nfs4.Opcode;
import org.jnfsd.protocol.nfs4.namespace.ReadlinkResult;
import org.jnfsd.protocol.nfs4.namespace.VoidArgs;
import org.jnfsd.protocol.xdr.XdrDecoder;
import org.jnfsd.vfs.FileType;
import org.jnfsd.vfs.Stat;
import org.jnfsd.vfs.VfsException;

/** READLINK (RFC 8881 §18.24): NFS4ERR_INVAL for anything but a symlink. */
final class Readlink implements Operation<VoidArgs> {
    @Override
    public Opcode opcode() {
        return Opcode.READLINK;
    }

    @Override
    public VoidArgs decode(XdrDecoder in) {
        return VoidArgs.READLINK;
    }

    @Override
    public OpResult execute(CompoundContext ctx, VoidArgs args) throws NfsException {
        Stat st = Checks.currentStat(ctx);
        if (st.type() != FileType.SYMLINK) {
            throw new NfsException(NfsStatus.NFS4ERR_INVAL, "READLINK of a " + st.type());
        }
        try {
            return new ReadlinkResult(ctx.currentFs().readlink(ctx.currentFh().inode()));
        } catch (VfsException e) {
            throw NfsException.of(e);
        }
    }
}
