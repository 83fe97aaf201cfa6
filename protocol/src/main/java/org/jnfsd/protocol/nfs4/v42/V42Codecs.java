package org.jnfsd.protocol.nfs4.v42;

import java.util.Map;
import org.jnfsd.protocol.nfs4.NfsStatus;
import org.jnfsd.protocol.nfs4.Opcode;
import org.jnfsd.protocol.nfs4.ResultDecoder;
import org.jnfsd.protocol.nfs4.StatusResult;

/** Registers this area's result decoders for the client. */
public final class V42Codecs {
    private V42Codecs() {}

    public static void registerResults(Map<Opcode, ResultDecoder> decoders) {
        ResultDecoder statusOnly = in -> StatusResult.of(NfsStatus.fromCode(in.readInt()));
        decoders.put(Opcode.SEEK, SeekResult::decode);
        decoders.put(Opcode.ALLOCATE, statusOnly);
        decoders.put(Opcode.DEALLOCATE, statusOnly);
        decoders.put(Opcode.CLONE, statusOnly);
        decoders.put(Opcode.READ_PLUS, ReadPlusResult::decode);
        decoders.put(Opcode.COPY, CopyResult::decode);
        decoders.put(Opcode.OFFLOAD_STATUS, OffloadStatusResult::decode);
        decoders.put(Opcode.OFFLOAD_CANCEL, statusOnly);
    }
}
