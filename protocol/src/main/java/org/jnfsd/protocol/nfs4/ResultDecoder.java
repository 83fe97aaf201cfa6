package org.jnfsd.protocol.nfs4;

import org.jnfsd.protocol.xdr.XdrDecoder;

/** Decodes one operation's result (status and body), as the client reads replies. */
@FunctionalInterface
public interface ResultDecoder {
    OpResult decode(XdrDecoder in);
}
