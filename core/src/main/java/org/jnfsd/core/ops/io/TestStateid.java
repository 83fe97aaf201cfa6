package org.jnfsd.core.ops.io;

import java.util.ArrayList;
import java.util.List;
import org.jnfsd.core.compound.CompoundContext;
import org.jnfsd.core.compound.Operation;
import org.jnfsd.protocol.nfs4.NfsStatus;
import org.jnfsd.protocol.nfs4.OpResult;
import org.jnfsd.protocol.nfs4.Opcode;
import org.jnfsd.protocol.nfs4.StateId;
import org.jnfsd.protocol.nfs4.io.TestStateidArgs;
import org.jnfsd.protocol.nfs4.io.TestStateidResult;
import org.jnfsd.protocol.xdr.XdrDecoder;

/**
 * TEST_STATEID (RFC 8881 §18.48): one status per stateid, for the client of the session; special
 * stateids (and so the "current stateid" value, which is not resolved here) are BAD_STATEID.
 */
final class TestStateid implements Operation<TestStateidArgs> {
    @Override
    public Opcode opcode() {
        return Opcode.TEST_STATEID;
    }

    @Override
    public TestStateidArgs decode(XdrDecoder in) {
        return TestStateidArgs.decode(in);
    }

    @Override
    public OpResult execute(CompoundContext ctx, TestStateidArgs args) {
        List<NfsStatus> codes = new ArrayList<>(args.stateIds().size());
        for (StateId s : args.stateIds()) {
            codes.add(ctx.server().state().test(ctx.clientId(), s));
        }
        return new TestStateidResult(codes);
    }
}
