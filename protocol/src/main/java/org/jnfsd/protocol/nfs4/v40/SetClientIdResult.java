package org.jnfsd.protocol.nfs4.v40;

import org.jnfsd.protocol.nfs4.NfsStatus;
import org.jnfsd.protocol.nfs4.OpResult;
import org.jnfsd.protocol.nfs4.StatusResult;
import org.jnfsd.protocol.xdr.XdrDecoder;
import org.jnfsd.protocol.xdr.XdrEncoder;

/** The OK arm of SETCLIENTID4res: the clientid and the verifier SETCLIENTID_CONFIRM must echo. */
public record SetClientIdResult(long clientId, byte[] confirm) implements OpResult {
    public SetClientIdResult {
        confirm = confirm.clone();
    }

    @Override
    public byte[] confirm() {
        return confirm.clone();
    }

    @Override
    public NfsStatus status() {
        return NfsStatus.NFS4_OK;
    }

    @Override
    public void encode(XdrEncoder out) {
        out.writeInt(NfsStatus.NFS4_OK.code()).writeLong(clientId).writeFixedOpaque(confirm);
    }

    /** OK, the CLID_INUSE arm (the address of the client using the id: {@link InUse}), or a status. */
    public static OpResult decode(XdrDecoder in) {
        NfsStatus status = NfsStatus.fromCode(in.readInt());
        if (status == NfsStatus.NFS4ERR_CLID_INUSE) {
            return new InUse(NetAddr.decode(in));
        }
        return status.isOk() ? new SetClientIdResult(in.readLong(), in.readFixedOpaque(SetClientIdArgs.VERIFIER_SIZE))
                : StatusResult.of(status);
    }

    /** The NFS4ERR_CLID_INUSE arm: where the principal that holds the id talks from. */
    public record InUse(NetAddr clientUsing) implements OpResult {
        @Override
        public NfsStatus status() {
            return NfsStatus.NFS4ERR_CLID_INUSE;
        }

        @Override
        public void encode(XdrEncoder out) {
            out.writeInt(NfsStatus.NFS4ERR_CLID_INUSE.code());
            clientUsing.encode(out);
        }
    }
}
