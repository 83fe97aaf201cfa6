package org.jnfsd.core.ops.namespace;

import org.jnfsd.core.NfsException;
import org.jnfsd.core.compound.CompoundContext;
import org.jnfsd.core.compound.Operation;
import org.jnfsd.core.fs.FileHandle;
import org.jnfsd.protocol.nfs4.NfsStatus;
import org.jnfsd.protocol.nfs4.OpResult;
import org.jnfsd.protocol.nfs4.Opcode;
import org.jnfsd.protocol.nfs4.namespace.SecinfoNoNameArgs;
import org.jnfsd.protocol.xdr.XdrDecoder;
import org.jnfsd.vfs.VirtualFileSystem;

/**
 * SECINFO_NO_NAME (RFC 8881 §18.45): the flavors for the current filehandle or its parent
 * (NFS4ERR_NOENT for the parent of the root the client mounts; an export's root under the
 * pseudo-root has the pseudo directory as its parent). Consumes the current filehandle, as SECINFO does.
 */
final class SecinfoNoName implements Operation<SecinfoNoNameArgs> {
    @Override
    public Opcode opcode() {
        return Opcode.SECINFO_NO_NAME;
    }

    @Override
    public SecinfoNoNameArgs decode(XdrDecoder in) {
        return SecinfoNoNameArgs.decode(in);
    }

    @Override
    public OpResult execute(CompoundContext ctx, SecinfoNoNameArgs args) throws NfsException {
        FileHandle fh = ctx.currentFh();
        VirtualFileSystem fs = ctx.currentFs();
        var st = Checks.stat(fs, fh.inode());
        if (args.style() == SecinfoNoNameArgs.PARENT) {
            Checks.requireDir(st);
            if (fh.inode().equals(fs.root())
                    && ctx.server().exports().pseudoParent(ctx.currentExport()).isEmpty()) {
                throw new NfsException(NfsStatus.NFS4ERR_NOENT, "the root has no parent");
            }
        }
        ctx.setCurrentFh(null);
        return Secinfo.FLAVORS;
    }
}
