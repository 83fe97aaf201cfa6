package org.jnfsd.core.ops.namespace;

import org.jnfsd.core.NfsException;
import org.jnfsd.core.attr.Attributes;
import org.jnfsd.core.compound.CompoundContext;
import org.jnfsd.core.compound.Operation;
import org.jnfsd.core.fs.FileHandle;
import org.jnfsd.protocol.nfs4.NfsStatus;
import org.jnfsd.protocol.nfs4.OpResult;
import org.jnfsd.protocol.nfs4.Opcode;
import org.jnfsd.protocol.nfs4.StatusResult;
import org.jnfsd.protocol.nfs4.namespace.VerifyArgs;
import org.jnfsd.protocol.xdr.XdrDecoder;

/** VERIFY (RFC 8881 §18.31): NFS4ERR_NOT_SAME unless the attributes equal the server's own. */
final class Verify implements Operation<VerifyArgs> {
    @Override
    public Opcode opcode() {
        return Opcode.VERIFY;
    }

    @Override
    public VerifyArgs decode(XdrDecoder in) {
        return VerifyArgs.decodeVerify(in);
    }

    @Override
    public OpResult execute(CompoundContext ctx, VerifyArgs args) throws NfsException {
        if (!same(ctx, args)) {
            throw new NfsException(NfsStatus.NFS4ERR_NOT_SAME, "attributes differ");
        }
        return StatusResult.OK;
    }

    /** Whether the given attributes equal the current object's; shared with NVERIFY. */
    static boolean same(CompoundContext ctx, VerifyArgs args) throws NfsException {
        FileHandle fh = ctx.currentFh();
        var st = Checks.stat(ctx.currentFs(), fh.inode());
        return Attributes.matches(args.attrs(), Checks.attrSource(ctx, st, fh));
    }
}
