package org.jnfsd.protocol.nfs4.callback;

import org.jnfsd.protocol.nfs4.NfsStatus;
import org.jnfsd.protocol.xdr.XdrDecoder;
import org.jnfsd.protocol.xdr.XdrEncoder;
import org.jnfsd.protocol.xdr.XdrException;

/** The arguments of one CB_COMPOUND operation (nfs_cb_argop4 without the opcode). */
public interface CbArgs {
    CbOpcode opcode();

    /** Writes the arguments, without the opcode. */
    void encode(XdrEncoder out);

    /** Decodes one nfs_cb_argop4 (opcode and arguments); unsupported opcodes fail with NFS4ERR_OP_ILLEGAL. */
    static CbArgs decode(XdrDecoder in) {
        return decodeBody(in.readInt(), in);
    }

    /**
     * Decodes the arguments of the operation whose wire opcode is {@code code} (already read), so
     * that a receiver knows which operation failed to decode; unsupported opcodes fail with
     * NFS4ERR_OP_ILLEGAL.
     */
    static CbArgs decodeBody(int code, XdrDecoder in) {
        CbOpcode op = CbOpcode.fromCode(code);
        return switch (op) {
            case CB_SEQUENCE -> CbSequenceArgs.decode(in);
            case CB_RECALL -> CbRecallArgs.decode(in);
            case CB_GETATTR -> CbGetattrArgs.decode(in);
            case CB_RECALL_ANY -> CbRecallAnyArgs.decode(in);
            case CB_NOTIFY_LOCK -> CbNotifyLockArgs.decode(in);
            case CB_OFFLOAD -> CbOffloadArgs.decode(in);
            default -> throw new XdrException(NfsStatus.NFS4ERR_OP_ILLEGAL, "callback operation " + code + " not supported");
        };
    }
}
