package org.jnfsd.protocol.nfs4.namespace;

import java.util.Map;
import org.jnfsd.protocol.nfs4.Opcode;
import org.jnfsd.protocol.nfs4.ResultDecoder;

/**
 * Registers this area's result decoders for the client. Operations whose results are only a status
 * (PUTFH, PUTROOTFH, PUTPUBFH, SAVEFH, RESTOREFH, LOOKUP, LOOKUPP, VERIFY, NVERIFY) use the default.
 */
public final class NamespaceCodecs {
    private NamespaceCodecs() {}

    public static void registerResults(Map<Opcode, ResultDecoder> decoders) {
        decoders.put(Opcode.GETFH, GetFhResult::decode);
        decoders.put(Opcode.GETATTR, GetattrResult::decode);
        decoders.put(Opcode.SETATTR, SetattrResult::decode);
        decoders.put(Opcode.ACCESS, AccessResult::decode);
        decoders.put(Opcode.READDIR, ReaddirResult::decode);
        decoders.put(Opcode.CREATE, CreateResult::decode);
        decoders.put(Opcode.REMOVE, in -> ChangeInfoResult.decode(Opcode.REMOVE, in));
        decoders.put(Opcode.LINK, in -> ChangeInfoResult.decode(Opcode.LINK, in));
        decoders.put(Opcode.RENAME, RenameResult::decode);
        decoders.put(Opcode.READLINK, ReadlinkResult::decode);
        decoders.put(Opcode.SECINFO, SecinfoResult::decode);
        decoders.put(Opcode.SECINFO_NO_NAME, SecinfoResult::decode);
    }
}
