package org.jnfsd.protocol.nfs4.io;

import java.util.Map;
import org.jnfsd.protocol.nfs4.NfsStatus;
import org.jnfsd.protocol.nfs4.Opcode;
import org.jnfsd.protocol.nfs4.ResultDecoder;
import org.jnfsd.protocol.nfs4.StatusResult;

/** Registers this area's result decoders for the client. */
public final class IoCodecs {
    private IoCodecs() {}

    public static void registerResults(Map<Opcode, ResultDecoder> decoders) {
        decoders.put(Opcode.OPEN, OpenResult::decode);
        decoders.put(Opcode.CLOSE, StateIdResult::decode);
        decoders.put(Opcode.OPEN_DOWNGRADE, StateIdResult::decode);
        decoders.put(Opcode.READ, ReadResult::decode);
        decoders.put(Opcode.WRITE, WriteResult::decode);
        decoders.put(Opcode.COMMIT, CommitResult::decode);
        decoders.put(Opcode.TEST_STATEID, TestStateidResult::decode);
        decoders.put(Opcode.FREE_STATEID, in -> StatusResult.of(NfsStatus.fromCode(in.readInt())));
    }
}
