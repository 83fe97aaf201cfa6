package org.jnfsd.core.ops.namespace;

import org.jnfsd.core.NfsException;
import org.jnfsd.core.compound.CompoundContext;
import org.jnfsd.core.compound.Operation;
import org.jnfsd.protocol.nfs4.NfsStatus;
import org.jnfsd.protocol.nfs4.OpResult;
import org.jnfsd.protocol.nfs4.Opcode;
import org.jnfsd.protocol.nfs4.namespace.AccessArgs;
import org.jnfsd.protocol.nfs4.namespace.AccessResult;
import org.jnfsd.protocol.xdr.XdrDecoder;
import org.jnfsd.vfs.FileType;
import org.jnfsd.vfs.Stat;

/**
 * ACCESS (RFC 8881 §18.1). supported = the asked bits that apply to the object's type (LOOKUP and
 * DELETE to directories, EXECUTE to regular files, READ/MODIFY/EXTEND to all); access = those
 * granted by {@link org.jnfsd.core.fs.Access}, without MODIFY/EXTEND/DELETE on a read-only export.
 * The extended-attribute bits of RFC 8276 (XAREAD, XALIST with read permission, XAWRITE with
 * write permission and a writable export, as knfsd maps them) are supported in minor version 2 for
 * regular files and directories of an export whose backend stores extended attributes; otherwise
 * (4.2) they are accepted and not supported. Bits the minor version does not define are
 * NFS4ERR_INVAL: above 0x1ff always, and the three RFC 8276 bits in 4.0 and 4.1, which RFC 8276
 * adds to minor version 2 only (knfsd's {@code nfsd4_access} and NFS-Ganesha answer so).
 */
final class Access implements Operation<AccessArgs> {
    private static final int ALL_DEFINED = 0x1ff;
    /** The bits of RFC 8881 §18.1 (READ to EXECUTE), all a 4.0 or 4.1 ACCESS may ask. */
    private static final int V41_DEFINED = 0x3f;
    private static final int COMMON = org.jnfsd.core.fs.Access.READ | org.jnfsd.core.fs.Access.MODIFY
            | org.jnfsd.core.fs.Access.EXTEND;
    private static final int WRITES = org.jnfsd.core.fs.Access.MODIFY | org.jnfsd.core.fs.Access.EXTEND
            | org.jnfsd.core.fs.Access.DELETE | org.jnfsd.core.fs.Access.XAWRITE;
    private static final int XATTR_BITS = org.jnfsd.core.fs.Access.XAREAD | org.jnfsd.core.fs.Access.XAWRITE
            | org.jnfsd.core.fs.Access.XALIST;

    @Override
    public Opcode opcode() {
        return Opcode.ACCESS;
    }

    @Override
    public AccessArgs decode(XdrDecoder in) {
        return AccessArgs.decode(in);
    }

    @Override
    public OpResult execute(CompoundContext ctx, AccessArgs args) throws NfsException {
        int requested = args.access();
        if ((requested & ~(ctx.minorVersion() >= 2 ? ALL_DEFINED : V41_DEFINED)) != 0) {
            throw new NfsException(NfsStatus.NFS4ERR_INVAL, "ACCESS bits " + Integer.toHexString(requested)
                    + " not defined in minor version " + ctx.minorVersion());
        }
        Stat st = Checks.currentStat(ctx);
        int applicable = applicable(st.type());
        if (ctx.minorVersion() >= 2 && (st.type() == FileType.REGULAR || st.type() == FileType.DIRECTORY)
                && ctx.currentFs().xattrSupport()) {
            applicable |= XATTR_BITS;
        }
        int supported = requested & applicable;
        int granted = org.jnfsd.core.fs.Access.granted(st, ctx.identity(), supported);
        if (ctx.access().readOnly()) {
            granted &= ~WRITES;
        }
        return new AccessResult(supported, granted);
    }

    private static int applicable(FileType type) {
        return switch (type) {
            case DIRECTORY -> COMMON | org.jnfsd.core.fs.Access.LOOKUP | org.jnfsd.core.fs.Access.DELETE;
            case REGULAR -> COMMON | org.jnfsd.core.fs.Access.EXECUTE;
            default -> COMMON;
        };
    }
}
