package org.jnfsd.protocol.nfs4.io;

import java.util.ArrayList;
import java.util.List;
import org.jnfsd.protocol.nfs4.OpArgs;
import org.jnfsd.protocol.nfs4.Opcode;
import org.jnfsd.protocol.nfs4.StateId;
import org.jnfsd.protocol.xdr.XdrDecoder;
import org.jnfsd.protocol.xdr.XdrEncoder;

/** TEST_STATEID4args: the stateids to test. */
public record TestStateidArgs(List<StateId> stateIds) implements OpArgs {
    /** Most stateids decoded in one TEST_STATEID. */
    public static final int MAX_STATEIDS = 1024;
    private static final int STATEID_BYTES = 16;

    public TestStateidArgs {
        stateIds = List.copyOf(stateIds);
    }

    public static TestStateidArgs decode(XdrDecoder in) {
        int n = in.readArrayLength(MAX_STATEIDS, STATEID_BYTES);
        List<StateId> ids = new ArrayList<>(n);
        for (int i = 0; i < n; i++) {
            ids.add(StateId.decode(in));
        }
        return new TestStateidArgs(ids);
    }

    @Override
    public Opcode opcode() {
        return Opcode.TEST_STATEID;
    }

    @Override
    public void encode(XdrEncoder out) {
        out.writeInt(stateIds.size());
        for (StateId s : stateIds) {
            s.encode(out);
        }
    }
}
