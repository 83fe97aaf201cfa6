package org.jnfsd.protocol.nfs4.callback;

import org.jnfsd.protocol.nfs4.NfsStatus;
import org.jnfsd.protocol.xdr.XdrDecoder;
import org.jnfsd.protocol.xdr.XdrEncoder;

/** The result of one CB_COMPOUND operation (nfs_cb_resop4 without the opcode). */
public interface CbResult {
    CbOpcode opcode();

    NfsStatus status();

    /** Writes the status and, when OK, the body; not the opcode. */
    void encode(XdrEncoder out);

    /** Decodes one nfs_cb_resop4 (opcode, status, body). */
    static CbResult decode(XdrDecoder in) {
        CbOpcode op = CbOpcode.fromCode(in.readInt());
        return switch (op) {
            case CB_SEQUENCE -> CbSequenceResult.decode(in);
            case CB_GETATTR -> CbGetattrResult.decode(in);
            default -> new CbStatusResult(op, NfsStatus.fromCode(in.readInt()));
        };
    }
}
