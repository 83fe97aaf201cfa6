package org.jnfsd.protocol.nfs4.callback;

import java.util.ArrayList;
import java.util.List;
import org.jnfsd.protocol.nfs4.NfsStatus;
import org.jnfsd.protocol.xdr.XdrDecoder;
import org.jnfsd.protocol.xdr.XdrEncoder;

/** CB_COMPOUND4res: status, tag and the results of the operations executed (the last may have failed). */
public record CbCompoundResult(NfsStatus status, byte[] tag, List<CbResult> results) {
    public CbCompoundResult {
        tag = tag.clone();
        results = List.copyOf(results);
    }

    @Override
    public byte[] tag() {
        return tag.clone();
    }

    public static CbCompoundResult decode(XdrDecoder in) {
        NfsStatus st = NfsStatus.fromCode(in.readInt());
        byte[] tag = in.readOpaque(CbCompoundArgs.MAX_TAG);
        int n = in.readArrayLength(CbCompoundArgs.MAX_OPS, 8);
        List<CbResult> rs = new ArrayList<>(n);
        for (int i = 0; i < n; i++) {
            rs.add(CbResult.decode(in));
        }
        return new CbCompoundResult(st, tag, rs);
    }

    public void encode(XdrEncoder out) {
        out.writeInt(status.code()).writeOpaque(tag).writeInt(results.size());
        for (CbResult r : results) {
            out.writeInt(r.opcode().code());
            r.encode(out);
        }
    }
}
