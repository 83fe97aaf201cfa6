package org.jnfsd.protocol.nfs4.session;

import java.util.Map;
import org.jnfsd.protocol.nfs4.NfsStatus;
import org.jnfsd.protocol.nfs4.Opcode;
import org.jnfsd.protocol.nfs4.ResultDecoder;
import org.jnfsd.protocol.nfs4.StatusResult;

/** Registers this area's result decoders for the client. */
public final class SessionCodecs {
    private SessionCodecs() {}

    public static void registerResults(Map<Opcode, ResultDecoder> decoders) {
        ResultDecoder statusOnly = in -> StatusResult.of(NfsStatus.fromCode(in.readInt()));
        decoders.put(Opcode.EXCHANGE_ID, ExchangeIdResult::decode);
        decoders.put(Opcode.CREATE_SESSION, CreateSessionResult::decode);
        decoders.put(Opcode.SEQUENCE, SequenceResult::decode);
        decoders.put(Opcode.BIND_CONN_TO_SESSION, BindConnToSessionResult::decode);
        decoders.put(Opcode.DESTROY_SESSION, statusOnly);
        decoders.put(Opcode.DESTROY_CLIENTID, statusOnly);
        decoders.put(Opcode.RECLAIM_COMPLETE, statusOnly);
        decoders.put(Opcode.BACKCHANNEL_CTL, statusOnly);
    }
}
