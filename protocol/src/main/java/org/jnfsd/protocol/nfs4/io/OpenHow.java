package org.jnfsd.protocol.nfs4.io;

import org.jnfsd.protocol.nfs4.Fattr4;
import org.jnfsd.protocol.xdr.XdrDecoder;
import org.jnfsd.protocol.xdr.XdrEncoder;
import org.jnfsd.protocol.xdr.XdrException;

/**
 * openflag4 with its createhow4 flattened in: {@link NoCreate} is OPEN4_NOCREATE, every other arm
 * is OPEN4_CREATE with that createmode4.
 */
public sealed interface OpenHow {
    int OPEN4_NOCREATE = 0;
    int OPEN4_CREATE = 1;
    int UNCHECKED4 = 0;
    int GUARDED4 = 1;
    int EXCLUSIVE4 = 2;
    int EXCLUSIVE4_1 = 3;

    void encode(XdrEncoder out);

    /** OPEN4_NOCREATE. */
    record NoCreate() implements OpenHow {
        @Override
        public void encode(XdrEncoder out) {
            out.writeInt(OPEN4_NOCREATE);
        }
    }

    /** UNCHECKED4: create, or open an existing file (applying the attributes' size). */
    record Unchecked(Fattr4 attrs) implements OpenHow {
        @Override
        public void encode(XdrEncoder out) {
            out.writeInt(OPEN4_CREATE).writeInt(UNCHECKED4);
            attrs.encode(out);
        }
    }

    /** GUARDED4: create; NFS4ERR_EXIST when the name exists. */
    record Guarded(Fattr4 attrs) implements OpenHow {
        @Override
        public void encode(XdrEncoder out) {
            out.writeInt(OPEN4_CREATE).writeInt(GUARDED4);
            attrs.encode(out);
        }
    }

    /** EXCLUSIVE4 (NFSv4.0 style): a verifier and no attributes. */
    record Exclusive(Verifier verifier) implements OpenHow {
        @Override
        public void encode(XdrEncoder out) {
            out.writeInt(OPEN4_CREATE).writeInt(EXCLUSIVE4);
            verifier.encode(out);
        }
    }

    /** EXCLUSIVE4_1: a verifier and attributes (creatverfattr). */
    record Exclusive41(Verifier verifier, Fattr4 attrs) implements OpenHow {
        @Override
        public void encode(XdrEncoder out) {
            out.writeInt(OPEN4_CREATE).writeInt(EXCLUSIVE4_1);
            verifier.encode(out);
            attrs.encode(out);
        }
    }

    static OpenHow decode(XdrDecoder in) {
        int type = in.readInt();
        if (type == OPEN4_NOCREATE) {
            return new NoCreate();
        }
        if (type != OPEN4_CREATE) {
            throw new XdrException("opentype4 " + type);
        }
        int mode = in.readInt();
        return switch (mode) {
            case UNCHECKED4 -> new Unchecked(Fattr4.decode(in));
            case GUARDED4 -> new Guarded(Fattr4.decode(in));
            case EXCLUSIVE4 -> new Exclusive(Verifier.decode(in));
            case EXCLUSIVE4_1 -> {
                Verifier v = Verifier.decode(in);
                yield new Exclusive41(v, Fattr4.decode(in));
            }
            default -> throw new XdrException("createmode4 " + mode);
        };
    }
}
