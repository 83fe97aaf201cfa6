package org.jnfsd.core.ops.xattr;

import org.jnfsd.core.NfsException;
import org.jnfsd.core.compound.CompoundContext;
import org.jnfsd.core.compound.Operation;
import org.jnfsd.protocol.nfs4.OpResult;
import org.jnfsd.protocol.nfs4.Opcode;
import org.jnfsd.protocol.nfs4.namespace.ChangeInfoResult;
import org.jnfsd.protocol.nfs4.xattr.RemovexattrArgs;
import org.jnfsd.protocol.xdr.XdrDecoder;
import org.jnfsd.vfs.VfsException;

/**
 * REMOVEXATTR (RFC 8276 §8.4.4): removes one attribute; a missing one is NFS4ERR_NOXATTR. Answers
 * the object's change_info. Checks: {@link XattrChecks#forWrite}.
 */
final class RemoveXattr implements Operation<RemovexattrArgs> {
    @Override
    public Opcode opcode() {
        return Opcode.REMOVEXATTR;
    }

    @Override
    public RemovexattrArgs decode(XdrDecoder in) {
        return RemovexattrArgs.decode(in);
    }

    @Override
    public OpResult execute(CompoundContext ctx, RemovexattrArgs args) throws NfsException {
        String name = XattrChecks.name(args.name());
        XattrChecks.Target t = XattrChecks.forWrite(ctx, "REMOVEXATTR");
        try {
            t.fs().removexattr(t.fh().inode(), name);
        } catch (VfsException e) {
            throw NfsException.of(e);
        }
        return new ChangeInfoResult(Opcode.REMOVEXATTR, XattrChecks.changeInfo(t));
    }
}
