package org.jnfsd.protocol.nfs4.lock;

import org.jnfsd.protocol.nfs4.StateId;
import org.jnfsd.protocol.nfs4.io.OpenOwner;
import org.jnfsd.protocol.xdr.XdrDecoder;
import org.jnfsd.protocol.xdr.XdrEncoder;

/** locker4: a lock owner new to the server (with its open) or one it already knows (its lock stateid). */
public sealed interface Locker {
    void encode(XdrEncoder out);

    static Locker decode(XdrDecoder in) {
        return in.readBool()
                ? new NewOwner(in.readInt(), StateId.decode(in), in.readInt(), OpenOwner.decode(in))
                : new ExistingOwner(StateId.decode(in), in.readInt());
    }

    /** open_to_lock_owner4; the seqids are ignored in 4.1. */
    record NewOwner(int openSeqid, StateId openStateId, int lockSeqid, OpenOwner lockOwner) implements Locker {
        @Override
        public void encode(XdrEncoder out) {
            out.writeBool(true);
            out.writeInt(openSeqid);
            openStateId.encode(out);
            out.writeInt(lockSeqid);
            lockOwner.encode(out);
        }
    }

    /** exist_lock_owner4; the seqid is ignored in 4.1. */
    record ExistingOwner(StateId lockStateId, int lockSeqid) implements Locker {
        @Override
        public void encode(XdrEncoder out) {
            out.writeBool(false);
            lockStateId.encode(out);
            out.writeInt(lockSeqid);
        }
    }
}
