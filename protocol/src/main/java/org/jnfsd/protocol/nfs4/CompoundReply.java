package org.jnfsd.protocol.nfs4;

import java.util.ArrayList;
import java.util.List;
import org.jnfsd.protocol.xdr.XdrDecoder;

/** COMPOUND4res, as the client reads it. */
public record CompoundReply(NfsStatus status, String tag, List<Opcode> opcodes, List<OpResult> results) {
    public static final int MAX_RESULTS = 1024;

    public static CompoundReply decode(XdrDecoder in) {
        NfsStatus status = NfsStatus.fromCode(in.readInt());
        String tag = in.readUtf8(1024);
        int n = in.readArrayLength(MAX_RESULTS, 8);
        List<Opcode> ops = new ArrayList<>(n);
        List<OpResult> results = new ArrayList<>(n);
        for (int i = 0; i < n; i++) {
            Opcode op = Opcode.fromCode(in.readInt());
            ops.add(op);
            results.add(ResultDecoders.decode(op, in));
        }
        return new CompoundReply(status, tag, List.copyOf(ops), List.copyOf(results));
    }

    /** The result of the operation at {@code index}, cast to the type the caller expects. */
    public <T extends OpResult> T result(int index, Class<T> type) {
        return type.cast(results.get(index));
    }
}
