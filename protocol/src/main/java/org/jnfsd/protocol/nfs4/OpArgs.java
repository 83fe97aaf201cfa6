package org.jnfsd.protocol.nfs4;

import org.jnfsd.protocol.xdr.XdrEncoder;

/**
 * The arguments of one operation (one arm of nfs_argop4). Each implementation also has a static
 * {@code decode(XdrDecoder)} used by the server; {@link #encode} is used by the Java client and
 * writes what follows the opcode.
 */
public interface OpArgs {
    Opcode opcode();

    void encode(XdrEncoder out);
}
