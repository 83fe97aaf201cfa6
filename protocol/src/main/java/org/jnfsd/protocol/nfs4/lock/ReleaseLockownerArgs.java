package org.jnfsd.protocol.nfs4.lock;

import org.jnfsd.protocol.nfs4.OpArgs;
import org.jnfsd.protocol.nfs4.Opcode;
import org.jnfsd.protocol.nfs4.io.OpenOwner;
import org.jnfsd.protocol.xdr.XdrDecoder;
import org.jnfsd.protocol.xdr.XdrEncoder;

/** RELEASE_LOCKOWNER4args (NFSv4.0 only); the result is a status. */
public record ReleaseLockownerArgs(OpenOwner owner) implements OpArgs {
    public static ReleaseLockownerArgs decode(XdrDecoder in) {
        return new ReleaseLockownerArgs(OpenOwner.decode(in));
    }

    @Override
    public Opcode opcode() {
        return Opcode.RELEASE_LOCKOWNER;
    }

    @Override
    public void encode(XdrEncoder out) {
        owner.encode(out);
    }
}
