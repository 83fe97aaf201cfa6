package org.jnfsd.protocol.nfs4.io;

import java.util.ArrayList;
import java.util.List;
import org.jnfsd.protocol.nfs4.NfsStatus;
import org.jnfsd.protocol.nfs4.OpResult;
import org.jnfsd.protocol.nfs4.StatusResult;
import org.jnfsd.protocol.xdr.XdrDecoder;
import org.jnfsd.protocol.xdr.XdrEncoder;

/** TEST_STATEID4resok: one status per stateid tested, in order. Failures are {@link StatusResult}. */
public record TestStateidResult(List<NfsStatus> statusCodes) implements OpResult {
    public TestStateidResult {
        statusCodes = List.copyOf(statusCodes);
    }

    @Override
    public NfsStatus status() {
        return NfsStatus.NFS4_OK;
    }

    @Override
    public void encode(XdrEncoder out) {
        out.writeInt(NfsStatus.NFS4_OK.code()).writeInt(statusCodes.size());
        for (NfsStatus s : statusCodes) {
            out.writeInt(s.code());
        }
    }

    public static OpResult decode(XdrDecoder in) {
        NfsStatus status = NfsStatus.fromCode(in.readInt());
        if (!status.isOk()) {
            return StatusResult.of(status);
        }
        int n = in.readArrayLength(TestStateidArgs.MAX_STATEIDS, 4);
        List<NfsStatus> codes = new ArrayList<>(n);
        for (int i = 0; i < n; i++) {
            codes.add(NfsStatus.fromCode(in.readInt()));
        }
        return new TestStateidResult(codes);
    }
}
