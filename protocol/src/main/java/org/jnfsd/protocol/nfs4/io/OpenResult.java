package org.jnfsd.protocol.nfs4.io;

import org.jnfsd.protocol.nfs4.NfsStatus;
import org.jnfsd.protocol.nfs4.OpResult;
import org.jnfsd.protocol.nfs4.StateId;
import org.jnfsd.protocol.nfs4.StatusResult;
import org.jnfsd.protocol.nfs4.namespace.ChangeInfo;
import org.jnfsd.protocol.xdr.XdrDecoder;
import org.jnfsd.protocol.xdr.XdrEncoder;

/** OPEN4resok; failures are {@link StatusResult}. */
public record OpenResult(StateId stateId, ChangeInfo cinfo, int rflags, int[] attrset, OpenDelegation delegation)
        implements OpResult {
    public static final int RESULT_CONFIRM = 0x2;
    public static final int RESULT_LOCKTYPE_POSIX = 0x4;
    public static final int RESULT_PRESERVE_UNLINKED = 0x8;
    /** RFC 9754: the reply carries a delegation and no open stateid (OPEN4_RESULT_NO_OPEN_STATEID). */
    public static final int RESULT_NO_OPEN_STATEID = 0x10;
    public static final int RESULT_MAY_NOTIFY_LOCK = 0x20;
    static final int MAX_ATTRSET_WORDS = 8;

    public OpenResult {
        attrset = attrset.clone();
    }

    @Override
    public int[] attrset() {
        return attrset.clone();
    }

    @Override
    public NfsStatus status() {
        return NfsStatus.NFS4_OK;
    }

    @Override
    public void encode(XdrEncoder out) {
        out.writeInt(NfsStatus.NFS4_OK.code());
        stateId.encode(out);
        cinfo.encode(out);
        out.writeInt(rflags).writeBitmap(attrset);
        delegation.encode(out);
    }

    public static OpResult decode(XdrDecoder in) {
        NfsStatus status = NfsStatus.fromCode(in.readInt());
        if (!status.isOk()) {
            return StatusResult.of(status);
        }
        StateId stateId = StateId.decode(in);
        ChangeInfo cinfo = ChangeInfo.decode(in);
        int rflags = in.readInt();
        int[] attrset = in.readBitmap(MAX_ATTRSET_WORDS);
        return new OpenResult(stateId, cinfo, rflags, attrset, OpenDelegation.decode(in));
    }
}
