package org.jnfsd.protocol.nfs4.callback;

/**
 * The NFSv4 callback program (RFC 8881 §20, RFC 7530 §16): the program number is the client's
 * choice (csa_cb_program); the version is always 1 (NFS_CB), for 4.0, 4.1 and 4.2 alike, the minor
 * version travels inside CB_COMPOUND4args.
 */
public final class CallbackProgram {
    /** NFS_CB. */
    public static final int VERSION = 1;
    /** CB_NULL: no arguments, no results (the probe). */
    public static final int PROC_NULL = 0;
    /** CB_COMPOUND. */
    public static final int PROC_COMPOUND = 1;

    private CallbackProgram() {}
}
