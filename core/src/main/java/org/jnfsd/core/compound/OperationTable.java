package org.jnfsd.core.compound;

import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import org.jnfsd.protocol.nfs4.Opcode;

/** Dispatch table: opcode to operation. Immutable once built. */
public final class OperationTable {
    private final Map<Opcode, Operation<?>> ops;

    public OperationTable(List<? extends Operation<?>> operations) {
        Map<Opcode, Operation<?>> m = new EnumMap<>(Opcode.class);
        for (Operation<?> op : operations) {
            if (m.put(op.opcode(), op) != null) {
                throw new IllegalArgumentException("two operations for " + op.opcode());
            }
        }
        this.ops = m;
    }

    /** The operation, or null when the opcode is valid but not implemented (NFS4ERR_NOTSUPP). */
    public Operation<?> get(Opcode opcode) {
        return ops.get(opcode);
    }
}
