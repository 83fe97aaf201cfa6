package org.jnfsd.protocol.nfs4.delegation;

import java.util.Map;
import org.jnfsd.protocol.nfs4.NfsStatus;
import org.jnfsd.protocol.nfs4.Opcode;
import org.jnfsd.protocol.nfs4.ResultDecoder;
import org.jnfsd.protocol.nfs4.StatusResult;

/** Result decoders of the delegation operations. */
public final class DelegationCodecs {
    private DelegationCodecs() {}

    public static void registerResults(Map<Opcode, ResultDecoder> decoders) {
        decoders.put(Opcode.DELEGRETURN, in -> StatusResult.of(NfsStatus.fromCode(in.readInt())));
    }
}
