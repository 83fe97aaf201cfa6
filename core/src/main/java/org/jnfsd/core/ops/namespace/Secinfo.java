package org.jnfsd.core.ops.namespace;

import java.util.List;
import org.jnfsd.core.NfsException;
import org.jnfsd.core.compound.CompoundContext;
import org.jnfsd.core.compound.Operation;
import org.jnfsd.core.fs.FileHandle;
import org.jnfsd.protocol.nfs4.OpResult;
import org.jnfsd.protocol.nfs4.Opcode;
import org.jnfsd.protocol.nfs4.namespace.SecinfoArgs;
import org.jnfsd.protocol.nfs4.namespace.SecinfoResult;
import org.jnfsd.protocol.xdr.XdrDecoder;
import org.jnfsd.vfs.Stat;
import org.jnfsd.vfs.VirtualFileSystem;

/**
 * SECINFO (RFC 8881 §18.29): the flavors for a name in the current directory: AUTH_SYS, then
 * AUTH_NONE (every export is sec=sys; in the pseudo-root, a name hidden from the client is
 * NFS4ERR_NOENT and an export the client may not use NFS4ERR_ACCESS). On success the current filehandle is consumed (RFC 8881 §2.6.3.1.1.8).
 */
final class Secinfo implements Operation<SecinfoArgs> {
    static final SecinfoResult FLAVORS = new SecinfoResult(List.of(SecinfoResult.AUTH_SYS, SecinfoResult.AUTH_NONE));

    @Override
    public Opcode opcode() {
        return Opcode.SECINFO;
    }

    @Override
    public SecinfoArgs decode(XdrDecoder in) {
        return SecinfoArgs.decode(in);
    }

    @Override
    public OpResult execute(CompoundContext ctx, SecinfoArgs args) throws NfsException {
        FileHandle dir = ctx.currentFh();
        VirtualFileSystem fs = ctx.currentFs();
        Stat st = Checks.requireDir(Checks.stat(fs, dir.inode()));
        String name = Checks.name(args.name(), fs);
        Checks.maySearch(st, ctx.identity());
        Junctions.step(ctx, dir, Checks.lookup(fs, dir.inode(), name), name);
        ctx.setCurrentFh(null);
        return FLAVORS;
    }
}
