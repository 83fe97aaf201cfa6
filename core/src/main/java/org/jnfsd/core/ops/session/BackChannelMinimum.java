package org.jnfsd.core.ops.session;

import java.nio.charset.StandardCharsets;
import java.util.List;
import org.jnfsd.core.NfsException;
import org.jnfsd.protocol.nfs4.NfsStatus;
import org.jnfsd.protocol.nfs4.session.CallbackSecParms;
import org.jnfsd.protocol.nfs4.session.ChannelAttrs;

/**
 * The smallest back channel a session may have (RFC 8881 §18.36.3): room for the one callback
 * every client with state must be able to hear, a CB_COMPOUND of CB_SEQUENCE and CB_RECALL, as
 * this server encodes it, and its reply. Sizes count the RPC header with its credential and
 * verifier, not the record mark (§18.36, ca_maxrequestsize). knfsd's {@code
 * check_backchannel_attrs} makes the same check with a fixed worst-case AUTH_SYS header; here the
 * credential is the one the callback path will use, so a client offering AUTH_NONE may ask a
 * little less.
 */
final class BackChannelMinimum {
    /** xid, message type, RPC version, program, version, procedure. */
    private static final int CALL_HEADER = 6 * 4;
    /** Flavor and length of an opaque_auth with an empty body (AUTH_NONE credential or verifier). */
    private static final int EMPTY_AUTH = 2 * 4;
    /** Empty tag, minor version, callback_ident, operation count. */
    private static final int CB_COMPOUND_HEADER = 4 * 4;
    /** Opcode, session id, sequence id, slot id, highest slot id, cachethis, empty referring list. */
    private static final int CB_SEQUENCE_ARGS = 4 + 16 + 4 * 5;
    /** Opcode, stateid, truncate, and the largest file handle (NFS4_FHSIZE, 128 bytes). */
    private static final int CB_RECALL_ARGS = 4 + 16 + 4 + 4 + 128;
    /** xid, message type, reply status, empty verifier, accept status. */
    private static final int REPLY_HEADER = 3 * 4 + EMPTY_AUTH + 4;
    /** Status, empty tag, result count. */
    private static final int CB_COMPOUND_RESULT_HEADER = 3 * 4;
    /** Opcode, status, session id, sequence id, slot id, highest and target highest slot ids. */
    private static final int CB_SEQUENCE_RESULT = 4 + 4 + 16 + 4 * 4;
    /** Opcode and status. */
    private static final int CB_RECALL_RESULT = 2 * 4;
    /** Response: fixed by this server's encoding (the client echoes the empty tag). */
    static final int RESPONSE_SIZE = REPLY_HEADER + CB_COMPOUND_RESULT_HEADER + CB_SEQUENCE_RESULT + CB_RECALL_RESULT;
    /** CB_SEQUENCE and CB_RECALL. */
    static final int OPERATIONS = 2;

    private BackChannelMinimum() {}

    /**
     * The smallest request size for callbacks sent with the credential chosen from {@code
     * security} (the first AUTH_SYS or AUTH_NONE entry, as the callback transport picks it;
     * AUTH_NONE for an empty list or one without either).
     */
    static int requestSize(List<CallbackSecParms> security) {
        return CALL_HEADER + credentialSize(security) + EMPTY_AUTH + CB_COMPOUND_HEADER + CB_SEQUENCE_ARGS
                + CB_RECALL_ARGS;
    }

    private static int credentialSize(List<CallbackSecParms> security) {
        for (CallbackSecParms p : security) {
            if (p instanceof CallbackSecParms.Sys s) {
                int name = s.machineName().getBytes(StandardCharsets.US_ASCII).length;
                // stamp, machine name (padded), uid, gid, gid count and gids
                return EMPTY_AUTH + 4 + 4 + ((name + 3) & ~3) + 4 + 4 + 4 + 4 * s.gids().length;
            }
            if (p instanceof CallbackSecParms.None) {
                return EMPTY_AUTH;
            }
        }
        return EMPTY_AUTH;
    }

    /** NFS4ERR_TOOSMALL when {@code back} cannot carry a CB_RECALL and its reply. */
    static void check(ChannelAttrs back, List<CallbackSecParms> security) throws NfsException {
        int request = requestSize(security);
        if (back.maxRequestSize() < request || back.maxResponseSize() < RESPONSE_SIZE
                || back.maxOperations() < OPERATIONS) {
            throw new NfsException(NfsStatus.NFS4ERR_TOOSMALL, "back channel " + back
                    + " cannot carry CB_SEQUENCE + CB_RECALL: it needs requests of " + request
                    + " bytes, replies of " + RESPONSE_SIZE + " and " + OPERATIONS + " operations");
        }
    }
}
