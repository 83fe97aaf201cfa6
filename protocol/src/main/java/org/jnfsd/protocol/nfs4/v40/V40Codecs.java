package org.jnfsd.protocol.nfs4.v40;

import java.util.Map;
import org.jnfsd.protocol.nfs4.NfsStatus;
import org.jnfsd.protocol.nfs4.Opcode;
import org.jnfsd.protocol.nfs4.ResultDecoder;
import org.jnfsd.protocol.nfs4.StatusResult;

/** Result decoders of the NFSv4.0-only operations. */
public final class V40Codecs {
    private V40Codecs() {}

    public static void registerResults(Map<Opcode, ResultDecoder> decoders) {
        ResultDecoder statusOnly = in -> StatusResult.of(NfsStatus.fromCode(in.readInt()));
        decoders.put(Opcode.SETCLIENTID, SetClientIdResult::decode);
        decoders.put(Opcode.SETCLIENTID_CONFIRM, statusOnly);
        decoders.put(Opcode.RENEW, statusOnly);
        decoders.put(Opcode.OPEN_CONFIRM, org.jnfsd.protocol.nfs4.io.StateIdResult::decode);
        decoders.put(Opcode.RELEASE_LOCKOWNER, statusOnly);
    }
}
