package org.jnfsd.protocol.nfs4.namespace;

import java.util.Map;
import org.jnfsd.protocol.nfs4.Opcode;
import org.jnfsd.protocol.nfs4.ResultDecoder;

/** Registers this area's result decoders for the client. */
public final class NamespaceCodecs {
    private NamespaceCodecs() {}

    public static void registerResults(Map<Opcode, ResultDecoder> decoders) {}
}
