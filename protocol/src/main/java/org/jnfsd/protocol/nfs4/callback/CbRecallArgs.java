package org.jnfsd.protocol.nfs4.callback;

import org.jnfsd.protocol.nfs4.StateId;
import org.jnfsd.protocol.xdr.XdrDecoder;
import org.jnfsd.protocol.xdr.XdrEncoder;

/** CB_RECALL4args (RFC 8881 §20.2); the result is a {@link CbStatusResult}. */
public record CbRecallArgs(StateId stateId, boolean truncate, byte[] fileHandle) implements CbArgs {
    /** NFS4_FHSIZE. */
    public static final int MAX_FH = 128;

    public CbRecallArgs {
        fileHandle = fileHandle.clone();
    }

    @Override
    public byte[] fileHandle() {
        return fileHandle.clone();
    }

    public static CbRecallArgs decode(XdrDecoder in) {
        StateId sid = StateId.decode(in);
        boolean truncate = in.readBool();
        return new CbRecallArgs(sid, truncate, in.readOpaque(MAX_FH));
    }

    @Override
    public CbOpcode opcode() {
        return CbOpcode.CB_RECALL;
    }

    @Override
    public void encode(XdrEncoder out) {
        stateId.encode(out);
        out.writeBool(truncate).writeOpaque(fileHandle);
    }
}
