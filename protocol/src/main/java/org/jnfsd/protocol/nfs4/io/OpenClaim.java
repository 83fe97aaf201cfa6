package org.jnfsd.protocol.nfs4.io;

import org.jnfsd.protocol.nfs4.StateId;
import org.jnfsd.protocol.xdr.XdrDecoder;
import org.jnfsd.protocol.xdr.XdrEncoder;
import org.jnfsd.protocol.xdr.XdrException;

/** open_claim4 (RFC 8881 §18.16.1), every arm. */
public sealed interface OpenClaim {
    int CLAIM_NULL = 0;
    int CLAIM_PREVIOUS = 1;
    int CLAIM_DELEGATE_CUR = 2;
    int CLAIM_DELEGATE_PREV = 3;
    int CLAIM_FH = 4;
    int CLAIM_DELEG_CUR_FH = 5;
    int CLAIM_DELEG_PREV_FH = 6;
    /**
     * Longest component name decoded; longer is BADXDR. Deliberately above any backend's name
     * limit so that the operation, not the decoder, answers NFS4ERR_NAMETOOLONG.
     */
    int MAX_NAME = 4096;

    int type();

    void encode(XdrEncoder out);

    /** CLAIM_NULL: open {@code file} in the current directory. */
    record Null(String file) implements OpenClaim {
        @Override
        public int type() {
            return CLAIM_NULL;
        }

        @Override
        public void encode(XdrEncoder out) {
            out.writeInt(CLAIM_NULL).writeUtf8(file);
        }
    }

    /** CLAIM_PREVIOUS: reclaim after a server restart; {@code delegateType} is an open_delegation_type4. */
    record Previous(int delegateType) implements OpenClaim {
        @Override
        public int type() {
            return CLAIM_PREVIOUS;
        }

        @Override
        public void encode(XdrEncoder out) {
            out.writeInt(CLAIM_PREVIOUS).writeInt(delegateType);
        }
    }

    /** CLAIM_DELEGATE_CUR: open under a delegation the client holds. */
    record DelegateCur(StateId delegateStateId, String file) implements OpenClaim {
        @Override
        public int type() {
            return CLAIM_DELEGATE_CUR;
        }

        @Override
        public void encode(XdrEncoder out) {
            out.writeInt(CLAIM_DELEGATE_CUR);
            delegateStateId.encode(out);
            out.writeUtf8(file);
        }
    }

    /** CLAIM_DELEGATE_PREV: reclaim a delegation after a client restart. */
    record DelegatePrev(String file) implements OpenClaim {
        @Override
        public int type() {
            return CLAIM_DELEGATE_PREV;
        }

        @Override
        public void encode(XdrEncoder out) {
            out.writeInt(CLAIM_DELEGATE_PREV).writeUtf8(file);
        }
    }

    /** CLAIM_FH: open the current filehandle. */
    record Fh() implements OpenClaim {
        @Override
        public int type() {
            return CLAIM_FH;
        }

        @Override
        public void encode(XdrEncoder out) {
            out.writeInt(CLAIM_FH);
        }
    }

    /** CLAIM_DELEG_CUR_FH: CLAIM_DELEGATE_CUR on the current filehandle. */
    record DelegCurFh(StateId delegateStateId) implements OpenClaim {
        @Override
        public int type() {
            return CLAIM_DELEG_CUR_FH;
        }

        @Override
        public void encode(XdrEncoder out) {
            out.writeInt(CLAIM_DELEG_CUR_FH);
            delegateStateId.encode(out);
        }
    }

    /** CLAIM_DELEG_PREV_FH: CLAIM_DELEGATE_PREV on the current filehandle. */
    record DelegPrevFh() implements OpenClaim {
        @Override
        public int type() {
            return CLAIM_DELEG_PREV_FH;
        }

        @Override
        public void encode(XdrEncoder out) {
            out.writeInt(CLAIM_DELEG_PREV_FH);
        }
    }

    static OpenClaim decode(XdrDecoder in) {
        int type = in.readInt();
        return switch (type) {
            case CLAIM_NULL -> new Null(in.readUtf8(MAX_NAME));
            case CLAIM_PREVIOUS -> new Previous(in.readInt());
            case CLAIM_DELEGATE_CUR -> {
                StateId s = StateId.decode(in);
                yield new DelegateCur(s, in.readUtf8(MAX_NAME));
            }
            case CLAIM_DELEGATE_PREV -> new DelegatePrev(in.readUtf8(MAX_NAME));
            case CLAIM_FH -> new Fh();
            case CLAIM_DELEG_CUR_FH -> new DelegCurFh(StateId.decode(in));
            case CLAIM_DELEG_PREV_FH -> new DelegPrevFh();
            default -> throw new XdrException("open_claim_type4 " + type);
        };
    }
}
