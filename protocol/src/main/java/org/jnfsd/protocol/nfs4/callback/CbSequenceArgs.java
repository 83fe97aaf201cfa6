package org.jnfsd.protocol.nfs4.callback;

import java.util.ArrayList;
import java.util.List;
import org.jnfsd.protocol.nfs4.session.SessionId;
import org.jnfsd.protocol.xdr.XdrDecoder;
import org.jnfsd.protocol.xdr.XdrEncoder;

/** CB_SEQUENCE4args (RFC 8881 §20.9). */
public record CbSequenceArgs(SessionId sessionId, int sequenceId, int slotId, int highestSlotId, boolean cacheThis,
        List<ReferringCallList> referringCallLists) implements CbArgs {
    /** Limit on decoded referring-call lists and calls per list. */
    public static final int MAX_REFERRING = 64;

    /** referring_call4. */
    public record ReferringCall(int sequenceId, int slotId) {}

    /** referring_call_list4. */
    public record ReferringCallList(SessionId sessionId, List<ReferringCall> calls) {
        public ReferringCallList {
            calls = List.copyOf(calls);
        }
    }

    public CbSequenceArgs {
        referringCallLists = List.copyOf(referringCallLists);
    }

    public static CbSequenceArgs decode(XdrDecoder in) {
        SessionId sid = SessionId.decode(in);
        int seq = in.readInt();
        int slot = in.readInt();
        int highest = in.readInt();
        boolean cache = in.readBool();
        int n = in.readArrayLength(MAX_REFERRING, SessionId.SIZE + 4);
        List<ReferringCallList> lists = new ArrayList<>(n);
        for (int i = 0; i < n; i++) {
            SessionId rsid = SessionId.decode(in);
            int m = in.readArrayLength(MAX_REFERRING, 8);
            List<ReferringCall> calls = new ArrayList<>(m);
            for (int j = 0; j < m; j++) {
                calls.add(new ReferringCall(in.readInt(), in.readInt()));
            }
            lists.add(new ReferringCallList(rsid, calls));
        }
        return new CbSequenceArgs(sid, seq, slot, highest, cache, lists);
    }

    @Override
    public CbOpcode opcode() {
        return CbOpcode.CB_SEQUENCE;
    }

    @Override
    public void encode(XdrEncoder out) {
        sessionId.encode(out);
        out.writeInt(sequenceId).writeInt(slotId).writeInt(highestSlotId).writeBool(cacheThis);
        out.writeInt(referringCallLists.size());
        for (ReferringCallList l : referringCallLists) {
            l.sessionId().encode(out);
            out.writeInt(l.calls().size());
            for (ReferringCall c : l.calls()) {
                out.writeInt(c.sequenceId()).writeInt(c.slotId());
            }
        }
    }
}
