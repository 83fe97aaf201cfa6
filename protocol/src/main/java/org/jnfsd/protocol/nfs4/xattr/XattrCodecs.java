package org.jnfsd.protocol.nfs4.xattr;

import java.util.Map;
import org.jnfsd.protocol.nfs4.Opcode;
import org.jnfsd.protocol.nfs4.ResultDecoder;
import org.jnfsd.protocol.nfs4.namespace.ChangeInfoResult;

/** Registers this area's result decoders for the client. */
public final class XattrCodecs {
    private XattrCodecs() {}

    public static void registerResults(Map<Opcode, ResultDecoder> decoders) {
        decoders.put(Opcode.GETXATTR, GetxattrResult::decode);
        decoders.put(Opcode.SETXATTR, in -> ChangeInfoResult.decode(Opcode.SETXATTR, in));
        decoders.put(Opcode.LISTXATTRS, ListxattrsResult::decode);
        decoders.put(Opcode.REMOVEXATTR, in -> ChangeInfoResult.decode(Opcode.REMOVEXATTR, in));
    }
}
