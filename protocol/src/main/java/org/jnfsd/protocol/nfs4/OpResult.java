package org.jnfsd.protocol.nfs4;

import org.jnfsd.protocol.xdr.XdrEncoder;

/**
 * The result of one operation in a COMPOUND (one arm of nfs_resop4). {@link #encode} writes what
 * follows the opcode: the status and, where the operation's result union has one, its body.
 */
public interface OpResult {
    NfsStatus status();

    void encode(XdrEncoder out);
}
