package org.jnfsd.protocol.nfs4.io;

import org.jnfsd.protocol.nfs4.StateId;
import org.jnfsd.protocol.xdr.XdrDecoder;
import org.jnfsd.protocol.xdr.XdrEncoder;
import org.jnfsd.protocol.xdr.XdrException;

/**
 * open_delegation4 (RFC 8881 §18.16.2), every arm, with why_no_delegation4 for NONE_EXT; a read or
 * write delegation with {@code timestamps} is RFC 9754's READ_ATTRS_DELEG / WRITE_ATTRS_DELEG arm.
 */
public sealed interface OpenDelegation {
    int OPEN_DELEGATE_NONE = 0;
    int OPEN_DELEGATE_READ = 1;
    int OPEN_DELEGATE_WRITE = 2;
    int OPEN_DELEGATE_NONE_EXT = 3;
    /** RFC 9754: a read delegation that also delegates the access time. */
    int OPEN_DELEGATE_READ_ATTRS_DELEG = 4;
    /** RFC 9754: a write delegation that also delegates the access and modify times. */
    int OPEN_DELEGATE_WRITE_ATTRS_DELEG = 5;

    int WND4_NOT_WANTED = 0;
    int WND4_CONTENTION = 1;
    int WND4_RESOURCE = 2;
    int WND4_NOT_SUPP_FTYPE = 3;
    int WND4_WRITE_DELEG_NOT_SUPP_FTYPE = 4;
    int WND4_NOT_SUPP_UPGRADE = 5;
    int WND4_NOT_SUPP_DOWNGRADE = 6;
    int WND4_CANCELLED = 7;
    int WND4_IS_DIR = 8;

    None NONE = new None();

    void encode(XdrEncoder out);

    /** OPEN_DELEGATE_NONE. */
    record None() implements OpenDelegation {
        @Override
        public void encode(XdrEncoder out) {
            out.writeInt(OPEN_DELEGATE_NONE);
        }
    }

    record Read(StateId stateId, boolean recall, Ace permissions, boolean timestamps) implements OpenDelegation {
        public Read(StateId stateId, boolean recall, Ace permissions) {
            this(stateId, recall, permissions, false);
        }

        @Override
        public void encode(XdrEncoder out) {
            out.writeInt(timestamps ? OPEN_DELEGATE_READ_ATTRS_DELEG : OPEN_DELEGATE_READ);
            stateId.encode(out);
            out.writeBool(recall);
            permissions.encode(out);
        }
    }

    record Write(StateId stateId, boolean recall, SpaceLimit spaceLimit, Ace permissions, boolean timestamps)
            implements OpenDelegation {
        public Write(StateId stateId, boolean recall, SpaceLimit spaceLimit, Ace permissions) {
            this(stateId, recall, spaceLimit, permissions, false);
        }

        @Override
        public void encode(XdrEncoder out) {
            out.writeInt(timestamps ? OPEN_DELEGATE_WRITE_ATTRS_DELEG : OPEN_DELEGATE_WRITE);
            stateId.encode(out);
            out.writeBool(recall);
            spaceLimit.encode(out);
            permissions.encode(out);
        }
    }

    /**
     * OPEN_DELEGATE_NONE_EXT: why no delegation was granted. {@code serverWill} is
     * ond_server_will_push_deleg for WND4_CONTENTION, ond_server_will_signal_avail for
     * WND4_RESOURCE, and false (not on the wire) for every other reason.
     */
    record NoneExt(int why, boolean serverWill) implements OpenDelegation {
        public NoneExt {
            if (!hasFlag(why) && serverWill) {
                throw new IllegalArgumentException("why_no_delegation4 " + why + " carries no flag");
            }
        }

        public static NoneExt of(int why) {
            return new NoneExt(why, false);
        }

        static boolean hasFlag(int why) {
            return why == WND4_CONTENTION || why == WND4_RESOURCE;
        }

        @Override
        public void encode(XdrEncoder out) {
            out.writeInt(OPEN_DELEGATE_NONE_EXT).writeInt(why);
            if (hasFlag(why)) {
                out.writeBool(serverWill);
            }
        }
    }

    static OpenDelegation decode(XdrDecoder in) {
        int type = in.readInt();
        return switch (type) {
            case OPEN_DELEGATE_NONE -> NONE;
            case OPEN_DELEGATE_READ, OPEN_DELEGATE_READ_ATTRS_DELEG -> {
                StateId s = StateId.decode(in);
                boolean recall = in.readBool();
                yield new Read(s, recall, Ace.decode(in), type == OPEN_DELEGATE_READ_ATTRS_DELEG);
            }
            case OPEN_DELEGATE_WRITE, OPEN_DELEGATE_WRITE_ATTRS_DELEG -> {
                StateId s = StateId.decode(in);
                boolean recall = in.readBool();
                SpaceLimit limit = SpaceLimit.decode(in);
                yield new Write(s, recall, limit, Ace.decode(in), type == OPEN_DELEGATE_WRITE_ATTRS_DELEG);
            }
            case OPEN_DELEGATE_NONE_EXT -> {
                int why = in.readInt();
                yield new NoneExt(why, NoneExt.hasFlag(why) && in.readBool());
            }
            default -> throw new XdrException("open_delegation_type4 " + type);
        };
    }
}
