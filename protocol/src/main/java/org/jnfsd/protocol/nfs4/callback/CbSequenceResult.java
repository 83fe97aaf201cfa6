package org.jnfsd.protocol.nfs4.callback;

import org.jnfsd.protocol.nfs4.NfsStatus;
import org.jnfsd.protocol.nfs4.session.SessionId;
import org.jnfsd.protocol.xdr.XdrDecoder;
import org.jnfsd.protocol.xdr.XdrEncoder;

/** CB_SEQUENCE4res (RFC 8881 §20.9); the fields after the status are meaningful only when it is OK. */
public record CbSequenceResult(NfsStatus status, SessionId sessionId, int sequenceId, int slotId, int highestSlotId,
        int targetHighestSlotId) implements CbResult {

    public static CbSequenceResult error(NfsStatus status) {
        return new CbSequenceResult(status, null, 0, 0, 0, 0);
    }

    public static CbSequenceResult decode(XdrDecoder in) {
        NfsStatus st = NfsStatus.fromCode(in.readInt());
        if (!st.isOk()) {
            return error(st);
        }
        return new CbSequenceResult(st, SessionId.decode(in), in.readInt(), in.readInt(), in.readInt(), in.readInt());
    }

    @Override
    public CbOpcode opcode() {
        return CbOpcode.CB_SEQUENCE;
    }

    @Override
    public void encode(XdrEncoder out) {
        out.writeInt(status.code());
        if (status.isOk()) {
            sessionId.encode(out);
            out.writeInt(sequenceId).writeInt(slotId).writeInt(highestSlotId).writeInt(targetHighestSlotId);
        }
    }
}
