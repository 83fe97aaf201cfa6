package org.jnfsd.protocol.nfs4.namespace;

import org.jnfsd.protocol.nfs4.NfsStatus;
import org.jnfsd.protocol.nfs4.OpResult;
import org.jnfsd.protocol.nfs4.Opcode;
import org.jnfsd.protocol.nfs4.StatusResult;
import org.jnfsd.protocol.xdr.XdrDecoder;
import org.jnfsd.protocol.xdr.XdrEncoder;

/** REMOVE4resok and LINK4resok (one directory's change_info), SETXATTR4res and REMOVEXATTR4res (the file's). */
public record ChangeInfoResult(Opcode opcode, ChangeInfo cinfo) implements OpResult {
    @Override
    public NfsStatus status() {
        return NfsStatus.NFS4_OK;
    }

    @Override
    public void encode(XdrEncoder out) {
        out.writeInt(NfsStatus.NFS4_OK.code());
        cinfo.encode(out);
    }

    public static OpResult decode(Opcode op, XdrDecoder in) {
        NfsStatus s = NfsStatus.fromCode(in.readInt());
        return s.isOk() ? new ChangeInfoResult(op, ChangeInfo.decode(in)) : StatusResult.of(s);
    }
}
