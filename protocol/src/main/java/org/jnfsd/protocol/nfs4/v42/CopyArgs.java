package org.jnfsd.protocol.nfs4.v42;

import java.util.List;
import org.jnfsd.protocol.nfs4.OpArgs;
import org.jnfsd.protocol.nfs4.Opcode;
import org.jnfsd.protocol.nfs4.StateId;
import org.jnfsd.protocol.xdr.XdrDecoder;
import org.jnfsd.protocol.xdr.XdrEncoder;

/** COPY4args (saved FH is the source, current FH the destination). */
public record CopyArgs(StateId srcStateId, StateId dstStateId, long srcOffset, long dstOffset, long count,
        boolean consecutive, boolean synchronous, List<NetLoc> sourceServers) implements OpArgs {
    private static final int MAX_SERVERS = 16;

    public CopyArgs {
        sourceServers = List.copyOf(sourceServers);
    }

    public static CopyArgs decode(XdrDecoder in) {
        StateId src = StateId.decode(in);
        StateId dst = StateId.decode(in);
        long srcOffset = in.readLong();
        long dstOffset = in.readLong();
        long count = in.readLong();
        boolean consecutive = in.readBool();
        boolean synchronous = in.readBool();
        int n = in.readArrayLength(MAX_SERVERS, 8);
        List<NetLoc> servers = new java.util.ArrayList<>(n);
        for (int i = 0; i < n; i++) {
            servers.add(NetLoc.decode(in));
        }
        return new CopyArgs(src, dst, srcOffset, dstOffset, count, consecutive, synchronous, servers);
    }

    @Override
    public Opcode opcode() {
        return Opcode.COPY;
    }

    @Override
    public void encode(XdrEncoder out) {
        srcStateId.encode(out);
        dstStateId.encode(out);
        out.writeLong(srcOffset).writeLong(dstOffset).writeLong(count).writeBool(consecutive).writeBool(synchronous);
        out.writeInt(sourceServers.size());
        for (NetLoc l : sourceServers) {
            l.encode(out);
        }
    }
}
