package org.jnfsd.rpc;

/** auth_stat (RFC 5531 §9 and RFC 2203 §5.3.3.3): why a call was denied with AUTH_ERROR. */
public enum AuthStat {
    AUTH_OK(0),
    AUTH_BADCRED(1),
    AUTH_REJECTEDCRED(2),
    AUTH_BADVERF(3),
    AUTH_REJECTEDVERF(4),
    AUTH_TOOWEAK(5),
    AUTH_INVALIDRESP(6),
    AUTH_FAILED(7),
    AUTH_KERB_GENERIC(8),
    AUTH_TIMEEXPIRE(9),
    AUTH_TKT_FILE(10),
    AUTH_DECODE(11),
    AUTH_NET_ADDR(12),
    RPCSEC_GSS_CREDPROBLEM(13),
    RPCSEC_GSS_CTXPROBLEM(14);

    private static final AuthStat[] BY_CODE = values();

    private final int code;

    AuthStat(int code) {
        this.code = code;
    }

    public int code() {
        return code;
    }

    /** The auth_stat with wire value {@code code}, or null if there is none. */
    public static AuthStat fromCode(int code) {
        return code >= 0 && code < BY_CODE.length ? BY_CODE[code] : null;
    }
}
