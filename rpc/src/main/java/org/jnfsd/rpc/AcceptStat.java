package org.jnfsd.rpc;

/** accept_stat (RFC 5531 §9). */
public enum AcceptStat {
    SUCCESS(0),
    PROG_UNAVAIL(1),
    PROG_MISMATCH(2),
    PROC_UNAVAIL(3),
    GARBAGE_ARGS(4),
    SYSTEM_ERR(5);

    private static final AcceptStat[] BY_CODE = values();

    private final int code;

    AcceptStat(int code) {
        this.code = code;
    }

    public int code() {
        return code;
    }

    /** The accept_stat with wire value {@code code}, or null if there is none. */
    public static AcceptStat fromCode(int code) {
        return code >= 0 && code < BY_CODE.length ? BY_CODE[code] : null;
    }
}
