package org.jnfsd.protocol.nfs4.callback;

import org.jnfsd.protocol.xdr.XdrDecoder;
import org.jnfsd.protocol.xdr.XdrEncoder;

/** CB_RECALL_ANY4args (RFC 8881 §20.6); the result is a {@link CbStatusResult}. */
public record CbRecallAnyArgs(int objectsToKeep, int[] typeMask) implements CbArgs {
    /** RCA4_TYPE_MASK_RDATA_DLG: bit 0 of the mask. */
    public static final int TYPE_RDATA_DLG = 0;
    /** RCA4_TYPE_MASK_WDATA_DLG: bit 1. */
    public static final int TYPE_WDATA_DLG = 1;

    public CbRecallAnyArgs {
        typeMask = typeMask.clone();
    }

    @Override
    public int[] typeMask() {
        return typeMask.clone();
    }

    public static CbRecallAnyArgs decode(XdrDecoder in) {
        int keep = in.readInt();
        return new CbRecallAnyArgs(keep, in.readBitmap(8));
    }

    @Override
    public CbOpcode opcode() {
        return CbOpcode.CB_RECALL_ANY;
    }

    @Override
    public void encode(XdrEncoder out) {
        out.writeInt(objectsToKeep).writeBitmap(typeMask);
    }
}
