package org.jnfsd.protocol.nfs4.callback;

import java.util.HashMap;
import java.util.Map;

/** nfs_cb_opnum4 (RFC 8881 §20, RFC 7862 §16): the operations of CB_COMPOUND. */
public enum CbOpcode {
    CB_GETATTR(3),
    CB_RECALL(4),
    CB_LAYOUTRECALL(5),
    CB_NOTIFY(6),
    CB_PUSH_DELEG(7),
    CB_RECALL_ANY(8),
    CB_RECALLABLE_OBJ_AVAIL(9),
    CB_RECALL_SLOT(10),
    CB_SEQUENCE(11),
    CB_WANTS_CANCELLED(12),
    CB_NOTIFY_LOCK(13),
    CB_NOTIFY_DEVICEID(14),
    CB_OFFLOAD(15),
    CB_ILLEGAL(10044);

    private static final Map<Integer, CbOpcode> BY_CODE = new HashMap<>();

    static {
        for (CbOpcode o : values()) {
            BY_CODE.put(o.code, o);
        }
    }

    private final int code;

    CbOpcode(int code) {
        this.code = code;
    }

    public int code() {
        return code;
    }

    /** The opcode for a wire value, or {@link #CB_ILLEGAL} for an unknown one. */
    public static CbOpcode fromCode(int code) {
        CbOpcode o = BY_CODE.get(code);
        return o != null ? o : CB_ILLEGAL;
    }
}
