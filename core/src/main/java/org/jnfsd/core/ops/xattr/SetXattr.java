package org.jnfsd.core.ops.xattr;

import org.jnfsd.core.NfsException;
import org.jnfsd.core.compound.CompoundContext;
import org.jnfsd.core.compound.Operation;
import org.jnfsd.protocol.nfs4.OpResult;
import org.jnfsd.protocol.nfs4.Opcode;
import org.jnfsd.protocol.nfs4.namespace.ChangeInfoResult;
import org.jnfsd.protocol.nfs4.xattr.SetxattrArgs;
import org.jnfsd.protocol.xdr.XdrDecoder;
import org.jnfsd.vfs.VfsException;
import org.jnfsd.vfs.XattrMode;

/**
 * SETXATTR (RFC 8276 §8.4.2): creates or replaces one attribute as the option says: CREATE of an
 * existing one is NFS4ERR_EXIST, REPLACE of a missing one NFS4ERR_NOXATTR, a value over 64 KiB
 * NFS4ERR_XATTR2BIG (while decoding, as knfsd). Answers the object's change_info; the change
 * attribute moves (the backend updates ctime). Checks: {@link XattrChecks#forWrite}.
 */
final class SetXattr implements Operation<SetxattrArgs> {
    @Override
    public Opcode opcode() {
        return Opcode.SETXATTR;
    }

    @Override
    public SetxattrArgs decode(XdrDecoder in) {
        return SetxattrArgs.decode(in);
    }

    @Override
    public OpResult execute(CompoundContext ctx, SetxattrArgs args) throws NfsException {
        String name = XattrChecks.name(args.name());
        XattrChecks.Target t = XattrChecks.forWrite(ctx, "SETXATTR");
        XattrMode mode = switch (args.option()) {
            case EITHER -> XattrMode.EITHER;
            case CREATE -> XattrMode.CREATE;
            case REPLACE -> XattrMode.REPLACE;
        };
        try {
            t.fs().setxattr(t.fh().inode(), name, args.value(), mode);
        } catch (VfsException e) {
            throw NfsException.of(e);
        }
        return new ChangeInfoResult(Opcode.SETXATTR, XattrChecks.changeInfo(t));
    }
}
