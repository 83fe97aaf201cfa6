package org.jnfsd.protocol.nfs4.callback;

import org.jnfsd.protocol.nfs4.NfsStatus;
import org.jnfsd.protocol.xdr.XdrEncoder;

/** A result that is only a status: CB_RECALL, CB_RECALL_ANY, CB_NOTIFY_LOCK, CB_OFFLOAD, CB_ILLEGAL, and errors. */
public record CbStatusResult(CbOpcode opcode, NfsStatus status) implements CbResult {
    @Override
    public void encode(XdrEncoder out) {
        out.writeInt(status.code());
    }
}
